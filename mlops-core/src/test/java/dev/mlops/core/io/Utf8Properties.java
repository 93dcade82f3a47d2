package dev.mlops.core.io;

import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/** The hand-written UTF-8 encoder agrees with the JDK and flags the decoder's invalid-input markers. */
class Utf8Properties {
  /** Up to 40 pieces: ASCII, two-, three- and four-byte chars, and the edges of each encoding length. */
  static Gen<String> texts() {
    return lists(pick("a", "b", "7", ",", "é", "ß", "中", "文", "😀", "𝄞", "\u0000", "\u007F", "\u0080", "\u07FF",
        "\u0800", "\uFFFD", "\uFFFF"), 0, 40).map(l -> String.join("", l));
  }

  @Test
  void encodesLikeTheJdk() {
    qt().withFixedSeed(0x07F8_0001L).withExamples(1000).forAll(texts()).checkAssert(s -> {
      char[] c = ("xx" + s).toCharArray();
      byte[] out = new byte[3 * c.length + 4];
      int end = Utf8.encode(c, 2, s.length(), out, 4);
      assertThat(Arrays.copyOfRange(out, 4, end)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
      assertThat(Utf8.countLoneSurrogates(c, 2, s.length())).isZero();
    });
  }

  @Test
  void aLoneSurrogateAnywhereIsFlagged() {
    qt().withFixedSeed(0x07F8_0002L).withExamples(500).forAll(texts(), texts()).checkAssert((s, t) -> {
      String text = s + StrictUtf8Reader.MARKER + t;
      char[] c = text.toCharArray();
      assertThat(Utf8.encode(c, 0, c.length, new byte[3 * c.length], 0)).isEqualTo(-1);
      assertThat(Utf8.countLoneSurrogates(c, 0, c.length)).isEqualTo(1);
    });
  }
}
