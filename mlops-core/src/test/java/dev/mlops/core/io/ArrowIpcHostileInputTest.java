package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.Row;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arrow IPC input that lies: lengths that do not match the bytes present, single-byte corruption,
 * dictionary-encoded columns. Every case reads correct data or fails with a {@link DataFormatException}
 * naming the source, allocating no more than the input justifies and leaking nothing.
 */
class ArrowIpcHostileInputTest extends AllocatorSupport {
  /** Most heap one read of a few-KiB input may allocate: class loading and messages, never a length. */
  private static final long HEAP_BOUND = 64L << 20;

  @TempDir
  Path dir;

  private Path write(String name, byte[] bytes) throws IOException {
    Path p = dir.resolve(name);
    Files.write(p, bytes);
    return p;
  }

  private static List<Batch> read(boolean file, Path path, byte[] bytes, BufferAllocator allocator) {
    return file ? ArrowIpc.readFile(path, allocator)
        : ArrowIpc.readStream(new ByteArrayInputStream(bytes), path.getFileName().toString(), allocator);
  }

  @ParameterizedTest(name = "file={0}")
  @ValueSource(booleans = {true, false})
  void rejectsABatchThatLiesAboutItsLength(boolean file) throws IOException {
    List<Row> rows = ArrowSamples.rows(37, 1);
    byte[] bytes = file ? ArrowSamples.file(allocator, dir, rows) : ArrowSamples.stream(allocator, rows);
    IpcBytes ipc = IpcBytes.of(bytes);
    assertThat(ipc.getLong(ipc.batchLengthPosition(ipc.firstRecordBatch(file)))).as("rows written").isEqualTo(37);
    ArrowSamples.lyingAboutItsLength(bytes, file, 1_000_000);
    Path p = write("lying.arrow", bytes);

    assertThatThrownBy(() -> ArrowSamples.readAndUse(read(file, p, bytes, allocator)))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("lying.arrow")
        .hasMessageContaining("record batch 0")
        .hasMessageContaining("column 'id'")
        .hasMessageContaining("1000000");
  }

  @Test
  void refusesAFileReadAsAStreamWithoutAllocatingItsMagicAsALength() throws IOException {
    byte[] bytes = ArrowSamples.file(allocator, dir, ArrowSamples.rows(5, 2));
    long heap = ArrowSamples.heapAllocatedBy(() ->
        assertThatThrownBy(() -> ArrowIpc.readStream(new ByteArrayInputStream(bytes), "data.arrow", allocator))
            .isInstanceOf(DataFormatException.class)
            .hasMessageContaining("data.arrow")
            .hasMessageContaining("Arrow IPC file, not a stream")
            .hasMessageContaining("ArrowIpc.openFile"));
    assertThat(heap).as("heap bytes allocated by the read").isLessThan(HEAP_BOUND);
  }

  @ParameterizedTest(name = "file={0}, declared={1}")
  @ValueSource(ints = {0x7FFFFFF0, 0x3FFFFFF0, 0x01000000})
  void refusesAMetadataLengthBeyondTheBytesPresent(int declared) throws IOException {
    for (boolean file : new boolean[] {true, false}) {
      byte[] bytes = file ? ArrowSamples.file(allocator, dir, ArrowSamples.rows(20, 3))
          : ArrowSamples.stream(allocator, ArrowSamples.rows(20, 3));
      IpcBytes ipc = IpcBytes.of(bytes);
      ipc.putInt(ipc.metadataLengthPosition(ipc.firstRecordBatch(file)), declared);
      Path p = write("meta.arrow", bytes);
      try (ArrowSamples.AllocationProbe probe = new ArrowSamples.AllocationProbe(Long.MAX_VALUE)) {
        long heap = ArrowSamples.heapAllocatedBy(() ->
            assertThatThrownBy(() -> read(file, p, bytes, probe.allocator()))
                .isInstanceOf(DataFormatException.class)
                .hasMessageContaining("meta.arrow")
                .hasMessageContaining("record batch 0")
                .hasMessageContaining("metadata"));
        assertThat(heap).as("heap bytes allocated reading the %s", file ? "file" : "stream").isLessThan(HEAP_BOUND);
        assertThat(probe.largestRequest()).isLessThanOrEqualTo(4L * bytes.length);
      }
    }
  }

  @ParameterizedTest(name = "declared={0}")
  @ValueSource(longs = {4L << 30, Integer.MAX_VALUE, 1L << 20, -8})
  void refusesABodyLengthBeyondTheBytesPresent(long declared) throws IOException {
    for (boolean file : new boolean[] {true, false}) {
      byte[] bytes = file ? ArrowSamples.file(allocator, dir, ArrowSamples.rows(20, 4))
          : ArrowSamples.stream(allocator, ArrowSamples.rows(20, 4));
      IpcBytes ipc = IpcBytes.of(bytes);
      ipc.putLong(ipc.bodyLengthPosition(ipc.firstRecordBatch(file)), declared);
      Path p = write("body.arrow", bytes);
      try (ArrowSamples.AllocationProbe probe = new ArrowSamples.AllocationProbe(Long.MAX_VALUE)) {
        assertThatThrownBy(() -> read(file, p, bytes, probe.allocator()))
            .isInstanceOf(DataFormatException.class)
            .hasMessageContaining("body.arrow")
            .hasMessageContaining("record batch 0")
            .hasMessageContaining("body");
        assertThat(probe.largestRequest()).as("largest allocation reading the %s", file ? "file" : "stream")
            .isLessThanOrEqualTo(4L * bytes.length);
      }
    }
  }

  @ParameterizedTest(name = "file={0}")
  @ValueSource(booleans = {true, false})
  void everySingleByteFlipIsRefusedOrReadsValidBatches(boolean file) throws IOException {
    byte[] good = file ? ArrowSamples.file(allocator, dir, ArrowSamples.rows(6, 5))
        : ArrowSamples.stream(allocator, ArrowSamples.rows(6, 5));
    Path p = dir.resolve("flip.arrow");
    List<String> failures = new ArrayList<>();
    int refused = 0;
    for (int at = 0; at < good.length; at++) {
      for (int mask : new int[] {0x01, 0xFF}) {
        byte[] bytes = good.clone();
        bytes[at] ^= (byte) mask;
        Files.write(p, bytes);
        BufferAllocator a = new RootAllocator();
        try {
          ArrowSamples.readAndUse(read(file, p, bytes, a));
        } catch (DataFormatException e) {
          refused++;
          if (!e.getMessage().contains("flip.arrow")) {
            failures.add("byte " + at + " ^ " + mask + ": message does not name the source: " + e.getMessage());
          }
        } catch (RuntimeException | Error e) {
          failures.add("byte " + at + " ^ " + mask + ": " + e);
        }
        if (a.getAllocatedMemory() == 0) {
          a.close();
        } else {
          failures.add("byte " + at + " ^ " + mask + ": leaked " + a.getAllocatedMemory() + " B");
        }
      }
    }
    assertThat(failures).as("flips that escaped, leaked or handed out a bad batch").isEmpty();
    assertThat(refused).as("flips refused").isPositive();
  }

  @ParameterizedTest(name = "file={0}")
  @ValueSource(booleans = {true, false})
  void readsDictionaryEncodedColumnsAsTheirValues(boolean file) throws IOException {
    byte[] bytes;
    try (ArrowSamples.Messages m = ArrowSamples.dictionaryMessages(allocator)) {
      bytes = file ? m.toFile() : m.toStream();
    }
    Path p = write("dict.arrow", bytes);
    try (ArrowIpcReader r = file ? ArrowIpc.openFile(p, allocator)
        : ArrowIpc.openStream(new ByteArrayInputStream(bytes), "dict.arrows", allocator)) {
      assertThat(r.schema()).isEqualTo(ArrowSamples.DICTIONARY_SCHEMA);
      assertThat(ArrowSamples.readAndUse(r.readAll())).isEqualTo(ArrowSamples.dictionaryRows());
    }
  }
}
