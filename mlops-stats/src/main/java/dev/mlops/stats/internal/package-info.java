/**
 * The exact accumulators behind {@link dev.mlops.stats.ColumnStatistics}: exact moments and exact value
 * counts. Exported only to the mlops modules that store or check these states.
 */
@NullMarked
package dev.mlops.stats.internal;

import org.jspecify.annotations.NullMarked;
