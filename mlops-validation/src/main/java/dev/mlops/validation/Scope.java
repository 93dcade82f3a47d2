package dev.mlops.validation;

/**
 * Whether a constraint can be decided on each row alone or needs the whole dataset.
 *
 * <p>Behaviour on empty data follows Great Expectations: row checks pass vacuously (no row
 * violates them); dataset statistics (mean, standard deviation, quantile) fail because there is no
 * statistic to compare; the row count compares 0 with its bounds; uniqueness passes (no two values can
 * collide, as {@code expect_column_values_to_be_unique} does).
 */
public enum Scope {
  /** Decided on each row: checked by {@link Validator#validate(dev.mlops.core.Row)}. */
  ROW,
  /** Needs every row: checked by {@link Validator#validate(dev.mlops.core.Batch)} and sessions. */
  DATASET
}
