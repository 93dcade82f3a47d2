package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Git detection on fake {@code .git} directories laid out as git writes them. */
class CodeVersionTest {
  private static final String SHA_A = "1111111111111111111111111111111111111111";
  private static final String SHA_B = "2222222222222222222222222222222222222222";
  private static final String SHA_C = "3333333333333333333333333333333333333333";

  @TempDir Path root;

  private Path repo() throws IOException {
    Path git = Files.createDirectories(root.resolve("repo/.git"));
    Files.createDirectories(git.resolve("refs/heads"));
    return root.resolve("repo");
  }

  /** A repository on branch main at commit A. */
  private Path repoOnMain() throws IOException {
    Path repo = repo();
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    Files.writeString(repo.resolve(".git/refs/heads/main"), SHA_A + "\n");
    return repo;
  }

  @Test
  void readsLooseRefNamedByHead() throws IOException {
    Path repo = repoOnMain();
    assertThat(CodeVersion.detect(repo))
        .contains(new CodeVersion(SHA_A, "refs/heads/main", CodeVersion.Dirty.UNKNOWN));
  }

  @Test
  void findsTheCheckoutFromASubdirectory() throws IOException {
    Path repo = repoOnMain();
    Path sub = Files.createDirectories(repo.resolve("training/job"));
    assertThat(CodeVersion.detect(sub).map(CodeVersion::commit)).contains(SHA_A);
  }

  @Test
  void readsPackedRefsWhenNoLooseRefExists() throws IOException {
    Path repo = repo();
    Files.createDirectories(repo.resolve(".git/refs/heads/feature"));
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/feature/x\n");
    Files.writeString(repo.resolve(".git/packed-refs"), "# pack-refs with: peeled fully-peeled sorted \n"
        + SHA_B + " refs/heads/feature/x-old\n"
        + SHA_A + " refs/heads/feature/x\n"
        + SHA_C + " refs/tags/v1\n"
        + "^" + SHA_B + "\n");
    assertThat(CodeVersion.detect(repo))
        .contains(new CodeVersion(SHA_A, "refs/heads/feature/x", CodeVersion.Dirty.UNKNOWN));
  }

  @Test
  void looseRefWinsOverPackedRef() throws IOException {
    Path repo = repo();
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main");
    Files.writeString(repo.resolve(".git/packed-refs"), SHA_B + " refs/heads/main\n");
    Files.writeString(repo.resolve(".git/refs/heads/main"), SHA_A);
    assertThat(CodeVersion.detect(repo).map(CodeVersion::commit)).contains(SHA_A);
  }

  @Test
  void readsDetachedHead() throws IOException {
    Path repo = repo();
    Files.writeString(repo.resolve(".git/HEAD"), SHA_C + "\n");
    assertThat(CodeVersion.detect(repo)).contains(new CodeVersion(SHA_C, null, CodeVersion.Dirty.UNKNOWN));
  }

  @Test
  void readsWorktreeWhoseGitIsAFile() throws IOException {
    Path repo = repoOnMain();
    Files.writeString(repo.resolve(".git/packed-refs"), SHA_B + " refs/heads/topic\n");
    Path wtGit = Files.createDirectories(repo.resolve(".git/worktrees/wt-topic"));
    Files.writeString(wtGit.resolve("HEAD"), "ref: refs/heads/topic\n");
    Files.writeString(wtGit.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(root.resolve("wt-topic"));
    Files.writeString(worktree.resolve(".git"), "gitdir: " + wtGit + "\n");
    assertThat(CodeVersion.detect(worktree))
        .contains(new CodeVersion(SHA_B, "refs/heads/topic", CodeVersion.Dirty.UNKNOWN));
  }

  @Test
  void readsRelativeGitdirOfDetachedWorktree() throws IOException {
    Path repo = repo();
    Path wtGit = Files.createDirectories(repo.resolve(".git/worktrees/w2"));
    Files.writeString(wtGit.resolve("HEAD"), SHA_C + "\n");
    Files.writeString(wtGit.resolve("commondir"), "../..\n");
    Path worktree = Files.createDirectories(root.resolve("w2"));
    Files.writeString(worktree.resolve(".git"), "gitdir: ../repo/.git/worktrees/w2\n");
    assertThat(CodeVersion.detect(worktree).map(CodeVersion::commit)).contains(SHA_C);
  }

  @Test
  void emptyOutsideACheckoutOrBeforeTheFirstCommit() throws IOException {
    Path plain = Files.createDirectories(root.resolve("plain"));
    // the temporary directory may itself sit inside a checkout; only assert when it does not
    if (CodeVersion.detect(root).isEmpty()) {
      assertThat(CodeVersion.detect(plain)).isEmpty();
    }
    Path repo = repo();
    Files.writeString(repo.resolve(".git/HEAD"), "ref: refs/heads/main\n");
    assertThat(CodeVersion.detect(repo)).isEmpty();
  }

  @Test
  void emptyForCorruptHead() throws IOException {
    Path repo = repo();
    Files.writeString(repo.resolve(".git/HEAD"), "garbage\n");
    assertThat(CodeVersion.detect(repo)).isEmpty();
    Files.writeString(repo.resolve(".git/HEAD"), "ref: ../../../etc/passwd\n");
    assertThat(CodeVersion.detect(repo)).isEmpty();
  }

  @Test
  void detectsThisProjectsOwnCheckout() {
    // Maven runs tests in mlops-core/, inside the project's git checkout (a worktree or a clone).
    Path here = Path.of("").toAbsolutePath();
    boolean inCheckout = false;
    for (Path p = here; p != null; p = p.getParent()) {
      inCheckout |= Files.exists(p.resolve(".git"));
    }
    org.junit.jupiter.api.Assumptions.assumeTrue(inCheckout, "tests do not run inside a git checkout");
    assertThat(CodeVersion.detect(here)).hasValueSatisfying(cv -> assertThat(cv.commit()).hasSize(40));
  }

  @Test
  void validatesCommitIds() {
    assertThatThrownBy(() -> CodeVersion.of("abc", false))
        .hasMessage("git commit must be a full object id of 40 (SHA-1) or 64 (SHA-256) lower-case hex"
            + " characters, got 'abc'");
    assertThat(CodeVersion.of("a".repeat(64), true).dirty()).isEqualTo(CodeVersion.Dirty.DIRTY);
    assertThat(CodeVersion.unknown().commit()).isNull();
  }
}
