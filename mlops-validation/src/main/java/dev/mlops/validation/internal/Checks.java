package dev.mlops.validation.internal;

import com.google.re2j.Pattern;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Printable;
import dev.mlops.stats.ColumnStatistics;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.stats.QuantileEstimate;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.ConstraintResult;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.util.MemoryUtil;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.VarCharVector;
import org.jspecify.annotations.Nullable;

/** Compiles constraints into {@link Check}s bound to column positions of a data schema. */
public final class Checks {
  private Checks() {}

  /**
   * Compiles one constraint against a data schema whose columns it reads are present with the
   * contract's types.
   *
   * @param c the constraint
   * @param data the data schema
   * @param predicate the Java predicate of a {@link Constraint.Custom}, else null
   * @param settings the clock and memory limit the validator's checks share
   * @return the check
   */
  public static Check compile(Constraint c, Schema data, @Nullable Predicate<Row> predicate, Settings settings) {
    return compileOne(c, data, predicate, settings).withKeyMemoryLimit(settings.keyMemoryLimit());
  }

  /**
   * What a validator's checks share.
   *
   * @param clock what {@code freshness} compares the latest timestamp with
   * @param keyMemoryLimit the bytes each rule that keeps distinct keys ({@code unique},
   *     {@code compound_unique}, {@code distinct_count}) may hold, estimated
   * @param statistics the sketch sizes of the column statistics that mean, stddev and quantile rules
   *     read
   */
  public record Settings(java.time.Clock clock, long keyMemoryLimit, ProfileOptions statistics) {
    /**
     * Validates the settings.
     *
     * @param clock the clock
     * @param keyMemoryLimit the limit, positive
     */
    public Settings {
      java.util.Objects.requireNonNull(clock, "clock");
      java.util.Objects.requireNonNull(statistics, "statistics");
      if (keyMemoryLimit <= 0) {
        throw new IllegalArgumentException("the key memory limit must be positive, got " + keyMemoryLimit);
      }
    }
  }

  private static Check compileOne(Constraint c, Schema data, @Nullable Predicate<Row> predicate,
      Settings settings) {
    java.time.Clock clock = settings.clock();
    ProfileOptions stats = settings.statistics();
    if (c instanceof Constraint.When w) {
      return new WhenCheck(w, (RowCheck) compileOne(w.rule(), data, predicate, settings), data.indexOf(w.column()));
    }
    if (c instanceof Constraint.NotNull n) {
      return new NotNullCheck(n, data.indexOf(n.column()));
    } else if (c instanceof Constraint.Range r) {
      return new RangeCheck(r, data.indexOf(r.column()));
    } else if (c instanceof Constraint.AllowedValues a) {
      int pos = data.indexOf(a.column());
      return switch (data.field(pos).type().kind()) {
        case INT64 -> new AllowedLongs(a, pos);
        case BOOLEAN -> new AllowedBooleans(a, pos);
        default -> new AllowedStrings(a, pos);
      };
    } else if (c instanceof Constraint.Regex r) {
      return new RegexCheck(r, data.indexOf(r.column()));
    } else if (c instanceof Constraint.Format f) {
      return new FormatCheck(f, data.indexOf(f.column()));
    } else if (c instanceof Constraint.Length l) {
      return new LengthCheck(l, data.indexOf(l.column()));
    } else if (c instanceof Constraint.Unique u) {
      return new UniqueCheck(u, data.indexOf(u.column()));
    } else if (c instanceof Constraint.Share sh) {
      return new ShareCheck(sh, data.indexOf(sh.column()));
    } else if (c instanceof Constraint.Freshness f) {
      return new FreshnessCheck(f, data.indexOf(f.column()), clock);
    } else if (c instanceof Constraint.DistinctCount d) {
      return new UniqueCheck(d, data.indexOf(d.column()));
    } else if (c instanceof Constraint.RowCount rc) {
      return new RowCountCheck(rc);
    } else if (c instanceof Constraint.Mean m) {
      return new MomentCheck(m, data, data.indexOf(m.column()), stats, false, m.min(), m.max());
    } else if (c instanceof Constraint.Stddev s) {
      return new MomentCheck(s, data, data.indexOf(s.column()), stats, true, s.min(), s.max());
    } else if (c instanceof Constraint.Quantile q) {
      return new QuantileCheck(q, data, data.indexOf(q.column()), stats);
    } else if (c instanceof Constraint.Compare cmp) {
      return new CompareCheck(cmp, data);
    } else if (c instanceof Constraint.CompoundUnique cu) {
      return new CompoundUniqueCheck(cu, data);
    } else if (c instanceof Constraint.Custom cu) {
      if (predicate == null) {
        throw new IllegalStateException("custom constraint '" + cu.name() + "' has no predicate");
      }
      return new CustomCheck(cu, data, predicate);
    }
    throw new IllegalStateException("unhandled constraint " + c);
  }

  /**
   * The row checks of a plan grouped by kind, so that the request path's loop over a passing row
   * makes no megamorphic call: each loop below calls one final class, which the JIT inlines. Only
   * decides pass or fail; a failing row is then checked again in contract order to list its
   * violations.
   */
  public static final class RowProgram {
    private final int[] notNull;
    // inclusive ranges as primitive arrays, an exclusive finite bound as the next double inward
    // (v > lo exactly when v >= Math.nextUp(lo)); NaN fails both comparisons, as RangeCheck says
    private final int[] rangeAt;
    private final double[] rangeLo;
    private final double[] rangeHi;
    private final AllowedStrings[] strings;
    private final RowCheck[] others;

    /**
     * Groups row checks.
     *
     * @param checks the plan's row checks, in contract order
     */
    public RowProgram(RowCheck[] checks) {
      List<Integer> nn = new java.util.ArrayList<>();
      List<Integer> rangePositions = new java.util.ArrayList<>();
      List<double[]> rangeBounds = new java.util.ArrayList<>();
      List<AllowedStrings> as = new java.util.ArrayList<>();
      List<RowCheck> os = new java.util.ArrayList<>();
      for (RowCheck c : checks) {
        if (c instanceof NotNullCheck n) {
          nn.add(n.pos);
        } else if (c instanceof RangeCheck r && r.inclusiveBounds() != null) {
          rangePositions.add(r.pos);
          rangeBounds.add(r.inclusiveBounds());
        } else if (c instanceof AllowedStrings a) {
          as.add(a);
        } else {
          os.add(c);
        }
      }
      this.notNull = nn.stream().mapToInt(Integer::intValue).toArray();
      this.rangeAt = rangePositions.stream().mapToInt(Integer::intValue).toArray();
      this.rangeLo = rangeBounds.stream().mapToDouble(b -> b[0]).toArray();
      this.rangeHi = rangeBounds.stream().mapToDouble(b -> b[1]).toArray();
      this.strings = as.toArray(new AllowedStrings[0]);
      this.others = os.toArray(new RowCheck[0]);
    }

    /**
     * Whether no row check fails on the row (allocates nothing for the built-in kinds).
     *
     * @param r the row
     * @return true when every row check passes or skips
     */
    public boolean passes(Row r) {
      for (int p : notNull) {
        if (r.isNull(p)) {
          return false;
        }
      }
      int[] at = rangeAt;
      double[] lo = rangeLo;
      double[] hi = rangeHi;
      for (int k = 0; k < at.length; k++) {
        int p = at[k];
        if (!r.isNull(p)) {
          double v = r.getDouble(p);
          if (!(v >= lo[k] && v <= hi[k])) {
            return false;
          }
        }
      }
      for (AllowedStrings c : strings) {
        if (c.test(r) == Check.FAIL) {
          return false;
        }
      }
      for (RowCheck c : others) {
        if (c.test(r) == Check.FAIL) {
          return false;
        }
      }
      return true;
    }
  }

  // ------------------------------------------------------------------------------------ row checks


  /**
   * {@code count} (1 to 64) validity bits of a vector starting at row {@code row}, bit t for row
   * {@code row + t}, 1 where the value is present. Reads one or two little-endian words where the
   * buffer has them and bytes at its end (a vector read from a file may have a validity buffer of
   * exactly its rows' bytes).
   */
  static long validityBits(ArrowBuf validity, long row, int count) {
    long at = row >>> 3;
    int shift = (int) (row & 7);
    long word;
    if (at + 9 <= validity.capacity()) {
      word = validity.getLong(at) >>> shift;
      if (shift + count > 64) {
        word |= (long) (validity.getByte(at + 8) & 0xff) << (64 - shift);
      }
    } else {
      word = 0;
      for (int t = 0; t < count; t++) {
        long r = row + t;
        word |= (long) (validity.getByte(r >>> 3) >> (r & 7) & 1) << t;
      }
    }
    return count == 64 ? word : word & ((1L << count) - 1);
  }

  /** Base of row checks over one column: the example value is the cell. */
  private abstract static class ColumnRowCheck extends RowCheck {
    final int pos;

    ColumnRowCheck(Constraint c, int pos) {
      super(c);
      this.pos = pos;
    }

    @Override
    public final String value(Row r) {
      return text(r.get(pos));
    }

    @Override
    public final String value(Batch b, int i) {
      return text(b.get(pos, i));
    }
  }

  private static final class NotNullCheck extends ColumnRowCheck {
    NotNullCheck(Constraint.NotNull c, int pos) {
      super(c, pos);
    }

    @Override
    public int test(Row r) {
      return r.isNull(pos) ? FAIL : PASS;
    }

    @Override
    public int test(Batch b, int i) {
      return b.isNull(pos, i) ? FAIL : PASS;
    }

    /** Counts the slice's nulls from its validity words; only the null rows are visited one by one. */
    @Override
    boolean observeColumn(Batch b, State s) {
      FieldVector v = b.vector(pos);
      int n = b.rowCount();
      int first = b.offset();
      ArrowBuf validity = v.getValidityBuffer();
      if (validity.capacity() == 0 && v.getNullCount() != 0) {
        return false;
      }
      s.evaluated += n;
      if (n == 0 || validity.capacity() == 0) {
        return true;
      }
      for (int i = 0; i < n; i += 64) {
        int count = Math.min(64, n - i);
        long word = validityBits(validity, (long) first + i, count);
        if (Long.bitCount(word) != count) {
          for (int t = 0; t < count; t++) {
            if ((word >>> t & 1) == 0) {
              failed(b, i + t, s);
            }
          }
        }
      }
      return true;
    }
  }

  private static final class RangeCheck extends ColumnRowCheck {
    // The bounds as primitives: an absent bound is an inclusive infinity, which every non-NaN value
    // meets, and NaN fails every comparison, as Constraint.Range.contains says.
    private final double lo;
    private final double hi;
    private final boolean loExclusive;
    private final boolean hiExclusive;

    RangeCheck(Constraint.Range c, int pos) {
      super(c, pos);
      this.lo = c.min() == null ? Double.NEGATIVE_INFINITY : c.min();
      this.hi = c.max() == null ? Double.POSITIVE_INFINITY : c.max();
      this.loExclusive = c.min() != null && c.minExclusive();
      this.hiExclusive = c.max() != null && c.maxExclusive();
    }

    boolean contains(double v) {
      return (loExclusive ? v > lo : v >= lo) && (hiExclusive ? v < hi : v <= hi);
    }

    /**
     * The bounds as an inclusive pair that {@link #contains} agrees with on every double, or null
     * where an exclusive bound is infinite (no double lies beyond it).
     */
    double @Nullable [] inclusiveBounds() {
      if (loExclusive && Double.isInfinite(lo) || hiExclusive && Double.isInfinite(hi)) {
        return null;
      }
      return new double[] {loExclusive ? Math.nextUp(lo) : lo, hiExclusive ? Math.nextDown(hi) : hi};
    }

    @Override
    public int test(Row r) {
      return r.isNull(pos) ? SKIP : contains(r.getDouble(pos)) ? PASS : FAIL;
    }

    @Override
    public int test(Batch b, int i) {
      return b.isNull(pos, i) ? SKIP : contains(b.getDouble(pos, i)) ? PASS : FAIL;
    }

    /**
     * A float64 column read from its Arrow buffers: the values in place, by address, after one check
     * that the value buffer holds every row of the batch (what {@code ArrowBuf.getDouble} would check
     * on every value, which costs more than the comparison), and the validity bitmap 64 rows at a
     * time; a block whose values all pass is counted without visiting them again. Other types, and a
     * buffer shorter than its rows, take the per-cell path.
     */
    @Override
    boolean observeColumn(Batch b, State s) {
      if (!(b.vector(pos) instanceof Float8Vector v)) {
        return false;
      }
      int n = b.rowCount();
      if (n == 0) {
        return true;
      }
      int first = b.offset();
      ArrowBuf data = v.getDataBuffer();
      if (data.capacity() < ((long) first + n) << 3) {
        return false;
      }
      long address = data.memoryAddress() + ((long) first << 3);
      ArrowBuf validity = v.getValidityBuffer();
      boolean noNulls = v.getNullCount() == 0;
      long evaluated = 0;
      for (int k = 0; k < n; k += 64) {
        int count = Math.min(64, n - k);
        long word = noNulls ? -1L : validityBits(validity, (long) first + k, count);
        boolean allValid = noNulls || Long.bitCount(word) == count;
        long at = address + ((long) k << 3);
        if (allValid) {
          evaluated += count;
          int bad = 0;
          for (int t = 0; t < count; t++) {
            bad += contains(Double.longBitsToDouble(MemoryUtil.getLong(at + ((long) t << 3)))) ? 0 : 1;
          }
          if (bad == 0) {
            continue;
          }
        } else {
          evaluated += Long.bitCount(word);
        }
        for (int t = 0; t < count; t++) {
          if ((allValid || (word >>> t & 1) != 0)
              && !contains(Double.longBitsToDouble(MemoryUtil.getLong(at + ((long) t << 3))))) {
            failed(b, k + t, s);
          }
        }
      }
      s.evaluated += evaluated;
      return true;
    }
  }

  /** Row checks over a string column. */
  private abstract static class StringCheck extends ColumnRowCheck {
    StringCheck(Constraint c, int pos) {
      super(c, pos);
    }

    abstract boolean accepts(String s);

    @Override
    public final int test(Row r) {
      String s = r.getString(pos);
      return s == null ? SKIP : accepts(s) ? PASS : FAIL;
    }

    @Override
    public final int test(Batch b, int i) {
      String s = b.getString(pos, i);
      return s == null ? SKIP : accepts(s) ? PASS : FAIL;
    }
  }

  private static final class AllowedStrings extends ColumnRowCheck {
    private final Set<String> allowed;
    private final Utf8Set bytes;

    AllowedStrings(Constraint.AllowedValues c, int pos) {
      super(c, pos);
      this.allowed = new HashSet<>(c.values());
      this.bytes = new Utf8Set(c.values());
    }

    @Override
    public int test(Row r) {
      String s = r.getString(pos);
      return s == null ? SKIP : allowed.contains(s) ? PASS : FAIL;
    }

    /** Looks the UTF-8 bytes up in place: no string is decoded. */
    @Override
    public int test(Batch b, int i) {
      VarCharVector v = (VarCharVector) b.vector(pos);
      int index = b.offset() + i;
      return v.isNull(index) ? SKIP : bytes.contains(v, index) ? PASS : FAIL;
    }
  }

  /** A contract pattern matched through {@link FullMatcher}: without allocating where it can be. */
  private static final class RegexCheck extends StringCheck {
    private final FullMatcher matcher;

    RegexCheck(Constraint.Regex c, int pos) {
      super(c, pos);
      this.matcher = FullMatcher.of(ContractRegex.compile(c.column(), c.regex()));
    }

    @Override
    boolean accepts(String s) {
      return matcher.matches(s);
    }
  }

  /** A named format: a linear-time pattern, or a java.time or java.net parser where a pattern cannot tell. */
  static final class FormatCheck extends StringCheck {
    private static final String LABEL = "[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?";
    static final FullMatcher EMAIL = FullMatcher.of(Pattern.compile(
        "[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@" + LABEL + "(?:\\." + LABEL + ")*"));
    static final FullMatcher UUID = FullMatcher.of(Pattern.compile(
        "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}"));
    private static final java.time.format.DateTimeFormatter DATE = java.time.format.DateTimeFormatter
        .ofPattern("uuuu-MM-dd").withResolverStyle(java.time.format.ResolverStyle.STRICT);
    private static final java.time.format.DateTimeFormatter DATE_TIME = java.time.format.DateTimeFormatter
        .ISO_DATE_TIME.withResolverStyle(java.time.format.ResolverStyle.STRICT);

    private final String format;

    FormatCheck(Constraint.Format c, int pos) {
      super(c, pos);
      this.format = c.format();
    }

    @Override
    boolean accepts(String s) {
      return switch (format) {
        case "email" -> EMAIL.matches(s);
        case "uuid" -> s.length() == 36 && UUID.matches(s);
        case "iso_date" -> parses(s, DATE);
        case "iso_datetime" -> parses(s, DATE_TIME);
        case "url" -> url(s);
        default -> throw new IllegalStateException("unhandled format " + format);
      };
    }

    private static boolean parses(String s, java.time.format.DateTimeFormatter f) {
      try {
        f.parse(s);
        return true;
      } catch (java.time.format.DateTimeParseException e) {
        return false;
      }
    }

    private static boolean url(String s) {
      try {
        java.net.URI u = new java.net.URI(s);
        String scheme = u.getScheme();
        return u.isAbsolute() && u.getHost() != null && scheme != null
            && (scheme.equalsIgnoreCase("http") || scheme.equalsIgnoreCase("https"));
      } catch (java.net.URISyntaxException e) {
        return false;
      }
    }
  }

  private static final class LengthCheck extends StringCheck {
    private final int min;
    private final int max;

    LengthCheck(Constraint.Length c, int pos) {
      super(c, pos);
      this.min = c.min() == null ? 0 : c.min();
      this.max = c.max() == null ? Integer.MAX_VALUE : c.max();
    }

    @Override
    boolean accepts(String s) {
      int n = s.codePointCount(0, s.length());
      return n >= min && n <= max;
    }
  }

  private static final class AllowedLongs extends ColumnRowCheck {
    private final long[] sorted;

    AllowedLongs(Constraint.AllowedValues c, int pos) {
      super(c, pos);
      this.sorted = c.values().stream().mapToLong(v -> Long.parseLong(v.trim())).sorted().toArray();
    }

    @Override
    public int test(Row r) {
      return r.isNull(pos) ? SKIP : Arrays.binarySearch(sorted, r.getLong(pos)) >= 0 ? PASS : FAIL;
    }

    @Override
    public int test(Batch b, int i) {
      return b.isNull(pos, i) ? SKIP : Arrays.binarySearch(sorted, b.getLong(pos, i)) >= 0 ? PASS : FAIL;
    }
  }

  private static final class AllowedBooleans extends ColumnRowCheck {
    private final boolean allowTrue;
    private final boolean allowFalse;

    AllowedBooleans(Constraint.AllowedValues c, int pos) {
      super(c, pos);
      this.allowTrue = c.values().contains("true");
      this.allowFalse = c.values().contains("false");
    }

    @Override
    public int test(Row r) {
      return r.isNull(pos) ? SKIP : (r.getBoolean(pos) ? allowTrue : allowFalse) ? PASS : FAIL;
    }

    @Override
    public int test(Batch b, int i) {
      return b.isNull(pos, i) ? SKIP : (b.getBoolean(pos, i) ? allowTrue : allowFalse) ? PASS : FAIL;
    }
  }

  private static final class CompareCheck extends RowCheck {
    private final Constraint.Op op;
    private final int left;
    private final int right;
    private final String leftName;
    private final String rightName;
    private final DataType.Kind mode;

    CompareCheck(Constraint.Compare c, Schema data) {
      super(c);
      this.op = c.op();
      this.left = data.indexOf(c.left());
      this.right = data.indexOf(c.right());
      this.leftName = c.left();
      this.rightName = c.right();
      DataType lt = data.field(left).type();
      this.mode = lt.isNumeric() ? DataType.Kind.FLOAT64 : lt.kind();
    }

    private int numeric(double a, double b) {
      if (Double.isNaN(a) || Double.isNaN(b)) {
        return FAIL;
      }
      return op.holds(a < b ? -1 : a > b ? 1 : 0) ? PASS : FAIL;
    }

    @Override
    public int test(Row r) {
      if (r.isNull(left) || r.isNull(right)) {
        return SKIP;
      }
      return switch (mode) {
        case FLOAT64 -> numeric(r.getDouble(left), r.getDouble(right));
        case STRING -> op.holds(Integer.signum(nonNull(r.getString(left)).compareTo(nonNull(r.getString(right)))))
            ? PASS : FAIL;
        default -> op.holds(nonNull(r.getInstant(left)).compareTo(nonNull(r.getInstant(right)))) ? PASS : FAIL;
      };
    }

    @Override
    public int test(Batch b, int i) {
      if (b.isNull(left, i) || b.isNull(right, i)) {
        return SKIP;
      }
      return switch (mode) {
        case FLOAT64 -> numeric(b.getDouble(left, i), b.getDouble(right, i));
        case STRING -> op.holds(Integer.signum(nonNull(b.getString(left, i)).compareTo(nonNull(b.getString(right, i)))))
            ? PASS : FAIL;
        default -> op.holds(nonNull(b.getInstant(left, i)).compareTo(nonNull(b.getInstant(right, i)))) ? PASS : FAIL;
      };
    }

    @Override
    public String value(Row r) {
      return leftName + "=" + text(r.get(left)) + ", " + rightName + "=" + text(r.get(right));
    }

    @Override
    public String value(Batch b, int i) {
      return leftName + "=" + text(b.get(left, i)) + ", " + rightName + "=" + text(b.get(right, i));
    }
  }

  private static <T> T nonNull(@Nullable T v) {
    if (v == null) {
      throw new IllegalStateException("null after a null check");
    }
    return v;
  }

  private static final class CustomCheck extends RowCheck {
    private final Predicate<Row> predicate;
    private final int[] columns;
    private final List<String> names;
    private final String name;

    CustomCheck(Constraint.Custom c, Schema data, Predicate<Row> predicate) {
      super(c);
      this.predicate = predicate;
      this.names = c.columns();
      this.columns = c.columns().stream().mapToInt(data::indexOf).toArray();
      this.name = c.name();
    }

    @Override
    public int test(Row r) {
      boolean ok;
      try {
        ok = predicate.test(r);
      } catch (RuntimeException e) {
        throw new MlopsException(Printable.of("custom predicate '" + name + "' threw " + e + " on " + r
            + "; make the predicate total (return false instead of throwing)"), e);
      }
      return ok ? PASS : FAIL;
    }

    @Override
    public int test(Batch b, int i) {
      return test(b.row(i));
    }

    @Override
    public String value(Row r) {
      if (columns.length == 0) {
        return text(r);
      }
      StringBuilder sb = new StringBuilder();
      for (int k = 0; k < columns.length; k++) {
        sb.append(k == 0 ? "" : ", ").append(names.get(k)).append('=').append(text(r.get(columns[k])));
      }
      return sb.toString();
    }

    @Override
    public String value(Batch b, int i) {
      return value(b.row(i));
    }
  }

  // -------------------------------------------------------------------------------- dataset checks

  /**
   * The distinct non-null values of a column, kept exactly: for {@code unique} every repeat fails,
   * for {@code distinct_count} the values are only counted.
   */
  private static final class UniqueCheck extends Check {
    @Override
    public boolean keepsKeys() {
      return true;
    }

    private final int pos;
    private final Constraint.@Nullable DistinctCount count;

    UniqueCheck(Constraint.Unique c, int pos) {
      super(c);
      this.pos = pos;
      this.count = null;
    }

    UniqueCheck(Constraint.DistinctCount c, int pos) {
      super(c);
      this.pos = pos;
      this.count = c;
    }

    private void repeated(long repeat, @Nullable Object key, State s) {
      if (repeat >= 0 && count == null) {
        s.fail(repeat, text(key));
      }
    }

    private void see(@Nullable Object key, long row, State s) {
      if (key != null) {
        s.evaluated++;
        if (!s.keysElsewhere) {
          repeated(s.seen().offer(key, row), key, s);
        }
      }
    }

    @Override
    public void observe(Row r, long row, State s) {
      see(r.get(pos), row, s);
    }

    @Override
    public void observe(Batch b, int i, State s) {
      see(b.get(pos, i), s.offset + i, s);
    }

    /** An int64 or float64 column's keys read from the vector, unboxed; other types per cell. */
    @Override
    public void observeAll(Batch b, State s) {
      FieldVector v = b.vector(pos);
      boolean longs = v instanceof BigIntVector;
      if (s.keysElsewhere || !longs && !(v instanceof Float8Vector)) {
        super.observeAll(b, s);
        return;
      }
      int n = b.rowCount();
      int first = b.offset();
      ArrowBuf data = v.getDataBuffer();
      UniqueKeys seen = s.seen();
      for (int i = 0; i < n; i++) {
        int j = first + i;
        if (v.isNull(j)) {
          continue;
        }
        s.evaluated++;
        long row = s.offset + i;
        long repeat = longs ? seen.offerLong(data.getLong((long) j << 3), row)
            : seen.offerDouble(data.getDouble((long) j << 3), row);
        if (repeat >= 0 && count == null) {
          s.fail(repeat, text(b.get(pos, i)));
        }
      }
    }

    @Override
    public ConstraintResult result(State s) {
      Constraint.DistinctCount dc = count;
      if (dc == null) {
        return countedResult(s);
      }
      UniqueKeys seen = s.seen;
      ConstraintResult pending = keysPending(s);
      if (pending != null) {
        return pending;
      }
      double distinct = s.keysElsewhere ? Math.max(0, s.distinctElsewhere) : seen == null ? 0 : seen.size();
      return statisticResult(s, distinct,
          dc.min() == null ? null : dc.min().doubleValue(), dc.max() == null ? null : dc.max().doubleValue(),
          "distinct count", "");
    }
  }

  /** A row rule applied to the rows whose condition column holds one of the listed values. */
  private static final class WhenCheck extends RowCheck {
    private final RowCheck rule;
    private final int pos;
    private final Set<String> in;

    WhenCheck(Constraint.When c, RowCheck rule, int pos) {
      super(c);
      this.rule = rule;
      this.pos = pos;
      this.in = Set.copyOf(c.in());
    }

    private boolean selects(@Nullable Object v) {
      return v != null && in.contains(v.toString());
    }

    @Override
    public int test(Row r) {
      return selects(r.get(pos)) ? rule.test(r) : SKIP;
    }

    @Override
    public int test(Batch b, int i) {
      return selects(b.get(pos, i)) ? rule.test(b, i) : SKIP;
    }

    @Override
    public String value(Row r) {
      return rule.value(r);
    }

    @Override
    public String value(Batch b, int i) {
      return rule.value(b, i);
    }
  }

  /** The count of one category among the non-null values. */
  private static final class ShareCheck extends Check {
    private final int pos;
    private final Constraint.Share share;

    ShareCheck(Constraint.Share c, int pos) {
      super(c);
      this.pos = pos;
      this.share = c;
    }

    private void see(@Nullable Object v, State s) {
      if (v != null) {
        s.evaluated++;
        if (share.value().equals(v.toString())) {
          s.matches++;
        }
      }
    }

    @Override
    public void observe(Row r, long row, State s) {
      see(r.get(pos), s);
    }

    @Override
    public void observe(Batch b, int i, State s) {
      see(b.get(pos, i), s);
    }

    @Override
    public ConstraintResult result(State s) {
      return statisticResult(s, s.evaluated == 0 ? null : (double) s.matches / s.evaluated, share.min(), share.max(),
          "share of '" + share.value() + "'", "the column has no non-null values");
    }
  }

  /** The latest timestamp, compared with the clock when the result is taken. */
  private static final class FreshnessCheck extends Check {
    private final int pos;
    private final Constraint.Freshness fresh;
    private final java.time.Clock clock;

    FreshnessCheck(Constraint.Freshness c, int pos, java.time.Clock clock) {
      super(c);
      this.pos = pos;
      this.fresh = c;
      this.clock = clock;
    }

    private void see(java.time.@Nullable Instant t, State s) {
      if (t != null) {
        s.evaluated++;
        s.latest(t);
      }
    }

    @Override
    public void observe(Row r, long row, State s) {
      see((java.time.Instant) r.get(pos), s);
    }

    @Override
    public void observe(Batch b, int i, State s) {
      see(b.getInstant(pos, i), s);
    }

    @Override
    public ConstraintResult result(State s) {
      java.time.Instant latest = s.latest;
      if (latest == null) {
        return statisticResult(s, null, null, null, "age of the latest " + fresh.column(),
            "the column has no timestamp, so nothing shows the data is recent");
      }
      java.time.Duration age = java.time.Duration.between(latest, clock.instant());
      double seconds = age.getSeconds() + age.getNano() / 1e9;
      double max = fresh.maxAge().getSeconds() + fresh.maxAge().getNano() / 1e9;
      return statisticResult(s, seconds, null, max, "age in seconds of the latest " + fresh.column() + " ("
          + latest + ")", "");
    }
  }

  /** A composite key: the row's values of the key columns as a list, skipped when one is null. */
  private static final class CompoundUniqueCheck extends Check {
    @Override
    public boolean keepsKeys() {
      return true;
    }

    private final int[] pos;
    private final List<String> names;

    CompoundUniqueCheck(Constraint.CompoundUnique c, Schema data) {
      super(c);
      this.names = c.columns();
      this.pos = names.stream().mapToInt(data::indexOf).toArray();
    }

    private void see(@Nullable Object[] key, long row, State s) {
      for (Object k : key) {
        if (k == null) {
          return;
        }
      }
      s.evaluated++;
      if (s.keysElsewhere) {
        return;
      }
      List<Object> k = java.util.Arrays.asList(key);
      long repeat = s.seen().offer(k, row);
      if (repeat >= 0) {
        s.fail(repeat, keyText(k));
      }
    }

    @Override
    public void observe(Row r, long row, State s) {
      Object[] key = new Object[pos.length];
      for (int j = 0; j < pos.length; j++) {
        key[j] = r.get(pos[j]);
      }
      see(key, row, s);
    }

    @Override
    public void observe(Batch b, int i, State s) {
      Object[] key = new Object[pos.length];
      for (int j = 0; j < pos.length; j++) {
        key[j] = b.get(pos[j], i);
      }
      see(key, s.offset + i, s);
    }

    /** {@code customer=7, day=2026-12-01}, as {@link CompareCheck} shows its two values. */
    @Override
    public String keyText(Object key) {
      List<?> values = (List<?>) key;
      StringBuilder sb = new StringBuilder();
      for (int j = 0; j < values.size(); j++) {
        sb.append(j == 0 ? "" : ", ").append(names.get(j)).append('=').append(values.get(j));
      }
      return text(sb.toString());
    }

    @Override
    public ConstraintResult result(State s) {
      return countedResult(s);
    }
  }

  private static final class RowCountCheck extends Check {
    private final Constraint.RowCount rc;

    RowCountCheck(Constraint.RowCount c) {
      super(c);
      this.rc = c;
    }

    @Override
    public void observe(Row r, long row, State s) {
      s.evaluated++;
    }

    @Override
    public void observe(Batch b, int i, State s) {
      s.evaluated++;
    }

    @Override
    public void observeAll(Batch b, State s) {
      s.evaluated += b.rowCount();
    }

    @Override
    public ConstraintResult result(State s) {
      return statisticResult(s, (double) s.evaluated, rc.min() == null ? null : rc.min().doubleValue(),
          rc.max() == null ? null : rc.max().doubleValue(), "row count", "");
    }
  }

  /**
   * Dataset statistics over the non-null values of one numeric column, read from the column's
   * {@link ColumnStatistics}: the check's own, or in a profiling session the session's (then the
   * session feeds them and the check only counts).
   */
  private abstract static class NumericStatistic extends Check {
    final int pos;
    private final Field field;
    private final ProfileOptions options;

    NumericStatistic(Constraint c, Schema data, int pos, ProfileOptions options) {
      super(c);
      this.pos = pos;
      this.field = data.field(pos);
      this.options = options;
    }

    @Override
    public final int statisticsColumn() {
      return pos;
    }

    final ColumnStatistics stats(State s) {
      return s.statistics(field, options);
    }

    @Override
    public final void observe(Row r, long row, State s) {
      if (!r.isNull(pos)) {
        s.evaluated++;
        if (!s.sharedStatistics()) {
          stats(s).addDouble(r.getDouble(pos));
        }
      }
    }

    @Override
    public final void observe(Batch b, int i, State s) {
      if (!b.isNull(pos, i)) {
        s.evaluated++;
        if (!s.sharedStatistics()) {
          stats(s).addDouble(b.getDouble(pos, i));
        }
      }
    }
  }

  /** Mean or sample standard deviation, from the column statistics' exact moments, as NumPy. */
  private static final class MomentCheck extends NumericStatistic {
    private final boolean stddev;
    private final @Nullable Double min;
    private final @Nullable Double max;

    MomentCheck(Constraint c, Schema data, int pos, ProfileOptions options, boolean stddev, @Nullable Double min,
        @Nullable Double max) {
      super(c, data, pos, options);
      this.stddev = stddev;
      this.min = min;
      this.max = max;
    }

    @Override
    public ConstraintResult result(State s) {
      long n = s.evaluated;
      ColumnStatistics st = stats(s);
      boolean nonFinite = st.nanCount() + st.positiveInfinityCount() + st.negativeInfinityCount() > 0;
      if (stddev) {
        Double obs = n < 2 ? null : nonFinite ? Double.NaN : st.stddev(1);
        return statisticResult(s, obs, min, max, "sample stddev", "it needs at least 2 non-null values, got " + n);
      }
      Double obs;
      if (n == 0) {
        obs = null;
      } else if (st.nanCount() > 0 || st.positiveInfinityCount() > 0 && st.negativeInfinityCount() > 0) {
        obs = Double.NaN;
      } else if (st.positiveInfinityCount() > 0) {
        obs = Double.POSITIVE_INFINITY;
      } else if (st.negativeInfinityCount() > 0) {
        obs = Double.NEGATIVE_INFINITY;
      } else {
        obs = st.mean();
      }
      return statisticResult(s, obs, min, max, "mean", "the column has no non-null values");
    }
  }

  /**
   * A quantile bound: exact while the column statistics hold every value, else decided from KLL's
   * interval (the true quantile lies within the estimates at {@code q -+ rankError} at 99%
   * confidence): passed when the interval is inside the bounds, failed when it is outside, not
   * evaluated when it straddles a bound.
   */
  private static final class QuantileCheck extends NumericStatistic {
    private final Constraint.Quantile q;

    QuantileCheck(Constraint.Quantile c, Schema data, int pos, ProfileOptions options) {
      super(c, data, pos, options);
      this.q = c;
    }

    @Override
    public ConstraintResult result(State s) {
      String what = "quantile " + q.q();
      if (s.evaluated == 0) {
        return statisticResult(s, null, q.min(), q.max(), what, "the column has no non-null values");
      }
      QuantileEstimate e = stats(s).quantile(q.q());
      if (e.exact() || Double.isNaN(e.value())) {
        return statisticResult(s, e.value(), q.min(), q.max(), what, "");
      }
      Double min = q.min();
      Double max = q.max();
      boolean inside = (min == null || e.lower() >= min) && (max == null || e.upper() <= max);
      boolean outside = min != null && e.upper() < min || max != null && e.lower() > max;
      String interval = "estimated " + what + " " + e.value() + " (KLL; the true value is in [" + e.lower() + ", "
          + e.upper() + "] at 99% confidence, rank error " + percent(e.rankError()) + ")";
      ConstraintResult.Status status;
      String msg;
      if (inside) {
        status = ConstraintResult.Status.PASSED;
        msg = interval + " within " + Args.interval(min, max);
      } else if (outside) {
        status = ConstraintResult.Status.FAILED;
        msg = interval + " outside " + Args.interval(min, max);
      } else {
        status = ConstraintResult.Status.NOT_EVALUATED;
        msg = "undecided: " + interval + " straddles " + Args.interval(min, max)
            + "; raise kllK (Validator.withStatisticsOptions) for a narrower interval";
      }
      return new ConstraintResult(constraint(), status, s.evaluated, 0, 0.0, e.value(), List.of(), msg);
    }

    private static String percent(double r) {
      return String.format(java.util.Locale.ROOT, "%.2f%%", 100 * r);
    }
  }

}
