/**
 * Drift reports for machines (JSON) and people (one self-contained HTML page with inline SVG charts):
 * {@link dev.mlops.monitoring.report.DriftReport}.
 */
@NullMarked
package dev.mlops.monitoring.report;

import org.jspecify.annotations.NullMarked;
