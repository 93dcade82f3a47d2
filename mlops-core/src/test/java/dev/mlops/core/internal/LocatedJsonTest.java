package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.DataFormatException;
import java.util.List;
import java.util.Map;
import java.util.SortedSet;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The located reader on its own, under a test wording that shows each hook's input plainly: what a
 * getter returns, where and how it refuses, and which line an error carries.
 */
class LocatedJsonTest {
  /** Every hook visible in the message: {@code <path> | <text>}, the root as {@code <root>}. */
  enum Plain implements LocatedJson.Wording {
    INSTANCE;

    @Override
    public String member(String parent, String key) {
      return parent.isEmpty() ? key : parent + "/" + key;
    }

    @Override
    public String message(String path, String text) {
      return (path.isEmpty() ? "<root>" : path) + " | " + text;
    }

    @Override
    public String missing(String key) {
      return "missing " + key;
    }

    @Override
    public String mismatch(LocatedJson.Want want, JsonNode actual) {
      return want + " wanted (" + want.phrase() + "), got " + actual;
    }

    @Override
    public String unknown(String key, SortedSet<String> allowed, String what) {
      return "unknown " + what + " " + key + ", allowed " + allowed;
    }
  }

  private static final String DOC = """
      {"s": "text", "n": 2.5, "w": 3000000000, "i": 7, "b": true, "nil": null,
       "o": {"inner": {"deep": "x"}}, "a": [1, {"k": "v"}], "big": 99999999999999999999}""";

  /** Lines a streaming parser might have recorded; "o/inner/deep" and the array elements are left out. */
  private static final Map<String, Long> LINES = Map.of("", 1L, "s", 2L, "n", 3L, "o", 4L, "o/inner", 5L, "a", 6L);

  private static LocatedJson doc() {
    return LocatedJson.root(Json.parse(DOC, "t"), "doc.json", Plain.INSTANCE, p -> LINES.getOrDefault(p, -1L));
  }

  private static Arguments row(String getter, Function<LocatedJson, Object> read, Object expected) {
    return Arguments.of(getter, read, expected);
  }

  private static Arguments row(String getter, Function<LocatedJson, Object> read) {
    return Arguments.of(getter, read);
  }

  static Stream<Arguments> reads() {
    return Stream.of(
        row("string", r -> r.string("s"), "text"),
        row("optString", r -> r.optString("s"), "text"),
        row("number", r -> r.number("n"), 2.5),
        row("number of a whole number", r -> r.number("i"), 7.0),
        row("optNumber", r -> r.optNumber("n"), 2.5),
        row("wholeNumber", r -> r.wholeNumber("w"), 3000000000L),
        row("optWholeNumber", r -> r.optWholeNumber("i"), 7L),
        row("intValue", r -> r.intValue("i"), 7),
        row("optInt", r -> r.optInt("i"), 7),
        row("bool", r -> r.bool("b"), true),
        row("bool with default", r -> r.bool("b", false), true),
        row("object", r -> r.object("o").path(), "o"),
        row("nested object", r -> r.object("o").object("inner")
            .string("deep"), "x"),
        row("string converted", r -> r.string("s", String::length), 4));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("reads")
  void eachGetterReadsItsKind(String getter, Function<LocatedJson, Object> read, Object expected) {
    assertThat(read.apply(doc())).isEqualTo(expected);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        row("string", r -> r.string("n"),
            "doc.json:3: n | STRING wanted (a string), got 2.5"),
        row("optString", r -> r.optString("b"),
            "doc.json:1: b | STRING wanted (a string), got true"),
        row("number", r -> r.number("s"),
            "doc.json:2: s | NUMBER wanted (a number), got \"text\""),
        row("optNumber", r -> r.optNumber("o"),
            "doc.json:4: o | NUMBER wanted (a number), got {\"inner\":{\"deep\":\"x\"}}"),
        row("wholeNumber of a fraction", r -> r.wholeNumber("n"),
            "doc.json:3: n | WHOLE_NUMBER wanted (a whole number), got 2.5"),
        row("wholeNumber beyond int64", r -> r.wholeNumber("big"),
            "doc.json:1: big | WHOLE_NUMBER wanted (a whole number), got 99999999999999999999"),
        row("optWholeNumber", r -> r.optWholeNumber("s"),
            "doc.json:2: s | WHOLE_NUMBER wanted (a whole number), got \"text\""),
        row("intValue beyond int", r -> r.intValue("w"),
            "doc.json:1: w | INT wanted (a 32-bit whole number), got 3000000000"),
        row("optInt", r -> r.optInt("n"),
            "doc.json:3: n | INT wanted (a 32-bit whole number), got 2.5"),
        row("bool", r -> r.bool("s"),
            "doc.json:2: s | BOOLEAN wanted (true or false), got \"text\""),
        row("bool with default", r -> r.bool("i", true),
            "doc.json:1: i | BOOLEAN wanted (true or false), got 7"),
        row("object", r -> r.object("a"),
            "doc.json:6: a | OBJECT wanted (an object), got [1,{\"k\":\"v\"}]"),
        row("elements of a member", r -> r.elements("o"),
            "doc.json:4: o | ARRAY wanted (an array), got {\"inner\":{\"deep\":\"x\"}}"),
        row("members of a member", r -> r.members("a"),
            "doc.json:6: a | OBJECT wanted (an object), got [1,{\"k\":\"v\"}]"),
        row("only on a non-object", r -> r.req("a").only("member", "k"),
            "doc.json:6: a | MEMBERS wanted (an object), got [1,{\"k\":\"v\"}]"),
        row("asObjectOrEmpty on a string", r -> r.req("s").asObjectOrEmpty(),
            "doc.json:2: s | OBJECT wanted (an object), got \"text\""),
        row("string converted", r -> r.string("s", v -> {
          throw new IllegalArgumentException("not a " + v + " I know");
        }), "doc.json:2: s | not a text I know"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void eachGetterRefusesAnotherKindNamingSourceLineAndPath(String getter, Function<LocatedJson, Object> read,
      String message) {
    assertThatThrownBy(() -> read.apply(doc())).isInstanceOf(DataFormatException.class).hasMessage(message);
  }

  static Stream<Arguments> requiredGetters() {
    return Stream.of(
        row("req", r -> r.req("k")),
        row("string", r -> r.string("k")),
        row("string converted", r -> r.string("k", v -> v)),
        row("number", r -> r.number("k")),
        row("wholeNumber", r -> r.wholeNumber("k")),
        row("intValue", r -> r.intValue("k")),
        row("bool", r -> r.bool("k")),
        row("object", r -> r.object("k")));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("requiredGetters")
  void requiredGettersReportAnAbsentOrNullMemberAtItsPathAndTheObjectsLine(String getter,
      Function<LocatedJson, Object> read) {
    LocatedJson inner = doc().object("o").object("inner");
    assertThatThrownBy(() -> read.apply(inner)).isInstanceOf(DataFormatException.class)
        .hasMessage("doc.json:5: o/inner/k | missing k");
    LocatedJson withNull = LocatedJson.root(Json.parse("{\"k\": null}", "t"), "n.json", Plain.INSTANCE);
    assertThatThrownBy(() -> read.apply(withNull)).isInstanceOf(DataFormatException.class)
        .hasMessage("n.json: k | missing k");
  }

  @Test
  void optionalGettersReadAnAbsentOrNullMemberAsNull() {
    LocatedJson r = doc();
    for (String key : List.of("nil", "absent")) {
      assertThat(r.opt(key)).as(key).isNull();
      assertThat(r.optString(key)).as(key).isNull();
      assertThat(r.optNumber(key)).as(key).isNull();
      assertThat(r.optWholeNumber(key)).as(key).isNull();
      assertThat(r.optInt(key)).as(key).isNull();
      assertThat(r.bool(key, true)).as(key).isTrue();
      assertThat(r.elements(key)).as(key).isEmpty();
      assertThat(r.members(key)).as(key).isEmpty();
    }
  }

  @Test
  void elementsAndMembersCarryTheirPathsInDocumentOrder() {
    LocatedJson r = doc();
    List<LocatedJson> elements = r.elements("a");
    assertThat(elements).extracting(LocatedJson::path).containsExactly("a[0]", "a[1]");
    assertThat(elements.get(1).string("k")).isEqualTo("v");
    assertThatThrownBy(() -> elements.get(1).intValue("k")).hasMessage(
        "doc.json:6: a[1]/k | INT wanted (a 32-bit whole number), got \"v\"");
    Map<String, LocatedJson> members = r.members();
    assertThat(members.keySet()).containsExactly("s", "n", "w", "i", "b", "nil", "o", "a", "big");
    assertThat(members.get("nil").node().isNull()).as("members keep JSON null").isTrue();
    assertThat(members.get("o").members().get("inner").path()).isEqualTo("o/inner");
  }

  @Test
  void onlyNamesTheFirstUnknownMemberAtItsPathWithTheAllowedSorted() {
    LocatedJson o = doc().object("o");
    assertThat(o.only("property", "inner")).isSameAs(o);
    assertThatThrownBy(() -> doc().only("key", List.of("s", "n", "w", "i", "b", "nil", "o", "big")))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("doc.json:6: a | unknown key a, allowed [b, big, i, n, nil, o, s, w]");
  }

  @Test
  void aValueWithoutARecordedLineHasItsNearestEnclosingOnesAndNoneWithoutLines() {
    LocatedJson r = doc();
    assertThat(r.line()).isEqualTo(1);
    assertThat(r.object("o").object("inner").req("deep").line()).isEqualTo(5);
    assertThat(r.elements("a").get(0).line()).isEqualTo(6);
    assertThat(r.at("absent").line()).isEqualTo(1);
    assertThatThrownBy(() -> r.object("o").object("inner").req("deep").asInt())
        .hasMessage("doc.json:5: o/inner/deep | INT wanted (a 32-bit whole number), got \"x\"");
    LocatedJson unlined = LocatedJson.root(Json.parse(DOC, "t"), "doc.json", Plain.INSTANCE);
    assertThat(unlined.object("o").line()).isEqualTo(-1);
    DataFormatException e = unlined.object("o").error("bad");
    assertThat(e).hasMessage("doc.json: o | bad");
    assertThat(e.line()).isEqualTo(-1);
    assertThat(e.source()).isEqualTo("doc.json");
  }

  @Test
  void atGivesAnAbsentMemberAPathForErrors() {
    LocatedJson absent = doc().object("o").at("gone");
    assertThat(absent.node().isMissingNode()).isTrue();
    assertThat(absent.error("needed here")).hasMessage("doc.json:4: o/gone | needed here");
    assertThat(doc().error("whole document")).hasMessage("doc.json:1: <root> | whole document");
  }

  @Test
  void asObjectOrEmptyReadsNullAsAnEmptyObjectAtTheSamePathAndLine() {
    LocatedJson nil = doc().at("nil").asObjectOrEmpty();
    assertThat(nil.node().isObject()).isTrue();
    assertThat(nil.node().isEmpty()).isTrue();
    assertThat(nil.path()).isEqualTo("nil");
    assertThat(nil.optNumber("min")).isNull();
    assertThatThrownBy(() -> nil.string("pattern")).hasMessage("doc.json:1: nil/pattern | missing pattern");
  }

  @Test
  void buildTurnsAnIllegalArgumentIntoAnErrorAtThisPathKeepingTheCause() {
    IllegalArgumentException cause = new IllegalArgumentException("min exceeds max");
    LocatedJson inner = doc().object("o").object("inner");
    assertThat(inner.build(() -> 42)).isEqualTo(42);
    assertThatThrownBy(() -> inner.build(() -> {
      throw cause;
    })).isInstanceOf(DataFormatException.class).hasMessage("doc.json:5: o/inner | min exceeds max").hasCause(cause);
    assertThat(inner.error("with cause", cause)).hasCause(cause).hasMessage("doc.json:5: o/inner | with cause");
  }

  @Test
  void scalarsReadThemselvesThroughTheAsMethods() {
    LocatedJson r = doc();
    assertThat(r.req("s").asString()).isEqualTo("text");
    assertThat(r.req("n").asNumber()).isEqualTo(2.5);
    assertThat(r.req("w").asWholeNumber()).isEqualTo(3000000000L);
    assertThat(r.req("i").asInt()).isEqualTo(7);
    assertThat(r.req("b").asBoolean()).isTrue();
    assertThat(r.req("o").asObject().path()).isEqualTo("o");
    assertThat(r.source()).isEqualTo("doc.json");
    assertThat(r.path()).isEmpty();
  }
}
