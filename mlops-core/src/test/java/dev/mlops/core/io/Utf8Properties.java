package dev.mlops.core.io;

import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.Batch;
import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import java.nio.charset.StandardCharsets;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.VarCharVector;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;

/**
 * The hand-written UTF-8 encoder behind {@link BatchBuilder#trySetString} (the CSV reader's string
 * path) agrees with the JDK, and the decoder's invalid-input markers are flagged and refused.
 */
class Utf8Properties {
  private static final Schema TEXT = Schema.of(Field.of("s", DataType.STRING));

  /** Up to 40 pieces: ASCII, two-, three- and four-byte chars, and the edges of each encoding length. */
  static Gen<String> texts() {
    return lists(pick("a", "b", "7", ",", "é", "ß", "中", "文", "😀", "𝄞", "\u0000", "\u007F", "\u0080", "\u07FF",
        "\u0800", "\uFFFD", "\uFFFF"), 0, 40).map(l -> String.join("", l));
  }

  @Test
  void encodesLikeTheJdk() {
    qt().withFixedSeed(0x07F8_0001L).withExamples(1000).forAll(texts()).checkAssert(s -> {
      char[] c = ("xx" + s + "yy").toCharArray();
      try (BufferAllocator alloc = new RootAllocator(); BatchBuilder b = Batch.builder(alloc, TEXT)) {
        assertThat(b.trySetString(0, c, 2, s.length())).isTrue();
        try (Batch batch = b.endRow().build()) {
          VarCharVector v = (VarCharVector) batch.vector(0);
          assertThat(v.get(0)).isEqualTo(s.getBytes(StandardCharsets.UTF_8));
        }
      }
      assertThat(Utf8.countLoneSurrogates(c, 2, s.length())).isZero();
    });
  }

  @Test
  void aLoneSurrogateAnywhereIsFlagged() {
    qt().withFixedSeed(0x07F8_0002L).withExamples(500).forAll(texts(), texts()).checkAssert((s, t) -> {
      String text = s + StrictUtf8Reader.MARKER + t;
      char[] c = text.toCharArray();
      try (BufferAllocator alloc = new RootAllocator(); BatchBuilder b = Batch.builder(alloc, TEXT)) {
        assertThat(b.trySetString(0, c, 0, c.length)).isFalse();
        try (Batch batch = b.endRow().build()) {
          assertThat(batch.isNull(0, 0)).as("a refused string sets nothing").isTrue();
        }
      }
      assertThat(Utf8.countLoneSurrogates(c, 0, c.length)).isEqualTo(1);
    });
  }
}
