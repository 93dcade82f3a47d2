package dev.mlops.benchmarks.monitoring;

import dev.mlops.core.Batch;
import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.DatasetProfile;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.apache.datasketches.frequencies.ItemsSketch;
import org.apache.datasketches.hll.HllSketch;
import org.apache.datasketches.hll.TgtHllType;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Profiling throughput in values per second, for one numeric and one string column of {@link #N}
 * values, side by side with the bare DataSketches update loop over the same values and the same
 * sketches the profile maintains (numeric: KLL k=200 + HLL lgK=12; string: frequent items map 1024 +
 * HLL lgK=12). The profile also counts nulls, NaN and infinities, tracks min/max and exact moments,
 * and reads the values out of an Arrow batch. Target: the profile costs at most 1.5x the bare loop.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class ProfilingBenchmark {
  /** Values per invocation. */
  public static final int N = 1_000_000;

  /** Column type. */
  @Param({"numeric", "string"})
  public String column;

  private RootAllocator allocator;
  private Batch batch;
  private double[] doubles;
  private String[] strings;

  /** Builds the values and the Arrow batch holding them. */
  @Setup(Level.Trial)
  public void setUp() {
    Random r = new Random(42);
    allocator = new RootAllocator();
    boolean numeric = column.equals("numeric");
    Schema schema = Schema.of(Field.of("v", numeric ? DataType.FLOAT64 : DataType.STRING));
    doubles = new double[N];
    strings = new String[N];
    try (BatchBuilder b = Batch.builder(allocator, schema)) {
      for (int i = 0; i < N; i++) {
        if (numeric) {
          doubles[i] = Math.exp(r.nextGaussian()) * 1000;
          b.addRow(dev.mlops.core.Row.of(schema, doubles[i]));
        } else {
          // Zipf-like: a few hot categories and a long tail of 5000.
          int k = (int) Math.min(4999, Math.floor(Math.exp(r.nextDouble() * Math.log(5000))));
          strings[i] = "category-" + k;
          b.addRow(dev.mlops.core.Row.of(schema, strings[i]));
        }
      }
      batch = b.build();
    }
  }

  /** Frees the batch. */
  @TearDown(Level.Trial)
  public void tearDown() {
    batch.close();
    allocator.close();
  }

  /**
   * mlops-monitoring: profile the Arrow batch.
   *
   * @return the profile
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public DatasetProfile profile() {
    return DatasetProfile.of(batch);
  }

  /**
   * Peer: the bare DataSketches update loop over the same values.
   *
   * @return a value derived from the sketches
   */
  @Benchmark
  @OperationsPerInvocation(N)
  public double bareSketches() {
    HllSketch hll = new HllSketch(12, TgtHllType.HLL_8);
    if (column.equals("numeric")) {
      KllDoublesSketch kll = KllDoublesSketch.newHeapInstance(200);
      for (double v : doubles) {
        kll.update(v);
        hll.update(v);
      }
      return kll.getN() + hll.getEstimate();
    }
    ItemsSketch<String> items = new ItemsSketch<>(1024);
    for (String s : strings) {
      items.update(s);
      hll.update(s);
    }
    return items.getStreamLength() + hll.getEstimate();
  }
}
