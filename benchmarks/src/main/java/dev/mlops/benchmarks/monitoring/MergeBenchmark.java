package dev.mlops.benchmarks.monitoring;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.Profiler;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Merging 1000 profiles of 50 columns (40 float64, 10 string), each built from 500 rows: in one pass
 * ({@link DatasetProfile#mergeAll}) and pairwise ({@link DatasetProfile#merge}, left fold).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class MergeBenchmark {
  private static final int PROFILES = 1000;
  private static final int NUMERIC = 40;
  private static final int STRINGS = 10;
  private static final int ROWS = 500;
  private List<DatasetProfile> profiles;

  /** Builds the profiles. */
  @Setup
  public void setUp() {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < NUMERIC; i++) {
      fields.add(Field.of("n" + i, DataType.FLOAT64));
    }
    for (int i = 0; i < STRINGS; i++) {
      fields.add(Field.of("s" + i, DataType.STRING));
    }
    Schema schema = Schema.of(fields);
    Random r = new Random(3);
    profiles = new ArrayList<>(PROFILES);
    Object[] vals = new Object[schema.size()];
    for (int p = 0; p < PROFILES; p++) {
      Profiler profiler = Profiler.create(schema);
      for (int k = 0; k < ROWS; k++) {
        for (int i = 0; i < NUMERIC; i++) {
          vals[i] = r.nextGaussian() * (i + 1);
        }
        for (int i = 0; i < STRINGS; i++) {
          vals[NUMERIC + i] = "v" + r.nextInt(20 * (i + 1));
        }
        profiler.record(Row.of(schema, vals));
      }
      profiles.add(profiler.snapshot());
    }
  }

  /**
   * One-pass merge of all profiles.
   *
   * @return the merged profile
   */
  @Benchmark
  public DatasetProfile mergeAll() {
    return DatasetProfile.mergeAll(profiles);
  }

  /**
   * Pairwise left fold.
   *
   * @return the merged profile
   */
  @Benchmark
  public DatasetProfile pairwise() {
    DatasetProfile acc = profiles.get(0);
    for (int i = 1; i < profiles.size(); i++) {
      acc = acc.merge(profiles.get(i));
    }
    return acc;
  }
}
