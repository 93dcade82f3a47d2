package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.monitoring.ColumnProfile;
import java.util.Random;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/** KS from exact value counts is KS of the raw samples, bit for bit, whatever the ties. */
class KolmogorovSmirnovProperties {
  @Property(tries = 60)
  void valueCountsGiveTheRawSamplesPValue(@ForAll @IntRange(min = 2, max = 600) int n,
      @ForAll @IntRange(min = 2, max = 600) int m, @ForAll @IntRange(min = 1, max = 16) int refValues,
      @ForAll @IntRange(min = 1, max = 16) int curValues, @ForAll @IntRange(min = -4, max = 4) int offset,
      @ForAll long seed) {
    Random r = new Random(seed);
    double[] a = new double[n];
    double[] b = new double[m];
    for (int i = 0; i < n; i++) {
      a[i] = r.nextInt(refValues) * 0.5;
    }
    for (int i = 0; i < m; i++) {
      b[i] = (offset + r.nextInt(curValues)) * 0.5;
    }
    ColumnProfile pa = KolmogorovSmirnovFromProfilesTest.profile(a);
    ColumnProfile pb = KolmogorovSmirnovFromProfilesTest.profile(b);
    assertThat(pa.numericValueCounts()).isNotEmpty();
    ColumnDrift fromCounts = DriftDetector.withDefaults().compare(pa, pb, DriftTest.KOLMOGOROV_SMIRNOV);
    ColumnDrift raw = DriftDetector.withDefaults().compareSamples("x", a, b, DriftTest.KOLMOGOROV_SMIRNOV);
    assertThat(fromCounts.pValue()).isCloseTo(raw.pValue(), within(1e-12)).isEqualTo(raw.pValue());
    assertThat(fromCounts.statistic()).isEqualTo(raw.statistic());
    assertThat(fromCounts.drifted()).isEqualTo(raw.drifted());
  }
}
