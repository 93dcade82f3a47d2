package dev.mlops.validation;

import dev.mlops.validation.internal.Args;
import dev.mlops.validation.internal.ConstraintArgumentException;
import dev.mlops.validation.internal.ContractRegex;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One rule of a {@link DataContract}. Every constraint has a {@link Severity} and, for constraints
 * counted per value, a {@code mostly} fraction: the share of evaluated values that must pass (1.0 =
 * all). Nulls are not evaluated by any constraint except {@link NotNull} (so a range check skips
 * missing values; use {@code not_null} to forbid them).
 *
 * <table>
 *   <caption>Constraints, their scope and behaviour on empty data</caption>
 *   <tr><th>kind</th><th>scope</th><th>evaluated values</th><th>empty data</th></tr>
 *   <tr><td>not_null</td><td>row</td><td>every row</td><td>passes</td></tr>
 *   <tr><td>range</td><td>row</td><td>non-null</td><td>passes</td></tr>
 *   <tr><td>allowed_values</td><td>row</td><td>non-null</td><td>passes</td></tr>
 *   <tr><td>regex</td><td>row</td><td>non-null</td><td>passes</td></tr>
 *   <tr><td>length</td><td>row</td><td>non-null</td><td>passes</td></tr>
 *   <tr><td>compare</td><td>row</td><td>rows where both are non-null</td><td>passes</td></tr>
 *   <tr><td>custom</td><td>row</td><td>every row</td><td>passes</td></tr>
 *   <tr><td>unique</td><td>dataset</td><td>non-null</td><td>passes (nothing collides)</td></tr>
 *   <tr><td>distinct_count</td><td>dataset</td><td>non-null</td><td>compares 0 with the bounds</td></tr>
 *   <tr><td>share</td><td>dataset</td><td>non-null</td><td>fails (no share)</td></tr>
 *   <tr><td>freshness</td><td>dataset</td><td>non-null</td><td>fails (no latest timestamp)</td></tr>
 *   <tr><td>compound_unique</td><td>dataset</td><td>rows with no null in the key</td><td>passes</td></tr>
 *   <tr><td>row_count</td><td>dataset</td><td>the row count</td><td>0 compared with the bounds</td></tr>
 *   <tr><td>mean, stddev, quantile</td><td>dataset</td><td>non-null</td><td>fails (no statistic)</td></tr>
 * </table>
 */
public sealed interface Constraint permits Constraint.ColumnConstraint, Constraint.RowCount, Constraint.Compare,
    Constraint.CompoundUnique, Constraint.Custom, Constraint.When {

  /** Kinds in the order a contract file lists them within a column. */
  List<String> KINDS = List.of("not_null", "range", "allowed_values", "regex", "format", "length", "unique",
      "distinct_count", "share", "freshness", "mean",
      "stddev", "quantile", "row_count", "compare", "compound_unique", "custom");

  /**
   * How much a failure matters.
   *
   * @return the severity
   */
  Severity severity();

  /**
   * Share of evaluated values that must pass, in (0, 1]; 1.0 for dataset statistics and row count.
   *
   * @return the fraction
   */
  default double mostly() {
    return 1.0;
  }

  /**
   * The kind as written in contract files ({@code range}, {@code not_null}, ...).
   *
   * @return the kind
   */
  String kind();

  /**
   * Row or dataset check.
   *
   * @return the scope
   */
  Scope scope();

  /**
   * The columns this constraint reads, in order; empty for {@link RowCount}.
   *
   * @return the column names
   */
  List<String> columns();

  /**
   * The identifier of this constraint within its contract, e.g. {@code credit_amount.range},
   * {@code age.quantile[0.5]}, {@code compare[start<=end]}, {@code row_count}.
   *
   * @return the identifier
   */
  String id();

  /**
   * A short human description of the rule, e.g. {@code credit_amount in [0.0, 20000.0]}.
   *
   * @return the description
   */
  String describe();

  /**
   * This constraint with another severity.
   *
   * @param newSeverity the severity
   * @return a copy
   */
  Constraint withSeverity(Severity newSeverity);

  /**
   * A constraint on one column, written under that column in a contract file. Its id is
   * {@code column.kind}.
   */
  sealed interface ColumnConstraint extends Constraint permits NotNull, Range, AllowedValues, Regex, Format, Length,
      Unique, DistinctCount, Share, Freshness, Mean, Stddev, Quantile {
    /**
     * The column.
     *
     * @return the column name
     */
    String column();

    @Override
    default List<String> columns() {
      return List.of(column());
    }

    @Override
    default String id() {
      return column() + "." + kind();
    }
  }

  /** Comparison operators of {@link Compare}. */
  enum Op {
    /** {@code <}. */
    LT("<"),
    /** {@code <=}. */
    LE("<="),
    /** {@code >}. */
    GT(">"),
    /** {@code >=}. */
    GE(">="),
    /** {@code ==}. */
    EQ("=="),
    /** {@code !=}. */
    NE("!=");

    private final String symbol;

    Op(String symbol) {
      this.symbol = symbol;
    }

    /**
     * The operator as written in contract files.
     *
     * @return e.g. {@code <=}
     */
    public String symbol() {
      return symbol;
    }

    /**
     * Whether a comparison result satisfies the operator.
     *
     * @param cmp the sign of {@code compare(left, right)}
     * @return true when the relation holds
     */
    public boolean holds(int cmp) {
      return switch (this) {
        case LT -> cmp < 0;
        case LE -> cmp <= 0;
        case GT -> cmp > 0;
        case GE -> cmp >= 0;
        case EQ -> cmp == 0;
        case NE -> cmp != 0;
      };
    }

    /**
     * Parses a symbol.
     *
     * @param symbol one of {@code < <= > >= == !=}
     * @return the operator
     * @throws IllegalArgumentException naming the accepted symbols
     */
    public static Op parse(String symbol) {
      for (Op op : values()) {
        if (op.symbol.equals(symbol.trim())) {
          return op;
        }
      }
      throw new ConstraintArgumentException("op", "unknown operator '" + symbol + "'; use one of <, <=, >, >=, ==, !=");
    }
  }

  /**
   * Values must be present. A row check counted over every row: with {@code mostly} it is a
   * completeness ratio (0.95 = at most 5% nulls). NaN is a value, not a null.
   *
   * @param column the column
   * @param mostly minimum completeness, in (0, 1]
   * @param severity the severity
   */
  record NotNull(String column, double mostly, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column the column
     * @param mostly minimum completeness
     * @param severity the severity
     */
    public NotNull {
      Args.column(column, "column");
      Args.mostly(mostly);
    }

    @Override
    public String kind() {
      return "not_null";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String describe() {
      return column + " is not null" + Args.mostlyText(mostly);
    }

    @Override
    public NotNull withSeverity(Severity newSeverity) {
      return new NotNull(column, mostly, newSeverity);
    }
  }

  /**
   * A numeric value lies within bounds. A missing bound is unbounded; each bound is inclusive unless
   * marked exclusive. NaN always fails (it is neither inside nor outside a range, and a NaN that
   * reaches a model is a bug); +Inf and -Inf are compared as numbers, so +Inf passes only without a
   * {@code max}. Row check over non-null values.
   *
   * @param column a numeric column
   * @param min lower bound, or null
   * @param max upper bound, or null
   * @param minExclusive whether {@code min} itself fails
   * @param maxExclusive whether {@code max} itself fails
   * @param mostly share of values that must pass
   * @param severity the severity
   */
  record Range(String column, @Nullable Double min, @Nullable Double max, boolean minExclusive, boolean maxExclusive,
      double mostly, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a numeric column
     * @param min lower bound, or null
     * @param max upper bound, or null
     * @param minExclusive whether min itself fails
     * @param maxExclusive whether max itself fails
     * @param mostly share of values that must pass
     * @param severity the severity
     */
    public Range {
      Args.column(column, "column");
      Args.mostly(mostly);
      Args.bounds(min, max, false);
    }

    /**
     * Whether a value lies inside the range.
     *
     * @param v the value
     * @return false for NaN and for values outside
     */
    public boolean contains(double v) {
      if (Double.isNaN(v)) {
        return false;
      }
      if (min != null && (minExclusive ? v <= min : v < min)) {
        return false;
      }
      return max == null || (maxExclusive ? v < max : v <= max);
    }

    @Override
    public String kind() {
      return "range";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String describe() {
      return column + " in " + (min == null ? "(-inf" : (minExclusive ? "(" : "[") + min) + ", "
          + (max == null ? "+inf)" : max + (maxExclusive ? ")" : "]")) + Args.mostlyText(mostly);
    }

    @Override
    public Range withSeverity(Severity newSeverity) {
      return new Range(column, min, max, minExclusive, maxExclusive, mostly, newSeverity);
    }
  }

  /**
   * A value is one of a fixed set. Values are written as text and interpreted by the column's type:
   * strings as is, int64 as decimal integers, boolean as {@code true}/{@code false}. Row check over
   * non-null values.
   *
   * @param column a string, int64 or boolean column
   * @param values the allowed values, non-empty, without duplicates
   * @param mostly share of values that must pass
   * @param severity the severity
   */
  record AllowedValues(String column, List<String> values, double mostly, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column the column
     * @param values the allowed values
     * @param mostly share of values that must pass
     * @param severity the severity
     */
    public AllowedValues {
      Args.column(column, "column");
      Args.mostly(mostly);
      values = List.copyOf(values);
      if (values.isEmpty()) {
        throw new ConstraintArgumentException("values", "allowed_values needs at least one value");
      }
      if (values.stream().distinct().count() != values.size()) {
        throw new ConstraintArgumentException("values", "allowed_values lists a value twice: " + values
            + "; list each value once");
      }
    }

    @Override
    public String kind() {
      return "allowed_values";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String describe() {
      String shown = values.size() <= 8 ? values.toString()
          : values.subList(0, 8).toString().replace("]", ", ... (" + values.size() + " values)]");
      return column + " in " + shown + Args.mostlyText(mostly);
    }

    @Override
    public AllowedValues withSeverity(Severity newSeverity) {
      return new AllowedValues(column, values, mostly, newSeverity);
    }
  }

  /**
   * A string matches a regular expression in full ({@code matches()}, not {@code find()}: write
   * {@code .*x.*} to search). Row check over non-null values. Patterns run on RE2/J, in time linear
   * in the value, whatever the pattern and the value: RE2 syntax, which has no backreferences,
   * lookaround, atomic groups or possessive quantifiers; {@code docs/validation.md} lists how it
   * differs from {@code java.util.regex}.
   *
   * @param column a string column
   * @param regex the expression; must compile with RE2/J
   * @param mostly share of values that must pass
   * @param severity the severity
   */
  record Regex(String column, String regex, double mostly, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a string column
     * @param regex the expression
     * @param mostly share of values that must pass
     * @param severity the severity
     * @throws IllegalArgumentException naming the column and the pattern when RE2/J cannot run it as
     *     java.util.regex would, or it does not compile
     */
    public Regex {
      Args.column(column, "column");
      Args.mostly(mostly);
      ContractRegex.compile(column, regex);
    }

    @Override
    public String kind() {
      return "regex";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String describe() {
      return column + " matches /" + regex + "/" + Args.mostlyText(mostly);
    }

    @Override
    public Regex withSeverity(Severity newSeverity) {
      return new Regex(column, regex, mostly, newSeverity);
    }
  }

  /**
   * A string has a well-known format, named instead of spelled out as a pattern. Row check over
   * non-null values.
   *
   * <ul>
   *   <li>{@code email}: the HTML standard's "valid e-mail address" (local part of letters, digits
   *       and {@code .!#$%&'*+/=?^_`{|}~-}, an {@code @}, then dot-separated labels of up to 63
   *       letters, digits and inner hyphens);
   *   <li>{@code uuid}: the RFC 9562 text form, 8-4-4-4-12 hexadecimal digits, any case;
   *   <li>{@code iso_date}: an ISO 8601 calendar date {@code 2026-12-01} that exists (2026-02-30
   *       fails);
   *   <li>{@code iso_datetime}: an ISO 8601 date and time, {@code 2026-12-01T14:30:00} with optional
   *       fraction and offset or zone ({@code Z}, {@code +01:00}, {@code [Europe/Paris]}), that
   *       exists;
   *   <li>{@code url}: an absolute http or https URL with a host, as {@link java.net.URI} parses it.
   * </ul>
   *
   * @param column a string column
   * @param format one of {@link #FORMATS}
   * @param mostly share of values that must pass
   * @param severity the severity
   */
  record Format(String column, String format, double mostly, Severity severity) implements ColumnConstraint {
    /** The formats a contract can name. */
    public static final List<String> FORMATS = List.of("email", "uuid", "iso_date", "iso_datetime", "url");

    /**
     * Validates the arguments.
     *
     * @param column a string column
     * @param format the format's name
     * @param mostly share of values that must pass
     * @param severity the severity
     */
    public Format {
      Args.column(column, "column");
      Args.mostly(mostly);
      if (!FORMATS.contains(format)) {
        throw new ConstraintArgumentException("name", "unknown format '" + format + "'; use one of "
            + String.join(", ", FORMATS) + ", or a regex");
      }
    }

    @Override
    public String kind() {
      return "format";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String describe() {
      return column + " is a valid " + format + Args.mostlyText(mostly);
    }

    @Override
    public Format withSeverity(Severity newSeverity) {
      return new Format(column, format, mostly, newSeverity);
    }
  }

  /**
   * A string's length in Unicode code points lies within inclusive bounds. Row check over non-null
   * values.
   *
   * @param column a string column
   * @param min minimum length, or null
   * @param max maximum length, or null
   * @param mostly share of values that must pass
   * @param severity the severity
   */
  record Length(String column, @Nullable Integer min, @Nullable Integer max, double mostly, Severity severity)
      implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a string column
     * @param min minimum length, or null
     * @param max maximum length, or null
     * @param mostly share of values that must pass
     * @param severity the severity
     */
    public Length {
      Args.column(column, "column");
      Args.mostly(mostly);
      if (min != null && min < 0) {
        throw new ConstraintArgumentException("min", "length min " + min + " is negative; use 0 or more");
      }
      Args.bounds(min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue(), true);
    }

    @Override
    public String kind() {
      return "length";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String describe() {
      return "length(" + column + ") in [" + (min == null ? "0" : min) + ", " + (max == null ? "+inf" : max) + "]"
          + Args.mostlyText(mostly);
    }

    @Override
    public Length withSeverity(Severity newSeverity) {
      return new Length(column, min, max, mostly, newSeverity);
    }
  }

  /**
   * No two non-null values are equal. A dataset check: the failing count is the number of values
   * that repeat an earlier one (the first occurrence passes), examples are those later rows.
   * Doubles compare with {@link Double#equals} (NaN equals NaN, 0.0 differs from -0.0).
   *
   * @param column a scalar column
   * @param mostly share of values that must be first occurrences
   * @param severity the severity
   */
  record Unique(String column, double mostly, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column the column
     * @param mostly share of values that must be first occurrences
     * @param severity the severity
     */
    public Unique {
      Args.column(column, "column");
      Args.mostly(mostly);
    }

    @Override
    public String kind() {
      return "unique";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String describe() {
      return column + " is unique" + Args.mostlyText(mostly);
    }

    @Override
    public Unique withSeverity(Severity newSeverity) {
      return new Unique(column, mostly, newSeverity);
    }
  }

  /**
   * The number of distinct non-null values lies within inclusive bounds, counted exactly (every
   * distinct value is kept, as for {@link Unique}) over everything a session is fed. Values compare as
   * {@code Double.equals} does for floats (NaN is one value; -0.0 and 0.0 are two). A dataset check; on
   * data without values it compares 0.
   *
   * @param column the column
   * @param min the fewest distinct values, or null
   * @param max the most distinct values, or null
   * @param severity the severity
   */
  record DistinctCount(String column, @Nullable Long min, @Nullable Long max, Severity severity)
      implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column the column
     * @param min the fewest distinct values, or null
     * @param max the most distinct values, or null
     * @param severity the severity
     */
    public DistinctCount {
      Args.column(column, "column");
      if (min != null && min < 0) {
        throw new ConstraintArgumentException("min", "distinct_count min " + min + " is negative; use 0 or more");
      }
      Args.bounds(min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue(), true);
    }

    @Override
    public String kind() {
      return "distinct_count";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String describe() {
      return column + " has between " + (min == null ? "0" : min) + " and " + (max == null ? "any number of" : max)
          + " distinct values";
    }

    @Override
    public DistinctCount withSeverity(Severity newSeverity) {
      return new DistinctCount(column, min, max, newSeverity);
    }
  }

  /**
   * The share of one category among a column's non-null values lies within inclusive bounds, e.g. at
   * most 30% of loans are for {@code car}: counted exactly over everything a session is fed. The value
   * is compared with each cell as text ({@code 5} matches the int64 5, {@code true} the boolean).
   * Written in a contract file as one entry of the column's {@code shares} list. A dataset check;
   * without a value there is no share and it fails.
   *
   * @param column a string, int64 or boolean column
   * @param value the category
   * @param min the smallest share, in [0, 1], or null
   * @param max the largest share, in [0, 1], or null
   * @param severity the severity
   */
  record Share(String column, String value, @Nullable Double min, @Nullable Double max, Severity severity)
      implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column the column
     * @param value the category
     * @param min the smallest share, or null
     * @param max the largest share, or null
     * @param severity the severity
     */
    public Share {
      Args.column(column, "column");
      java.util.Objects.requireNonNull(value, "value");
      shareBound("min", min);
      shareBound("max", max);
      if (min == null && max == null) {
        throw new ConstraintArgumentException("max", "a share of '" + value + "' needs min, max or both");
      }
      Args.bounds(min, max, false);
    }

    @Override
    public String kind() {
      return "share";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String id() {
      return column + ".share[" + value + "]";
    }

    @Override
    public String describe() {
      return "share of " + column + " = " + value + " in " + Args.interval(min, max);
    }

    @Override
    public Share withSeverity(Severity newSeverity) {
      return new Share(column, value, min, max, newSeverity);
    }

    private static void shareBound(String property, @Nullable Double d) {
      if (d != null && !(d >= 0 && d <= 1)) {
        throw new ConstraintArgumentException(property, "a share bound must lie in [0, 1], got " + d
            + "; e.g. 0.3 for 30%");
      }
    }
  }

  /**
   * The data is recent: the latest timestamp of a timestamp column is at most {@code maxAge} before
   * the validator's clock ({@link Validator#compile(DataContract, java.util.Map, java.time.Clock)};
   * the system clock by default), read when the report is made. A dataset check over non-null values;
   * on data without a timestamp it fails, since nothing shows the data is recent. The report's
   * observed value is the age of the latest timestamp in seconds (negative when it lies in the
   * future).
   *
   * @param column a timestamp column
   * @param maxAge the oldest the latest timestamp may be, positive
   * @param severity the severity
   */
  record Freshness(String column, java.time.Duration maxAge, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a timestamp column
     * @param maxAge the largest age, positive
     * @param severity the severity
     */
    public Freshness {
      Args.column(column, "column");
      if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
        throw new ConstraintArgumentException("max_age", "freshness max_age must be a positive duration such as"
            + " PT24H, got " + maxAge);
      }
    }

    @Override
    public String kind() {
      return "freshness";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String describe() {
      return "latest " + column + " at most " + maxAge + " old";
    }

    @Override
    public Freshness withSeverity(Severity newSeverity) {
      return new Freshness(column, maxAge, newSeverity);
    }
  }

  /**
   * The number of rows lies within inclusive bounds. A dataset check; on empty data it compares 0.
   *
   * @param min minimum rows, or null
   * @param max maximum rows, or null
   * @param severity the severity
   */
  record RowCount(@Nullable Long min, @Nullable Long max, Severity severity) implements Constraint {
    /**
     * Validates the arguments.
     *
     * @param min minimum rows, or null
     * @param max maximum rows, or null
     * @param severity the severity
     */
    public RowCount {
      if (min != null && min < 0) {
        throw new ConstraintArgumentException("min", "row_count min " + min + " is negative; use 0 or more");
      }
      Args.bounds(min == null ? null : min.doubleValue(), max == null ? null : max.doubleValue(), true);
    }

    @Override
    public String kind() {
      return "row_count";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public List<String> columns() {
      return List.of();
    }

    @Override
    public String id() {
      return "row_count";
    }

    @Override
    public String describe() {
      return "row count in [" + (min == null ? "0" : min) + ", " + (max == null ? "+inf" : max) + "]";
    }

    @Override
    public RowCount withSeverity(Severity newSeverity) {
      return new RowCount(min, max, newSeverity);
    }
  }

  /**
   * The arithmetic mean of the non-null values lies within inclusive bounds. Read from the column's
   * {@link dev.mlops.stats.ColumnStatistics}, whose sums are exact, so the mean is the same to the
   * last bit on the row and batch paths and however a session was split and merged. A NaN value
   * makes the mean NaN, which fails. No values: fails.
   *
   * @param column a numeric column
   * @param min lower bound, or null
   * @param max upper bound, or null
   * @param severity the severity
   */
  record Mean(String column, @Nullable Double min, @Nullable Double max, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a numeric column
     * @param min lower bound, or null
     * @param max upper bound, or null
     * @param severity the severity
     */
    public Mean {
      Args.column(column, "column");
      Args.bounds(min, max, false);
    }

    @Override
    public String kind() {
      return "mean";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String describe() {
      return "mean(" + column + ") in " + Args.interval(min, max);
    }

    @Override
    public Mean withSeverity(Severity newSeverity) {
      return new Mean(column, min, max, newSeverity);
    }
  }

  /**
   * The <em>sample</em> standard deviation (ddof = 1, as pandas' {@code std()}) of the non-null values
   * lies within inclusive bounds, from the column statistics' exact sums (see {@link Mean}). Fewer
   * than two values: fails; a NaN value makes the statistic NaN, which fails.
   *
   * @param column a numeric column
   * @param min lower bound, or null
   * @param max upper bound, or null
   * @param severity the severity
   */
  record Stddev(String column, @Nullable Double min, @Nullable Double max, Severity severity) implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a numeric column
     * @param min lower bound, or null
     * @param max upper bound, or null
     * @param severity the severity
     */
    public Stddev {
      Args.column(column, "column");
      Args.bounds(min, max, false);
      if (min != null && min < 0) {
        throw new ConstraintArgumentException("min", "stddev min " + min + " is negative; a standard deviation is >= 0");
      }
    }

    @Override
    public String kind() {
      return "stddev";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String describe() {
      return "stddev(" + column + ") in " + Args.interval(min, max);
    }

    @Override
    public Stddev withSeverity(Severity newSeverity) {
      return new Stddev(column, min, max, newSeverity);
    }
  }

  /**
   * The {@code q}-quantile of the non-null values lies within inclusive bounds, read from the
   * column's {@link dev.mlops.stats.ColumnStatistics}. While they hold every value (up to about
   * {@code kllK} values, or a column with few distinct values) it is exact: linear interpolation
   * between the two nearest ranks, {@code h = (n - 1) q}, Hyndman and Fan type 7, numpy's default
   * ({@code numpy.quantile(x, q)}). Beyond that it is KLL's estimate with its rank error stated in
   * the result: passed when the whole 99% interval is within the bounds, failed when it is outside,
   * not evaluated ("undecided") when it straddles a bound. Any NaN value makes the quantile NaN (as
   * numpy), which fails. No values: fails.
   *
   * @param column a numeric column
   * @param q the probability, in [0, 1]
   * @param min lower bound, or null
   * @param max upper bound, or null
   * @param severity the severity
   */
  record Quantile(String column, double q, @Nullable Double min, @Nullable Double max, Severity severity)
      implements ColumnConstraint {
    /**
     * Validates the arguments.
     *
     * @param column a numeric column
     * @param q the probability
     * @param min lower bound, or null
     * @param max upper bound, or null
     * @param severity the severity
     */
    public Quantile {
      Args.column(column, "column");
      if (!(q >= 0 && q <= 1)) {
        throw new ConstraintArgumentException("q", "quantile q " + q + " is outside [0, 1]; e.g. use 0.5 for the median");
      }
      Args.bounds(min, max, false);
    }

    @Override
    public String kind() {
      return "quantile";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String id() {
      return column + ".quantile[" + q + "]";
    }

    @Override
    public String describe() {
      return "quantile(" + column + ", " + q + ") in " + Args.interval(min, max);
    }

    @Override
    public Quantile withSeverity(Severity newSeverity) {
      return new Quantile(column, q, min, max, newSeverity);
    }
  }

  /**
   * Two columns of one row compare as stated, e.g. {@code start <= end}. Numeric columns compare as
   * doubles (an int64 beyond 2^53 loses precision), strings by {@link String#compareTo}, timestamps in
   * time order. Rows where either side is null are not evaluated; a NaN on either side fails. Row
   * check.
   *
   * @param left the left column
   * @param op the operator
   * @param right the right column
   * @param mostly share of rows that must pass
   * @param severity the severity
   */
  record Compare(String left, Op op, String right, double mostly, Severity severity) implements Constraint {
    /**
     * Validates the arguments.
     *
     * @param left the left column
     * @param op the operator
     * @param right the right column
     * @param mostly share of rows that must pass
     * @param severity the severity
     */
    public Compare {
      Args.column(left, "left");
      Args.column(right, "right");
      Args.mostly(mostly);
      if (left.equals(right)) {
        throw new ConstraintArgumentException("right", "compare needs two different columns, got '" + left
            + "' on both sides");
      }
    }

    @Override
    public String kind() {
      return "compare";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public List<String> columns() {
      return List.of(left, right);
    }

    @Override
    public String id() {
      return "compare[" + left + op.symbol() + right + "]";
    }

    @Override
    public String describe() {
      return left + " " + op.symbol() + " " + right + Args.mostlyText(mostly);
    }

    @Override
    public Compare withSeverity(Severity newSeverity) {
      return new Compare(left, op, right, mostly, newSeverity);
    }
  }

  /**
   * The combination of several columns' values is unique: no two rows share the same values in all
   * of them (a composite key such as customer and day). Counted over the rows whose key columns are
   * all present (a row with a null in its key is not evaluated, as Great Expectations' default);
   * every row repeating an earlier row's key fails, exactly across every batch a session is fed.
   * Keys are compared as the columns' values are ({@code Double.equals} for floats: NaN equals NaN,
   * -0.0 differs from 0.0).
   *
   * @param columns the key's columns, at least two and all different, in the order examples show them
   * @param mostly share of evaluated rows that must be first occurrences of their key
   * @param severity the severity
   */
  record CompoundUnique(List<String> columns, double mostly, Severity severity) implements Constraint {
    /**
     * Validates the arguments and copies the list.
     *
     * @param columns the key's columns
     * @param mostly share of rows that must be first occurrences
     * @param severity the severity
     */
    public CompoundUnique {
      columns = List.copyOf(columns);
      if (columns.size() < 2) {
        throw new ConstraintArgumentException("columns", "compound_unique needs at least two columns, got "
            + columns + "; for one column use unique under the column");
      }
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String c : columns) {
        Args.column(c, "columns");
        if (!seen.add(c)) {
          throw new ConstraintArgumentException("columns", "compound_unique names column '" + c + "' twice");
        }
      }
      Args.mostly(mostly);
    }

    @Override
    public String kind() {
      return "compound_unique";
    }

    @Override
    public Scope scope() {
      return Scope.DATASET;
    }

    @Override
    public String id() {
      return "compound_unique[" + String.join(",", columns) + "]";
    }

    @Override
    public String describe() {
      return "(" + String.join(", ", columns) + ") is unique" + Args.mostlyText(mostly);
    }

    @Override
    public CompoundUnique withSeverity(Severity newSeverity) {
      return new CompoundUnique(columns, mostly, newSeverity);
    }
  }

  /**
   * A row rule that applies only to the rows a simple condition selects: {@code when country is one
   * of DE, AT, amount is in [0, 10000]}. Rows the condition does not select (the condition's column
   * null, or holding another value) are not evaluated, so they neither pass nor fail the rule and do
   * not count towards its {@code mostly}. The condition is a column and a list of values in the
   * contract's own vocabulary (as {@code allowed_values}), not an expression language; values are
   * compared with each cell as text ({@code 5} matches the int64 5).
   *
   * @param rule the row rule: not_null, range, allowed_values, regex, format, length, compare or custom
   * @param column the condition's column
   * @param in the values that select a row
   */
  record When(Constraint rule, String column, List<String> in) implements Constraint {
    /**
     * Validates the arguments and copies the list.
     *
     * @param rule the row rule
     * @param column the condition's column
     * @param in the values that select a row, at least one
     */
    public When {
      java.util.Objects.requireNonNull(rule, "rule");
      if (rule.scope() != Scope.ROW || rule instanceof When) {
        throw new ConstraintArgumentException("when", "when applies to row rules (not_null, range, allowed_values,"
            + " regex, format, length, compare, custom), not to " + rule.kind());
      }
      Args.column(column, "when");
      in = List.copyOf(in);
      if (in.isEmpty()) {
        throw new ConstraintArgumentException("when", "when on '" + column + "' needs at least one value in 'in'");
      }
    }

    @Override
    public Severity severity() {
      return rule.severity();
    }

    @Override
    public double mostly() {
      return rule.mostly();
    }

    @Override
    public String kind() {
      return rule.kind();
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public List<String> columns() {
      List<String> cols = new java.util.ArrayList<>(rule.columns());
      if (!cols.contains(column)) {
        cols.add(column);
      }
      return List.copyOf(cols);
    }

    @Override
    public String id() {
      return rule.id() + "[when " + column + " in " + in + "]";
    }

    @Override
    public String describe() {
      return rule.describe() + ", when " + column + " in " + in;
    }

    @Override
    public When withSeverity(Severity newSeverity) {
      return new When(rule.withSeverity(newSeverity), column, in);
    }
  }

  /**
   * A predicate written in Java, bound by name when the contract is compiled
   * ({@link Validator#compile(DataContract, java.util.Map)}); the contract file holds only its name,
   * the columns it reads and a description. Row check over every row.
   *
   * @param name the predicate's name, unique within the contract
   * @param columns the columns it reads (checked against the schema; drift in them skips it)
   * @param description what it checks, for people
   * @param mostly share of rows that must pass
   * @param severity the severity
   */
  record Custom(String name, List<String> columns, String description, double mostly, Severity severity)
      implements Constraint {
    /**
     * Validates the arguments.
     *
     * @param name the predicate's name
     * @param columns the columns it reads
     * @param description what it checks
     * @param mostly share of rows that must pass
     * @param severity the severity
     */
    public Custom {
      Args.column(name, "name");
      columns = List.copyOf(columns);
      for (String c : columns) {
        Args.column(c, "columns");
      }
      Args.mostly(mostly);
    }

    @Override
    public String kind() {
      return "custom";
    }

    @Override
    public Scope scope() {
      return Scope.ROW;
    }

    @Override
    public String id() {
      return "custom[" + name + "]";
    }

    @Override
    public String describe() {
      return name + (description.isEmpty() ? "" : ": " + description) + Args.mostlyText(mostly);
    }

    @Override
    public Custom withSeverity(Severity newSeverity) {
      return new Custom(name, columns, description, mostly, newSeverity);
    }
  }

  // ---------------------------------------------------------------- factories with common defaults

  /**
   * {@code column} is never null (ERROR).
   *
   * @param column the column
   * @return the constraint
   */
  static NotNull notNull(String column) {
    return new NotNull(column, 1.0, Severity.ERROR);
  }

  /**
   * {@code column} in {@code [min, max]} (ERROR); a null bound is open.
   *
   * @param column the column
   * @param min lower bound, or null
   * @param max upper bound, or null
   * @return the constraint
   */
  static Range range(String column, @Nullable Double min, @Nullable Double max) {
    return new Range(column, min, max, false, false, 1.0, Severity.ERROR);
  }

  /**
   * {@code column} is one of {@code values} (ERROR).
   *
   * @param column the column
   * @param values the allowed values as text
   * @return the constraint
   */
  static AllowedValues allowedValues(String column, String... values) {
    return new AllowedValues(column, List.of(values), 1.0, Severity.ERROR);
  }

  /**
   * {@code column} matches {@code regex} in full (ERROR).
   *
   * @param column the column
   * @param regex the expression
   * @return the constraint
   */
  static Regex regex(String column, String regex) {
    return new Regex(column, regex, 1.0, Severity.ERROR);
  }

  /**
   * {@code column} is unique (ERROR).
   *
   * @param column the column
   * @return the constraint
   */
  static Unique unique(String column) {
    return new Unique(column, 1.0, Severity.ERROR);
  }

  /**
   * {@code left op right} on every row (ERROR).
   *
   * @param left the left column
   * @param op the operator symbol, e.g. {@code "<="}
   * @param right the right column
   * @return the constraint
   */
  static Compare compare(String left, String op, String right) {
    return new Compare(left, Op.parse(op), right, 1.0, Severity.ERROR);
  }
}
