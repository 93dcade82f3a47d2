package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.ThreadMXBean;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.arrow.memory.AllocationListener;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowMessage;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Small valid Arrow IPC inputs, hand-built IPC messages, and a probe of what reading them allocates. */
final class ArrowSamples {
  /** Every type mlops maps, nullable and not, with roles. */
  static final Schema SCHEMA = Schema.of(
      new Field("id", DataType.INT64, false, Role.ID),
      Field.of("x", DataType.FLOAT64),
      Field.of("f", DataType.FLOAT32),
      Field.of("ok", DataType.BOOLEAN),
      new Field("name", DataType.STRING, true, Role.LABEL),
      new Field("at", DataType.TIMESTAMP, true, Role.TIMESTAMP),
      Field.of("v", DataType.floatTensor(3)));

  private ArrowSamples() {}

  static List<Row> rows(int n, long seed) {
    Random rnd = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Row.of(SCHEMA, (long) i - 3, i % 7 == 1 ? null : rnd.nextGaussian(),
          i % 5 == 2 ? null : rnd.nextFloat(), i % 3 == 0 ? null : i % 2 == 0,
          i % 4 == 3 ? null : "n" + i + (i % 6 == 0 ? "é" : ""),
          i % 8 == 5 ? null : Instant.ofEpochSecond(1_700_000_000L + i, 1000L * i),
          i % 9 == 4 ? null : new float[] {i, -i, rnd.nextFloat()}));
    }
    return out;
  }

  /** An Arrow IPC file of {@code rows} as one batch, written by the library. */
  static byte[] file(BufferAllocator allocator, Path dir, List<Row> rows) {
    Path p = dir.resolve("sample-" + System.nanoTime() + ".arrow");
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      ArrowIpc.writeFile(p, b);
      byte[] bytes = Files.readAllBytes(p);
      Files.delete(p);
      return bytes;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Patches the first record batch so that it lies about its length: the batch length and every field
   * node's length scaled to {@code rows} (a 37-row batch claiming a million rows), buffers untouched.
   */
  static byte[] lyingAboutItsLength(byte[] bytes, boolean file, long rows) {
    IpcBytes ipc = IpcBytes.of(bytes);
    IpcBytes.Msg batch = ipc.firstRecordBatch(file);
    long real = ipc.getLong(ipc.batchLengthPosition(batch));
    ipc.putLong(ipc.batchLengthPosition(batch), rows);
    for (int i = 0; i < ipc.nodeCount(batch); i++) {
      int node = ipc.nodePosition(batch, i);
      // top-level columns hold one value per row, a tensor's child one per element
      ipc.putLong(node, ipc.getLong(node) / real * rows);
    }
    return bytes;
  }

  /** An Arrow IPC stream of {@code rows} as one batch, written by the library. */
  static byte[] stream(BufferAllocator allocator, List<Row> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Batch b = Batch.fromRows(allocator, SCHEMA, rows)) {
      ArrowIpc.writeStream(out, SCHEMA, List.of(b));
    }
    return out.toByteArray();
  }

  /** The schema mlops reads from {@link #dictionaryMessages}: an id and a decoded string column. */
  static final Schema DICTIONARY_SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("color", DataType.STRING));

  /** The values of {@link #dictionaryMessages}, as rows. */
  static List<Row> dictionaryRows() {
    String[] colors = {"red", "green", "blüe"};
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < 10; i++) {
      out.add(Row.of(DICTIONARY_SCHEMA, (long) i, i % 4 == 3 ? null : colors[i % 3]));
    }
    return out;
  }

  /**
   * An Arrow schema (message format) whose column {@code color} is dictionary-encoded with int32
   * indices into dictionary 7, plus one dictionary batch and one record batch of
   * {@link #dictionaryRows}. Close the messages.
   */
  static Messages dictionaryMessages(BufferAllocator allocator) {
    org.apache.arrow.vector.types.pojo.Field id = org.apache.arrow.vector.types.pojo.Field.nullable("id",
        new ArrowType.Int(64, true));
    org.apache.arrow.vector.types.pojo.Field color = new org.apache.arrow.vector.types.pojo.Field("color",
        new FieldType(true, ArrowType.Utf8.INSTANCE, new DictionaryEncoding(7, false, new ArrowType.Int(32, true))),
        null);
    org.apache.arrow.vector.types.pojo.Schema schema =
        new org.apache.arrow.vector.types.pojo.Schema(List.of(id, color));
    List<ArrowMessage> messages = new ArrayList<>();
    try (VarCharVector dict = new VarCharVector("dict", allocator)) {
      dict.allocateNew();
      String[] colors = {"red", "green", "blüe"};
      for (int i = 0; i < colors.length; i++) {
        dict.setSafe(i, colors[i].getBytes(StandardCharsets.UTF_8));
      }
      dict.setValueCount(colors.length);
      messages.add(new ArrowDictionaryBatch(7, unload(List.of(dict), colors.length), false));
    }
    List<Row> rows = dictionaryRows();
    try (BigIntVector ids = new BigIntVector("id", allocator); IntVector indices = new IntVector("color", allocator)) {
      ids.allocateNew(rows.size());
      indices.allocateNew(rows.size());
      for (int i = 0; i < rows.size(); i++) {
        ids.set(i, i);
        if (rows.get(i).get(1) != null) {
          indices.set(i, i % 3);
        }
      }
      ids.setValueCount(rows.size());
      indices.setValueCount(rows.size());
      messages.add(unload(List.of(ids, indices), rows.size()));
    }
    return new Messages(schema, messages);
  }

  /** A record batch of the vectors' current contents; close it. */
  static ArrowRecordBatch unload(List<FieldVector> vectors, int rows) {
    List<org.apache.arrow.vector.types.pojo.Field> fields = vectors.stream().map(FieldVector::getField).toList();
    VectorSchemaRoot root = new VectorSchemaRoot(fields, vectors, rows);
    return new VectorUnloader(root).getRecordBatch();
  }

  /**
   * A schema and the messages that follow it.
   *
   * @param schema the schema, in message format (dictionary fields carry their value type)
   * @param messages dictionary and record batches in order
   */
  record Messages(org.apache.arrow.vector.types.pojo.Schema schema, List<ArrowMessage> messages)
      implements AutoCloseable {
    /** The messages as an Arrow IPC file with a footer listing them. */
    byte[] toFile() {
      return write(true);
    }

    /** The messages as an Arrow IPC stream. */
    byte[] toStream() {
      return write(false);
    }

    private byte[] write(boolean file) {
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      try {
        WriteChannel ch = new HeapIpcChannels.Write(Channels.newChannel(out));
        if (file) {
          ch.write(ArrowIpc.MAGIC);
          ch.align();
        }
        MessageSerializer.serialize(ch, schema, IpcOption.DEFAULT);
        List<ArrowBlock> dictionaries = new ArrayList<>();
        List<ArrowBlock> batches = new ArrayList<>();
        for (ArrowMessage m : messages) {
          if (m instanceof ArrowDictionaryBatch d) {
            dictionaries.add(MessageSerializer.serialize(ch, d, IpcOption.DEFAULT));
          } else {
            batches.add(MessageSerializer.serialize(ch, (ArrowRecordBatch) m, IpcOption.DEFAULT));
          }
        }
        ArrowStreamWriter.writeEndOfStream(ch, IpcOption.DEFAULT);
        if (file) {
          long footerStart = ch.getCurrentPosition();
          ch.write(new ArrowFooter(schema, dictionaries, batches), false);
          ch.writeIntLittleEndian((int) (ch.getCurrentPosition() - footerStart));
          ch.write(ArrowIpc.MAGIC);
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return out.toByteArray();
    }

    @Override
    public void close() {
      messages.forEach(m -> {
        try {
          m.close();
        } catch (Exception e) {
          throw new IllegalStateException(e);
        }
      });
    }
  }

  /** Reads every batch and uses each the ways a caller would, so a batch that fails later fails here. */
  static List<Row> readAndUse(List<Batch> batches) {
    List<Row> rows = new ArrayList<>();
    try {
      for (Batch b : batches) {
        rows.addAll(b.toRows());
        DatasetFingerprint.of(b);
      }
      return rows;
    } finally {
      batches.forEach(Batch::close);
    }
  }

  /**
   * An allocator that records the largest single request made of it, to show that no declared length
   * from the input is allocated before it is checked against the bytes present.
   */
  static final class AllocationProbe implements AllocationListener, AutoCloseable {
    private final RootAllocator allocator;
    private long largestRequest;

    AllocationProbe(long limit) {
      this.allocator = new RootAllocator(this, limit);
    }

    BufferAllocator allocator() {
      return allocator;
    }

    @Override
    public void onPreAllocation(long size) {
      largestRequest = Math.max(largestRequest, size);
    }

    long largestRequest() {
      return largestRequest;
    }

    long peak() {
      return allocator.getPeakMemoryAllocation();
    }

    @Override
    public void close() {
      assertThat(allocator.getAllocatedMemory()).as("Arrow memory still allocated").isZero();
      allocator.close();
    }
  }

  /** Heap bytes this thread allocates while {@code r} runs (HotSpot's per-thread allocation counter). */
  static long heapAllocatedBy(Runnable r) {
    ThreadMXBean mx = (ThreadMXBean) ManagementFactory.getThreadMXBean();
    long id = Thread.currentThread().getId();
    long before = mx.getThreadAllocatedBytes(id);
    r.run();
    return mx.getThreadAllocatedBytes(id) - before;
  }
}
