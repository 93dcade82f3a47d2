package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.impl.Constraint.between;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Contracts survive YAML and JSON unchanged: random contracts of every constraint kind and option,
 * contracts whose every string is hostile to YAML (reserved words, numbers in every YAML 1.1 and
 * 1.2 form, indicators, quotes, control characters, unicode, surrounding spaces, empty), and every
 * number a contract can hold. A contract inferred from such strings still passes its data after the
 * round trip.
 */
class DataContractFormatProperties {

  /** Words and forms a YAML 1.1 or 1.2 reader may take for something other than a string. */
  static final List<String> YAML_SPECIAL = List.of(
      "yes", "Yes", "YES", "no", "No", "NO", "y", "Y", "n", "N", "on", "On", "ON", "off", "Off", "OFF",
      "true", "True", "TRUE", "false", "False", "FALSE", "null", "Null", "NULL", "~", "", " ", "  ",
      ".nan", ".NaN", ".NAN", ".inf", ".Inf", "+.inf", "-.inf", "-.Inf", "NaN", "nan", "Infinity", "-Infinity", "inf",
      "1e3", "1E3", "1e+3", "-1e-3", "1.0E15", "0x1F", "0X1f", "-0x1F", "+1", "-1", "1_000", "1_0.5", "0b101",
      "-0b1", "0o17", "017", "08", "-0", "0", "0.", "1.", ".5", "-.5", "1.5", "+1.5", "1:20", "190:20:30.15",
      "2001-12-14", "2001-12-14t21:59:43.10-05:00", "2001-12-14 21:59:43.10 -5", "=", "<<", "<0", ">=7",
      "- x", "-", "--", "---", "...", "? x", "?", ":", "::", "a: b", "a:b", "a #c", "#c", "a#c", "&a", "*a",
      "!tag", "!!str", "!!python/object", "%YAML 1.2", "@x", "`x", "|", "|-", ">", ">-", "'q'", "\"dq\"",
      "it's", "back\\slash", "\\n", "\\", "{a: 1}", "{}", "[1, 2]", "[]", "a, b", "a,b", "é", "\uD83D\uDE00",
      "\t", "\n", "\r\n", "\r", "\u0085", "\u2028", "\u2029", "\uFEFF", "\uFEFFbom", "\u0000", "\u001b[31mred",
      "\u007f", "\u009f", "\uFFFE", "\uFFFF", "a\u00A0", "\u3000");

  /** Code point ranges to draw from; surrogates are left out: a contract is Unicode text. */
  private static final int[][] CODE_POINTS = {{0x20, 0x7E}, {0x00, 0x1F}, {0x7F, 0x9F}, {0xA0, 0x2FFF},
      {0x3000, 0xD7FF}, {0xE000, 0xFFFF}, {0x10000, 0x10FFFF}};

  /** Strings hostile to YAML: special words, padded or combined, and random code points, short and long. */
  static Gen<String> hostileStrings() {
    Gen<String> word = Generate.pick(YAML_SPECIAL);
    Gen<String> padded = word.zip(Generate.pick(List.of(" ", "  ", "\t", "#", " #", ": ", "- ", "\n", "'", "\"")),
        Generate.booleans(), (w, pad, before) -> before ? pad + w : w + pad);
    Gen<String> combined = in -> {
      StringBuilder sb = new StringBuilder();
      int parts = (int) in.next(between(1, 6));
      for (int i = 0; i < parts; i++) {
        sb.append(i == 0 ? "" : " ").append(word.generate(in));
      }
      return sb.toString();
    };
    Gen<String> random = codePointStrings(0, 24);
    Gen<String> longer = codePointStrings(80, 400);
    return Generate.frequency(List.of(
        Pair.of(4, word), Pair.of(2, padded),
        Pair.of(2, combined), Pair.of(3, random),
        Pair.of(1, longer)));
  }

  private static Gen<String> codePointStrings(int minLength, int maxLength) {
    return in -> {
      int n = (int) in.next(between(minLength, maxLength));
      StringBuilder sb = new StringBuilder();
      for (int i = 0; i < n; i++) {
        int[] r = CODE_POINTS[(int) in.next(between(0, CODE_POINTS.length - 1))];
        sb.appendCodePoint((int) in.next(between(r[0], r[1])));
      }
      return sb.toString();
    };
  }

  private static Gen<String> nonBlank(Gen<String> g) {
    return g.map(s -> s.isBlank() ? "c" + s : s);
  }

  /**
   * A contract whose every string slot (name, column names, allowed values, a literal regex,
   * custom names, columns and descriptions) holds a hostile string.
   */
  static Gen<DataContract> hostileContracts() {
    Gen<String> strings = hostileStrings();
    Gen<String> names = nonBlank(strings);
    return in -> {
      Set<String> columnNames = new LinkedHashSet<>();
      int ncols = (int) in.next(between(1, 4));
      while (columnNames.size() < ncols) {
        columnNames.add(names.generate(in));
      }
      List<String> cols = List.copyOf(columnNames);
      List<Field> fields = new ArrayList<>();
      List<Constraint> cs = new ArrayList<>();
      for (int i = 0; i < cols.size(); i++) {
        String col = cols.get(i);
        boolean isString = i == 0 || in.next(between(0, 1)) == 0;
        fields.add(Field.of(col, isString ? DataType.STRING : DataType.FLOAT64, true, Role.FEATURE));
        if (isString) {
          Set<String> values = new LinkedHashSet<>();
          int nv = (int) in.next(between(1, 5));
          for (int k = 0; k < nv; k++) {
            values.add(strings.generate(in));
          }
          cs.add(Constraint.allowedValues(col, values.toArray(String[]::new)));
          cs.add(Constraint.regex(col, com.google.re2j.Pattern.quote(strings.generate(in))));
        }
      }
      if (fields.size() >= 2 && fields.get(0).type().equals(fields.get(1).type())) {
        cs.add(Constraint.compare(cols.get(0), "<=", cols.get(1)));
      }
      cs.add(new Constraint.Custom(names.generate(in), cols, strings.generate(in), 1.0, Severity.WARN));
      return DataContract.of(names.generate(in), Schema.of(fields), cs);
    };
  }

  @Test
  void contractsRoundTripThroughYamlAndJson() {
    qt().withFixedSeed(20240601L).withExamples(500)
        .forAll(Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE)
            .map(seed -> RowBatchAgreementProperties.generate(new Random(seed)).contract()))
        .checkAssert(DataContractFormatProperties::roundTrips);
  }

  @Test
  void contractsWithHostileStringsRoundTripThroughYamlAndJson() {
    qt().withFixedSeed(20240602L).withExamples(1000).forAll(hostileContracts())
        .checkAssert(DataContractFormatProperties::roundTrips);
  }

  /** Bounds (finite doubles by raw bits, -0.0, extremes), mostly, q, row counts and lengths come back exactly. */
  @Test
  void numbersRoundTripExactly() {
    Gen<Double> finite = Generate.longRange(Long.MIN_VALUE, Long.MAX_VALUE).map(Double::longBitsToDouble)
        .map(d -> Double.isFinite(d) ? d : 1.0);
    Gen<Double> special = Generate.pick(List.of(-0.0, 0.0, Double.MIN_VALUE, -Double.MIN_VALUE, Double.MIN_NORMAL,
        Double.MAX_VALUE, -Double.MAX_VALUE, 1e15, 1e15 - 1, 9007199254740993.0, 0.1, 1.0 / 3, 1e-300, -1e300));
    Gen<Double> bounds = finite.mix(special, 30);
    Gen<Double> fraction = Generate.longRange(1, 1L << 53).map(l -> l / (double) (1L << 53))
        .mix(Generate.pick(List.of(Double.MIN_VALUE, 1e-300, Math.nextDown(1.0), 1.0, 0.95)), 30);
    Gen<Long> counts = Generate.longRange(0, Long.MAX_VALUE)
        .mix(Generate.pick(List.of(0L, 1L, (1L << 53) + 1, Long.MAX_VALUE - 1, Long.MAX_VALUE)), 30);
    Schema schema = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("s", DataType.STRING));
    qt().withFixedSeed(20240603L).withExamples(2000)
        .forAll(bounds, bounds, fraction, counts)
        .checkAssert((a, b, f, n) -> {
          double lo = Math.min(a, b);
          double hi = Math.max(a, b);
          int len = (int) (n % Integer.MAX_VALUE);
          DataContract c = DataContract.of("numbers", schema,
              new Constraint.Range("x", lo, hi, false, true, f, Severity.ERROR),
              new Constraint.Mean("x", lo, hi, Severity.ERROR),
              new Constraint.Stddev("x", 0.0, Math.abs(hi), Severity.ERROR),
              new Constraint.Quantile("x", f, lo, null, Severity.ERROR),
              new Constraint.Quantile("x", f / 2, null, hi, Severity.WARN),
              new Constraint.Length("s", len / 2, len, f, Severity.ERROR),
              new Constraint.RowCount(n / 2, n, Severity.ERROR));
          roundTrips(c);
        });
  }

  /** The C3 case: an inferred contract of hostile strings, written and read back, still passes its data. */
  @Test
  void inferredContractsOfHostileStringsStillPassTheirDataAfterTheRoundTrip() {
    Schema schema = Schema.of(Field.of("s", DataType.STRING));
    Gen<List<String>> categories = in -> {
      Set<String> values = new LinkedHashSet<>();
      int n = (int) in.next(between(1, 8));
      Gen<String> g = hostileStrings();
      for (int i = 0; i < n; i++) {
        values.add(g.generate(in));
      }
      return List.copyOf(values);
    };
    qt().withFixedSeed(20240604L).withExamples(300).forAll(categories).checkAssert(values -> {
      List<Row> rows = new ArrayList<>();
      for (int i = 0; i < 40; i++) {
        rows.add(Row.of(schema, values.get(i % values.size())));
      }
      try (RootAllocator allocator = new RootAllocator(); Batch b = Batch.fromRows(allocator, schema, rows)) {
        DataContract inferred = ContractInference.defaults().infer("hostile", b);
        for (DataContract back : List.of(DataContract.fromYaml(inferred.toYaml(), "inferred.yaml"),
            DataContract.fromJson(inferred.toJson(), "inferred.json"))) {
          assertThat(back).isEqualTo(inferred);
          assertThat(Validator.compile(back).validate(b).verdict()).isEqualTo(Verdict.PASS);
        }
      }
    });
  }

  private static void roundTrips(DataContract c) {
    assertThat(DataContract.fromYaml(c.toYaml(), "random.yaml")).as("YAML\n%s", c.toYaml()).isEqualTo(c);
    assertThat(DataContract.fromJson(c.toJson(), "random.json")).as("JSON\n%s", c.toJson()).isEqualTo(c);
  }
}
