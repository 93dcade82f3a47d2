package dev.mlops.core.internal;

import dev.mlops.core.MlopsException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ThreadLocalRandom;

/** Writes a file through a temporary sibling and an atomic rename, so no reader sees a partial file. */
public final class AtomicFiles {
  private AtomicFiles() {}

  /** Writes the content of a file to a stream. */
  @FunctionalInterface
  public interface Content {
    /**
     * Writes the bytes.
     *
     * @param out the temporary file's stream; do not close it
     * @throws IOException when writing fails
     */
    void writeTo(OutputStream out) throws IOException;
  }

  /**
   * Writes {@code target} atomically: the content goes to a temporary file in the same directory,
   * is forced to disk, and is then renamed over the target. On any failure the temporary file is
   * deleted and the target is left as it was.
   *
   * @param target the file to create or replace
   * @param what what is being written, for messages (e.g. "CSV")
   * @param content writes the bytes
   */
  public static void write(Path target, String what, Content content) {
    Path abs = target.toAbsolutePath();
    Path dir = abs.getParent();
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      tmp = createSibling(dir, abs.getFileName().toString());
      try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
        OutputStream out = Channels.newOutputStream(ch);
        content.writeTo(out);
        out.flush();
        ch.force(true);
      }
      Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      tmp = null;
    } catch (AtomicMoveNotSupportedException e) {
      throw new MlopsException("Cannot atomically replace " + target + " (" + e.getMessage()
          + "); write to a file system that supports atomic rename", e);
    } catch (IOException e) {
      throw new MlopsException("Cannot write " + what + " file " + target + ": " + e
          + "; check the directory exists, is writable and has space", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException suppressed) {
          // best effort: the original failure is the one to report
        }
      }
    }
  }

  /**
   * Writes a UTF-8 text file atomically.
   *
   * @param dir the directory, created when missing
   * @param fileName the file's name
   * @param what what is being written, for messages
   * @param text the content
   * @return the written file
   */
  public static Path writeString(Path dir, String fileName, String what, String text) {
    Path target = dir.resolve(fileName);
    write(target, what, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
    return target;
  }

  /**
   * Creates an empty hidden sibling. Unlike {@link Files#createTempFile}, which makes the file
   * owner-only, the new file gets the same default permissions as any file created in the directory.
   */
  private static Path createSibling(Path dir, String name) throws IOException {
    for (int attempt = 0; ; attempt++) {
      Path p = dir.resolve("." + name + "." + Long.toHexString(ThreadLocalRandom.current().nextLong()) + ".tmp");
      try {
        return Files.createFile(p);
      } catch (FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw e;
        }
      }
    }
  }
}
