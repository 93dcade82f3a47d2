package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.PublicSignatures;
import dev.mlops.serving.onnx.OnnxBackend;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.spi.ModelBackend;
import dev.mlops.serving.tribuo.TribuoModels;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The API of mlops-serving and its two backends names no Jackson type: provenance travels as a JSON
 * {@code String} ({@link TribuoModels#provenance}), everything else as typed values.
 */
class JacksonFreeApiTest {
  @Test
  void noPublicOrProtectedSignatureOfAnExportedServingClassMentionsJackson() {
    List<Class<?>> classes = new ArrayList<>();
    for (Class<?> anchor : List.of(Predictor.class, OnnxBackend.class, TribuoModels.class)) {
      classes.addAll(PublicSignatures.exportedClasses(anchor, p -> false));
    }
    assertThat(classes).contains(Predictor.class, Prediction.class, ModelRepository.class, ModelBackend.class,
        OnnxBackend.class, TribuoModels.class);
    assertThat(PublicSignatures.mentioning(classes, "com.fasterxml."))
        .as("public signatures naming a Jackson type; move them to an internal or package-private class")
        .isEmpty();
  }
}
