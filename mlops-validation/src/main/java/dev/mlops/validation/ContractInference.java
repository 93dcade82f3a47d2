package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.stats.ColumnStatistics;
import dev.mlops.stats.DatasetStatistics;
import dev.mlops.stats.ProfileOptions;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Suggests a {@link DataContract} from reference data, as TFDV's schema inference and Deequ's
 * constraint suggestion do. The result is a starting point for people to review and edit (write it
 * with {@link DataContract#toYaml()}); it always passes on the data it was inferred from.
 *
 * <p>Rules, per column:
 * <ul>
 *   <li>Type and role: as in the data's schema. Nullable when the column has a null.
 *   <li>{@code not_null}: without nulls, {@code mostly 1}; with nulls, {@code mostly} = the observed
 *       completeness rounded down to 2 decimals (no constraint below 0.01).
 *   <li>{@code range} (numeric columns that are not id-like): the observed finite [min, max] widened by
 *       {@code margin x (max - min)} on each side (by {@code margin x |value|} when all values are
 *       equal, 1 when they are all 0), never below 0 when every value is >= 0, then rounded outward to
 *       3 significant digits of the span (whole numbers for int64). NaN and infinite values in the
 *       reference lower {@code mostly} to the finite share, rounded down to 2 decimals.
 *   <li>{@code allowed_values} (string and boolean columns): the observed values, sorted, when there
 *       are at most {@code maxCategories} distinct values and they are at most half the non-null count.
 *   <li>{@code length} (other string columns): [0, observed max length x (1 + margin)].
 *   <li>{@code unique}: int64 and string columns with role {@code id}, or whose values are all distinct
 *       and non-null over at least {@code minIdRows} rows.
 * </ul>
 * Plus {@code row_count >= 1} for the table.
 */
public final class ContractInference {
  private final double margin;
  private final int maxCategories;
  private final int minIdRows;

  private ContractInference(double margin, int maxCategories, int minIdRows) {
    this.margin = margin;
    this.maxCategories = maxCategories;
    this.minIdRows = minIdRows;
  }

  /**
   * Inference with the defaults: margin 0.1, at most 20 categories, id-like columns from 20 rows.
   *
   * @return the inference
   */
  public static ContractInference defaults() {
    return new ContractInference(0.1, 20, 20);
  }

  /**
   * Inference with the given range margin.
   *
   * @param margin share of the observed span added on each side of a range, {@code >= 0}
   * @return a copy
   * @throws IllegalArgumentException when negative or not finite
   */
  public ContractInference withMargin(double margin) {
    if (!(margin >= 0 && Double.isFinite(margin))) {
      throw new IllegalArgumentException("margin " + margin + " must be a finite number >= 0, e.g. 0.1 for 10%");
    }
    return new ContractInference(margin, maxCategories, minIdRows);
  }

  /**
   * Inference with the given categorical limit.
   *
   * @param maxCategories the most distinct values a string column may have to get allowed_values
   * @return a copy
   * @throws IllegalArgumentException when below 1
   */
  public ContractInference withMaxCategories(int maxCategories) {
    if (maxCategories < 1) {
      throw new IllegalArgumentException("maxCategories " + maxCategories + " must be at least 1");
    }
    return new ContractInference(margin, maxCategories, minIdRows);
  }

  /**
   * Inference with the given minimum row count for treating an all-distinct column as an id.
   *
   * @param minIdRows rows needed, at least 2
   * @return a copy
   * @throws IllegalArgumentException when below 2
   */
  public ContractInference withMinIdRows(int minIdRows) {
    if (minIdRows < 2) {
      throw new IllegalArgumentException("minIdRows " + minIdRows + " must be at least 2");
    }
    return new ContractInference(margin, maxCategories, minIdRows);
  }

  /**
   * Suggests a contract.
   *
   * @param name the contract's name
   * @param reference the reference data
   * @return the contract; it passes on {@code reference}
   */
  public DataContract infer(String name, Batch reference) {
    Schema in = reference.schema();
    int n = reference.rowCount();
    // Counts, nulls and numeric ranges come from the statistics engine that validation and profiles
    // share; distinct values are collected exactly below, because a sketch's estimate cannot promise
    // that the inferred contract passes on its own reference.
    DatasetStatistics stats = DatasetStatistics.of(in, ProfileOptions.defaults());
    stats.add(reference);
    List<Field> fields = new ArrayList<>();
    List<Constraint> constraints = new ArrayList<>();
    for (int c = 0; c < in.size(); c++) {
      Field f = in.field(c);
      long nulls = stats.column(c).nullCount();
      // Nullability lives in one place, the not_null rule below (with its mostly and severity); the
      // schema stays nullable, so that reading data for the contract never rejects a missing value
      // the rule is there to judge.
      fields.add(f.withNullable(true));
      long present = n - nulls;
      if (nulls == 0) {
        constraints.add(Constraint.notNull(f.name()));
      } else {
        double mostly = floor2((double) present / n);
        if (mostly >= 0.01) {
          constraints.add(new Constraint.NotNull(f.name(), mostly, Severity.ERROR));
        }
      }
      if (present == 0) {
        continue;
      }
      DataType.Kind kind = f.type().kind();
      boolean discrete = kind == DataType.Kind.STRING || kind == DataType.Kind.BOOLEAN || kind == DataType.Kind.INT64;
      Set<Object> distinct = new HashSet<>();
      if (discrete) {
        for (int i = 0; i < n; i++) {
          if (!reference.isNull(c, i)) {
            distinct.add(reference.get(c, i));
          }
        }
      }
      boolean idLike = (kind == DataType.Kind.STRING || kind == DataType.Kind.INT64) && (f.role() == Role.ID
          || (nulls == 0 && distinct.size() == present && present >= minIdRows));
      if (idLike) {
        constraints.add(Constraint.unique(f.name()));
      } else if (f.type().isNumeric()) {
        numeric(stats.column(c), f, present, constraints);
      } else if (discrete && distinct.size() <= maxCategories && distinct.size() * 2L <= present) {
        TreeSet<String> values = new TreeSet<>();
        distinct.forEach(v -> values.add(v.toString()));
        constraints.add(new Constraint.AllowedValues(f.name(), List.copyOf(values), 1.0, Severity.ERROR));
        continue;
      }
      if (kind == DataType.Kind.STRING) {
        int maxLen = 0;
        for (Object v : distinct) {
          String s = (String) v;
          maxLen = Math.max(maxLen, s.codePointCount(0, s.length()));
        }
        int max = (int) Math.min(Integer.MAX_VALUE, (long) Math.ceil(maxLen * (1 + margin)));
        constraints.add(new Constraint.Length(f.name(), null, max, 1.0, Severity.ERROR));
      }
    }
    constraints.add(new Constraint.RowCount(1L, null, Severity.ERROR));
    return DataContract.of(name, Schema.of(fields), constraints);
  }

  private void numeric(ColumnStatistics s, Field f, long present, List<Constraint> out) {
    long finite = s.validCount();
    double min = s.min();
    double max = s.max();
    if (finite == 0) {
      return;
    }
    double span = max - min;
    double widen = span > 0 ? margin * span : (min != 0 ? margin * Math.abs(min) : 1.0);
    double lo = min - widen;
    double hi = max + widen;
    if (min >= 0) {
      lo = Math.max(lo, 0);
    }
    double step = Math.pow(10, Math.floor(Math.log10(Math.max(hi - lo, Double.MIN_NORMAL))) - 2);
    if (f.type().kind() == DataType.Kind.INT64) {
      step = Math.max(step, 1);
    }
    lo = Math.min(min, Math.floor(lo / step) * step);
    hi = Math.max(max, Math.ceil(hi / step) * step);
    double mostly = finite == present ? 1.0 : Math.max(0.01, floor2((double) finite / present));
    double cleanLo = clean(lo);
    double cleanHi = clean(hi);
    out.add(new Constraint.Range(f.name(), cleanLo <= min ? cleanLo : lo, cleanHi >= max ? cleanHi : hi, false, false,
        mostly, Severity.ERROR));
  }

  /** Removes binary noise such as 0.30000000000000004 left by the rounding. */
  private static double clean(double v) {
    return Double.parseDouble(String.format(java.util.Locale.ROOT, "%.12g", v));
  }

  private static double floor2(double v) {
    return Math.floor(v * 100) / 100;
  }

  @Override
  public String toString() {
    return "ContractInference[margin=" + margin + ", maxCategories=" + maxCategories + ", minIdRows=" + minIdRows
        + "]";
  }
}
