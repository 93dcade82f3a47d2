package dev.mlops.benchmarks.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.Validator;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Exact {@code unique} over 10 million distinct int64 keys fed to one session in batches of 8,192:
 * nanoseconds per key, and the heap the session keeps per key (measured after a full GC at the end of
 * each iteration, printed as {@code retained bytes per key}). Keys are a bijective mix of 0..10^7-1,
 * so they are distinct and spread over the table as real ids are.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2)
@Measurement(iterations = 5)
@Fork(value = 1, jvmArgsAppend = {"-Xmx3g"})
public class UniqueBenchmark {
  static final int KEYS = 10_000_000;
  static final int BATCH = 8192;

  private BufferAllocator allocator;
  private Batch[] batches;
  private Validator validator;
  private Schema schema;
  private ValidationSession last;

  /** Builds the batches of keys. */
  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    schema = Schema.of(Field.of("id", DataType.INT64));
    validator = Validator.compile(DataContract.of("keys", schema, Constraint.unique("id")));
    int n = (KEYS + BATCH - 1) / BATCH;
    batches = new Batch[n];
    for (int b = 0; b < n; b++) {
      int rows = Math.min(BATCH, KEYS - b * BATCH);
      VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator);
      BigIntVector v = (BigIntVector) root.getVector(0);
      v.allocateNew(rows);
      for (int i = 0; i < rows; i++) {
        v.set(i, mix(b * (long) BATCH + i));
      }
      v.setValueCount(rows);
      root.setRowCount(rows);
      batches[b] = Batch.adopt(root);
    }
  }

  /** A bijection on longs (an odd multiplier and xor-shifts), so distinct inputs give distinct keys. */
  static long mix(long z) {
    z = (z ^ (z >>> 32)) * 0xd6e8feb86659fd93L;
    return z ^ (z >>> 32);
  }

  /** Prints the heap the last session keeps per key, and drops it. */
  @TearDown(Level.Iteration)
  public void retained() {
    MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    System.gc();
    long with = memory.getHeapMemoryUsage().getUsed();
    ValidationReport r = last.report();
    if (r.results().get(0).failingCount() != 0 || r.rowCount() != KEYS) {
      throw new IllegalStateException("expected " + KEYS + " distinct keys: " + r.toText());
    }
    last = null;
    System.gc();
    long without = memory.getHeapMemoryUsage().getUsed();
    System.out.printf("%nretained bytes per key: %.1f%n", (with - without) / (double) KEYS);
  }

  /** Closes the batches. */
  @TearDown(Level.Trial)
  public void tearDown() {
    for (Batch b : batches) {
      b.close();
    }
    allocator.close();
  }

  /**
   * One session over all keys.
   *
   * @return the session
   */
  @Benchmark
  @OperationsPerInvocation(KEYS)
  public ValidationSession uniqueOverTenMillionKeys() {
    ValidationSession s = validator.newSession(schema);
    for (Batch b : batches) {
      s.accumulate(b);
    }
    last = s;
    return s;
  }
}
