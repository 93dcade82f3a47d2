package dev.mlops.core.manifest;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads HEAD of a git checkout from the files under {@code .git} (HEAD, loose refs, packed-refs,
 * worktree links); no git process, no object store. Whether the working tree is dirty is asked of
 * {@link GitDirtiness}.
 */
final class GitHead {
  private static final Logger LOG = LoggerFactory.getLogger(GitHead.class);
  private static final Pattern OBJECT_ID = Pattern.compile("[0-9a-f]{40}|[0-9a-f]{64}");
  private static final int MAX_SYMREF_DEPTH = 5;

  private GitHead() {}

  static Optional<CodeVersion> detect(Path workingDir) {
    return detect(workingDir, GitDirtiness.defaultCheck());
  }

  /** Detection with an explicit dirtiness check (tests pass one that behaves as if JGit were absent). */
  static Optional<CodeVersion> detect(Path workingDir, GitDirtiness.Check dirtiness) {
    Path start = workingDir.toAbsolutePath().normalize();
    for (Path dir = start; dir != null; dir = dir.getParent()) {
      Path dotGit = dir.resolve(".git");
      if (Files.isDirectory(dotGit) || Files.isRegularFile(dotGit)) {
        try {
          return read(dotGit, dirtiness);
        } catch (IOException | IllegalStateException e) {
          LOG.warn("Cannot read the git commit of {}: {}; the manifest records no commit. Repair the checkout"
              + " or pass CodeVersion.of(commit, dirty) explicitly.", dotGit, e.getMessage());
          return Optional.empty();
        }
      }
    }
    return Optional.empty();
  }

  private static Optional<CodeVersion> read(Path dotGit, GitDirtiness.Check dirtiness) throws IOException {
    Path gitDir = dotGit;
    if (Files.isRegularFile(dotGit)) {
      String text = readTrimmed(dotGit);
      if (!text.startsWith("gitdir:")) {
        throw new IllegalStateException(dotGit + " is a file but does not start with 'gitdir:'");
      }
      gitDir = dotGit.getParent().resolve(text.substring("gitdir:".length()).trim()).normalize();
      if (!Files.isDirectory(gitDir)) {
        throw new IllegalStateException(dotGit + " points at " + gitDir + ", which is not a directory");
      }
    }
    Path commonDir = gitDir;
    Path commonFile = gitDir.resolve("commondir");
    if (Files.isRegularFile(commonFile)) {
      commonDir = gitDir.resolve(readTrimmed(commonFile)).normalize();
    }
    String head = readTrimmed(gitDir.resolve("HEAD"));
    String ref = null;
    String value = head;
    for (int depth = 0; value.startsWith("ref:"); depth++) {
      if (depth == MAX_SYMREF_DEPTH) {
        throw new IllegalStateException("symbolic refs nest deeper than " + MAX_SYMREF_DEPTH + " from HEAD");
      }
      String name = value.substring("ref:".length()).trim();
      if (!name.startsWith("refs/") || name.contains("..") || name.contains("\\")) {
        throw new IllegalStateException("HEAD names an invalid ref '" + name + "'");
      }
      if (ref == null) {
        ref = name;
      }
      String resolved = lookup(gitDir, commonDir, name);
      if (resolved == null) {
        LOG.debug("Branch {} of {} has no commit yet", name, dotGit);
        return Optional.empty();
      }
      value = resolved;
    }
    if (!OBJECT_ID.matcher(value).matches()) {
      throw new IllegalStateException("expected a commit id, found '" + value + "'");
    }
    return Optional.of(new CodeVersion(value, ref, dirty(dotGit.getParent(), gitDir, value, dirtiness)));
  }

  private static CodeVersion.Dirty dirty(Path workTree, Path gitDir, String commit, GitDirtiness.Check dirtiness) {
    try {
      return dirtiness.state(workTree, gitDir, commit);
    } catch (Exception e) {
      LOG.debug("Cannot tell whether {} has uncommitted changes: {}", workTree, e.toString());
      return CodeVersion.Dirty.UNKNOWN;
    }
  }

  /** The content of a ref: a loose file in the worktree's or the common git directory, or packed-refs. */
  private static @Nullable String lookup(Path gitDir, Path commonDir, String name) throws IOException {
    for (Path base : List.of(gitDir, commonDir)) {
      Path loose = base.resolve(name);
      if (Files.isRegularFile(loose)) {
        return readTrimmed(loose);
      }
    }
    Path packed = commonDir.resolve("packed-refs");
    if (Files.isRegularFile(packed)) {
      for (String line : Files.readAllLines(packed, StandardCharsets.UTF_8)) {
        if (line.isEmpty() || line.startsWith("#") || line.startsWith("^")) {
          continue;
        }
        int space = line.indexOf(' ');
        if (space > 0 && line.substring(space + 1).trim().equals(name)) {
          return line.substring(0, space);
        }
      }
    }
    return null;
  }

  private static String readTrimmed(Path file) throws IOException {
    return Files.readString(file, StandardCharsets.UTF_8).trim();
  }
}
