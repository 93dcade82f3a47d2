package dev.mlops.spark;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which Spark these tests ran on: each module that runs them says which line it expects. */
class SparkVersionTest {
  @Test
  void theTestsRunOnTheExpectedSparkLine() {
    String expected = System.getProperty("mlops.expected.spark.version");
    assertThat(expected).as("set by the module's surefire configuration").isNotBlank();
    assertThat(LocalSpark.get().version()).isEqualTo(expected);
  }
}
