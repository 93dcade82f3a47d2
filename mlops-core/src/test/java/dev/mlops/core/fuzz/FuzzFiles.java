package dev.mlops.core.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** A scratch directory for targets whose parser reads a file, one per JVM, under target/. */
final class FuzzFiles {
  private static final Path DIR = create();

  private FuzzFiles() {}

  private static Path create() {
    try {
      Path parent = Files.createDirectories(Path.of("target", "fuzz-scratch"));
      Path dir = Files.createTempDirectory(parent, "run-");
      dir.toFile().deleteOnExit();
      return dir;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** A path in the scratch directory; each target uses its own name and overwrites it per input. */
  static Path file(String name) {
    Path p = DIR.resolve(name);
    p.toFile().deleteOnExit();
    return p;
  }
}
