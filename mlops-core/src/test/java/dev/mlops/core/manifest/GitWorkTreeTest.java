package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.manifest.CodeVersion.Dirty;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The working tree state read from real repositories made by the {@code git} command (the library
 * itself never runs git). Skipped, saying so, where no git is installed.
 */
class GitWorkTreeTest {
  @TempDir Path root;
  private Path repo;

  @BeforeAll
  static void needsGit() {
    boolean present;
    try {
      present = new ProcessBuilder("git", "--version").start().waitFor(20, TimeUnit.SECONDS);
    } catch (IOException | InterruptedException e) {
      present = false;
    }
    Assumptions.assumeTrue(present, "the git command is not installed; these tests build repositories with it");
  }

  /** Runs git in a directory, isolated from the user's and system's configuration; returns exit code and output. */
  private Map.Entry<Integer, String> run(Path dir, String... args) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of("git", "-c", "user.name=Test", "-c", "user.email=test@example.org",
        "-c", "commit.gpgsign=false", "-c", "init.defaultBranch=main"));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    Map<String, String> env = pb.environment();
    env.put("GIT_CONFIG_GLOBAL", "/dev/null");
    env.put("GIT_CONFIG_NOSYSTEM", "1");
    env.put("HOME", root.toString());
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    return Map.entry(p.exitValue(), out.trim());
  }

  private String git(Path dir, String... args) throws IOException, InterruptedException {
    Map.Entry<Integer, String> result = run(dir, args);
    assertThat(result.getKey()).as("git %s: %s", String.join(" ", args), result.getValue()).isZero();
    return result.getValue();
  }

  private CodeVersion detect(Path dir) {
    return GitHead.detect(dir, List.of()).orElseThrow();
  }

  /** Sets a file's timestamp an hour back, as an old checkout would have it (no racy-clean timestamps). */
  private static void age(Path file) throws IOException {
    Files.setLastModifiedTime(file, FileTime.from(Instant.now().minusSeconds(3600)));
  }

  @BeforeEach
  void repository() throws IOException, InterruptedException {
    repo = Files.createDirectories(root.resolve("repo"));
    git(repo, "init", "-q");
    Files.createDirectories(repo.resolve("src"));
    Files.writeString(repo.resolve("README.md"), "hello\n");
    Files.writeString(repo.resolve("src/Train.java"), "class Train {}\n");
    git(repo, "add", "-A");
    git(repo, "commit", "-q", "-m", "first");
  }

  @Test
  void freshCommitIsClean() throws IOException, InterruptedException {
    CodeVersion cv = detect(repo);
    assertThat(cv.commit()).isEqualTo(git(repo, "rev-parse", "HEAD"));
    assertThat(cv.ref()).isEqualTo("refs/heads/main");
    assertThat(cv.dirty()).isEqualTo(Dirty.CLEAN);
  }

  @Test
  void untrackedFilesDoNotMakeItDirty() throws IOException {
    Files.writeString(repo.resolve("scratch.txt"), "notes");
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.CLEAN);
  }

  @Test
  void changedContentIsDirtyEvenWithSameSizeAndTimestamp() throws IOException {
    Path f = repo.resolve("src/Train.java");
    FileTime before = Files.getLastModifiedTime(f);
    Files.writeString(f, "class Tra1n {}\n");
    Files.setLastModifiedTime(f, before);
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.DIRTY);
  }

  @Test
  void touchedButUnchangedFileIsClean() throws IOException {
    age(repo.resolve("README.md"));
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.CLEAN);
  }

  @Test
  void deletedFileIsDirty() throws IOException {
    Files.delete(repo.resolve("README.md"));
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.DIRTY);
  }

  @Test
  void stagedChangeIsNotReportedClean() throws IOException, InterruptedException {
    Files.writeString(repo.resolve("README.md"), "hello again\n");
    git(repo, "add", "README.md");
    assertThat(detect(repo).dirty()).isNotEqualTo(Dirty.CLEAN);
  }

  @Test
  void packedHistoryIsReadFromThePack() throws IOException, InterruptedException {
    Files.writeString(repo.resolve("README.md"), "second\n");
    git(repo, "commit", "-q", "-am", "second");
    git(repo, "gc", "-q", "--aggressive");
    try (var loose = Files.list(repo.resolve(".git/objects"))) {
      assertThat(loose.map(p -> p.getFileName().toString())).allMatch(n -> n.equals("pack") || n.equals("info"));
    }
    CodeVersion cv = detect(repo);
    assertThat(cv.commit()).isEqualTo(git(repo, "rev-parse", "HEAD"));
    assertThat(cv.dirty()).isEqualTo(Dirty.CLEAN);
  }

  @Test
  void indexVersion4IsRead() throws IOException, InterruptedException {
    git(repo, "update-index", "--index-version", "4");
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.CLEAN);
    Files.writeString(repo.resolve("src/Train.java"), "class Train { int changed; }\n");
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.DIRTY);
  }

  @Test
  void linkedWorktreeHasItsOwnIndexAndHead() throws IOException, InterruptedException {
    Path wt = root.resolve("wt");
    git(repo, "worktree", "add", "-q", "-b", "topic", wt.toString());
    CodeVersion cv = detect(wt);
    assertThat(cv.ref()).isEqualTo("refs/heads/topic");
    assertThat(cv.commit()).isEqualTo(git(wt, "rev-parse", "HEAD"));
    assertThat(cv.dirty()).isEqualTo(Dirty.CLEAN);
    Files.writeString(wt.resolve("README.md"), "changed in the worktree\n");
    assertThat(detect(wt).dirty()).isEqualTo(Dirty.DIRTY);
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.CLEAN);
  }

  @Test
  void lineEndingConversionMakesItUnknownRatherThanWrong() throws IOException, InterruptedException {
    Files.writeString(repo.resolve(".gitattributes"), "*.md text eol=crlf\n");
    git(repo, "add", ".gitattributes");
    git(repo, "commit", "-q", "-m", "attributes");
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.UNKNOWN);
  }

  @Test
  void mergeConflictIsDirty() throws IOException, InterruptedException {
    git(repo, "checkout", "-q", "-b", "other");
    Files.writeString(repo.resolve("README.md"), "other\n");
    git(repo, "commit", "-q", "-am", "other");
    git(repo, "checkout", "-q", "main");
    Files.writeString(repo.resolve("README.md"), "main\n");
    git(repo, "commit", "-q", "-am", "main");
    assertThat(run(repo, "merge", "other").getKey()).as("the merge conflicts").isNotZero();
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.DIRTY);
  }

  @Test
  void executableBitChangeIsDirty() throws IOException {
    Path f = repo.resolve("src/Train.java");
    Assumptions.assumeTrue(f.getFileSystem().supportedFileAttributeViews().contains("posix"),
        "the file system has no executable bit");
    Files.setPosixFilePermissions(f, java.nio.file.attribute.PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThat(detect(repo).dirty()).isEqualTo(Dirty.DIRTY);
  }

  @Test
  void corruptIndexGivesUnknownButKeepsTheCommit() throws IOException, InterruptedException {
    Path index = repo.resolve(".git/index");
    byte[] bytes = Files.readAllBytes(index);
    Files.write(index, java.util.Arrays.copyOf(bytes, 40));
    CodeVersion cv = detect(repo);
    assertThat(cv.commit()).isEqualTo(git(repo, "rev-parse", "HEAD"));
    assertThat(cv.dirty()).isEqualTo(Dirty.UNKNOWN);
  }
}
