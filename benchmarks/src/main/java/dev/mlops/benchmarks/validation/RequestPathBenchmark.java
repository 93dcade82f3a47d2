package dev.mlops.benchmarks.validation;

import com.google.re2j.Matcher;
import com.google.re2j.Pattern;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Validator;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The request path, {@code Validator.validate(Row)} on a passing row of 20 fields against 15 rules
 * (8 ranges, 4 not-null, 2 allowed-value sets, 1 regex), versus three hand-written checks of the same
 * rules through the same {@link Row} getters: one matches the regex with RE2/J, one with
 * {@code java.util.regex} (each one reused matcher), and one tests the code's five characters in a
 * loop, as a programmer would write {@code [A-Z]{2}[0-9]{3}} by hand. Targets: under 1 µs and 0 bytes allocated per passing row
 * ({@code -prof gc}, {@code gc.alloc.rate.norm}), within 1.3x of the hand-written check.
 *
 * <p>Rows: 1,024 distinct passing rows cycled through, so neither side can fold a constant row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 4, time = 2)
@Measurement(iterations = 6, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx1g"})
public class RequestPathBenchmark {
  static final int ROWS = 1024;
  static final Set<String> PURPOSES = Set.of("car", "tv", "furniture", "education", "business");
  static final Set<String> HOUSING = Set.of("own", "rent", "free");
  static final String CODE = "[A-Z]{2}[0-9]{3}";

  private Validator validator;
  private Row[] rows;
  private int next;
  private Matcher matcher;
  private java.util.regex.Matcher jdkMatcher;

  /** The schema: 12 float64, 4 int64, 4 strings. */
  static Schema schema() {
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      fields.add(Field.of("f" + i, DataType.FLOAT64));
    }
    for (int i = 0; i < 4; i++) {
      fields.add(Field.of("n" + i, DataType.INT64));
    }
    fields.add(Field.of("purpose", DataType.STRING));
    fields.add(Field.of("housing", DataType.STRING));
    fields.add(Field.of("code", DataType.STRING));
    fields.add(Field.of("note", DataType.STRING));
    return Schema.of(fields);
  }

  /** The 15 rules. */
  static DataContract contract(Schema schema) {
    List<Constraint> cs = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      cs.add(Constraint.range("f" + i, -1000.0, 1000.0));
    }
    for (int i = 8; i < 12; i++) {
      cs.add(Constraint.notNull("f" + i));
    }
    cs.add(Constraint.allowedValues("purpose", PURPOSES.toArray(new String[0])));
    cs.add(Constraint.allowedValues("housing", HOUSING.toArray(new String[0])));
    cs.add(Constraint.regex("code", CODE));
    return DataContract.of("request", schema, cs);
  }

  /** Builds the validator and the rows, and checks that both sides pass every row. */
  @Setup(Level.Trial)
  public void setUp() {
    Schema schema = schema();
    validator = Validator.compile(contract(schema));
    matcher = Pattern.compile(CODE).matcher("");
    jdkMatcher = java.util.regex.Pattern.compile(CODE).matcher("");
    SplittableRandom rnd = new SplittableRandom(11);
    String[] purposes = PURPOSES.toArray(new String[0]);
    String[] housing = HOUSING.toArray(new String[0]);
    rows = new Row[ROWS];
    for (int r = 0; r < ROWS; r++) {
      Object[] v = new Object[20];
      for (int i = 0; i < 12; i++) {
        v[i] = rnd.nextDouble(-999, 999);
      }
      for (int i = 12; i < 16; i++) {
        v[i] = rnd.nextLong(1_000_000);
      }
      v[16] = purposes[rnd.nextInt(purposes.length)];
      v[17] = housing[rnd.nextInt(housing.length)];
      v[18] = "" + (char) ('A' + rnd.nextInt(26)) + (char) ('A' + rnd.nextInt(26)) + (100 + rnd.nextInt(900));
      v[19] = "note " + r;
      rows[r] = Row.of(schema, v);
      if (validator.validate(rows[r]) != RowResult.PASS || !handWritten(rows[r]) || !handWrittenLoop(rows[r])
          || !handWrittenJdk(rows[r])) {
        throw new IllegalStateException("row " + r + " does not pass: " + validator.validate(rows[r]));
      }
    }
  }

  private Row nextRow() {
    Row r = rows[next];
    next = (next + 1) & (ROWS - 1);
    return r;
  }

  /**
   * The library's request path.
   *
   * @return the row's result
   */
  @Benchmark
  public RowResult library() {
    return validator.validate(nextRow());
  }

  /**
   * Baseline: the same 15 rules written by hand.
   *
   * @return whether the row passes
   */
  @Benchmark
  public boolean handWrittenCheck() {
    return handWritten(nextRow());
  }

  /**
   * Baseline: the same 15 rules written by hand, the regex as a loop over the code's characters.
   *
   * @return whether the row passes
   */
  @Benchmark
  public boolean handWrittenCharLoopCheck() {
    return handWrittenLoop(nextRow());
  }

  /**
   * Baseline: the same 15 rules written by hand, the regex with {@code java.util.regex} (one reused
   * matcher), what a hand-written check in Java would most often use.
   *
   * @return whether the row passes
   */
  @Benchmark
  public boolean handWrittenJdkRegexCheck() {
    return handWrittenJdk(nextRow());
  }

  private boolean handWrittenJdk(Row r) {
    if (!handWrittenWithoutCode(r)) {
      return false;
    }
    String code = r.getString(18);
    return code == null || jdkMatcher.reset(code).matches();
  }

  private boolean handWritten(Row r) {
    if (!handWrittenWithoutCode(r)) {
      return false;
    }
    String code = r.getString(18);
    return code == null || matcher.reset(code).matches();
  }

  private static boolean handWrittenLoop(Row r) {
    if (!handWrittenWithoutCode(r)) {
      return false;
    }
    String code = r.getString(18);
    if (code == null) {
      return true;
    }
    if (code.length() != 5) {
      return false;
    }
    for (int i = 0; i < 5; i++) {
      char c = code.charAt(i);
      if (i < 2 ? c < 'A' || c > 'Z' : c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static boolean handWrittenWithoutCode(Row r) {
    for (int i = 0; i < 8; i++) {
      if (!r.isNull(i)) {
        double x = r.getDouble(i);
        if (!(x >= -1000.0 && x <= 1000.0)) {
          return false;
        }
      }
    }
    for (int i = 8; i < 12; i++) {
      if (r.isNull(i)) {
        return false;
      }
    }
    String purpose = r.getString(16);
    if (purpose != null && !PURPOSES.contains(purpose)) {
      return false;
    }
    String housing = r.getString(17);
    return housing == null || HOUSING.contains(housing);
  }
}
