package dev.mlops.stats;

import dev.mlops.core.DataType;

/** How a column is profiled and compared, derived from its {@link DataType}. */
public enum ColumnKind {
  /**
   * int64, float32, float64 and timestamp (as epoch seconds): moments, min/max, KLL quantiles,
   * distinct count and, while at most {@link ProfileOptions#maxTrackedValues()} distinct values
   * were seen, exact value counts.
   */
  NUMERIC,
  /** string and boolean: frequent items (exact counts while the domain is small) and distinct count. */
  CATEGORICAL,
  /** Tensors: only counts and nulls are profiled; drift is not computed. */
  OTHER;

  /**
   * The kind used for a data type.
   *
   * @param type the column type
   * @return the kind
   */
  public static ColumnKind of(DataType type) {
    return switch (type.kind()) {
      case INT64, FLOAT32, FLOAT64, TIMESTAMP -> NUMERIC;
      case STRING, BOOLEAN -> CATEGORICAL;
      case FLOAT_TENSOR -> OTHER;
    };
  }
}
