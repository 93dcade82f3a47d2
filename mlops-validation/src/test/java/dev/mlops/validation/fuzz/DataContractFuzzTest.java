package dev.mlops.validation.fuzz;

import dev.mlops.core.fuzz.Verdicts;
import dev.mlops.core.fuzz.BoundedFuzzTest;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Validator;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the contract file readers, {@link DataContract#fromYaml} and {@link DataContract#fromJson}.
 * Each input either is refused with an {@code MlopsException}, or reads to a contract that
 * <ul>
 *   <li>survives the library's own round trips: {@code toYaml} then {@code fromYaml}, and {@code toJson}
 *       then {@code fromJson}, give an equal contract (no string may come back as a number);</li>
 *   <li>came from exactly one well-formed document without tags (YAML) or one strict JSON document,
 *       with a whole format version the library reads;</li>
 *   <li>for YAML with anchors, aliases or merge keys, equals the contract read from the same document
 *       with them expanded ({@link YamlText}): an alias is never read as its anchor's name;</li>
 *   <li>compiles to a {@link Validator} that checks a row without an unexpected exception.</li>
 * </ul>
 */
class DataContractFuzzTest {

  @BoundedFuzzTest
  void yamlContract(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    DataContract c = Verdicts.parse("DataContract.fromYaml", () -> DataContract.fromYaml(text, "fuzz.yaml"));
    if (c == null) {
      return;
    }
    YamlText yaml = YamlText.of(text);
    if (!yaml.wellFormed || yaml.documents != 1) {
      throw new AssertionError("DataContract.fromYaml accepted text that is not exactly one well-formed YAML document ("
          + yaml.documents + " documents" + (yaml.wellFormed ? "" : ", and a syntax error after the first")
          + "); a second document must be refused, not ignored");
    }
    if (yaml.explicitTags) {
      throw new AssertionError("DataContract.fromYaml accepted a YAML tag; tags must be refused, not dropped");
    }
    if (yaml.formatVersion != null) {
      BigDecimal v = decimal(yaml.formatVersion);
      if (v != null && !Verdicts.wholeInRange(v, DataContract.FORMAT_VERSION)) {
        throw new AssertionError("DataContract.fromYaml accepted formatVersion " + yaml.formatVersion
            + "; only the whole numbers 1 to " + DataContract.FORMAT_VERSION + " are versions it reads");
      }
    }
    if (yaml.expanded != null) {
      DataContract expanded = Verdicts.accepted("DataContract.fromYaml of the same document with its aliases and"
          + " merge keys expanded", () -> DataContract.fromYaml(yaml.expanded, "expanded.yaml"));
      if (!expanded.equals(c)) {
        throw new AssertionError("DataContract.fromYaml read aliases or merge keys other than YAML defines them: "
            + c + " versus, expanded, " + expanded + "\nexpanded document:\n" + yaml.expanded);
      }
    }
    checkAccepted(c);
  }

  @BoundedFuzzTest
  void jsonContract(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    DataContract c = Verdicts.parse("DataContract.fromJson", () -> DataContract.fromJson(text, "fuzz.json"));
    if (c == null) {
      return;
    }
    Verdicts.oneStrictJsonDocument("DataContract.fromJson", text);
    Verdicts.supportedFormatVersion("DataContract.fromJson", text, DataContract.FORMAT_VERSION);
    checkAccepted(c);
  }

  private static void checkAccepted(DataContract c) {
    String yaml = Verdicts.accepted("DataContract.toYaml", c::toYaml);
    DataContract fromYaml = Verdicts.accepted("DataContract.fromYaml of toYaml", () ->
        DataContract.fromYaml(yaml, "written.yaml"));
    if (!fromYaml.equals(c)) {
      throw new AssertionError("a contract written with toYaml reads back as another contract:\n" + c + "\nversus\n"
          + fromYaml + "\nwritten YAML:\n" + yaml);
    }
    String json = Verdicts.accepted("DataContract.toJson", c::toJson);
    DataContract fromJson = Verdicts.accepted("DataContract.fromJson of toJson", () ->
        DataContract.fromJson(json, "written.json"));
    if (!fromJson.equals(c)) {
      throw new AssertionError("a contract written with toJson reads back as another contract:\n" + c + "\nversus\n"
          + fromJson + "\nwritten JSON:\n" + json);
    }
    Map<String, Predicate<Row>> predicates = new HashMap<>();
    for (Constraint k : c.constraints()) {
      if (k instanceof Constraint.Custom custom) {
        predicates.put(custom.name(), row -> true);
      }
    }
    Validator v = Verdicts.accepted("Validator.compile", () -> Validator.compile(c, predicates));
    Row row = Verdicts.accepted("a typical row of the contract's schema", () ->
        Row.of(c.schema(), c.schema().fields().stream().map(DataContractFuzzTest::typical).toArray()));
    Verdicts.parse("Validator.validate", () -> v.validate(row));
  }

  private static @Nullable BigDecimal decimal(String text) {
    try {
      return new BigDecimal(text.strip());
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** A plain value of a field's type, the kind of value any contract must be able to look at. */
  private static Object typical(Field f) {
    DataType t = f.type();
    return switch (t.kind()) {
      case BOOLEAN -> false;
      case INT64 -> 0L;
      case FLOAT32 -> 0f;
      case FLOAT64 -> 0.0;
      case STRING -> "a";
      case TIMESTAMP -> Instant.EPOCH;
      case FLOAT_TENSOR -> new float[t.elementCount()];
    };
  }
}
