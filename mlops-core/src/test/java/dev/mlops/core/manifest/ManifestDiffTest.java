package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class ManifestDiffTest {

  @Test
  void equalManifestsHaveNoDifferences() {
    ManifestDiff diff = ManifestDiff.between(TestManifests.full().build(), TestManifests.full().build());
    assertThat(diff.isEmpty()).isTrue();
    assertThat(diff).hasToString("no differences");
  }

  @Test
  void listsEveryChangedPathWithBothValues() {
    ModelManifest a = TestManifests.full().addArtifact(Artifact.of("model.onnx", "0".repeat(64), 10)).build();
    ModelManifest b = a.toBuilder()
        .version("4")
        .metric("auc", 0.93)
        .seed("shuffle", 43)
        .tag("reviewed", "yes")
        .hyperParameter("epochs", 20.0)
        .environment(TestManifests.ENVIRONMENT.withDevice("cuda:0"))
        .parent(null)
        .build();

    ManifestDiff diff = ManifestDiff.between(a, b);

    assertThat(diff.paths()).containsExactly("environment.device", "metrics.auc", "parent", "seeds.shuffle",
        "tags.reviewed", "version");
    assertThat(diff.differences().get(1)).isEqualTo(new ManifestDiff.Difference("metrics.auc", "0.912", "0.93"));
    assertThat(diff.differences().get(2).right()).isNull();
    assertThat(diff.toString()).contains("tags.reviewed: (absent) -> \"yes\"").contains("version: \"3\" -> \"4\"");
  }

  @Test
  void pointsIntoArraysByIndex() {
    ModelManifest a = TestManifests.full().addArtifact(Artifact.of("model.onnx", "0".repeat(64), 10)).build();
    ModelManifest b = TestManifests.full().addArtifact(Artifact.of("model.onnx", "1".repeat(64), 10))
        .addArtifact(Artifact.of("extra.bin", "2".repeat(64), 1)).build();
    assertThat(ManifestDiff.between(a, b).paths()).containsExactly("artifacts[0].sha256", "artifacts[1]");
  }
}
