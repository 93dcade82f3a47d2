package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.manifest.CodeVersion.Dirty;
import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.revwalk.RevCommit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The working tree state of real repositories built with JGit, and what is recorded without JGit. */
class GitDirtinessTest {
  @TempDir Path root;
  private Path repo;
  private Git git;
  private RevCommit first;

  @BeforeEach
  void cleanRepositoryWithOneCommit() throws IOException, GitAPIException {
    repo = Files.createDirectories(root.resolve("repo"));
    git = Git.init().setDirectory(repo.toFile()).setInitialBranch("main").call();
    Files.createDirectories(repo.resolve("src"));
    Files.writeString(repo.resolve("src/train.py"), "print('train')\n", StandardCharsets.UTF_8);
    Files.writeString(repo.resolve("README"), "model\n", StandardCharsets.UTF_8);
    first = commitAll("first");
  }

  @AfterEach
  void close() {
    git.close();
  }

  private RevCommit commitAll(String message) throws GitAPIException {
    git.add().addFilepattern(".").call();
    return git.commit().setMessage(message).setAuthor("Test", "test@example.org")
        .setCommitter("Test", "test@example.org").setSign(false).call();
  }

  private Optional<CodeVersion> detect() {
    return CodeVersion.detect(repo);
  }

  @Test
  void cleanCheckoutIsClean() {
    assertThat(detect()).contains(new CodeVersion(first.name(), "refs/heads/main", Dirty.CLEAN));
    assertThat(CodeVersion.detect(repo.resolve("src")).map(CodeVersion::dirty)).contains(Dirty.CLEAN);
  }

  @Test
  void modifiedTrackedFileIsDirty() throws IOException {
    Files.writeString(repo.resolve("src/train.py"), "print('train harder')\n", StandardCharsets.UTF_8);
    assertThat(detect().map(CodeVersion::dirty)).contains(Dirty.DIRTY);
  }

  @Test
  void deletedTrackedFileIsDirty() throws IOException {
    Files.delete(repo.resolve("README"));
    assertThat(detect().map(CodeVersion::dirty)).contains(Dirty.DIRTY);
  }

  @Test
  void stagedChangeIsDirty() throws IOException, GitAPIException {
    Files.writeString(repo.resolve("README"), "model, staged\n", StandardCharsets.UTF_8);
    git.add().addFilepattern("README").call();
    assertThat(detect().map(CodeVersion::dirty)).contains(Dirty.DIRTY);
  }

  @Test
  void untrackedFilesDoNotCount() throws IOException {
    Files.writeString(repo.resolve("notes.txt"), "scratch\n", StandardCharsets.UTF_8);
    assertThat(detect().map(CodeVersion::dirty)).contains(Dirty.CLEAN);
  }

  @Test
  void detachedHeadHasNoRef() throws IOException, GitAPIException {
    Files.writeString(repo.resolve("README"), "second\n", StandardCharsets.UTF_8);
    RevCommit second = commitAll("second");
    git.checkout().setName(first.name()).call();
    assertThat(detect()).contains(new CodeVersion(first.name(), null, Dirty.CLEAN));
    assertThat(second.name()).isNotEqualTo(first.name());
  }

  @Test
  void packedRefsAndPackedObjectsAreRead() throws GitAPIException, IOException {
    git.gc().setAggressive(false).call();
    assertThat(repo.resolve(".git/packed-refs")).exists();
    assertThat(repo.resolve(".git/refs/heads/main")).doesNotExist();
    assertThat(detect()).contains(new CodeVersion(first.name(), "refs/heads/main", Dirty.CLEAN));
    Files.writeString(repo.resolve("README"), "changed after gc\n", StandardCharsets.UTF_8);
    assertThat(detect().map(CodeVersion::dirty)).contains(Dirty.DIRTY);
  }

  @Test
  void noRepositoryGivesNoCodeVersion() throws IOException {
    Path plain = Files.createDirectories(root.resolve("plain"));
    // the temporary directory may itself sit inside a checkout; only assert when it does not
    if (CodeVersion.detect(root).isEmpty()) {
      assertThat(CodeVersion.detect(plain)).isEmpty();
    }
  }

  @Test
  void withoutJGitTheStateIsUnknownButTheCommitIsStillRead() throws IOException {
    Files.writeString(repo.resolve("README"), "dirty, but nobody can tell\n", StandardCharsets.UTF_8);
    ClassLoader hiding = new HidingJGit(getClass().getClassLoader());
    assertThat(GitDirtiness.jgitPresent(getClass().getClassLoader())).isTrue();
    assertThat(GitDirtiness.jgitPresent(hiding)).isFalse();
    assertThat(GitDirtiness.forClassLoader(hiding)).isSameAs(GitDirtiness.WITHOUT_JGIT);
    assertThat(GitHead.detect(repo, GitDirtiness.forClassLoader(hiding)))
        .contains(new CodeVersion(first.name(), "refs/heads/main", Dirty.UNKNOWN));
  }

  @Test
  void theLibraryLoadsAndDetectsWithJGitHiddenFromItsClassLoader() throws Exception {
    // The manifest package loaded afresh by a loader that cannot see org.eclipse.jgit: no linkage error,
    // the commit is read by hand and the state recorded as unknown.
    try (IsolatingManifestPackage loader = new IsolatingManifestPackage(getClass().getClassLoader())) {
      Class<?> codeVersion = loader.loadClass(CodeVersion.class.getName());
      assertThat(codeVersion).isNotSameAs(CodeVersion.class);
      Method detect = codeVersion.getMethod("detect", Path.class);
      Optional<?> found = (Optional<?>) detect.invoke(null, repo);
      assertThat(found).isPresent();
      Object cv = found.get();
      assertThat(codeVersion.getMethod("commit").invoke(cv)).isEqualTo(first.name());
      assertThat(codeVersion.getMethod("dirty").invoke(cv).toString()).isEqualTo("UNKNOWN");
    }
  }

  /** Delegates to its parent but refuses every class of org.eclipse.jgit. */
  private static class HidingJGit extends ClassLoader {
    HidingJGit(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (name.startsWith("org.eclipse.jgit.")) {
        throw new ClassNotFoundException(name + " is hidden by the test");
      }
      return super.loadClass(name, resolve);
    }
  }

  /** Defines the classes of dev.mlops.core.manifest itself (from the same class files), hiding JGit. */
  private static final class IsolatingManifestPackage extends HidingJGit implements AutoCloseable {
    private static final String PACKAGE = CodeVersion.class.getPackageName() + ".";

    IsolatingManifestPackage(ClassLoader parent) {
      super(parent);
    }

    @Override
    protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
      if (!name.startsWith(PACKAGE)) {
        return super.loadClass(name, resolve);
      }
      synchronized (getClassLoadingLock(name)) {
        Class<?> c = findLoadedClass(name);
        if (c == null) {
          String file = name.replace('.', '/') + ".class";
          try (InputStream in = getParent().getResourceAsStream(file)) {
            if (in == null) {
              throw new ClassNotFoundException(name);
            }
            byte[] bytes = in.readAllBytes();
            c = defineClass(name, bytes, 0, bytes.length);
          } catch (IOException e) {
            throw new ClassNotFoundException(name, e);
          }
        }
        if (resolve) {
          resolveClass(c);
        }
        return c;
      }
    }

    @Override
    public void close() {
      // nothing to release; AutoCloseable scopes the loader's use in the test
    }
  }
}
