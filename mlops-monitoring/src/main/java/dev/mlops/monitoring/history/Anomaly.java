package dev.mlops.monitoring.history;

/**
 * A point an {@link AnomalyStrategy} found outside the range it expected.
 *
 * @param index the point's position in the series
 * @param value the point's value
 * @param expectedLow the lowest value the strategy would have accepted there
 * @param expectedHigh the highest such value
 * @param reason what the strategy compared, in words
 */
public record Anomaly(int index, double value, double expectedLow, double expectedHigh, String reason) {}
