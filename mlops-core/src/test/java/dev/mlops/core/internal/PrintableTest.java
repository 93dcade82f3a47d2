package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class PrintableTest {

  static Stream<Arguments> escapes() {
    return Stream.of(
        Arguments.of("a\nFAKE LOG LINE", "a\\nFAKE LOG LINE"),
        Arguments.of("cr\rtab\t", "cr\\rtab\\t"),
        Arguments.of("\u001b[31mred", "\\u001B[31mred"),
        Arguments.of("nel\u0085del\u007f", "nel\\u0085del\\u007F"),
        Arguments.of("line\u2028para\u2029", "line\\u2028para\\u2029"),
        Arguments.of("bidi\u202Eevil\u2066\u200F\u061C", "bidi\\u202Eevil\\u2066\\u200F\\u061C"),
        Arguments.of("lone\ud800high", "lone\\uD800high"),
        Arguments.of("lone\udc00low", "lone\\uDC00low"),
        Arguments.of("\udc00\ud800", "\\uDC00\\uD800"));
  }

  @ParameterizedTest
  @MethodSource("escapes")
  void controlSeparatorBidiAndLoneSurrogateCharactersBecomeVisibleEscapes(String raw, String shown) {
    assertThat(Printable.of(raw)).isEqualTo(shown);
    assertThat(Printable.of(shown)).as("applying it twice changes nothing").isEqualTo(shown);
  }

  @Test
  void ordinaryTextIsReturnedAsItIs() {
    String text = "naïve 数据 emoji 🎉 back\\slash \"quoted\" a,b";
    assertThat(Printable.of(text)).isSameAs(text);
  }
}
