package dev.mlops.benchmarks.core;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * CSV to Arrow {@link Batch} throughput versus a bare, well-tuned CSV parser (FastCSV
 * iterating {@code CsvRecord}s and touching every field), reading the same file from the page cache.
 * Target: the reader reaches at least 0.65x the bare parser's MB/s.
 *
 * <p>Data: 600,000 rows x 7 columns (int64 id, four float64 with up to 6 decimals, a categorical
 * string, a boolean), 31.8 MB, fixed seed, written once per trial to a temp file.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 3)
@Measurement(iterations = 5, time = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx2g"})
public class CsvReadBenchmark {
  static final int ROWS = 600_000;
  /** The categorical column's values (credit-g's purposes), shared with the validation benchmarks. */
  public static final String[] CATEGORIES = {"radio/tv", "education", "new car", "used car", "furniture/equipment",
      "business", "repairs", "domestic appliance", "retraining", "other"};

  private Path file;
  private Schema schema;
  private CsvOptions options;
  private BufferAllocator allocator;

  /**
   * Writes the file.
   *
   * @throws IOException when the temp file cannot be written
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("mlops-csv-bench", ".csv");
    SplittableRandom rnd = new SplittableRandom(7);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id,amount,duration,rate,score,purpose,approved\n");
      for (int i = 0; i < ROWS; i++) {
        w.write(Integer.toString(i));
        w.write(String.format(Locale.ROOT, ",%.2f,%.1f,%.6f,%.4f,", rnd.nextDouble() * 20000,
            (double) rnd.nextInt(72), rnd.nextDouble(), rnd.nextGaussian()));
        w.write(CATEGORIES[rnd.nextInt(CATEGORIES.length)]);
        w.write(rnd.nextBoolean() ? ",true\n" : ",false\n");
      }
    }
    schema = Schema.of(Field.of("id", DataType.INT64), Field.of("amount", DataType.FLOAT64),
        Field.of("duration", DataType.FLOAT64), Field.of("rate", DataType.FLOAT64),
        Field.of("score", DataType.FLOAT64), Field.of("purpose", DataType.STRING),
        Field.of("approved", DataType.BOOLEAN));
    options = CsvOptions.builder().schema(schema).build();
    allocator = new RootAllocator();
    System.out.printf("%nfile size: %.1f MB%n", Files.size(file) / 1e6);
  }

  /**
   * Removes the file and checks nothing leaked.
   *
   * @throws IOException when the file cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    closeAndDelete(allocator, file);
  }

  /**
   * Closes an allocator, deletes a file, and fails when the allocator still held memory.
   *
   * @param allocator the benchmark's allocator
   * @param file its temp file
   * @throws IOException when the file cannot be deleted
   */
  public static void closeAndDelete(BufferAllocator allocator, Path file) throws IOException {
    long leaked = allocator.getAllocatedMemory();
    allocator.close();
    Files.deleteIfExists(file);
    if (leaked != 0) {
      throw new IllegalStateException(leaked + " bytes of Arrow memory leaked");
    }
  }

  /**
   * The library: CSV to typed Arrow batches of 8192 rows, with a given schema.
   *
   * @return rows read
   */
  @Benchmark
  public long csvToBatches() {
    long rows = 0;
    try (CsvReader reader = CsvReader.open(file, options, allocator)) {
      rows = drain(reader);
    }
    return rows;
  }

  /**
   * The library with type inference from the first 1000 rows.
   *
   * @return rows read
   */
  @Benchmark
  public long csvToBatchesInferred() {
    long rows = 0;
    try (CsvReader reader = CsvReader.open(file, CsvOptions.defaults(), allocator)) {
      rows = drain(reader);
    }
    return rows;
  }

  /**
   * Reads every batch of a reader, closing each.
   *
   * @param reader the reader
   * @return rows read
   */
  public static long drain(CsvReader reader) {
    long rows = 0;
    while (true) {
      try (Batch b = reader.nextBatch()) {
        if (b == null) {
          return rows;
        }
        rows += b.rowCount();
      }
    }
  }

  /**
   * Baseline: bare FastCSV records, every field touched.
   *
   * @return a checksum of field lengths
   * @throws IOException when reading fails
   */
  @Benchmark
  public long bareFastCsv() throws IOException {
    long sum = 0;
    try (de.siegmar.fastcsv.reader.CsvReader<de.siegmar.fastcsv.reader.CsvRecord> r =
        de.siegmar.fastcsv.reader.CsvReader.builder().ofCsvRecord(file)) {
      for (de.siegmar.fastcsv.reader.CsvRecord rec : r) {
        for (int i = 0; i < rec.getFieldCount(); i++) {
          sum += rec.getField(i).length();
        }
      }
    }
    return sum;
  }
}
