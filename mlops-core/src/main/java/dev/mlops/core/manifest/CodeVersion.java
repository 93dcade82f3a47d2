package dev.mlops.core.manifest;

import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * The source code a model was trained from: the git commit when known, the branch it was on, and
 * whether the working tree had uncommitted changes.
 *
 * @param commit the full commit id (40 or 64 lower-case hex characters), or null when unknown
 * @param ref the symbolic ref checked out ({@code refs/heads/main}), or null when detached or unknown
 * @param dirty whether the working tree differed from the commit: clean, dirty, or unknown (JGit absent,
 *     or the state could not be told)
 */
public record CodeVersion(@Nullable String commit, @Nullable String ref, Dirty dirty) {
  private static final Pattern COMMIT = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");

  /** Whether the working tree matched the commit. */
  public enum Dirty {
    /** No uncommitted changes. */
    CLEAN,
    /** Uncommitted changes: the commit alone does not reproduce the model. */
    DIRTY,
    /** Not determined. */
    UNKNOWN
  }

  /**
   * Validates the components.
   *
   * @param commit the commit id or null
   * @param ref the ref or null
   * @param dirty the working tree state
   * @throws IllegalArgumentException when the commit is not a full hex object id
   */
  public CodeVersion {
    Objects.requireNonNull(dirty, "dirty");
    if (commit != null && !COMMIT.matcher(commit).matches()) {
      throw new IllegalArgumentException("git commit must be a full object id of 40 (SHA-1) or 64 (SHA-256)"
          + " lower-case hex characters, got '" + commit + "'");
    }
    if (ref != null && ref.isEmpty()) {
      throw new IllegalArgumentException("git ref must be null or non-empty, got ''");
    }
  }

  /**
   * A known commit and working tree state, e.g. from a build tool.
   *
   * @param commit the full commit id
   * @param dirty whether the working tree had uncommitted changes
   * @return the code version
   */
  public static CodeVersion of(String commit, boolean dirty) {
    return new CodeVersion(commit, null, dirty ? Dirty.DIRTY : Dirty.CLEAN);
  }

  /**
   * The code version of a model trained outside version control, or where it was not recorded.
   *
   * @return no commit, no ref, unknown state
   */
  public static CodeVersion unknown() {
    return new CodeVersion(null, null, Dirty.UNKNOWN);
  }

  /**
   * Reads the checked-out commit of the git repository containing a directory, without running a
   * {@code git} process: finds {@code .git} in the directory or its parents (a directory, or a file
   * {@code gitdir: ...} as in worktrees and submodules), then follows {@code HEAD} to a loose ref or an
   * entry of {@code packed-refs}. The working tree state is asked of JGit's {@code status} when JGit
   * ({@code org.eclipse.jgit:org.eclipse.jgit}, an optional dependency of mlops-core) is on the class
   * path, and tells what {@code git describe --dirty} would: {@link Dirty#DIRTY} when a tracked file was
   * changed, deleted, staged or is in conflict, {@link Dirty#CLEAN} otherwise (untracked files do not
   * count). Without JGit, or when JGit cannot read the repository, it is {@link Dirty#UNKNOWN}. Cost
   * with JGit: one {@code stat} per tracked file, plus hashing the files whose timestamps changed since
   * git last looked.
   *
   * @param workingDir a directory inside the checkout
   * @return the code version, or empty when the directory is not in a git checkout, the branch has no
   *     commit yet, or the repository files cannot be read (logged as a warning)
   */
  public static Optional<CodeVersion> detect(Path workingDir) {
    return GitHead.detect(workingDir);
  }
}
