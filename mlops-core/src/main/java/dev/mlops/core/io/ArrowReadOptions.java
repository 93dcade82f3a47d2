package dev.mlops.core.io;

/**
 * Limits for reading Arrow IPC. Immutable; take {@link #defaults()} and adjust with the
 * {@code with...} methods.
 *
 * <p>A file needs no limit for its own framing: every length it declares is checked against its size
 * before anything is allocated. A stream has no size to check against, so the limit caps what one
 * message may declare; bytes are still allocated only as they arrive, so a stream that declares more
 * than it holds fails as truncated having allocated at most about twice what it held.
 *
 * @param maxBatchBytes the most bytes one stream message (a record or dictionary batch: metadata and
 *     body) may declare, and the most bytes the dictionary-encoded columns of one record batch may take
 *     once decoded, in files and streams alike. Default {@link #DEFAULT_MAX_BATCH_BYTES}
 */
public record ArrowReadOptions(long maxBatchBytes) {
  /** Default {@link #maxBatchBytes()}: 1 GiB, ten times the size of a typical 1M-row batch. */
  public static final long DEFAULT_MAX_BATCH_BYTES = 1L << 30;

  private static final ArrowReadOptions DEFAULTS = new ArrowReadOptions(DEFAULT_MAX_BATCH_BYTES);

  /**
   * Validates the limit.
   *
   * @param maxBatchBytes at least 1
   */
  public ArrowReadOptions {
    if (maxBatchBytes <= 0) {
      throw new IllegalArgumentException("maxBatchBytes must be > 0, got " + maxBatchBytes);
    }
  }

  /**
   * The default limits: {@link #DEFAULT_MAX_BATCH_BYTES} per batch.
   *
   * @return the defaults
   */
  public static ArrowReadOptions defaults() {
    return DEFAULTS;
  }

  /**
   * These options with another batch limit.
   *
   * @param bytes the most bytes one stream message may declare and one batch may decode to; at least 1
   * @return the new options
   */
  public ArrowReadOptions withMaxBatchBytes(long bytes) {
    return new ArrowReadOptions(bytes);
  }
}
