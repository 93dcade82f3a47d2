package dev.mlops.monitoring;

import dev.mlops.core.Batch;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.ArrowIpcReader;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Profiles of CSV and Arrow IPC files, read batch by batch so a file of any size is profiled in the
 * memory of one batch. Reading and parsing errors are the readers' {@link dev.mlops.core.DataFormatException}s,
 * naming file, line and column.
 */
public final class ProfileFiles {
  private ProfileFiles() {}

  /**
   * Profiles a CSV file with default sketch sizes, using a private allocator.
   *
   * @param path the file
   * @param options how to read it (schema or inference, null tokens, bad-line policy)
   * @return the profile of every row read (skipped bad lines are not in it)
   */
  public static DatasetProfile ofCsv(Path path, CsvOptions options) {
    try (RootAllocator allocator = new RootAllocator()) {
      return ofCsv(path, options, ProfileOptions.defaults(), allocator);
    }
  }

  /**
   * Profiles a CSV file.
   *
   * @param path the file
   * @param options how to read it
   * @param profileOptions sketch sizes
   * @param allocator where each batch's memory comes from (freed before returning)
   * @return the profile
   */
  public static DatasetProfile ofCsv(Path path, CsvOptions options, ProfileOptions profileOptions,
      BufferAllocator allocator) {
    try (CsvReader reader = CsvReader.open(path, options, allocator)) {
      return profile(reader.schema(), profileOptions, reader::nextBatch);
    }
  }

  /**
   * Profiles an Arrow IPC file with default sketch sizes, using a private allocator.
   *
   * @param path the file
   * @return the profile
   */
  public static DatasetProfile ofArrowFile(Path path) {
    try (RootAllocator allocator = new RootAllocator()) {
      return ofArrowFile(path, ProfileOptions.defaults(), allocator);
    }
  }

  /**
   * Profiles an Arrow IPC file.
   *
   * @param path the file
   * @param profileOptions sketch sizes
   * @param allocator where each batch's memory comes from (freed before returning)
   * @return the profile
   */
  public static DatasetProfile ofArrowFile(Path path, ProfileOptions profileOptions, BufferAllocator allocator) {
    try (ArrowIpcReader reader = ArrowIpc.openFile(path, allocator)) {
      return profile(reader.schema(), profileOptions, reader::nextBatch);
    }
  }

  /** A source of owning batches; null at the end. */
  private interface Batches {
    @Nullable Batch next();
  }

  private static DatasetProfile profile(Schema schema, ProfileOptions options, Batches batches) {
    DatasetAccumulator acc = new DatasetAccumulator(schema, options);
    for (Batch b = batches.next(); b != null; b = batches.next()) {
      try (Batch batch = b) {
        acc.add(batch);
      }
    }
    return acc.snapshot();
  }
}
