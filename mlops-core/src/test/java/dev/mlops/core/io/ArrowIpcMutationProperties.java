package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quicktheories.core.Gen;
import org.quicktheories.impl.Constraint;

/**
 * Random and mutated short Arrow IPC inputs, read as files and as streams: each reads valid batches or
 * fails with a {@link DataFormatException}, never anything else; nothing it declares is allocated beyond
 * what its bytes allow, and the allocator is back at zero after each.
 */
class ArrowIpcMutationProperties {
  /** Values a hostile writer puts in length fields. */
  private static final long[] LENGTHS = {0, 1, -1, 7, 8, 0x7FFFFFF0L, Integer.MAX_VALUE, Integer.MIN_VALUE,
      1L << 32, 4L << 30, Long.MAX_VALUE, Long.MIN_VALUE, 1_000_000, 0xFFFFFFFFL};
  /** Most heap one read of these inputs may allocate: class loading and messages, never a length. */
  private static final long HEAP_BOUND = 64L << 20;

  @TempDir
  static Path dir;

  private static List<Input> bases;

  /** One input and how it is read. */
  record Input(byte[] bytes, boolean file, String how) {
    @Override
    public String toString() {
      String head = HexFormat.of().formatHex(bytes, 0, Math.min(bytes.length, 48));
      return how + (file ? " file" : " stream") + " of " + bytes.length + " bytes: " + head;
    }
  }

  @BeforeAll
  static void writeValidInputs() {
    try (BufferAllocator a = new RootAllocator()) {
      List<dev.mlops.core.Row> rows = ArrowSamples.rows(6, 11);
      byte[] dictFile;
      byte[] dictStream;
      try (ArrowSamples.Messages m = ArrowSamples.dictionaryMessages(a)) {
        dictFile = m.toFile();
        dictStream = m.toStream();
      }
      bases = List.of(new Input(ArrowSamples.file(a, dir, rows), true, "sample"),
          new Input(ArrowSamples.stream(a, rows), false, "sample"),
          new Input(dictFile, true, "dictionary"), new Input(dictStream, false, "dictionary"));
    }
  }

  @AfterAll
  static void forget() {
    bases = null;
  }

  private static Gen<Input> inputs() {
    Gen<Input> g = in -> {
      Random rnd = new Random(in.next(Constraint.between(Long.MIN_VALUE, Long.MAX_VALUE)));
      return rnd.nextInt(4) == 0 ? randomBytes(rnd) : mutated(rnd);
    };
    return g.describedAs(Input::toString);
  }

  private static Input randomBytes(Random rnd) {
    byte[] b = new byte[rnd.nextInt(129)];
    rnd.nextBytes(b);
    if (b.length >= 8 && rnd.nextBoolean()) {
      // a continuation marker and a small length get past the first check to the flatbuffer
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      bb.putInt(0, -1).putInt(4, rnd.nextInt(b.length));
    }
    if (b.length >= 6 && rnd.nextBoolean()) {
      System.arraycopy(ArrowIpc.MAGIC, 0, b, 0, 6);
    }
    return new Input(b, rnd.nextBoolean(), "random");
  }

  private static Input mutated(Random rnd) {
    Input base = bases.get(rnd.nextInt(bases.size()));
    byte[] b = base.bytes().clone();
    int edits = 1 + rnd.nextInt(4);
    for (int e = 0; e < edits; e++) {
      ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
      switch (rnd.nextInt(5)) {
        case 0 -> b[rnd.nextInt(b.length)] = (byte) rnd.nextInt();
        case 1 -> b[rnd.nextInt(b.length)] ^= (byte) (1 << rnd.nextInt(8));
        case 2 -> bb.putInt(rnd.nextInt(b.length / 4) * 4, (int) LENGTHS[rnd.nextInt(LENGTHS.length)]);
        case 3 -> bb.putLong(rnd.nextInt(b.length / 8) * 8, LENGTHS[rnd.nextInt(LENGTHS.length)]);
        default -> b = Arrays.copyOf(b, rnd.nextInt(b.length + 1));
      }
      if (b.length < 8) {
        break;
      }
    }
    return new Input(b, base.file(), base.how() + " x" + edits);
  }

  @Test
  void randomAndMutatedInputsReadOrFailCleanlyWithinTheirSize() {
    qt().withFixedSeed(20_260_808L).withExamples(2000).withShrinkCycles(50)
        .forAll(inputs())
        .checkAssert(ArrowIpcMutationProperties::readsOrFailsCleanly);
  }

  private static void readsOrFailsCleanly(Input in) {
    Path p = dir.resolve("mutant.arrow");
    try {
      Files.write(p, in.bytes());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    long limit = 16L * in.bytes().length + (1 << 20);
    try (ArrowSamples.AllocationProbe probe = new ArrowSamples.AllocationProbe(limit)) {
      long heap = ArrowSamples.heapAllocatedBy(() -> {
        try {
          ArrowSamples.readAndUse(in.file() ? ArrowIpc.readFile(p, probe.allocator())
              : ArrowIpc.readStream(new ByteArrayInputStream(in.bytes()), "mutant.arrow", probe.allocator()));
        } catch (DataFormatException e) {
          assertThat(e.getMessage()).contains("mutant.arrow");
        }
      });
      assertThat(heap).as("heap bytes allocated reading %s", in).isLessThan(HEAP_BOUND);
      assertThat(probe.largestRequest()).as("largest Arrow allocation reading %s", in)
          .isLessThanOrEqualTo(8L * in.bytes().length + (64 << 10));
    }
  }
}
