package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The hand-written UTF-8 encoder agrees with the JDK and flags the decoder's invalid-input markers. */
class Utf8Properties {
  @Provide
  Arbitrary<String> texts() {
    return Arbitraries.of("a", "b", "7", ",", "é", "ß", "中", "文", "😀", "𝄞", "\u0000", "\u007F", "\u0080", "\u07FF",
        "\u0800", "\uFFFD", "\uFFFF").list().ofMaxSize(40).map(l -> String.join("", l));
  }

  @Property(tries = 1000)
  void encodesLikeTheJdk(@ForAll("texts") String s) {
    char[] c = ("xx" + s).toCharArray();
    byte[] out = new byte[3 * c.length + 4];
    int end = Utf8.encode(c, 2, s.length(), out, 4);
    assertThat(Arrays.copyOfRange(out, 4, end)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
    assertThat(Utf8.countLoneSurrogates(c, 2, s.length())).isZero();
  }

  @Property(tries = 500)
  void aLoneSurrogateAnywhereIsFlagged(@ForAll("texts") String s, @ForAll("texts") String t) {
    String text = s + StrictUtf8Reader.MARKER + t;
    char[] c = text.toCharArray();
    assertThat(Utf8.encode(c, 0, c.length, new byte[3 * c.length], 0)).isEqualTo(-1);
    assertThat(Utf8.countLoneSurrogates(c, 0, c.length)).isEqualTo(1);
  }
}
