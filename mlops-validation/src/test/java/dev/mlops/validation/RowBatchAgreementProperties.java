package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.validation.internal.ContractRules;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.function.Predicate;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.core.RandomnessSource;
import org.quicktheories.generators.Generate;

/**
 * For random schemas, contracts (every constraint kind, random severities, {@code mostly}, bounds)
 * and data (nulls, NaN, infinities, -0.0, extreme longs, unicode), including data whose schema drifts
 * from the contract's, the row path and the batch path agree on every verdict, count, statistic and
 * example; each row's {@code validate(Row)} agrees with the counts too. Splitting the batch loses no
 * row, quarantines exactly the rows with an ERROR row violation, and leaves valid rows that pass every
 * ERROR row check.
 */
class RowBatchAgreementProperties {
  private static final List<DataType> TYPES = List.of(DataType.FLOAT64, DataType.FLOAT32, DataType.INT64,
      DataType.STRING, DataType.BOOLEAN);
  private static final double[] DOUBLES = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0,
      0.0, 1.0, -1.5, 2.5, 3.0, 1e9};
  private static final long[] LONGS = {-3, -1, 0, 1, 2, 3, Long.MAX_VALUE, Long.MIN_VALUE};
  private static final String[] STRINGS = {"", "a", "ab", "abc", "Z", "\u00e9t\u00e9", "\uD83D\uDE00", "a1"};
  private static final String[] REGEXES = {"[a-z]*", "a.*", "\\p{L}+", ".?", "[^1]+"};
  private static final double[] BOUNDS = {-2.0, -0.0, 0.0, 1.0, 2.5, 3.0, 1e300};
  private static final double[] MOSTLY = {1.0, 1.0, 0.9, 0.5};

  /** A generated case: contract, data schema and rows. */
  record Case(DataContract contract, Schema dataSchema, List<Row> rows) {
    @Override
    public String toString() {
      return contract.toYaml() + "data schema: " + dataSchema + "\nrows: " + rows;
    }
  }

  // 5000 shrink cycles take a failing case down to one column, one constraint and one row in
  // seconds; the QuickTheories default (100 000) would take minutes.
  @Test
  void rowAndBatchPathsAgree() {
    qt().withFixedSeed(0x60BA_0001L).withExamples(1000).withShrinkCycles(5000).forAll(cases())
        .checkAssert(RowBatchAgreementProperties::pathsAgreeOn);
  }

  private static void pathsAgreeOn(Case c) {
    Map<String, Predicate<Row>> predicates = Map.of("few_nulls", RowBatchAgreementProperties::fewNulls);
    boolean hasCustom = c.contract().constraints().stream()
        .anyMatch(k -> (k instanceof Constraint.When w ? w.rule() : k) instanceof Constraint.Custom);
    Validator v = Validator.compile(c.contract(), hasCustom ? predicates : Map.of());
    ValidationReport report = Runs.report(v, c.dataSchema(), c.rows());
    assertThat(report.results()).hasSize(c.contract().constraints().size());
    assertThat(report.rowCount()).isEqualTo(c.rows().size());
    ValidationSession session = v.newSession();
    long rejected = 0;
    for (Row r : c.rows()) {
      RowResult result = v.validate(r);
      assertThat(session.accumulate(r)).isEqualTo(result);
      rejected += result.violations().stream().anyMatch(x -> x.constraint().severity() == Severity.ERROR) ? 1 : 0;
    }
    boolean errorUnique = c.contract().constraints().stream()
        .anyMatch(k -> (k instanceof Constraint.Unique || k instanceof Constraint.CompoundUnique)
            && k.severity() == Severity.ERROR);
    try (RootAllocator allocator = new RootAllocator()) {
      try (Batch batch = Batch.fromRows(allocator, c.dataSchema(), c.rows());
          ValidationSplit split = v.split(batch, allocator)) {
        assertThat(split.report()).isEqualTo(report);
        assertThat(split.valid().rowCount() + split.quarantine().rowCount()).isEqualTo(c.rows().size());
        if (!errorUnique) {
          assertThat(split.quarantine().rowCount()).isEqualTo(rejected);
        }
        ValidationReport again = v.validate(split.valid());
        for (ConstraintResult r : again.results()) {
          boolean rowAttributable = r.constraint().scope() == Scope.ROW || r.constraint() instanceof Constraint.Unique
              || r.constraint() instanceof Constraint.CompoundUnique;
          if (rowAttributable && r.constraint().severity() == Severity.ERROR) {
            assertThat(r.failingCount()).as("%s on the valid rows", r.id()).isZero();
          }
        }
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  /**
   * Whole-stream validation: the same rows fed to one session as k batches, as a mix of batches and
   * rows, and as k partial sessions (each opened at its first global row) merged in a random grouping
   * and order, give the report of one pass: verdicts, counts, statistics to the last bit, and the
   * examples' global row indices.
   */
  @Test
  void batchesRowsAndMergedPartsAgree() {
    qt().withFixedSeed(0x60BA_0002L).withExamples(600).withShrinkCycles(5000)
        .forAll(cases(), Generate.longRange(0, Long.MAX_VALUE))
        .checkAssert(RowBatchAgreementProperties::partsAgreeOn);
  }

  /** The case's contract compiled, with the custom predicate when it has a custom rule. */
  private static Validator validator(Case c) {
    Map<String, Predicate<Row>> predicates = Map.of("few_nulls", RowBatchAgreementProperties::fewNulls);
    boolean hasCustom = c.contract().constraints().stream()
        .anyMatch(k -> (k instanceof Constraint.When w ? w.rule() : k) instanceof Constraint.Custom);
    return Validator.compile(c.contract(), hasCustom ? predicates : Map.of());
  }

  /** 1 to 5 parts of n rows at random cuts (parts may be empty): the boundaries, from 0 to n. */
  private static int[] cuts(Random rnd, int n) {
    int parts = 1 + rnd.nextInt(5);
    int[] cuts = new int[parts + 1];
    for (int i = 1; i < parts; i++) {
      cuts[i] = rnd.nextInt(n + 1);
    }
    cuts[parts] = n;
    java.util.Arrays.sort(cuts);
    return cuts;
  }

  private static void partsAgreeOn(Case c, long seed) {
    Validator v = validator(c);
    ValidationReport whole = Runs.report(v, c.dataSchema(), c.rows());
    Random rnd = new Random(seed);
    List<Row> rows = c.rows();
    int n = rows.size();
    int[] cuts = cuts(rnd, n);
    int parts = cuts.length - 1;
    try (RootAllocator allocator = new RootAllocator()) {
      ValidationSession batches = v.newSession(c.dataSchema());
      ValidationSession mixed = v.newSession(c.dataSchema());
      List<ValidationSession> partials = new ArrayList<>();
      for (int i = 0; i < parts; i++) {
        List<Row> part = rows.subList(cuts[i], cuts[i + 1]);
        ValidationSession partial = v.newSession(c.dataSchema(), cuts[i]);
        try (Batch b = Batch.fromRows(allocator, c.dataSchema(), part)) {
          batches.accumulate(b);
          if (rnd.nextBoolean()) {
            mixed.accumulate(b);
          } else {
            part.forEach(mixed::accumulate);
          }
          if (rnd.nextBoolean()) {
            partial.accumulate(b);
          } else {
            part.forEach(partial::accumulate);
          }
        }
        partials.add(partial);
      }
      assertThat(batches.report()).as("%d batches", parts).isEqualTo(whole);
      assertThat(mixed.report()).as("batches and rows").isEqualTo(whole);
      // Merge in a random grouping and order: pick two sessions, merge one into the other, repeat.
      java.util.Collections.shuffle(partials, rnd);
      while (partials.size() > 1) {
        ValidationSession into = partials.remove(rnd.nextInt(partials.size()));
        ValidationSession from = partials.remove(rnd.nextInt(partials.size()));
        partials.add(into.merge(from));
      }
      ValidationSession merged = partials.get(0);
      assertThat(merged.report()).as("%d parts merged", parts).isEqualTo(whole);
      assertThat(merged.rowCount()).isEqualTo(n);
      assertThat(merged.nextRowIndex()).isEqualTo(n);
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  /**
   * The distributed path: parts opened at sparse indices (part {@code i} at {@code i * 2^40}, as
   * mlops-spark opens partitions), each sent through {@link ValidationSession#toBytes()} and read
   * back, merged through bytes in a random grouping, keys left to the caller or not, the caller
   * then finding repeated keys as a shuffle would (grouping every occurrence by key) and the
   * session renumbered: the report is the one of one pass over all rows, to the last bit.
   */
  @Test
  void partsThroughBytesWithKeysFoundElsewhereAgree() {
    qt().withFixedSeed(0x60BA_0004L).withExamples(600).withShrinkCycles(5000)
        .forAll(cases(), Generate.longRange(0, Long.MAX_VALUE))
        .checkAssert(RowBatchAgreementProperties::bytesAgreeOn);
  }

  private static void bytesAgreeOn(Case c, long seed) {
    Validator v = validator(c);
    ValidationReport whole = Runs.report(v, c.dataSchema(), c.rows());
    Random rnd = new Random(seed);
    List<Row> rows = c.rows();
    int n = rows.size();
    int[] cuts = cuts(rnd, n);
    int parts = cuts.length - 1;
    boolean keysElsewhere = rnd.nextBoolean();
    // Every occurrence of every key, by rule, with its sparse row index: what a shuffle groups.
    Map<Integer, Map<Object, List<Long>>> occurrences = new java.util.TreeMap<>();
    List<byte[]> partials = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator()) {
      for (int i = 0; i < parts; i++) {
        List<Row> part = rows.subList(cuts[i], cuts[i + 1]);
        long base = (long) i << 40;
        ValidationSession partial = v.newSession(c.dataSchema(), base);
        if (keysElsewhere) {
          partial.leaveKeysToCaller();
        }
        try (Batch b = Batch.fromRows(allocator, c.dataSchema(), part)) {
          if (rnd.nextBoolean()) {
            partial.accumulate(b);
          } else {
            part.forEach(partial::accumulate);
          }
        }
        for (int rule : partial.keyRules()) {
          Map<Object, List<Long>> byKey = occurrences.computeIfAbsent(rule, k -> new java.util.HashMap<>());
          for (int j = 0; j < part.size(); j++) {
            Object key = keyOf(c.contract().constraints().get(rule), part.get(j));
            if (key != null) {
              byKey.computeIfAbsent(key, k -> new ArrayList<>()).add(base + j);
            }
          }
        }
        partials.add(partial.toBytes());
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
    java.util.Collections.shuffle(partials, rnd);
    while (partials.size() > 1) {
      ValidationSession into = v.sessionFromBytes(partials.remove(rnd.nextInt(partials.size())));
      ValidationSession from = v.sessionFromBytes(partials.remove(rnd.nextInt(partials.size())));
      partials.add(into.merge(from).toBytes());
    }
    ValidationSession merged = v.sessionFromBytes(partials.get(0));
    if (keysElsewhere) {
      for (int rule : merged.keyRules()) {
        Map<Object, List<Long>> byKey = occurrences.getOrDefault(rule, Map.of());
        long repeats = 0;
        List<ValidationSession.RepeatedKey> lowest = new ArrayList<>();
        for (Map.Entry<Object, List<Long>> e : byKey.entrySet()) {
          List<Long> at = e.getValue();
          repeats += at.size() - 1;
          at.stream().sorted().skip(1).forEach(r -> lowest.add(new ValidationSession.RepeatedKey(r, e.getKey())));
        }
        lowest.sort(java.util.Comparator.comparingLong(ValidationSession.RepeatedKey::row));
        merged.reportKeys(rule, byKey.size(), repeats,
            lowest.subList(0, Math.min(ValidationReport.MAX_EXAMPLES, lowest.size())));
      }
    }
    merged.renumber(0);
    assertThat(merged.report()).as("%d parts through bytes, keys elsewhere %s", parts, keysElsewhere)
        .isEqualTo(whole);
    assertThat(merged.rowCount()).isEqualTo(n);
    assertThat(merged.nextRowIndex()).isEqualTo(n);
  }

  /** The key of a key rule in a row, as the rule reads it: null when a key column is null. */
  private static Object keyOf(Constraint rule, Row row) {
    if (rule instanceof Constraint.Unique u) {
      return row.get(u.column());
    }
    if (rule instanceof Constraint.DistinctCount d) {
      return row.get(d.column());
    }
    Constraint.CompoundUnique cu = (Constraint.CompoundUnique) rule;
    Object[] key = new Object[cu.columns().size()];
    for (int j = 0; j < key.length; j++) {
      key[j] = row.get(cu.columns().get(j));
      if (key[j] == null) {
        return null;
      }
    }
    return java.util.Arrays.asList(key);
  }

  /**
   * The float64 buffer loops of range and not_null (validity read 64 rows at a time, values in
   * place) on columns long enough to take them: hundreds of rows, no, sparse or dense nulls, NaN and
   * infinities, sliced at offsets that are not multiples of 64. They must count and record exactly
   * what the per-row path does.
   */
  @Test
  void float64BufferLoopsAgreeWithTheRowPath() {
    Schema schema = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT64));
    double[] nullShares = {0.0, 0.002, 0.1, 0.9, 1.0};
    // Up to 4,500 rows: past the 2,048-row chunks the float64 range loop copies values in.
    qt().withFixedSeed(0x60BA_0003L).withExamples(120)
        .forAll(Generate.longRange(0, Long.MAX_VALUE), Generate.range(0, 4500), Generate.range(0, 4))
        .checkAssert((seed, n, share) -> {
          Random rnd = new Random(seed);
          List<Row> rows = new ArrayList<>();
          for (int i = 0; i < n; i++) {
            Object x = rnd.nextDouble() < nullShares[share] ? null : DOUBLES[rnd.nextInt(DOUBLES.length)];
            Object y = rnd.nextInt(300) == 0 ? null : rnd.nextGaussian();
            rows.add(Row.of(schema, x, y));
          }
          DataContract contract = DataContract.of("buffers", schema,
              new Constraint.Range("x", -1.0, 2.5, rnd.nextBoolean(), rnd.nextBoolean(), 0.5, Severity.ERROR),
              new Constraint.NotNull("x", 0.9, Severity.ERROR),
              new Constraint.Range("y", rnd.nextBoolean() ? null : -2.0, 2.0, false, rnd.nextBoolean(), 1.0,
                  Severity.WARN),
              Constraint.notNull("y"));
          Validator v = Validator.compile(contract);
          // Runs.report also validates the rows as a slice at offset 1 of a larger batch.
          ValidationReport report = Runs.report(v, schema, rows);
          try (RootAllocator allocator = new RootAllocator();
              Batch whole = Batch.fromRows(allocator, schema, rows)) {
            int from = n == 0 ? 0 : rnd.nextInt(n);
            int len = n - from == 0 ? 0 : rnd.nextInt(n - from + 1);
            ValidationReport sliced = v.validate(whole.slice(from, len));
            ValidationSession rowsOfSlice = v.newSession(schema);
            rows.subList(from, from + len).forEach(rowsOfSlice::accumulate);
            assertThat(sliced).as("slice [%d, +%d)", from, len).isEqualTo(rowsOfSlice.report());
          }
          assertThat(report.rowCount()).isEqualTo((long) n);
        });
  }

  static boolean fewNulls(Row r) {
    int nulls = 0;
    for (int i = 0; i < r.size(); i++) {
      nulls += r.isNull(i) ? 1 : 0;
    }
    return nulls <= 1;
  }

  /**
   * Cases drawn by {@link #generate}, each of its random choices taken from QuickTheories, so that a
   * failing case shrinks: every choice towards 0, that is fewer columns, constraints and rows.
   */
  static Gen<Case> cases() {
    return in -> generate(new SourceRandom(in));
  }

  /** A {@link Random} whose bits come from a QuickTheories randomness source. */
  private static final class SourceRandom extends Random {
    private static final long serialVersionUID = 1L;
    private final transient RandomnessSource in;

    SourceRandom(RandomnessSource in) {
      super(0);
      this.in = in;
    }

    @Override
    protected int next(int bits) {
      // Every method of Random draws through next(bits): as these bits shrink towards 0, so does
      // each choice generate makes.
      return (int) Generate.longRange(0, (1L << bits) - 1).generate(in).longValue();
    }
  }

  static Case generate(Random rnd) {
    int ncols = 1 + rnd.nextInt(4);
    List<Field> fields = new ArrayList<>();
    for (int i = 0; i < ncols; i++) {
      fields.add(Field.of("c" + i, TYPES.get(rnd.nextInt(TYPES.size()))));
    }
    Schema schema = Schema.of(fields);
    List<Constraint> cs = new ArrayList<>();
    Set<String> ids = new HashSet<>();
    int n = rnd.nextInt(8);
    for (int k = 0; k < n; k++) {
      Constraint c = constraint(rnd, schema);
      if (c != null && c.scope() == Scope.ROW && rnd.nextInt(5) == 0) {
        Field cond = schema.field(rnd.nextInt(schema.size()));
        DataType.Kind kind = cond.type().kind();
        if (kind == DataType.Kind.STRING || kind == DataType.Kind.INT64 || kind == DataType.Kind.BOOLEAN) {
          List<String> in = kind == DataType.Kind.STRING ? List.of(STRINGS[rnd.nextInt(STRINGS.length)], "a")
              : kind == DataType.Kind.INT64 ? List.of(String.valueOf(LONGS[rnd.nextInt(LONGS.length)]))
              : List.of("true");
          c = new Constraint.When(c, cond.name(), in);
        }
      }
      Constraint chosen = c;
      if (chosen != null && cs.stream().noneMatch(o -> ContractRules.sameFileSlot(o, chosen)) && ids.add(chosen.id())) {
        cs.add(rnd.nextInt(4) == 0 ? c.withSeverity(Severity.WARN) : c);
      }
    }
    ExtraColumns extra = ExtraColumns.values()[rnd.nextInt(3)];
    DataContract contract = new DataContract("random", schema, cs, extra);
    Schema data = rnd.nextInt(5) == 0 ? drift(rnd, schema) : schema;
    int rows = rnd.nextInt(5) == 0 ? rnd.nextInt(2) : rnd.nextInt(40);
    List<Row> out = new ArrayList<>();
    for (int r = 0; r < rows; r++) {
      Object[] vals = new Object[data.size()];
      for (int c = 0; c < vals.length; c++) {
        vals[c] = rnd.nextInt(6) == 0 ? null : value(rnd, data.field(c).type());
      }
      out.add(Row.of(data, vals));
    }
    return new Case(contract, data, out);
  }

  private static Schema drift(Random rnd, Schema s) {
    List<Field> fields = new ArrayList<>(s.fields());
    switch (rnd.nextInt(3)) {
      case 0 -> {
        if (fields.size() > 1) {
          fields.remove(rnd.nextInt(fields.size()));
        }
      }
      case 1 -> fields.add(Field.of("extra", DataType.STRING));
      default -> {
        int i = rnd.nextInt(fields.size());
        DataType other = fields.get(i).type().equals(DataType.STRING) ? DataType.INT64 : DataType.STRING;
        fields.set(i, Field.of(fields.get(i).name(), other));
      }
    }
    return Schema.of(fields);
  }

  private static Object value(Random rnd, DataType t) {
    return switch (t.kind()) {
      case FLOAT64 -> DOUBLES[rnd.nextInt(DOUBLES.length)];
      case FLOAT32 -> (float) DOUBLES[rnd.nextInt(DOUBLES.length)];
      case INT64 -> LONGS[rnd.nextInt(LONGS.length)];
      case STRING -> STRINGS[rnd.nextInt(STRINGS.length)];
      case BOOLEAN -> rnd.nextBoolean();
      default -> throw new IllegalArgumentException(t.toString());
    };
  }

  private static Double bound(Random rnd) {
    return rnd.nextInt(4) == 0 ? null : BOUNDS[rnd.nextInt(BOUNDS.length)];
  }

  private static Constraint constraint(Random rnd, Schema schema) {
    Field f = schema.field(rnd.nextInt(schema.size()));
    String col = f.name();
    Severity sev = Severity.ERROR;
    double mostly = MOSTLY[rnd.nextInt(MOSTLY.length)];
    Double lo = bound(rnd);
    Double hi = bound(rnd);
    if (lo != null && hi != null && lo > hi) {
      Double tmp = lo;
      lo = hi;
      hi = tmp;
    }
    switch (rnd.nextInt(7)) {
      case 0:
        return new Constraint.NotNull(col, mostly, sev);
      case 1:
        if (rnd.nextInt(3) == 0 && schema.size() > 1) {
          Field g = schema.field(rnd.nextInt(schema.size()));
          if (!g.name().equals(col)) {
            return new Constraint.CompoundUnique(List.of(col, g.name()), mostly, sev);
          }
        }
        if (rnd.nextInt(3) == 0) {
          return new Constraint.DistinctCount(col, lo == null ? null : (long) Math.abs(lo),
              hi == null ? null : (long) (Math.abs(lo == null ? 0 : lo) + hi + 3), sev);
        }
        return rnd.nextBoolean() ? new Constraint.Unique(col, mostly, sev) : new Constraint.RowCount(
            lo == null ? null : (long) Math.abs(lo), hi == null ? null : (long) (Math.abs(lo == null ? 0 : lo) + hi + 3),
            sev);
      case 2: {
        Field g = schema.field(rnd.nextInt(schema.size()));
        if (g.name().equals(col) || !dev.mlops.validation.internal.ContractRules.comparable(f.type(), g.type())) {
          return new Constraint.Custom("few_nulls", List.of(col), "", mostly, sev);
        }
        Constraint.Op op = Constraint.Op.values()[rnd.nextInt(Constraint.Op.values().length)];
        return new Constraint.Compare(col, op, g.name(), mostly, sev);
      }
      default:
        break;
    }
    if (f.type().isNumeric()) {
      return switch (rnd.nextInt(4)) {
        case 0 -> new Constraint.Range(col, lo, hi, rnd.nextBoolean(), rnd.nextBoolean(), mostly, sev);
        case 1 -> new Constraint.Mean(col, lo, hi, sev);
        case 2 -> new Constraint.Stddev(col, lo == null ? null : Math.abs(lo), hi == null ? null : Math.abs(hi) + 2,
            sev);
        default -> new Constraint.Quantile(col, new double[] {0, 0.25, 0.5, 0.9, 1}[rnd.nextInt(5)], lo, hi, sev);
      };
    }
    Set<String> values = new LinkedHashSet<>();
    return switch (f.type().kind()) {
      case STRING -> switch (rnd.nextInt(5)) {
        case 4 -> new Constraint.Share(col, STRINGS[rnd.nextInt(STRINGS.length)], rnd.nextBoolean() ? null : 0.1,
            0.6, sev);
        case 3 -> new Constraint.Format(col, Constraint.Format.FORMATS.get(rnd.nextInt(Constraint.Format.FORMATS.size())),
            mostly, sev);
        case 0 -> {
          for (int i = 0; i <= rnd.nextInt(4); i++) {
            values.add(STRINGS[rnd.nextInt(STRINGS.length)]);
          }
          yield new Constraint.AllowedValues(col, List.copyOf(values), mostly, sev);
        }
        case 1 -> new Constraint.Regex(col, REGEXES[rnd.nextInt(REGEXES.length)], mostly, sev);
        default -> new Constraint.Length(col, rnd.nextBoolean() ? null : rnd.nextInt(2),
            rnd.nextBoolean() ? null : 2 + rnd.nextInt(2), mostly, sev);
      };
      case BOOLEAN -> new Constraint.AllowedValues(col, rnd.nextBoolean() ? List.of("true") : List.of("false", "true"),
          mostly, sev);
      default -> new Constraint.NotNull(col, mostly, sev);
    };
  }
}
