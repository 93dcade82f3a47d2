package dev.mlops.core.manifest;

import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells clean from dirty with JGit when it is on the class path (mlops-core declares it optional),
 * and answers {@link CodeVersion.Dirty#UNKNOWN} when it is not: reading git's index, packs and zlib
 * streams correctly is JGit's job, not this library's.
 */
final class GitDirtiness {
  private static final Logger LOG = LoggerFactory.getLogger(GitDirtiness.class);
  private static final String JGIT_PROBE = "org.eclipse.jgit.api.Git";

  /** The working tree state of a checkout at a commit. */
  interface Check {
    /**
     * The state.
     *
     * @param workTree the checkout's top directory
     * @param gitDir its git directory ({@code .git}, or a worktree's directory under it)
     * @param commit the commit HEAD was read to name
     * @return the state
     * @throws Exception when the repository cannot be read; the caller records unknown
     */
    CodeVersion.Dirty state(Path workTree, Path gitDir, String commit) throws Exception;
  }

  /** The answer without JGit. */
  static final Check WITHOUT_JGIT = (workTree, gitDir, commit) -> CodeVersion.Dirty.UNKNOWN;

  private static final Check DEFAULT = forClassLoader(GitDirtiness.class.getClassLoader());

  private GitDirtiness() {}

  /** The check for this library's class loader, decided once. */
  static Check defaultCheck() {
    return DEFAULT;
  }

  /**
   * The check for the classes a loader sees: JGit's status when it can load JGit, else
   * {@link #WITHOUT_JGIT}.
   */
  static Check forClassLoader(@Nullable ClassLoader loader) {
    if (jgitPresent(loader)) {
      return new JGitDirtyCheck();
    }
    LOG.debug("JGit ({}) is not on the class path: manifests record the git working tree state as unknown."
        + " Add the dependency org.eclipse.jgit:org.eclipse.jgit to record clean or dirty.", JGIT_PROBE);
    return WITHOUT_JGIT;
  }

  static boolean jgitPresent(@Nullable ClassLoader loader) {
    try {
      Class.forName(JGIT_PROBE, false, loader);
      return true;
    } catch (ClassNotFoundException | LinkageError e) {
      return false;
    }
  }
}
