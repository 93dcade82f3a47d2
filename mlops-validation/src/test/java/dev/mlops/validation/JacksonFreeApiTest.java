package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.PublicSignatures;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * mlops-validation's API names no Jackson type: contracts and reports are JSON or YAML documents as
 * {@code String}, and typed values otherwise.
 */
class JacksonFreeApiTest {
  @Test
  void noPublicOrProtectedSignatureOfAnExportedClassMentionsJackson() {
    List<Class<?>> classes = PublicSignatures.exportedClasses(DataContract.class, p -> false);
    assertThat(classes).contains(DataContract.class, ValidationReport.class,
        dev.mlops.validation.assertions.BatchAssert.class);
    assertThat(PublicSignatures.mentioning(classes, "com.fasterxml."))
        .as("public signatures naming a Jackson type; move them to an internal or package-private class")
        .isEmpty();
  }
}
