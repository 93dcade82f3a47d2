package dev.mlops.core.manifest;

import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.Digests;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.jspecify.annotations.Nullable;

/** File-level helpers of manifests: safe relative paths, streamed digests, directory listings. */
final class ArtifactFiles {
  private static final int BUFFER = 1 << 16;

  private ArtifactFiles() {}

  /** SHA-256 and size of a file. */
  record FileDigest(String sha256, long size) {}

  /**
   * Why a manifest path is unsafe, or null when it is a plain relative path: no absolute paths, no
   * drive letters, no backslashes, no empty, {@code .} or {@code ..} segments.
   */
  static @Nullable String unsafeReason(String path) {
    if (path.startsWith("/") || path.matches("^[A-Za-z]:.*")) {
      return "is absolute; artifact paths are relative to the model directory";
    }
    if (path.indexOf('\\') >= 0) {
      return "contains a backslash; use '/' as the separator";
    }
    for (String segment : path.split("/", -1)) {
      if (segment.equals("..")) {
        return "has a '..' segment and could escape the model directory";
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return "is not normalized (empty or '.' segment); write it as a plain relative path";
      }
    }
    return null;
  }

  /**
   * A relative path resolved in a directory, with symbolic links followed, required to stay inside it.
   *
   * @throws IllegalArgumentException when the file does not exist, is not a regular file or resolves
   *     outside the directory
   */
  static Path resolveInside(Path dir, String relativePath) {
    Path file = dir.resolve(relativePath);
    if (!Files.exists(file)) {
      throw new IllegalArgumentException("artifact '" + relativePath + "' does not exist in " + dir);
    }
    String outside = escapesThroughLink(dir, file);
    if (outside != null) {
      throw new IllegalArgumentException("artifact '" + relativePath + "' " + outside);
    }
    if (!Files.isRegularFile(file)) {
      throw new IllegalArgumentException("artifact '" + relativePath + "' in " + dir + " is not a regular file");
    }
    return file;
  }

  /** A description when the real location of an existing file lies outside the real directory, else null. */
  static @Nullable String escapesThroughLink(Path dir, Path file) {
    try {
      Path realDir = dir.toRealPath();
      Path real = file.toRealPath();
      return real.startsWith(realDir) ? null
          : "resolves through a symbolic link to " + real + ", outside the model directory " + realDir;
    } catch (IOException e) {
      throw new MlopsException("Cannot resolve " + file + " (" + e + "); check the file's permissions", e);
    }
  }

  /** Streams a file through SHA-256. */
  static FileDigest digest(Path file) {
    MessageDigest md = Digests.sha256();
    long size = 0;
    byte[] buf = new byte[BUFFER];
    try (InputStream in = Files.newInputStream(file)) {
      int n;
      while ((n = in.read(buf)) > 0) {
        md.update(buf, 0, n);
        size += n;
      }
    } catch (IOException e) {
      throw new MlopsException("Cannot read " + file + " to compute its digest (" + e
          + "); check that it exists and is readable", e);
    }
    return new FileDigest(HexFormat.of().formatHex(md.digest()), size);
  }

  /**
   * Relative paths ({@code /}-separated, sorted) of every non-directory entry under a directory;
   * symbolic links are listed, not followed.
   */
  static List<String> list(Path dir) {
    List<String> out = new ArrayList<>();
    // Walk the real directory: a model directory reached through a symlink (models/current -> v3) is
    // common, and Files.walk on the link itself would list only the link. Links inside stay unfollowed.
    try (Stream<Path> walk = Files.walk(dir.toRealPath())) {
      Path root = dir.toRealPath();
      walk.filter(p -> !Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS))
          .forEach(p -> out.add(relative(root, p)));
    } catch (IOException | java.io.UncheckedIOException e) {
      throw new MlopsException("Cannot list the model directory " + dir + " (" + e
          + "); check that it exists and is readable", e);
    }
    out.sort(null);
    return out;
  }

  static String relative(Path dir, Path file) {
    Path rel = dir.relativize(file);
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }
}
