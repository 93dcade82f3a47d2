package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

/**
 * mlops-core's API names no Jackson type: Jackson is how the library writes JSON, not part of its
 * contract, so a host can use another Jackson version (or none) in its own code. Manifests carry
 * provenance as a JSON {@code String} and hyper-parameters as plain values.
 */
class JacksonFreeApiTest {
  static final String JACKSON = "com.fasterxml.";

  @Test
  void noPublicOrProtectedSignatureOfAnExportedClassMentionsJackson() {
    List<String> found = PublicSignatures.mentioning(Schema.class, p -> false, JACKSON);
    assertThat(found).as("public signatures naming a Jackson type; move them to an internal class").isEmpty();
  }

  @Test
  void theScanSeesExportedClassesOfEveryPackage() {
    List<Class<?>> classes = PublicSignatures.exportedClasses(Schema.class, p -> false);
    assertThat(classes).contains(Schema.class, BatchBuilder.class, dev.mlops.core.io.CsvReader.class,
        dev.mlops.core.manifest.ModelManifest.class);
    assertThat(classes).noneMatch(c -> c.getPackageName().endsWith(".internal"));
  }

  @Test
  void theScanFindsJacksonInEveryKindOfSignature() {
    List<String> found = PublicSignatures.mentioning(List.of(Leaky.class, Leaky.Nested.class, LeakyRecord.class),
        JACKSON);
    String leaky = Leaky.class.getName();
    assertThat(found).containsExactlyInAnyOrder(
        leaky + " implements mentions com.fasterxml.jackson.databind.JsonNode",
        leaky + ".<init>(..) mentions com.fasterxml.jackson.databind.JsonNode",
        leaky + ".bounded(..) mentions com.fasterxml.jackson.databind.node.ObjectNode",
        leaky + ".get(..) mentions com.fasterxml.jackson.databind.JsonNode",
        leaky + ".field mentions com.fasterxml.jackson.databind.JsonNode",
        leaky + ".nodes(..) mentions com.fasterxml.jackson.databind.JsonNode",
        leaky + ".protectedWrite(..) mentions com.fasterxml.jackson.core.JsonGenerator",
        leaky + ".trees(..) mentions com.fasterxml.jackson.databind.node.ObjectNode",
        Leaky.Nested.class.getName() + ".get(..) mentions com.fasterxml.jackson.databind.JsonNode",
        LeakyRecord.class.getName() + ".node (record component) mentions com.fasterxml.jackson.databind.JsonNode",
        LeakyRecord.class.getName() + ".<init>(..) mentions com.fasterxml.jackson.databind.JsonNode",
        LeakyRecord.class.getName() + ".node(..) mentions com.fasterxml.jackson.databind.JsonNode");
  }

  /** Jackson in each kind of signature, and in private ones that do not count. */
  @SuppressWarnings("unused")
  public static class Leaky implements Supplier<JsonNode> {
    public JsonNode[][] field;
    private JsonNode hidden;

    public Leaky(Map<String, ? extends JsonNode> m) {}

    Leaky() {}

    @Override
    public JsonNode get() {
      return hidden;
    }

    public List<JsonNode> nodes() {
      return List.of();
    }

    public void trees(List<? super ObjectNode> out) {}

    public <T extends ObjectNode> void bounded(T t) {}

    protected void protectedWrite(JsonGenerator g) throws IOException {}

    private void privateWrite(JsonGenerator g) {}

    /** A public nested type. */
    public interface Nested {
      /**
       * A node.
       *
       * @return it
       */
      JsonNode get();
    }
  }

  /** A record whose component is a Jackson tree. */
  public record LeakyRecord(JsonNode node) {}
}
