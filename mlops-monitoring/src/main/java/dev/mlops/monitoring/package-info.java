/**
 * Mergeable profiles of datasets ({@link dev.mlops.monitoring.DatasetProfile},
 * {@link dev.mlops.monitoring.ColumnProfile}) and live windowed monitors
 * ({@link dev.mlops.monitoring.Monitor}).
 */
@NullMarked
package dev.mlops.monitoring;

import org.jspecify.annotations.NullMarked;
