package dev.mlops.validation.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.LocatedJson;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The words of contract read errors through the shared reader, on a tree from the contract parser:
 * each refusal with its line, dotted path and printable text.
 */
class ContractWordingTest {
  private static final String YAML = """
      name: t
      o:
        s: text
        n: 2.5
        big: 99999999999999999999
        w: 3000000000
        "bell\\a": 1
      """;

  private static LocatedJson root() {
    return ContractParser.parse(new YAMLFactory(), YAML, "c.yaml");
  }

  private static Arguments row(Function<LocatedJson, Object> read, String message) {
    return Arguments.of(read, message);
  }

  static Stream<Arguments> refusals() {
    return Stream.of(
        row(r -> r.object("o").string("n"),
            "c.yaml:4: o.n: expected a string, got number 2.5"),
        row(r -> r.object("o").number("s"),
            "c.yaml:3: o.s: expected a number, got string \"text\""),
        row(r -> r.object("o").optWholeNumber("n"),
            "c.yaml:4: o.n: expected a whole number, got number 2.5"),
        row(r -> r.object("o").optWholeNumber("big"),
            "c.yaml:5: o.big: whole number 99999999999999999999 is outside the int64 range"),
        row(r -> r.object("o").optInt("big"),
            "c.yaml:5: o.big: whole number 99999999999999999999 is outside the int64 range"),
        row(r -> r.object("o").optInt("w"),
            "c.yaml:6: o.w: value 3000000000 is out of the int range"),
        row(r -> r.object("o").bool("s", false),
            "c.yaml:3: o.s: expected true or false, got string \"text\""),
        row(r -> r.req("name").asObjectOrEmpty(),
            "c.yaml:1: name: expected an object ({} for defaults), got string \"t\""),
        row(r -> r.object("o").elements("s"),
            "c.yaml:3: o.s: expected an array, got string \"text\""),
        row(r -> r.object("o").string("gone"),
            "c.yaml:3: o.gone: 'gone' is required"),
        row(r -> r.object("o").only("o property", "w", "s", "n", "big"),
            "c.yaml:7: o.bell\\u0007: unknown o property 'bell\\u0007'; allowed: big, n, s, w"),
        row(r -> r.build(() -> {
          throw new IllegalArgumentException("the root is refused");
        }), "c.yaml:1: the root is refused"));
  }

  @ParameterizedTest(name = "{1}")
  @MethodSource("refusals")
  void eachRefusalIsWordedAsContractFilesHaveAlwaysHadIt(Function<LocatedJson, Object> read, String message) {
    assertThatThrownBy(() -> read.apply(root())).isInstanceOf(DataFormatException.class).hasMessage(message);
  }

  @Test
  void theReaderFindsTheParsersLinesByTheWordingsPaths() {
    assertThat(root().object("o").req("w").line()).isEqualTo(6);
    assertThat(root().object("o").at("gone").line()).as("an absent member has its object's line, where a YAML"
        + " block mapping starts: its first key").isEqualTo(3);
  }
}
