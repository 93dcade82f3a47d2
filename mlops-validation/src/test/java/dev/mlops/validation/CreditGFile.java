package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;

/** Reads {@code data/credit-g.csv} with the core CSV reader and its type inference. */
final class CreditGFile {
  static final Path FILE = Path.of("../data/credit-g.csv");

  private CreditGFile() {}

  static Batch load(BufferAllocator allocator) {
    return CsvReader.readAll(FILE, CsvOptions.defaults(), allocator);
  }
}
