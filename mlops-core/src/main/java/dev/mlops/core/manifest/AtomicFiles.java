package dev.mlops.core.manifest;

import dev.mlops.core.MlopsException;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.UUID;

/** Writes small text files through a temporary file in the same directory and an atomic move. */
final class AtomicFiles {
  private AtomicFiles() {}

  static Path write(Path dir, String fileName, String text) {
    Path target = dir.resolve(fileName);
    Path tmp = null;
    try {
      Files.createDirectories(dir);
      // not Files.createTempFile: it makes the file owner-only, and a manifest must be as readable as the model
      tmp = dir.resolve("." + fileName + "." + UUID.randomUUID() + ".tmp");
      Files.writeString(tmp, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      try {
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
      }
      return target;
    } catch (IOException e) {
      throw new MlopsException("Cannot write " + target + " (" + e + "); check that the directory is writable"
          + " and the disk not full", e);
    } finally {
      if (tmp != null) {
        try {
          Files.deleteIfExists(tmp);
        } catch (IOException ignored) {
          // the temporary file is hidden and harmless; the outcome is already decided above
        }
      }
    }
  }
}
