package dev.mlops.stats;

/**
 * A quantile of a column and the interval its sketch guarantees: when {@code exact}, {@code lower ==
 * value == upper}; otherwise the true quantile lies in {@code [lower, upper]} with 99% confidence
 * (the estimates at ranks {@code q - rankError} and {@code q + rankError}). A bound on a quantile is
 * decided only when the whole interval is on one side of it.
 *
 * @param value the quantile (KLL's estimate when not exact); NaN when a value is NaN or there is none
 * @param lower the smallest value the true quantile can have
 * @param upper the largest value the true quantile can have
 * @param rankError the normalized rank error the interval allows for; 0 when exact
 * @param exact whether the value is computed from every value
 */
public record QuantileEstimate(double value, double lower, double upper, double rankError, boolean exact) {}
