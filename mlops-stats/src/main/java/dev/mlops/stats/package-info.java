/**
 * Mergeable statistics of columns and datasets: {@link dev.mlops.stats.ColumnStatistics} (counts, exact
 * moments, KLL quantiles with their rank error, HLL distinct counts, frequent items, exact value counts
 * while small) and {@link dev.mlops.stats.DatasetStatistics}, one per column of a schema. Validation's
 * dataset rules read them; a monitoring profile is the same states in a checked, stored form; states of
 * disjoint parts merge into the state of the whole.
 */
@NullMarked
package dev.mlops.stats;

import org.jspecify.annotations.NullMarked;
