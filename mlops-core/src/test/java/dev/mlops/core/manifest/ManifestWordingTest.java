package dev.mlops.core.manifest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.LocatedJson;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** The words of manifest and signature read errors, one per kind of refusal, as files have always had them. */
class ManifestWordingTest {
  private static LocatedJson root(String json) {
    return ManifestWording.root(Json.parse(json, "t"), "m.json");
  }

  private static Arguments row(Function<LocatedJson, Object> read, String json, String message) {
    return Arguments.of(read, json, message);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        row(r -> r.string("v"), "{\"v\": 1}",
            "v: expected a string, got NUMBER 1"),
        row(r -> r.number("v"), "{\"v\": true}",
            "v: expected a number, got BOOLEAN true"),
        row(r -> r.wholeNumber("v"), "{\"v\": 1.5}",
            "v: expected a whole number, got 1.5"),
        row(r -> r.intValue("v"), "{\"v\": 3000000000}",
            "v: expected a 32-bit whole number, got 3000000000"),
        row(r -> r.bool("v"), "{\"v\": \"yes\"}",
            "v: expected true or false, got \"yes\""),
        row(r -> r.elements("v"), "{\"v\": {}}",
            "v: expected an array, got OBJECT"),
        row(r -> r.object("v"), "{\"v\": [1]}",
            "v: expected an object, got ARRAY"),
        row(r -> r.elements("v").get(0).only(ManifestWording.MEMBER, "a"),
            "{\"v\": [\"x\"]}", "v[0]: expected an object, got STRING \"x\""),
        row(r -> r.string("v"), "{}",
            "v: is missing; every manifest needs it"),
        row(r -> r.only(ManifestWording.MEMBER, "b", "a"),
            "{\"a\": 1, \"c\": 2}",
            "c: unknown member; allowed here are [a, b] (a newer format needs a newer mlops-core)"),
        row(r -> r.build(() -> {
          throw new IllegalArgumentException("refused");
        }), "{}", "$: refused"));
  }

  @ParameterizedTest(name = "{2}")
  @MethodSource("refusals")
  void eachRefusalIsWordedAsManifestFilesHaveAlwaysHadIt(Function<LocatedJson, Object> read, String json,
      String message) {
    assertThatThrownBy(() -> read.apply(root(json))).isInstanceOf(DataFormatException.class)
        .hasMessage("m.json: " + message);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', textBlock = """
        | name     | name
        | odd key  | $["odd key"]
      a | b        | a.b
      a | odd key  | a["odd key"]
      """)
  void simpleKeysJoinWithADotAndOthersAreQuotedInBrackets(String parent, String key, String path) {
    assertThat(ManifestWording.child(parent == null ? "" : parent, key)).isEqualTo(path);
  }

  @Test
  void aQuoteInABracketedKeyIsEscaped() {
    assertThat(ManifestWording.child("a", "say \"hi\"")).isEqualTo("a[\"say \\\"hi\\\"\"]");
  }

  @Test
  void theRootMustBeAnObjectAndIsCalledDollar() {
    assertThatThrownBy(() -> root("[1]")).isInstanceOf(DataFormatException.class)
        .hasMessage("m.json: $: expected a JSON object at the top level, got ARRAY");
    assertThat(root("{}").error("x").line()).isEqualTo(-1);
  }
}
