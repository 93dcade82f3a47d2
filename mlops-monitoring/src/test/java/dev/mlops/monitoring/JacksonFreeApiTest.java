package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.PublicSignatures;
import dev.mlops.monitoring.report.DriftReport;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mlops-monitoring's API names no Jackson type: profiles and reports are JSON documents as
 * {@code String} ({@code toJson()}), and typed values otherwise.
 */
class JacksonFreeApiTest {
  @Test
  void noPublicOrProtectedSignatureOfAnExportedClassMentionsJackson() {
    List<Class<?>> classes = PublicSignatures.exportedClasses(DatasetProfile.class, p -> false);
    assertThat(classes).contains(DatasetProfile.class, ColumnProfile.class, DriftReport.class);
    assertThat(PublicSignatures.mentioning(classes, "com.fasterxml."))
        .as("public signatures naming a Jackson type; move them to an internal or package-private class")
        .isEmpty();
  }
}
