package dev.mlops.core.manifest;

import java.io.IOException;
import java.nio.file.Path;
import org.eclipse.jgit.api.Git;
import org.eclipse.jgit.api.Status;
import org.eclipse.jgit.api.errors.GitAPIException;
import org.eclipse.jgit.lib.Constants;
import org.eclipse.jgit.lib.ObjectId;
import org.eclipse.jgit.lib.Repository;
import org.eclipse.jgit.storage.file.FileRepositoryBuilder;

/**
 * Whether a working tree has uncommitted changes, asked of JGit's {@code status}: the only class that
 * touches JGit, loaded only when {@link GitDirtiness} found JGit on the class path.
 */
final class JGitDirtyCheck implements GitDirtiness.Check {
  @Override
  public CodeVersion.Dirty state(Path workTree, Path gitDir, String commit) throws IOException {
    try (Repository repo = new FileRepositoryBuilder()
            .setGitDir(gitDir.toFile())
            .setWorkTree(workTree.toFile())
            .setMustExist(true)
            .build();
        Git git = Git.wrap(repo)) {
      ObjectId head = repo.resolve(Constants.HEAD);
      if (head == null || !head.name().equals(commit)) {
        return CodeVersion.Dirty.UNKNOWN; // HEAD moved between the two reads, or JGit sees another commit
      }
      Status status = git.status().call();
      // As `git describe --dirty`: changes to tracked files count, untracked files do not.
      return status.hasUncommittedChanges() ? CodeVersion.Dirty.DIRTY : CodeVersion.Dirty.CLEAN;
    } catch (GitAPIException e) {
      throw new IOException("git status failed: " + e.getMessage(), e);
    }
  }
}
