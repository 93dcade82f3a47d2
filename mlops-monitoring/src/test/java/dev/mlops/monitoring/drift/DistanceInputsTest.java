package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.function.BiFunction;
import org.junit.jupiter.api.Test;

/**
 * The distances over counts refuse what is not a count (issue 11 D5: PSI, Jensen-Shannon, Hellinger
 * and L-infinity returned 0 for a +Inf count, and a NaN count threw from deep inside).
 */
class DistanceInputsTest {
  private static final List<BiFunction<double[], double[], Double>> DISTANCES = List.of(DriftStatistics::psi,
      DriftStatistics::jensenShannon, DriftStatistics::hellinger, DriftStatistics::lInfinity);

  @Test
  void everyDistanceRefusesInfiniteNanAndNegativeCountsOnEitherSide() {
    double[] good = {3, 4, 5};
    for (double bad : new double[] {Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, Double.NaN, -1}) {
      double[] withBad = {3, bad, 5};
      for (BiFunction<double[], double[], Double> d : DISTANCES) {
        assertThatThrownBy(() -> d.apply(withBad, good)).isInstanceOf(IllegalArgumentException.class)
            .hasMessage("Counts and proportions must be finite non-negative numbers, got " + bad);
        assertThatThrownBy(() -> d.apply(good, withBad)).isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("finite non-negative");
      }
    }
  }

  @Test
  void vectorsOfDifferentLengthsAreRefusedNamingBoth() {
    for (BiFunction<double[], double[], Double> d : DISTANCES) {
      assertThatThrownBy(() -> d.apply(new double[] {1, 2}, new double[] {1, 2, 3}))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("got 2 and 3");
    }
  }
}
