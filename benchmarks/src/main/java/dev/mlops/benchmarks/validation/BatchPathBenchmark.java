package dev.mlops.benchmarks.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
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
 * The batch path, {@code Validator.validate(Batch)} over 10 million rows x 10 float64 columns with a
 * range and a not-null rule on every column (20 rules), versus a hand-written loop doing the same
 * checks over the same Arrow vectors (validity and value buffers read directly, column at a time),
 * and versus the row path ({@code validate(Row)}) over the first million of the same rows. Every
 * benchmark reports nanoseconds per row ({@link OperationsPerInvocation}). Targets: the library at
 * least 0.7x the hand-written loop's speed and at least 5x the row path's.
 *
 * <p>Data: uniform values in [-1000, 1000), one in 1,000 cells null (the not-null rule fails there,
 * as a real batch job would see), fixed seed; 800 MB of values off-heap.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 4)
@Measurement(iterations = 5, time = 4)
@Fork(value = 1, jvmArgsAppend = {"-Xmx6g"})
public class BatchPathBenchmark {
  static final int ROWS = 10_000_000;
  static final int ROW_PATH_ROWS = 1_000_000;
  static final int COLUMNS = 10;
  static final double LO = -1000.0;
  static final double HI = 1000.0;

  private BufferAllocator allocator;
  private Batch batch;
  private Validator validator;
  private Row[] rows;

  /** Builds the batch, the validator and the rows of the row path. */
  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    List<Field> fields = new ArrayList<>();
    List<Constraint> rules = new ArrayList<>();
    for (int c = 0; c < COLUMNS; c++) {
      fields.add(Field.of("x" + c, DataType.FLOAT64));
      rules.add(Constraint.range("x" + c, LO, HI));
      rules.add(new Constraint.NotNull("x" + c, 0.99, dev.mlops.validation.Severity.ERROR));
    }
    Schema schema = Schema.of(fields);
    validator = Validator.compile(DataContract.of("batch", schema, rules));
    VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator);
    root.allocateNew();
    SplittableRandom rnd = new SplittableRandom(5);
    for (int c = 0; c < COLUMNS; c++) {
      Float8Vector v = (Float8Vector) root.getVector(c);
      v.allocateNew(ROWS);
      for (int i = 0; i < ROWS; i++) {
        if (rnd.nextInt(1000) == 0) {
          v.setNull(i);
        } else {
          v.set(i, rnd.nextDouble(LO, HI));
        }
      }
      v.setValueCount(ROWS);
    }
    root.setRowCount(ROWS);
    batch = Batch.adopt(root);
    rows = new Row[ROW_PATH_ROWS];
    for (int i = 0; i < ROW_PATH_ROWS; i++) {
      rows[i] = batch.row(i);
    }
    long nulls = handWrittenNulls();
    ValidationReport r = validator.validate(batch);
    long libraryNulls = r.results().stream().filter(x -> x.constraint() instanceof Constraint.NotNull)
        .mapToLong(x -> x.failingCount()).sum();
    if (libraryNulls != nulls || !r.passed()) {
      throw new IllegalStateException("the library and the hand-written loop disagree: " + libraryNulls + " vs "
          + nulls + " nulls\n" + r.toText());
    }
    System.out.printf("%n%d rows x %d columns, %d nulls%n", ROWS, COLUMNS, nulls);
  }

  /** Closes the batch and checks nothing leaked. */
  @TearDown(Level.Trial)
  public void tearDown() {
    batch.close();
    long leaked = allocator.getAllocatedMemory();
    allocator.close();
    if (leaked != 0) {
      throw new IllegalStateException(leaked + " bytes of Arrow memory leaked");
    }
  }

  /**
   * The library's batch path: every rule, a full report.
   *
   * @return the report
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public ValidationReport library() {
    return validator.validate(batch);
  }

  /**
   * Baseline: range and not-null counted by hand over the validity and value buffers, column at a
   * time.
   *
   * @return failures counted
   */
  @Benchmark
  @OperationsPerInvocation(ROWS)
  public long handWrittenLoop() {
    return handWrittenNulls() + handWrittenOutOfRange();
  }

  private long handWrittenNulls() {
    long nulls = 0;
    for (int c = 0; c < COLUMNS; c++) {
      FieldVector v = batch.vector(c);
      ArrowBuf validity = v.getValidityBuffer();
      for (int i = 0; i < ROWS; i++) {
        nulls += 1 - ((validity.getByte(i >>> 3) >> (i & 7)) & 1);
      }
    }
    return nulls;
  }

  private long handWrittenOutOfRange() {
    long bad = 0;
    for (int c = 0; c < COLUMNS; c++) {
      Float8Vector v = (Float8Vector) batch.vector(c);
      ArrowBuf validity = v.getValidityBuffer();
      ArrowBuf data = v.getDataBuffer();
      for (int i = 0; i < ROWS; i++) {
        if (((validity.getByte(i >>> 3) >> (i & 7)) & 1) != 0) {
          double x = data.getDouble((long) i << 3);
          if (!(x >= LO && x <= HI)) {
            bad++;
          }
        }
      }
    }
    return bad;
  }

  /**
   * The row path over the first million rows: {@code validate(Row)} per row.
   *
   * @return rows that failed
   */
  @Benchmark
  @OperationsPerInvocation(ROW_PATH_ROWS)
  public long rowPath() {
    long failed = 0;
    for (Row r : rows) {
      failed += validator.validate(r) == RowResult.PASS ? 0 : 1;
    }
    return failed;
  }
}
