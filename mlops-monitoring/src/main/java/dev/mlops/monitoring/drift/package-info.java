/**
 * Drift between a reference and a current profile or sample: per-column tests
 * ({@link dev.mlops.monitoring.drift.DriftTest}), chosen by a documented default rule or configured
 * ({@link dev.mlops.monitoring.drift.DriftOptions}), run by
 * {@link dev.mlops.monitoring.drift.DriftDetector}, with the raw statistics available from
 * {@link dev.mlops.monitoring.drift.DriftStatistics}. P-values come from Apache Commons Statistics.
 */
@NullMarked
package dev.mlops.monitoring.drift;

import org.jspecify.annotations.NullMarked;
