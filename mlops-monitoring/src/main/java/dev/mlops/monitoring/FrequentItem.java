package dev.mlops.monitoring;

/**
 * A frequent value of a categorical column with its estimated count and error bounds (equal when
 * the sketch is exact).
 *
 * @param value the value (booleans as {@code "true"} / {@code "false"})
 * @param estimate estimated count
 * @param lowerBound the true count is at least this
 * @param upperBound the true count is at most this
 */
public record FrequentItem(String value, long estimate, long lowerBound, long upperBound) {}
