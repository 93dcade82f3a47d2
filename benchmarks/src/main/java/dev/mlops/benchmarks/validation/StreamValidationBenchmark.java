package dev.mlops.benchmarks.validation;

import dev.mlops.benchmarks.core.CsvReadBenchmark;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.Validator;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
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
 * A batch job's pass over a 1 GB CSV file: one session validates every batch (range, not-null and
 * allowed-value rules, a mean bound, a row count) and profiles them in the same pass (the session's
 * column statistics are the profile's, {@code profileWith}), versus bare
 * reading of the same file into the same batches. Reports seconds per pass (MB/s = file size /
 * time) and, at the end of the fork, the peak resident set ({@code VmHWM}); target under 512 MB.
 *
 * <p>Data: about 16 million rows of 8 columns (int64 id, 4 float64, a 10-value category, a boolean, a
 * short code), fixed seed, written once per fork to a temp file. The heap is capped at 384 MiB so
 * the JVM does not grow past what the work needs. No {@code unique} rule: an exact one over 16 million
 * ids keeps about 27 bytes per id (430 MB, {@link UniqueBenchmark}), more than the RSS target alone.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 3)
@Fork(value = 1, jvmArgsAppend = {"-Xmx384m", "-XX:MaxDirectMemorySize=256m"})
public class StreamValidationBenchmark {
  static final long TARGET_BYTES = 1_000_000_000L;
  static final String[] CATEGORIES = CsvReadBenchmark.CATEGORIES;

  private Path file;
  private CsvOptions options;
  private Validator validator;
  private BufferAllocator allocator;

  /**
   * Writes the file.
   *
   * @throws IOException when the temp file cannot be written
   */
  @Setup(Level.Trial)
  public void setUp() throws IOException {
    file = Files.createTempFile("mlops-stream-bench", ".csv");
    SplittableRandom rnd = new SplittableRandom(3);
    try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      w.write("id,amount,duration,rate,score,purpose,approved,code\n");
      long written = 0;
      StringBuilder sb = new StringBuilder(128);
      for (long i = 0; written < TARGET_BYTES; i++) {
        sb.setLength(0);
        sb.append(i).append(',').append(rnd.nextInt(2_000_000) / 100.0).append(',').append(rnd.nextInt(72))
            .append(',').append(rnd.nextInt(1_000_000) / 1e6).append(',').append(rnd.nextInt(20_000) / 1e4 - 1)
            .append(',').append(CATEGORIES[rnd.nextInt(CATEGORIES.length)]).append(',')
            .append(rnd.nextBoolean()).append(",C").append(rnd.nextInt(1000)).append('\n');
        w.append(sb);
        written += sb.length();
      }
    }
    Schema schema = Schema.of(Field.of("id", DataType.INT64), Field.of("amount", DataType.FLOAT64),
        Field.of("duration", DataType.FLOAT64), Field.of("rate", DataType.FLOAT64),
        Field.of("score", DataType.FLOAT64), Field.of("purpose", DataType.STRING),
        Field.of("approved", DataType.BOOLEAN), Field.of("code", DataType.STRING));
    DataContract contract = DataContract.of("stream", schema, List.of(
        Constraint.range("amount", 0.0, 20_000.0), Constraint.notNull("amount"),
        Constraint.range("duration", 0.0, 72.0), Constraint.range("rate", 0.0, 1.0),
        Constraint.range("score", -1.0, 1.0),
        Constraint.allowedValues("purpose", CATEGORIES),
        new Constraint.Mean("amount", 9_000.0, 11_000.0, Severity.ERROR),
        new Constraint.RowCount(1L, null, Severity.ERROR)));
    validator = Validator.compile(contract);
    options = CsvOptions.builder().schema(contract.readSchema()).build();
    allocator = new RootAllocator();
    System.out.printf("%nfile size: %.1f MB%n", Files.size(file) / 1e6);
  }

  /**
   * Prints the peak RSS, removes the file and checks nothing leaked.
   *
   * @throws IOException when the temp file cannot be deleted
   */
  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
      if (line.startsWith("VmHWM") || line.startsWith("VmRSS")) {
        System.out.println(line.replaceAll("\\s+", " "));
      }
    }
    CsvReadBenchmark.closeAndDelete(allocator, file);
  }

  /**
   * Baseline: the file read into batches, nothing else.
   *
   * @return rows read
   */
  @Benchmark
  public long bareRead() {
    try (CsvReader reader = CsvReader.open(file, options, allocator)) {
      return CsvReadBenchmark.drain(reader);
    }
  }

  /**
   * The batch job: every batch validated and profiled by one profiling session, in one pass.
   *
   * @return the report's row count plus the profile's
   */
  @Benchmark
  public long validateAndProfile() {
    ValidationSession session = validator.newSession(options.schema()).profileWith(ProfileOptions.defaults());
    try (CsvReader reader = CsvReader.open(file, options, allocator)) {
      Batch b;
      while ((b = reader.nextBatch()) != null) {
        try (Batch batch = b) {
          session.accumulate(batch);
        }
      }
    }
    ValidationReport report = session.report();
    if (!report.passed()) {
      throw new IllegalStateException(report.toText());
    }
    DatasetProfile profile = DatasetProfile.of(session.statistics());
    return report.rowCount() + profile.rowCount();
  }
}
