package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

class EnvironmentInfoTest {

  @Test
  void capturesThisJvm() {
    EnvironmentInfo env = EnvironmentInfo.capture();
    assertThat(env.javaVersion()).isEqualTo(Runtime.version().toString());
    assertThat(env.javaVendor()).isEqualTo(System.getProperty("java.vendor"));
    assertThat(env.osName()).isEqualTo(System.getProperty("os.name"));
    assertThat(env.osVersion()).isEqualTo(System.getProperty("os.version"));
    assertThat(env.arch()).isEqualTo(System.getProperty("os.arch"));
    assertThat(env.availableProcessors()).isEqualTo(Runtime.getRuntime().availableProcessors());
    assertThat(env.device()).isEqualTo("cpu");
    assertThat(env.libraries()).containsOnlyKeys("dev.mlops:mlops-core", "org.apache.arrow:arrow-vector",
        "com.fasterxml.jackson.core:jackson-databind");
  }

  @Test
  void readsLibraryVersionsFromTheirJars() {
    EnvironmentInfo env = EnvironmentInfo.capture();
    // Arrow and Jackson come from jars in the local repository, which carry pom.properties
    assertThat(env.libraries().get("org.apache.arrow:arrow-vector")).matches("\\d+\\.\\d+\\.\\d+.*");
    assertThat(env.libraries().get("com.fasterxml.jackson.core:jackson-databind"))
        .isEqualTo(com.fasterxml.jackson.databind.cfg.PackageVersion.VERSION.toString());
    // mlops-core's own version comes from a resource filtered at build time, so it is known even
    // when running from target/classes, which carries no pom.properties and no jar manifest
    assertThat(env.libraries().get("dev.mlops:mlops-core")).matches("\\d+\\.\\d+\\.\\d+.*");
  }

  @Test
  void unknownWhenALibraryCarriesNoVersion() {
    assertThat(EnvironmentInfo.libraryVersion("no.such", "artifact", EnvironmentInfoTest.class))
        .isEqualTo(EnvironmentInfo.UNKNOWN);
    assertThat(EnvironmentInfo.libraryVersion("com.fasterxml.jackson.core", "jackson-databind", ObjectMapper.class))
        .matches("2\\.\\d+\\.\\d+.*");
  }

  @Test
  void withDeviceAndWithLibraryReturnChangedCopies() {
    EnvironmentInfo env = TestManifests.ENVIRONMENT;
    EnvironmentInfo gpu = env.withDevice("cuda:0").withLibrary("com.microsoft.onnxruntime:onnxruntime_gpu", "1.29.0");
    assertThat(gpu.device()).isEqualTo("cuda:0");
    assertThat(gpu.libraries()).containsEntry("com.microsoft.onnxruntime:onnxruntime_gpu", "1.29.0").hasSize(4);
    assertThat(env.device()).isEqualTo("cpu");
    assertThatThrownBy(() -> env.withDevice("")).hasMessage("device must be a non-empty string, got ''");
    assertThatThrownBy(() -> new EnvironmentInfo("v", "17", "os", "1", "x", 0, java.util.Map.of(), "cpu"))
        .hasMessage("availableProcessors must be >= 1, got 0");
  }
}
