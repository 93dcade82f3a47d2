package dev.mlops.monitoring;

import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.longs;
import static dev.mlops.core.Generators.orNull;
import static dev.mlops.core.Generators.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Generators;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.stats.ColumnKind;
import dev.mlops.stats.ProfileOptions;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/** Merge laws, chunk-order independence and lossless binary round trips of profiles. */
class ProfileProperties {
  static final Schema SCHEMA = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("n", DataType.INT64),
      Field.of("s", DataType.STRING), Field.of("b", DataType.BOOLEAN));

  /** Up to 2000 rows: x in [-1e6, 1e6] or NaN or an infinity one time in eleven; each column null one time in ten. */
  static Gen<List<Row>> rows() {
    Gen<Double> x = Generate.frequency(List.of(
        Pair.of(20, Generators.doubles(-1e6, 1e6)),
        Pair.of(2, pick(Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY))));
    Gen<Long> n = longs(-5, 5);
    Gen<String> s = pick("a", "b", "c", "dd", "é");
    Gen<Boolean> b = Generate.booleans();
    Gen<Row> row = orNull(x, 10).zip(orNull(n, 10), orNull(s, 10), orNull(b, 10),
        (a, c, d, e) -> Row.of(SCHEMA, a, c, d, e));
    return lists(row, 0, 2000);
  }

  static DatasetProfile profile(List<Row> rows) {
    return DatasetProfile.of(SCHEMA, rows);
  }

  // 5000 shrink cycles take a failing list of up to 2000 rows down to a minimal one (three rows
  // where three are needed) in about ten seconds; QuickTheories shrinks one random draw per cycle.
  @Test
  void mergeIsCommutative() {
    qt().withFixedSeed(0x9F0F_0001L).withExamples(20).withShrinkCycles(5000).forAll(rows(), rows())
        .checkAssert((a, b) -> {
          DatasetProfile pa = profile(a);
          DatasetProfile pb = profile(b);
          assertEquivalent(pa.merge(pb), pb.merge(pa));
        });
  }

  @Test
  void mergeIsAssociative() {
    qt().withFixedSeed(0x9F0F_0002L).withExamples(15).withShrinkCycles(5000).forAll(rows(), rows(), rows())
        .checkAssert((a, b, c) -> {
          DatasetProfile pa = profile(a);
          DatasetProfile pb = profile(b);
          DatasetProfile pc = profile(c);
          assertEquivalent(pa.merge(pb).merge(pc), pa.merge(pb.merge(pc)));
        });
  }

  @Test
  void emptyIsIdentity() {
    qt().withFixedSeed(0x9F0F_0003L).withExamples(15).withShrinkCycles(5000).forAll(rows()).checkAssert(a -> {
      DatasetProfile pa = profile(a);
      assertEquivalent(pa.merge(DatasetProfile.empty(SCHEMA, ProfileOptions.defaults())), pa);
    });
  }

  @Test
  void chunksInAnyOrderEqualOnePass() {
    qt().withFixedSeed(0x9F0F_0004L).withExamples(15).withShrinkCycles(5000)
        .forAll(rows(), integers(1, 12), longs())
        .checkAssert(ProfileProperties::chunksInAnyOrderEqualOnePassFor);
  }

  private static void chunksInAnyOrderEqualOnePassFor(List<Row> rows, int chunks, long seed) {
    DatasetProfile whole = profile(rows);
    List<DatasetProfile> parts = new ArrayList<>();
    int size = Math.max(1, (rows.size() + chunks - 1) / chunks);
    for (int i = 0; i < rows.size(); i += size) {
      parts.add(profile(rows.subList(i, Math.min(rows.size(), i + size))));
    }
    Collections.shuffle(parts, new Random(seed));
    DatasetProfile merged = parts.isEmpty() ? DatasetProfile.empty(SCHEMA, ProfileOptions.defaults())
        : parts.stream().reduce(DatasetProfile::merge).orElseThrow();
    assertEquivalent(merged, whole);
    if (!parts.isEmpty()) {
      assertEquivalent(DatasetProfile.mergeAll(parts), whole);
    }
  }

  @Test
  void binaryRoundTripIsLossless() {
    qt().withFixedSeed(0x9F0F_0005L).withExamples(15).withShrinkCycles(5000).forAll(rows())
        .checkAssert(ProfileProperties::binaryRoundTripIsLosslessFor);
  }

  private static void binaryRoundTripIsLosslessFor(List<Row> rows) {
    DatasetProfile p = profile(rows);
    byte[] bytes = p.toBytes();
    DatasetProfile back = DatasetProfile.fromBytes(bytes);
    assertThat(back.schema()).isEqualTo(p.schema());
    assertThat(back.options()).isEqualTo(p.options());
    assertThat(back.rowCount()).isEqualTo(p.rowCount());
    assertThat(back.toJson()).isEqualTo(p.toJson());
    for (int i = 0; i < p.columns().size(); i++) {
      ColumnProfile x = p.column(i);
      ColumnProfile y = back.column(i);
      assertThat(Double.doubleToLongBits(y.mean())).isEqualTo(Double.doubleToLongBits(x.mean()));
      assertThat(Double.doubleToLongBits(y.m2())).isEqualTo(Double.doubleToLongBits(x.m2()));
      assertThat(y.quantileSketch().toByteArray()).as("KLL bytes").isEqualTo(x.quantileSketch().toByteArray());
      assertThat(y.hllOrNull().getEstimate()).as("HLL estimate").isEqualTo(x.hllOrNull().getEstimate());
      assertThat(y.hllOrNull().getUpperBound(2)).isEqualTo(x.hllOrNull().getUpperBound(2));
      assertThat(y.frequentItems(Integer.MAX_VALUE)).isEqualTo(x.frequentItems(Integer.MAX_VALUE));
      assertThat(y.categoryCounts()).isEqualTo(x.categoryCounts());
      assertThat(y.hasExactCategoryCounts()).isEqualTo(x.hasExactCategoryCounts());
    }
    assertThat(DatasetProfile.fromBytes(back.toBytes()).toJson()).isEqualTo(p.toJson());
  }

  /** Exact for counts, min and max; 1e-12 relative for moments; rank error for quantiles. */
  static void assertEquivalent(DatasetProfile a, DatasetProfile b) {
    assertThat(a.rowCount()).isEqualTo(b.rowCount());
    for (int i = 0; i < a.columns().size(); i++) {
      ColumnProfile x = a.column(i);
      ColumnProfile y = b.column(i);
      assertThat(x.count()).as(x.name()).isEqualTo(y.count());
      assertThat(x.nullCount()).isEqualTo(y.nullCount());
      assertThat(x.nanCount()).isEqualTo(y.nanCount());
      assertThat(x.positiveInfinityCount()).isEqualTo(y.positiveInfinityCount());
      assertThat(x.negativeInfinityCount()).isEqualTo(y.negativeInfinityCount());
      assertThat(x.validCount()).isEqualTo(y.validCount());
      assertThat(Double.valueOf(x.min())).isEqualTo(Double.valueOf(y.min()));
      assertThat(Double.valueOf(x.max())).isEqualTo(Double.valueOf(y.max()));
      double scale = Math.max(Math.abs(x.min()), Math.abs(x.max()));
      assertClose(x.mean(), y.mean(), scale);
      assertClose(x.variance(), y.variance(), scale * scale);
      assertThat(x.categoryCounts()).isEqualTo(y.categoryCounts());
      if (x.hasExactCategoryCounts()) {
        assertThat(x.distinctCount()).isEqualTo(y.distinctCount());
      } else {
        // HLL at lgK = 12: relative standard error about 1.6%; allow 3 standard errors.
        assertThat((double) x.distinctCount()).isCloseTo(y.distinctCount(),
            org.assertj.core.api.Assertions.within(0.05 * y.distinctCount() + 1));
      }
      if (x.kind() == ColumnKind.NUMERIC && x.validCount() > 0) {
        double eps = 2 * x.quantileRankError();
        for (double r : new double[] {0.1, 0.25, 0.5, 0.75, 0.9}) {
          double q = x.quantile(r);
          org.apache.datasketches.kll.KllDoublesSketch ys = y.quantileSketch();
          double lo = ys.getRank(q, org.apache.datasketches.quantilescommon.QuantileSearchCriteria.EXCLUSIVE);
          double hi = ys.getRank(q, org.apache.datasketches.quantilescommon.QuantileSearchCriteria.INCLUSIVE);
          double slack = eps + 1.0 / x.validCount();
          assertThat(r).as("rank %s of quantile %s lies in the other profile's rank range [%s, %s]", r, q, lo, hi)
              .isBetween(lo - slack, hi + slack);
        }
      }
    }
  }

  /**
   * Equal to 1e-12 relative; the relative error is measured against the data's magnitude as well,
   * because a mean near zero of values near 1e6 cannot be known to 1e-12 of itself.
   */
  static void assertClose(double a, double b, double magnitude) {
    if (Double.isNaN(a) || Double.isNaN(b)) {
      assertThat(a).isNaN();
      assertThat(b).isNaN();
      return;
    }
    double tol = 1e-12 * Math.max(Math.max(Math.abs(a), Math.abs(b)), magnitude);
    assertThat(Math.abs(a - b)).as("|%s - %s|", a, b).isLessThanOrEqualTo(tol);
  }
}
