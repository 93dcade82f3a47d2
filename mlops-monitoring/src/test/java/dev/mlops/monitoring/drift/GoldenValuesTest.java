package dev.mlops.monitoring.drift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Each statistic equals SciPy's on the inputs of {@code golden/golden.json}, written by
 * {@code golden/make_golden.py} (SciPy 1.10), to 1e-9 relative error.
 */
class GoldenValuesTest {
  private static final double REL = 1e-9;
  private static JsonNode golden;

  @BeforeAll
  static void load() throws IOException {
    try (InputStream in = GoldenValuesTest.class.getResourceAsStream("/golden/golden.json")) {
      golden = Json.parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "golden.json");
    }
  }

  static Stream<Arguments> cases(String key) throws IOException {
    load();
    return StreamSupport.stream(golden.get(key).spliterator(), false)
        .map(n -> Arguments.of(n.get("name").asText(), n));
  }

  static Stream<Arguments> ks() throws IOException {
    return cases("ks_2samp");
  }

  static Stream<Arguments> chi() throws IOException {
    return cases("chi2_contingency");
  }

  static Stream<Arguments> z() throws IOException {
    return cases("z_test");
  }

  static Stream<Arguments> wasserstein() throws IOException {
    return cases("wasserstein_distance");
  }

  static Stream<Arguments> distances() throws IOException {
    return cases("distances");
  }

  private static double[] doubles(JsonNode n) {
    double[] a = new double[n.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = n.get(i).asDouble();
    }
    return a;
  }

  private static long[] longs(JsonNode n) {
    long[] a = new long[n.size()];
    for (int i = 0; i < a.length; i++) {
      a[i] = n.get(i).asLong();
    }
    return a;
  }

  private static void assertRel(double actual, double expected) {
    assertThat(actual).isCloseTo(expected, within(Math.abs(expected) * REL + 1e-300));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("ks")
  void kolmogorovSmirnovMatchesKs2samp(String name, JsonNode c) {
    DriftStatistics.Result r = DriftStatistics.kolmogorovSmirnov(doubles(c.get("reference")), doubles(c.get("current")));
    assertRel(r.statistic(), c.get("statistic").asDouble());
    assertRel(r.pValue(), c.get("pvalue").asDouble());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("chi")
  void chiSquaredMatchesChi2Contingency(String name, JsonNode c) {
    DriftStatistics.Result r = DriftStatistics.chiSquared(longs(c.get("reference")), longs(c.get("current")));
    assertRel(r.statistic(), c.get("statistic").asDouble());
    assertRel(r.pValue(), c.get("pvalue").asDouble());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("z")
  void zTestMatchesNormalFormula(String name, JsonNode c) {
    DriftStatistics.Result r = DriftStatistics.zTest(c.get("referenceHits").asLong(), c.get("referenceTotal").asLong(),
        c.get("currentHits").asLong(), c.get("currentTotal").asLong());
    assertRel(r.statistic(), c.get("statistic").asDouble());
    assertRel(r.pValue(), c.get("pvalue").asDouble());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("wasserstein")
  void wassersteinMatchesWassersteinDistance(String name, JsonNode c) {
    double[] ref = doubles(c.get("reference"));
    double[] cur = doubles(c.get("current"));
    assertRel(DriftStatistics.wasserstein(ref, cur), c.get("statistic").asDouble());
    ColumnDrift d = DriftDetector.withDefaults().compareSamples("x", ref, cur, DriftTest.WASSERSTEIN_NORMED);
    assertRel(d.statistic(), c.get("statistic").asDouble() / c.get("referenceStd").asDouble());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("distances")
  void distancesMatchJensenshannonAndNumpy(String name, JsonNode c) {
    double[] p = doubles(c.get("reference"));
    double[] q = doubles(c.get("current"));
    assertRel(DriftStatistics.jensenShannon(p, q), c.get("jensenshannon").asDouble());
    assertRel(DriftStatistics.hellinger(p, q), c.get("hellinger").asDouble());
    assertRel(DriftStatistics.psi(p, q), c.get("psi").asDouble());
    assertRel(DriftStatistics.lInfinity(p, q), c.get("linf").asDouble());
  }
}
