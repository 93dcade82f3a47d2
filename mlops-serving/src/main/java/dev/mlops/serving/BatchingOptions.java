package dev.mlops.serving;

import java.time.Duration;
import java.util.Objects;

/**
 * Dynamic batching: concurrent single-row requests wait in a bounded queue and are run together, up to
 * {@code maxBatchSize} rows, once the batch is full or the oldest request has waited {@code maxDelay}.
 *
 * @param enabled whether single-row requests are batched
 * @param maxBatchSize most rows per model call
 * @param maxDelay longest time a request waits for others to join it
 * @param queueCapacity most requests waiting; more are rejected at once with an
 *     {@link dev.mlops.core.OverloadedException}
 * @param defaultDeadline how long a request may wait in total before it fails with a
 *     {@link dev.mlops.core.DeadlineExceededException} without running; any deadline beyond
 *     {@link #LONGEST_DEADLINE} (about 73 years, e.g. {@code ChronoUnit.FOREVER.getDuration()}) means
 *     no deadline, since nanosecond clocks cannot represent more
 * @param workers threads that run batches
 */
public record BatchingOptions(boolean enabled, int maxBatchSize, Duration maxDelay, int queueCapacity,
    Duration defaultDeadline, int workers) {

  /**
   * The longest deadline kept as given, 2<sup>61</sup> ns (about 73 years); longer ones, up to
   * {@code ChronoUnit.FOREVER}, are saturated to it and so mean "no deadline". It leaves room for the
   * arithmetic on nanosecond clock readings (a deadline, twice a deadline) never to overflow.
   */
  public static final Duration LONGEST_DEADLINE = Duration.ofNanos(1L << 61);

  /**
   * Validates the components.
   *
   * @param enabled whether batching is on
   * @param maxBatchSize most rows per call
   * @param maxDelay longest wait for a batch to fill
   * @param queueCapacity queue bound
   * @param defaultDeadline deadline of requests that give none
   * @param workers batch threads
   */
  public BatchingOptions {
    Objects.requireNonNull(maxDelay, "maxDelay");
    Objects.requireNonNull(defaultDeadline, "defaultDeadline");
    if (maxBatchSize < 1 || queueCapacity < 1 || workers < 1) {
      throw new IllegalArgumentException("maxBatchSize, queueCapacity and workers must be >= 1, got " + maxBatchSize
          + ", " + queueCapacity + ", " + workers);
    }
    if (maxDelay.isNegative()) {
      throw new IllegalArgumentException("maxDelay must be >= 0, got " + maxDelay);
    }
    if (defaultDeadline.isNegative() || defaultDeadline.isZero()) {
      throw new IllegalArgumentException("defaultDeadline must be > 0, got " + defaultDeadline
          + "; a request with no time to wait could never run. For no deadline, pass a very long one (anything over"
          + " LONGEST_DEADLINE, e.g. ChronoUnit.FOREVER.getDuration())");
    }
  }

  /**
   * A deadline or delay in nanoseconds, saturated at {@link #LONGEST_DEADLINE}, so that none,
   * however long, overflows the clock arithmetic ({@link Duration#toNanos()} itself throws beyond 292
   * years).
   *
   * @param d a duration, zero or more
   * @return its nanoseconds, at most 2<sup>61</sup>
   */
  static long saturatedNanos(Duration d) {
    return d.compareTo(LONGEST_DEADLINE) >= 0 ? LONGEST_DEADLINE.toNanos() : d.toNanos();
  }

  /**
   * No batching: every call runs on its own.
   *
   * @return the options
   */
  public static BatchingOptions disabled() {
    return new BatchingOptions(false, 1, Duration.ZERO, 1, Duration.ofSeconds(30), 1);
  }

  /**
   * Batching with one worker and a 30 s default deadline.
   *
   * @param maxBatchSize most rows per model call
   * @param maxDelay longest wait for a batch to fill (1-2 ms is typical)
   * @param queueCapacity most waiting requests
   * @return the options
   */
  public static BatchingOptions of(int maxBatchSize, Duration maxDelay, int queueCapacity) {
    return new BatchingOptions(true, maxBatchSize, maxDelay, queueCapacity, Duration.ofSeconds(30), 1);
  }

  /**
   * These options with another default deadline.
   *
   * @param deadline the deadline
   * @return a copy
   */
  public BatchingOptions withDefaultDeadline(Duration deadline) {
    return new BatchingOptions(enabled, maxBatchSize, maxDelay, queueCapacity, deadline, workers);
  }

  /**
   * These options with another worker count. With one ONNX Runtime intra-op thread per call, one
   * worker per core uses the machine fully: on 2 cores, two workers served 32 concurrent callers at
   * 3.6x the unbatched rate, one worker at 2.1x (docs/BENCHMARKS.md).
   *
   * @param n threads that run batches
   * @return a copy
   */
  public BatchingOptions withWorkers(int n) {
    return new BatchingOptions(enabled, maxBatchSize, maxDelay, queueCapacity, defaultDeadline, n);
  }
}
