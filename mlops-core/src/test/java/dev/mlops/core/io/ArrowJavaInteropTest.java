package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryEncoder;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowFileWriter;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Files and streams the library writes, read by Arrow Java's own {@link ArrowFileReader} and
 * {@link ArrowStreamReader}, and what Arrow Java's writers produce (dictionaries included) read by the
 * library. Arrow's own IPC classes wrap off-heap memory in {@code DirectByteBuffer}s, which on Java 17
 * needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; so this class runs in the
 * {@code arrow-interop} surefire execution of {@code mlops-core/pom.xml}, which has the flag, while the
 * library and every other test run without it. Run elsewhere without the flag, it skips and says so;
 * in that execution, a missing flag fails it.
 */
class ArrowJavaInteropTest extends AllocatorSupport {
  @TempDir
  Path dir;

  @BeforeAll
  static void arrowsOwnIpcClassesCanRun() {
    boolean opened;
    try (RootAllocator probeAllocator = new RootAllocator(); ArrowBuf probe = probeAllocator.buffer(8)) {
      probe.nioBuffer();
      opened = true;
    } catch (UnsupportedOperationException | IllegalAccessError e) {
      opened = false;
    }
    if (Boolean.getBoolean("mlops.arrowInterop")) {
      assertThat(opened).as("the arrow-interop surefire execution must pass"
          + " --add-opens=java.base/java.nio=ALL-UNNAMED to its JVM").isTrue();
    }
    Assumptions.assumeTrue(opened, "Arrow's own IPC classes need --add-opens=java.base/java.nio=ALL-UNNAMED;"
        + " this class runs with it in the arrow-interop surefire execution (mvn verify), ArrowIpc needs no flag");
  }

  private static List<Row> readAll(org.apache.arrow.vector.ipc.ArrowReader r) throws IOException {
    List<Row> read = new ArrayList<>();
    while (r.loadNextBatch()) {
      read.addAll(Batch.view(r.getVectorSchemaRoot()).toRows());
    }
    return read;
  }

  @Test
  void arrowJavaReadsTheFilesAndStreamsTheLibraryWrites() throws IOException {
    List<Row> rows = ArrowSamples.rows(12, 8);
    Path ours = dir.resolve("ours.arrow");
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    try (Batch b = Batch.fromRows(allocator, ArrowSamples.SCHEMA, rows)) {
      List<Batch> parts = List.of(b.slice(0, 5), b.slice(5, 0), b.slice(5, 7));
      ArrowIpc.writeFile(ours, ArrowSamples.SCHEMA, parts);
      ArrowIpc.writeStream(stream, ArrowSamples.SCHEMA, parts);
    }
    try (FileChannel ch = FileChannel.open(ours, StandardOpenOption.READ);
        ArrowFileReader r = new ArrowFileReader(ch, allocator)) {
      assertThat(r.getRecordBlocks()).hasSize(3);
      assertThat(Schema.fromArrow(r.getVectorSchemaRoot().getSchema())).isEqualTo(ArrowSamples.SCHEMA);
      assertThat(readAll(r)).isEqualTo(rows);
    }
    try (ArrowStreamReader r = new ArrowStreamReader(new ByteArrayInputStream(stream.toByteArray()), allocator)) {
      assertThat(Schema.fromArrow(r.getVectorSchemaRoot().getSchema())).isEqualTo(ArrowSamples.SCHEMA);
      assertThat(readAll(r)).isEqualTo(rows);
    }
  }

  @Test
  void theLibraryReadsWhatArrowJavasWritersWrite() throws IOException {
    List<Row> rows = ArrowSamples.rows(12, 9);
    Path theirs = dir.resolve("theirs.arrow");
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    try (Batch b = Batch.fromRows(allocator, ArrowSamples.SCHEMA, rows)) {
      VectorSchemaRoot root = b.arrowRoot();
      try (FileChannel ch = FileChannel.open(theirs, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
          ArrowFileWriter w = new ArrowFileWriter(root, null, ch)) {
        w.start();
        w.writeBatch();
        w.end();
      }
      try (ArrowStreamWriter w = new ArrowStreamWriter(root, null, Channels.newChannel(stream))) {
        w.start();
        w.writeBatch();
        w.writeBatch();
        w.end();
      }
    }
    assertThat(ArrowSamples.readAndUse(ArrowIpc.readFile(theirs, allocator))).isEqualTo(rows);
    List<Row> twice = new ArrayList<>(rows);
    twice.addAll(rows);
    assertThat(ArrowSamples.readAndUse(
        ArrowIpc.readStream(new ByteArrayInputStream(stream.toByteArray()), "theirs.arrows", allocator)))
        .isEqualTo(twice);
  }

  @Test
  void theLibraryDecodesTheDictionariesArrowJavaWrites() throws IOException {
    List<Row> expected = ArrowSamples.dictionaryRows();
    DictionaryEncoding encoding = new DictionaryEncoding(3, false, new ArrowType.Int(16, true));
    Path file = dir.resolve("dict.arrow");
    ByteArrayOutputStream stream = new ByteArrayOutputStream();
    try (VarCharVector values = new VarCharVector("values", allocator);
        VarCharVector plain = new VarCharVector(new org.apache.arrow.vector.types.pojo.Field("color",
            FieldType.nullable(ArrowType.Utf8.INSTANCE), null), allocator);
        BigIntVector ids = new BigIntVector("id", allocator)) {
      values.allocateNew();
      ids.allocateNew();
      plain.allocateNew();
      List<String> distinct = new ArrayList<>();
      for (int i = 0; i < expected.size(); i++) {
        Row r = expected.get(i);
        ids.setSafe(i, r.getLong(0));
        String c = (String) r.get(1);
        if (c != null) {
          plain.setSafe(i, c.getBytes(StandardCharsets.UTF_8));
          if (!distinct.contains(c)) {
            values.setSafe(distinct.size(), c.getBytes(StandardCharsets.UTF_8));
            distinct.add(c);
          }
        }
      }
      values.setValueCount(distinct.size());
      ids.setValueCount(expected.size());
      plain.setValueCount(expected.size());
      Dictionary dictionary = new Dictionary(values, encoding);
      DictionaryProvider.MapDictionaryProvider provider = new DictionaryProvider.MapDictionaryProvider(dictionary);
      try (FieldVector indices = (FieldVector) DictionaryEncoder.encode(plain, dictionary)) {
        org.apache.arrow.vector.types.pojo.Field color = new org.apache.arrow.vector.types.pojo.Field("color",
            new FieldType(true, new ArrowType.Int(16, true), encoding), null);
        VectorSchemaRoot root = new VectorSchemaRoot(List.of(ids.getField(), color), List.of(ids, indices),
            expected.size());
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            ArrowFileWriter w = new ArrowFileWriter(root, provider, ch)) {
          w.start();
          w.writeBatch();
          w.end();
        }
        try (ArrowStreamWriter w = new ArrowStreamWriter(root, provider, Channels.newChannel(stream))) {
          w.start();
          w.writeBatch();
          w.end();
        }
      }
    }
    Schema schema;
    try (ArrowIpcReader r = ArrowIpc.openFile(file, allocator)) {
      schema = r.schema();
      assertThat(ArrowSamples.readAndUse(r.readAll())).isEqualTo(expected);
    }
    assertThat(schema.names()).containsExactly("id", "color");
    assertThat(schema.field("color").type()).isEqualTo(ArrowSamples.DICTIONARY_SCHEMA.field("color").type());
    assertThat(ArrowSamples.readAndUse(
        ArrowIpc.readStream(new ByteArrayInputStream(stream.toByteArray()), "dict.arrows", allocator)))
        .isEqualTo(expected);
  }
}
