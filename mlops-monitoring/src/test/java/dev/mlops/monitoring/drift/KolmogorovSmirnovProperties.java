package dev.mlops.monitoring.drift;

import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.longs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.monitoring.ColumnProfile;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** KS from exact value counts is KS of the raw samples, bit for bit, whatever the ties. */
class KolmogorovSmirnovProperties {
  /**
   * Two samples of sizes {@code n} and {@code m}, drawn by {@code seed} from {@code refValues} and
   * {@code curValues} distinct values on a grid of 0.5, the current one shifted by {@code offset}.
   */
  record Samples(int n, int m, int refValues, int curValues, int offset, long seed) {}

  static Gen<Samples> samples() {
    Gen<Integer> sizes = integers(2, 600);
    Gen<Integer> distinct = integers(1, 16);
    Gen<Integer> offsets = integers(-4, 4);
    Gen<Long> seeds = longs();
    return in -> new Samples(sizes.generate(in), sizes.generate(in), distinct.generate(in), distinct.generate(in),
        offsets.generate(in), seeds.generate(in));
  }

  // 2000 shrink cycles: a failing case shrinks to minimal samples in seconds, not the minutes of the
  // QuickTheories default (100 000) with two profiles built per cycle.
  @Test
  void valueCountsGiveTheRawSamplesPValue() {
    qt().withFixedSeed(0x6B50_0001L).withExamples(60).withShrinkCycles(2000).forAll(samples()).checkAssert(s -> {
      Random r = new Random(s.seed());
      double[] a = new double[s.n()];
      double[] b = new double[s.m()];
      for (int i = 0; i < s.n(); i++) {
        a[i] = r.nextInt(s.refValues()) * 0.5;
      }
      for (int i = 0; i < s.m(); i++) {
        b[i] = (s.offset() + r.nextInt(s.curValues())) * 0.5;
      }
      ColumnProfile pa = KolmogorovSmirnovFromProfilesTest.profile(a);
      ColumnProfile pb = KolmogorovSmirnovFromProfilesTest.profile(b);
      assertThat(pa.numericValueCounts()).isNotEmpty();
      ColumnDrift fromCounts = DriftDetector.withDefaults().compare(pa, pb, DriftTest.KOLMOGOROV_SMIRNOV);
      ColumnDrift raw = DriftDetector.withDefaults().compareSamples("x", a, b, DriftTest.KOLMOGOROV_SMIRNOV);
      assertThat(fromCounts.pValue()).isCloseTo(raw.pValue(), within(1e-12)).isEqualTo(raw.pValue());
      assertThat(fromCounts.statistic()).isEqualTo(raw.statistic());
      assertThat(fromCounts.drifted()).isEqualTo(raw.drifted());
    });
  }
}
