package dev.mlops.serving.fuzz;

import dev.mlops.core.fuzz.Verdicts;
import dev.mlops.core.fuzz.BoundedFuzzTest;
import dev.mlops.serving.repository.ModelRef;
import java.nio.charset.StandardCharsets;

/**
 * Fuzzes {@link ModelRef#parse}, which reads references from configuration and requests. Each input
 * either is refused with an {@code MlopsException}, or parses to a reference whose text form parses
 * back to an equal reference.
 */
class ModelRefFuzzTest {

  @BoundedFuzzTest
  void parseRef(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ModelRef ref = Verdicts.parse("ModelRef.parse", () -> ModelRef.parse(text));
    if (ref == null) {
      return;
    }
    ModelRef back = Verdicts.accepted("ModelRef.parse of toString", () -> ModelRef.parse(ref.toString()));
    if (!back.equals(ref) || !ref.toString().equals(text)) {
      throw new AssertionError("ModelRef.parse read '" + text + "' as " + ref + ", which reads back as " + back);
    }
  }
}
