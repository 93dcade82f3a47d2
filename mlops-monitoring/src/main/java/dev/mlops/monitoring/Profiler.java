package dev.mlops.monitoring;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.stats.DatasetStatistics;
import dev.mlops.stats.ProfileOptions;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.jspecify.annotations.Nullable;

/**
 * Builds a {@link DatasetProfile} from rows and batches; safe to call from many threads at once.
 *
 * <p>Recording is striped: each thread is mapped to one of a few independent accumulators, each
 * guarded by its own lock, so threads rarely contend; {@link #snapshot()} merges the stripes. Because
 * profile merging is associative and commutative, the snapshot is the same profile (exact for counts,
 * min and max; within the documented tolerances otherwise) as one built by a single thread.
 */
public final class Profiler {
  private final Schema schema;
  private final ProfileOptions options;
  private final Stripe[] stripes;
  private final int mask;

  private static final class Stripe {
    final ReentrantLock lock = new ReentrantLock();
    @Nullable DatasetStatistics acc;
  }

  private Profiler(Schema schema, ProfileOptions options, int stripeCount) {
    this.schema = schema;
    this.options = options;
    this.stripes = new Stripe[stripeCount];
    for (int i = 0; i < stripeCount; i++) {
      stripes[i] = new Stripe();
    }
    this.mask = stripeCount - 1;
  }

  /**
   * A profiler with default sketch sizes.
   *
   * @param schema the schema of the rows and batches to record
   * @return the profiler
   */
  public static Profiler create(Schema schema) {
    return create(schema, ProfileOptions.defaults());
  }

  /**
   * A profiler with the given sketch sizes.
   *
   * @param schema the schema of the rows and batches to record
   * @param options sketch sizes
   * @return the profiler
   */
  public static Profiler create(Schema schema, ProfileOptions options) {
    Objects.requireNonNull(schema, "schema");
    Objects.requireNonNull(options, "options");
    int cpus = Runtime.getRuntime().availableProcessors();
    int n = Integer.highestOneBit(Math.max(1, Math.min(32, cpus * 2) - 1)) << 1;
    return new Profiler(schema, options, Math.max(1, Math.min(32, n)));
  }

  /**
   * The profiled schema.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * Records one row.
   *
   * @param row a row of {@link #schema()}
   * @throws dev.mlops.core.SchemaMismatchException when the row has another schema
   */
  public void record(Row row) {
    Stripe s = stripe();
    s.lock.lock();
    try {
      accumulator(s).add(row);
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * Records every row of a batch (or view), column by column.
   *
   * @param batch a batch of {@link #schema()}
   * @throws dev.mlops.core.SchemaMismatchException when the batch has another schema
   */
  public void record(Batch batch) {
    Stripe s = stripe();
    s.lock.lock();
    try {
      accumulator(s).add(batch);
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * Adds a whole profile (for example one built elsewhere) to this profiler.
   *
   * @param profile a profile of {@link #schema()} built with the same options
   */
  public void record(DatasetProfile profile) {
    Stripe s = stripe();
    s.lock.lock();
    try {
      accumulator(s).merge(profile.statistics());
    } finally {
      s.lock.unlock();
    }
  }

  /**
   * The profile of everything recorded so far; recording may continue.
   *
   * @return the profile
   */
  public DatasetProfile snapshot() {
    DatasetStatistics total = DatasetStatistics.of(schema, options);
    for (Stripe s : stripes) {
      s.lock.lock();
      try {
        if (s.acc != null) {
          total.merge(s.acc);
        }
      } finally {
        s.lock.unlock();
      }
    }
    return DatasetProfile.of(total);
  }

  private Stripe stripe() {
    long id = Thread.currentThread().getId();
    return stripes[(int) ((id * 0x9E3779B97F4A7C15L) >>> 40) & mask];
  }

  private DatasetStatistics accumulator(Stripe s) {
    DatasetStatistics a = s.acc;
    if (a == null) {
      a = DatasetStatistics.of(schema, options);
      s.acc = a;
    }
    return a;
  }
}
