package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;
import org.apache.arrow.flatbuf.BodyCompressionMethod;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.ipc.message.ArrowBodyCompression;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowMessage;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.UnionMode;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad Arrow IPC input the library knows of, one row each: the exception type, a fragment of its
 * message, the source named in it, and nothing leaked (the reading allocator back at zero, checked on
 * close). Writes that fail leave the old file and no temporary file. Rows marked with a finding (C5,
 * H1, H2, Low) reproduce issue 8; the others are their neighbours.
 */
class ArrowBadInputCatalogueTest extends AllocatorSupport {
  @TempDir
  Path dir;

  /** How the bad input is read. */
  enum Mode { FILE, STREAM, DIRECTORY }

  /** A bad input, how to read it, and the limits to read it with. */
  record Input(byte[] bytes, Mode mode, ArrowReadOptions options, long allocatorLimit) {
    static Input file(byte[] bytes) {
      return new Input(bytes, Mode.FILE, ArrowReadOptions.defaults(), Long.MAX_VALUE);
    }

    static Input stream(byte[] bytes) {
      return new Input(bytes, Mode.STREAM, ArrowReadOptions.defaults(), Long.MAX_VALUE);
    }

    static Input of(byte[] bytes, boolean file) {
      return file ? file(bytes) : stream(bytes);
    }

    Input with(ArrowReadOptions o) {
      return new Input(bytes, mode, o, allocatorLimit);
    }

    Input withAllocatorLimit(long limit) {
      return new Input(bytes, mode, options, limit);
    }
  }

  /** Makes a bad input from good data written with the test's allocator. */
  @FunctionalInterface
  interface Maker {
    Input make(BufferAllocator allocator, Path dir) throws IOException;
  }

  /** One row of the catalogue. */
  record Case(String name, Maker maker, Class<? extends Exception> type, String fragment) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case bad(String name, Class<? extends Exception> type, String fragment, Maker maker) {
    return new Case(name, maker, type, fragment);
  }

  private static byte[] sample(BufferAllocator a, Path dir, boolean file) {
    List<Row> rows = ArrowSamples.rows(37, 1);
    return file ? ArrowSamples.file(a, dir, rows) : ArrowSamples.stream(a, rows);
  }

  /** Applies {@code patch} to the first record batch of a sample. */
  private static Input patched(BufferAllocator a, Path dir, boolean file, Patch patch) {
    byte[] bytes = sample(a, dir, file);
    IpcBytes ipc = IpcBytes.of(bytes);
    patch.apply(ipc, ipc.firstRecordBatch(file));
    return Input.of(bytes, file);
  }

  @FunctionalInterface
  interface Patch {
    void apply(IpcBytes ipc, IpcBytes.Msg batch);
  }

  /** Position in the bytes of byte {@code at} of buffer {@code buffer} of a batch's body. */
  private static int inBuffer(IpcBytes ipc, IpcBytes.Msg m, int buffer, int at) {
    return (int) (m.bodyStart() + ipc.getLong(ipc.bufferPosition(m, buffer)) + at);
  }

  // Buffers of a sample batch: id 0-1, x 2-3, f 4-5, ok 6-7, name 8-10 (validity, offsets, data), at 11-12,
  // v 13 (validity), v's elements 14-15. Nodes: id 0, x 1, f 2, ok 3, name 4, at 5, v 6, v's elements 7.
  private static final int X_NODE = 1;
  private static final int NAME_OFFSETS = 9;
  private static final int NAME_DATA = 10;
  private static final int ELEMENT_NODE = 7;
  private static final int ELEMENT_VALIDITY = 14;

  private static ArrowSamples.Messages messages(org.apache.arrow.vector.types.pojo.Schema schema,
      List<ArrowMessage> batches) {
    return new ArrowSamples.Messages(schema, batches);
  }

  private static org.apache.arrow.vector.types.pojo.Field arrowField(String name, boolean nullable, ArrowType t) {
    return new org.apache.arrow.vector.types.pojo.Field(name, new FieldType(nullable, t, null), null);
  }

  private static ArrowRecordBatch ids(BufferAllocator a, Long... values) {
    try (BigIntVector v = new BigIntVector("id", a)) {
      v.allocateNew(values.length);
      for (int i = 0; i < values.length; i++) {
        if (values[i] != null) {
          v.set(i, values[i]);
        }
      }
      v.setValueCount(values.length);
      return ArrowSamples.unload(List.of(v), values.length);
    }
  }

  private static byte[] write(ArrowSamples.Messages m, boolean file) {
    try (m) {
      return file ? m.toFile() : m.toStream();
    }
  }

  private static org.apache.arrow.vector.types.pojo.Field nested(int depth) {
    org.apache.arrow.vector.types.pojo.Field f = arrowField("element", false,
        new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE));
    for (int i = 0; i < depth; i++) {
      f = new org.apache.arrow.vector.types.pojo.Field(i == depth - 1 ? "deep" : "level" + i,
          FieldType.nullable(new ArrowType.FixedSizeList(1)), List.of(f));
    }
    return f;
  }

  /** A file whose footer lists its first record batch twice, as no writer would. */
  private static byte[] repeated(BufferAllocator a) {
    byte[] b = write(messages(new org.apache.arrow.vector.types.pojo.Schema(
        List.of(arrowField("id", true, new ArrowType.Int(64, true)))), List.of(ids(a, 1L, 2L), ids(a, 3L))), true);
    IpcBytes ipc = IpcBytes.of(b);
    System.arraycopy(b, ipc.recordBlockPosition(0), b, ipc.recordBlockPosition(1), 24);
    return b;
  }

  /**
   * A schema whose union field declares 0x54020000 (1,409,417,216) type ids in a vector that holds two:
   * Arrow's schema conversion allocates {@code new int[n]} for them, 5.6 GB of heap.
   */
  private static byte[] unionTypeIdsLie(boolean file) {
    byte[] b = write(messages(new org.apache.arrow.vector.types.pojo.Schema(
        List.of(arrowField("u", true, new ArrowType.Union(UnionMode.Sparse, new int[] {0x5A5A5A01, 0x5A5A5A02})))),
        List.of()), file);
    IpcBytes ipc = IpcBytes.of(b);
    int patched = 0;
    // the vector: its length (2), then the ids; a file holds the schema twice, in its body and its footer
    for (int pos = 0; pos + 12 <= b.length; pos += 4) {
      if (ipc.getInt(pos) == 2 && ipc.getInt(pos + 4) == 0x5A5A5A01 && ipc.getInt(pos + 8) == 0x5A5A5A02) {
        ipc.putInt(pos, 0x54020000);
        patched++;
      }
    }
    assertThat(patched).as("union type-id vectors patched").isEqualTo(file ? 2 : 1);
    return b;
  }

  /** A batch of a schema without columns that declares a million rows, no bytes behind them. */
  private static byte[] rowsWithoutColumns(boolean file) {
    return write(messages(new org.apache.arrow.vector.types.pojo.Schema(List.of()),
        List.of(new ArrowRecordBatch(1_000_000, List.of(), List.of()))), file);
  }

  static Stream<Case> cases() {
    return Stream.of(
        // C5: a batch that lies about its length
        bad("C5 batch and field-node lengths lie (file)", DataFormatException.class,
            "record batch 0 declares 1000000 values but its validity bitmap holds",
            (a, d) -> Input.file(ArrowSamples.lyingAboutItsLength(sample(a, d, true), true, 1_000_000))),
        bad("C5 batch and field-node lengths lie (stream)", DataFormatException.class,
            "record batch 0 declares 1000000 values but its validity bitmap holds",
            (a, d) -> Input.stream(ArrowSamples.lyingAboutItsLength(sample(a, d, false), false, 1_000_000))),
        bad("batch length lies, field nodes do not", DataFormatException.class,
            "holds 37 values but the batch declares 1000000 rows",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putLong(ipc.batchLengthPosition(m), 1_000_000))),
        bad("negative batch length", DataFormatException.class, "declares -1 rows",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putLong(ipc.batchLengthPosition(m), -1))),
        // H1: allocation bombs
        bad("H1 a file read as a stream (its magic is no length)", DataFormatException.class,
            "magic bytes of an Arrow IPC file, not a stream", (a, d) -> Input.stream(sample(a, d, true))),
        bad("H1 metadata length 0x7FFFFFF0 in a file", DataFormatException.class,
            "declares a metadata length of 2147483632",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putInt(ipc.metadataLengthPosition(m), 0x7FFFFFF0))),
        bad("H1 metadata length above maxBatchBytes in a stream", DataFormatException.class,
            "bytes of metadata, outside 1 to maxBatchBytes",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putInt(ipc.metadataLengthPosition(m), 0x7FFFFFF0))),
        bad("H1 metadata length beyond the bytes of a stream", DataFormatException.class,
            "is truncated: the stream ends after",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putInt(ipc.metadataLengthPosition(m), 0x3FFFFFF0))),
        bad("H1 body length of 4 GiB in a file", DataFormatException.class,
            "declares a body of 4294967296 bytes where the footer says",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putLong(ipc.bodyLengthPosition(m), 4L << 30))),
        bad("H1 body length of 4 GiB in a stream", DataFormatException.class, "more than maxBatchBytes",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putLong(ipc.bodyLengthPosition(m), 4L << 30))),
        bad("body length beyond the bytes of a stream", DataFormatException.class, "body bytes it declares",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putLong(ipc.bodyLengthPosition(m), 1L << 20))),
        bad("negative body length", DataFormatException.class, "declares a body of -8 bytes",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putLong(ipc.bodyLengthPosition(m), -8))),
        bad("stream message above a lowered maxBatchBytes", DataFormatException.class,
            "raise ArrowReadOptions.maxBatchBytes",
            (a, d) -> Input.stream(sample(a, d, false)).with(ArrowReadOptions.defaults().withMaxBatchBytes(256))),
        bad("footer block outside the file", DataFormatException.class, "is placed by the footer at byte",
            (a, d) -> {
              byte[] b = sample(a, d, true);
              IpcBytes ipc = IpcBytes.of(b);
              ipc.putLong(ipc.recordBlockPosition(0), 1L << 40);
              return Input.file(b);
            }),
        bad("a footer listing one batch twice", DataFormatException.class, "that overlap at byte",
            (a, d) -> Input.file(repeated(a))),
        bad("footer length beyond the file", DataFormatException.class, "its footer declares a length of",
            (a, d) -> {
              byte[] b = sample(a, d, true);
              IpcBytes ipc = IpcBytes.of(b);
              ipc.putInt(ipc.footerLengthPosition(), 0x7FFFFFF0);
              return Input.file(b);
            }),
        bad("buffer outside the body", DataFormatException.class, "places its value buffer at bytes",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putLong(ipc.bufferPosition(m, 1), 1L << 33))),
        bad("negative buffer length", DataFormatException.class, "places its value buffer at bytes",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putLong(ipc.bufferPosition(m, 1) + 8, -16))),
        // H2 and its neighbours: corruption that must neither leak nor hand out a bad batch
        bad("H2 null count above the length", DataFormatException.class, "declares 38 nulls among 37 values",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putLong(ipc.nodePosition(m, X_NODE) + 8, 38))),
        bad("null count that disagrees with the validity bitmap", DataFormatException.class,
            "nulls but its validity bitmap marks",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putLong(ipc.nodePosition(m, X_NODE) + 8,
                ipc.getLong(ipc.nodePosition(m, X_NODE) + 8) + 1))),
        bad("string offsets past the character data", DataFormatException.class,
            "has offset 1048576 for the end of row 36 (0-based), outside [85, 90]",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putInt(inBuffer(ipc, m, NAME_OFFSETS, 4 * 37), 1 << 20))),
        bad("string offsets that go backwards", DataFormatException.class,
            "has offset 1073741824 for the end of row 1 (0-based), outside [4, 90]",
            (a, d) -> patched(a, d, false, (ipc, m) -> ipc.putInt(inBuffer(ipc, m, NAME_OFFSETS, 8), 0x40000000))),
        bad("invalid UTF-8 in a string", DataFormatException.class, "Non-UTF-8 data in VarCharVector at position 0",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.bytes()[inBuffer(ipc, m, NAME_DATA, 1)] = (byte) 0xFF)),
        bad("a string ending inside a UTF-8 sequence", DataFormatException.class, "holds invalid UTF-8 in row 0",
            (a, d) -> patched(a, d, false, (ipc, m) -> {
              // row 0 is "n0é" (6e 30 c3 a9); make it "n0x" and the first byte of a 3-byte sequence
              ipc.bytes()[inBuffer(ipc, m, NAME_DATA, 2)] = 'x';
              ipc.bytes()[inBuffer(ipc, m, NAME_DATA, 3)] = (byte) 0xE2;
            })),
        bad("a null element in a non-null tensor", DataFormatException.class,
            "holds a tensor with a null element in row 0",
            (a, d) -> patched(a, d, false, (ipc, m) -> {
              ipc.bytes()[inBuffer(ipc, m, ELEMENT_VALIDITY, 0)] &= (byte) 0xFE;
              int node = ipc.nodePosition(m, ELEMENT_NODE);
              ipc.putLong(node + 8, ipc.getLong(node + 8) + 1);
            })),
        bad("metadata version V3", DataFormatException.class, "metadata version 2",
            (a, d) -> patched(a, d, true, (ipc, m) -> ipc.putShort(ipc.versionPosition(m), (short) 2))),
        bad("nulls in a column declared not nullable", DataFormatException.class,
            "is declared not nullable but holds 1 nulls",
            (a, d) -> Input.file(write(messages(new org.apache.arrow.vector.types.pojo.Schema(
                List.of(arrowField("id", false, new ArrowType.Int(64, true)))), List.of(ids(a, 1L, null, 3L))), true))),
        bad("fewer field nodes than columns", DataFormatException.class, "fewer than its columns need",
            (a, d) -> Input.stream(write(messages(new org.apache.arrow.vector.types.pojo.Schema(List.of(
                arrowField("id", true, new ArrowType.Int(64, true)),
                arrowField("x", true, new ArrowType.Int(64, true)))), List.of(ids(a, 1L, 2L))), false))),
        bad("compressed body", DataFormatException.class, "is compressed (LZ4_FRAME)",
            (a, d) -> {
              try (ArrowRecordBatch plain = ids(a, 1L, 2L)) {
                ArrowRecordBatch lz4 = new ArrowRecordBatch(plain.getLength(), plain.getNodes(), plain.getBuffers(),
                    new ArrowBodyCompression(CompressionType.LZ4_FRAME, BodyCompressionMethod.BUFFER));
                return Input.file(write(messages(new org.apache.arrow.vector.types.pojo.Schema(
                    List.of(arrowField("id", true, new ArrowType.Int(64, true)))), List.of(lz4)), true));
              }
            }),
        bad("a column type mlops does not map", DataFormatException.class, "which mlops does not map",
            (a, d) -> Input.stream(write(messages(new org.apache.arrow.vector.types.pojo.Schema(
                List.of(arrowField("n", true, new ArrowType.Int(32, true)))), List.of()), false))),
        bad("fields nested too deep", DataFormatException.class, "nested deeper than 32 levels",
            (a, d) -> Input.file(write(messages(new org.apache.arrow.vector.types.pojo.Schema(List.of(nested(40))),
                List.of()), true))),
        bad("fuzz: a union declaring 1409417216 type ids, 5.6 GB of heap (stream)", DataFormatException.class,
            "its schema declares 1409417216 union type ids for field 'u'",
            (a, d) -> Input.stream(unionTypeIdsLie(false))),
        bad("fuzz: a union declaring 1409417216 type ids, 5.6 GB of heap (file)", DataFormatException.class,
            "its footer declares 1409417216 union type ids for field 'u'",
            (a, d) -> Input.file(unionTypeIdsLie(true))),
        bad("fuzz: a batch without columns declaring 1000000 rows (file)", DataFormatException.class,
            "record batch 0 declares 1000000 rows but the schema has no columns",
            (a, d) -> Input.file(rowsWithoutColumns(true))),
        bad("a batch without columns declaring 1000000 rows (stream)", DataFormatException.class,
            "record batch 0 declares 1000000 rows but the schema has no columns",
            (a, d) -> Input.stream(rowsWithoutColumns(false))),
        bad("a second schema in a stream", DataFormatException.class,
            "is a Schema message where a record or dictionary batch belongs",
            (a, d) -> {
              byte[] once = write(messages(new org.apache.arrow.vector.types.pojo.Schema(
                  List.of(arrowField("id", true, new ArrowType.Int(64, true)))), List.of()), false);
              byte[] schemaOnly = Arrays.copyOf(once, once.length - 8);
              byte[] twice = Arrays.copyOf(schemaOnly, 2 * schemaOnly.length);
              System.arraycopy(schemaOnly, 0, twice, schemaOnly.length, schemaOnly.length);
              return Input.stream(twice);
            }),
        // Low: dictionaries
        bad("Low dictionary of values mlops does not map", DataFormatException.class,
            "'values' has type Int(32, true), which mlops does not map",
            (a, d) -> Input.file(write(messages(new org.apache.arrow.vector.types.pojo.Schema(List.of(
                new org.apache.arrow.vector.types.pojo.Field("values", new FieldType(true, new ArrowType.Int(32, true),
                    new DictionaryEncoding(1, false, new ArrowType.Int(8, true))), null))), List.of()), true))),
        bad("dictionary index outside the dictionary", DataFormatException.class,
            "row 0 holds dictionary index 99, outside the 3 values of its dictionary",
            (a, d) -> {
              byte[] b = write(ArrowSamples.dictionaryMessages(a), true);
              IpcBytes ipc = IpcBytes.of(b);
              IpcBytes.Msg m = ipc.firstRecordBatch(true);
              ipc.putInt(inBuffer(ipc, m, 3, 0), 99);
              return Input.file(b);
            }),
        bad("dictionary batch for an id no column uses", DataFormatException.class,
            "defines dictionary 99, which no column of the schema uses",
            (a, d) -> {
              byte[] b = write(ArrowSamples.dictionaryMessages(a), false);
              IpcBytes ipc = IpcBytes.of(b);
              ipc.putLong(ipc.dictionaryIdPosition(ipc.firstDictionaryBatch(false)), 99);
              return Input.stream(b);
            }),
        bad("record batch before its dictionary", DataFormatException.class,
            "comes before any dictionary batch for its dictionary (id 7)",
            (a, d) -> {
              ArrowSamples.Messages all = ArrowSamples.dictionaryMessages(a);
              ((ArrowDictionaryBatch) all.messages().get(0)).close();
              return Input.stream(write(messages(all.schema(), List.of(all.messages().get(1))), false));
            }),
        bad("decoded dictionaries above maxBatchBytes", DataFormatException.class,
            "decodes to more than the 24 bytes ArrowReadOptions.maxBatchBytes allows",
            (a, d) -> Input.file(write(ArrowSamples.dictionaryMessages(a), true))
                .with(ArrowReadOptions.defaults().withMaxBatchBytes(24))),
        // framing and the rest
        bad("empty stream", DataFormatException.class, "the stream is empty", (a, d) -> Input.stream(new byte[0])),
        bad("empty file", DataFormatException.class, "too short for an Arrow IPC file",
            (a, d) -> Input.file(new byte[0])),
        bad("file missing its trailing magic", DataFormatException.class, "magic bytes 'ARROW1'",
            (a, d) -> {
              byte[] b = sample(a, d, true);
              return Input.file(Arrays.copyOf(b, b.length - 3));
            }),
        bad("stream cut inside a body", DataFormatException.class, "is truncated",
            (a, d) -> {
              byte[] b = sample(a, d, false);
              return Input.stream(Arrays.copyOf(b, b.length - 100));
            }),
        bad("random bytes as a file", DataFormatException.class, "Arrow IPC", (a, d) -> Input.file(noise())),
        bad("random bytes as a stream", DataFormatException.class, "bytes of metadata, outside 1 to maxBatchBytes",
            (a, d) -> Input.stream(noise())),
        bad("a directory given as a file", MlopsException.class, "is not a regular file",
            (a, d) -> new Input(new byte[0], Mode.DIRECTORY, ArrowReadOptions.defaults(), Long.MAX_VALUE)),
        bad("an allocator too small for a valid file", MlopsException.class,
            "give the reader an allocator with a higher limit",
            (a, d) -> Input.file(sample(a, d, true)).withAllocatorLimit(512)));
  }

  private static byte[] noise() {
    byte[] b = new byte[4096];
    new Random(5).nextBytes(b);
    return b;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesBadInputWithoutLeaking(Case c) throws IOException {
    Input in = c.maker().make(allocator, dir);
    String name = in.mode() == Mode.STREAM ? "bad.arrows" : "bad.arrow";
    Path p = dir.resolve(name);
    if (in.mode() == Mode.DIRECTORY) {
      Files.createDirectory(p);
    } else {
      Files.write(p, in.bytes());
    }
    try (BufferAllocator reading = allocator.newChildAllocator(c.name(), 0, in.allocatorLimit())) {
      assertThatThrownBy(() -> ArrowSamples.readAndUse(in.mode() == Mode.STREAM
          ? readAll(ArrowIpc.openStream(new ByteArrayInputStream(in.bytes()), name, reading, in.options()))
          : readAll(ArrowIpc.openFile(p, reading, in.options()))))
          .isExactlyInstanceOf(c.type())
          .hasMessageContaining(name)
          .hasMessageContaining(c.fragment());
      assertThat(reading.getAllocatedMemory()).as("bytes left allocated").isZero();
    }
  }

  private static List<Batch> readAll(ArrowIpcReader r) {
    try (r) {
      return r.readAll();
    }
  }

  @org.junit.jupiter.api.Test
  void aBatchWithoutColumnsButWithRowsIsNotWritten() throws IOException {
    Schema none = Schema.of();
    Path target = dir.resolve("none.arrow");
    try (Batch rows = Batch.fromRows(allocator, none, List.of(Row.of(none), Row.of(none)));
        Batch empty = Batch.fromRows(allocator, none, List.of())) {
      assertThatThrownBy(() -> ArrowIpc.writeFile(target, none, List.of(rows)))
          .isInstanceOf(SchemaMismatchException.class)
          .hasMessageContaining("Batch of 2 rows has no columns");
      ArrowIpc.writeFile(target, none, List.of(empty));
    }
    try (BufferAllocator reading = allocator.newChildAllocator("none", 0, Long.MAX_VALUE)) {
      List<Batch> back = ArrowIpc.readFile(target, reading);
      assertThat(back).singleElement().extracting(Batch::rowCount).isEqualTo(0);
      back.forEach(Batch::close);
    }
  }

  /** A write that cannot finish. */
  record FailedWrite(String name, Class<? extends Exception> type, String fragment, boolean stream) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<FailedWrite> failedWrites() {
    return Stream.of(
        new FailedWrite("a batch of another schema", SchemaMismatchException.class, "differs from the Arrow IPC schema",
            false),
        new FailedWrite("a batch source that fails half way", IllegalStateException.class, "source failed", true));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("failedWrites")
  void aFailedWriteLeavesTheOldFileAndNoTemporaryFile(FailedWrite w) throws IOException {
    Path target = dir.resolve("keep.arrow");
    Files.writeString(target, "old");
    Schema other = Schema.of(Field.of("x", DataType.INT64));
    try (Batch good = Batch.fromRows(allocator, ArrowSamples.SCHEMA, ArrowSamples.rows(3, 7));
        Batch wrong = Batch.fromRows(allocator, other, List.of(Row.of(other, 1L)))) {
      Iterable<Batch> batches = w.stream() ? () -> new Iterator<>() {
        private int served;

        @Override
        public boolean hasNext() {
          return true;
        }

        @Override
        public Batch next() {
          if (served++ == 0) {
            return good;
          }
          throw new IllegalStateException("source failed");
        }
      } : List.of(good, wrong);
      assertThatThrownBy(() -> ArrowIpc.writeFile(target, ArrowSamples.SCHEMA, batches))
          .isInstanceOf(w.type())
          .hasMessageContaining(w.fragment());
    }
    assertThat(Files.readString(target, StandardCharsets.UTF_8)).isEqualTo("old");
    try (var files = Files.list(dir)) {
      assertThat(files.map(f -> f.getFileName().toString()).toList()).containsExactly("keep.arrow");
    }
  }
}
