package dev.mlops.core.io;

import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowBlock;
import org.apache.arrow.vector.ipc.message.ArrowFooter;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;

/**
 * Arrow IPC: the random-access <em>file</em> format and the <em>stream</em> format. Every batch
 * written becomes one record batch; the schema travels as {@link Schema#toArrow()} writes it, so
 * roles and tensor shapes survive the round trip. Files are written through a temporary file and an
 * atomic rename. Reading hands out owning {@link Batch}es through an {@link ArrowIpcReader}.
 *
 * <p>Buffers are moved between Arrow memory and the channel through a heap array rather than Arrow's
 * {@code DirectByteBuffer} views, so no {@code --add-opens} JVM flag is needed on Java 17. Files are
 * standard Arrow IPC files (magic, schema, record batches, end-of-stream marker, footer) that other
 * Arrow implementations read; a file is read through its footer, so files other writers produce
 * (Arrow JS writes no schema message into the body) read too.
 *
 * <p><b>What reading enforces.</b> Input is untrusted; whatever it declares is checked before it is
 * believed, and a violation is a {@link DataFormatException} naming the source, the batch
 * ({@code record batch 3}, {@code dictionary batch 0}) and, where one column is at fault, the column:
 * <ul>
 *   <li><em>Lengths are bounded by the bytes present before anything is allocated.</em> In a file, the
 *       footer, every block it lists, every metadata length and every body length must lie inside the
 *       file, and no two blocks may overlap (a footer listing one batch many times would otherwise turn a
 *       small file into any number of rows). A stream has no size, so a message may declare at most
 *       {@link ArrowReadOptions#maxBatchBytes()} (1 GiB by default), and its bytes are allocated only as
 *       they arrive: a stream that declares more than it holds fails as truncated, having allocated at
 *       most about twice what it held. A file read as a stream is recognised by its magic. Inside the
 *       schema's metadata, every vector and string Arrow decodes (fields, children, custom metadata, a
 *       union's type ids) must lie inside the metadata bytes, all of them together no more than those
 *       bytes, before Arrow converts the schema.
 *   <li><em>Every batch is validated before it is handed out</em>, files and streams alike: the row
 *       count and every field node's length agree (a batch cannot declare more rows than it has data
 *       for; so a batch of a schema without columns has 0 rows, and none with rows is written), each
 *       null count lies between 0 and the length, agrees with the validity bitmap, and is 0
 *       for a field that is not nullable, every buffer lies inside the body and is large enough for its
 *       values, and the batch has exactly the nodes and buffers its columns use. After loading, Arrow's
 *       {@code ValueVectorUtility.validateFull} checks offsets, strings must be valid UTF-8 and non-null
 *       tensors may hold no null element (see {@link Batch}).
 *   <li><em>Dictionary-encoded columns are decoded</em> to their value type (for instance Arrow JS and
 *       pandas categoricals write strings that way), so a reader sees a plain {@code string} column.
 *       Every index must lie inside its dictionary, a record batch may not precede its dictionary, and
 *       the decoded columns of one batch may take at most {@link ArrowReadOptions#maxBatchBytes()}.
 *       Dictionaries of tensors, or nested inside a tensor, are refused with the column named.
 *   <li>Compressed bodies, metadata versions before V4, view types and Arrow types mlops does not map
 *       are refused with what to change in the writer.
 * </ul>
 * Nothing is allocated that an error path does not release: after a failed read the allocator holds
 * only the batches already returned. A reader that failed once refuses to continue, since the input
 * has moved past the bad message.
 */
public final class ArrowIpc {
  /** The magic bytes that open and close an Arrow IPC file. */
  static final byte[] MAGIC = "ARROW1".getBytes(StandardCharsets.US_ASCII);

  private ArrowIpc() {}

  /**
   * Writes one batch as an Arrow IPC file, atomically.
   *
   * @param path the file to create or replace
   * @param batch the data
   * @throws MlopsException when the file cannot be written
   */
  public static void writeFile(Path path, Batch batch) {
    writeFile(path, batch.schema(), List.of(batch));
  }

  /**
   * Writes batches of one schema as an Arrow IPC file, atomically. The batches are read in order,
   * once, so a lazy {@link Iterable} can stream them.
   *
   * @param path the file to create or replace
   * @param schema the schema of every batch
   * @param batches the data, one record batch each
   * @throws SchemaMismatchException when a batch has another schema
   * @throws MlopsException when the file cannot be written
   */
  public static void writeFile(Path path, Schema schema, Iterable<Batch> batches) {
    AtomicFiles.write(path, "Arrow IPC", out -> {
      WriteChannel ch = new HeapIpcChannels.Write(Channels.newChannel(new KeepOpen(out)));
      ch.write(MAGIC);
      ch.align();
      org.apache.arrow.vector.types.pojo.Schema arrow = schema.toArrow();
      List<ArrowBlock> blocks = writeMessages(ch, arrow, schema, batches);
      long footerStart = ch.getCurrentPosition();
      ch.write(new ArrowFooter(arrow, List.of(), blocks), false);
      ch.writeIntLittleEndian((int) (ch.getCurrentPosition() - footerStart));
      ch.write(MAGIC);
    });
  }

  /**
   * Writes batches of one schema in the Arrow IPC stream format. The stream is flushed and left open.
   *
   * @param out where the bytes go
   * @param schema the schema of every batch
   * @param batches the data, one record batch each
   * @throws SchemaMismatchException when a batch has another schema
   * @throws MlopsException when the stream fails
   */
  public static void writeStream(OutputStream out, Schema schema, Iterable<Batch> batches) {
    try {
      WriteChannel ch = new HeapIpcChannels.Write(Channels.newChannel(new KeepOpen(out)));
      writeMessages(ch, schema.toArrow(), schema, batches);
      out.flush();
    } catch (IOException e) {
      throw new MlopsException("Cannot write Arrow IPC stream: " + e + "; check the output stream", e);
    }
  }

  /** Writes the schema message, one record batch message per batch, and the end-of-stream marker. */
  private static List<ArrowBlock> writeMessages(WriteChannel ch, org.apache.arrow.vector.types.pojo.Schema arrow,
      Schema schema, Iterable<Batch> batches) throws IOException {
    MessageSerializer.serialize(ch, arrow, IpcOption.DEFAULT);
    List<ArrowBlock> blocks = new ArrayList<>();
    for (Batch b : batches) {
      if (!b.schema().equals(schema)) {
        throw new SchemaMismatchException("Batch schema " + b.schema() + " differs from the Arrow IPC schema "
            + schema + "; write each schema to its own file");
      }
      if (schema.size() == 0 && b.rowCount() > 0) {
        throw new SchemaMismatchException("Batch of " + b.rowCount() + " rows has no columns; Arrow IPC would store"
            + " only the row count, which readers (mlops among them) cannot check against any data: add a column,"
            + " or write batches without columns empty");
      }
      VectorSchemaRoot src = b.arrowRoot();
      boolean whole = b.offset() == 0 && b.rowCount() == src.getRowCount();
      VectorSchemaRoot slice = whole ? src : src.slice(b.offset(), b.rowCount());
      try (ArrowRecordBatch rb = new VectorUnloader(slice).getRecordBatch()) {
        blocks.add(MessageSerializer.serialize(ch, rb, IpcOption.DEFAULT));
      } finally {
        if (!whole) {
          slice.close();
        }
      }
    }
    ArrowStreamWriter.writeEndOfStream(ch, IpcOption.DEFAULT);
    return blocks;
  }

  /**
   * Opens an Arrow IPC file for reading batch by batch, with the default {@link ArrowReadOptions}.
   *
   * @param path the file
   * @param allocator where batch memory comes from
   * @return the reader; close it
   * @throws DataFormatException naming the file when it is not a valid Arrow IPC file
   */
  public static ArrowIpcReader openFile(Path path, BufferAllocator allocator) {
    return openFile(path, allocator, ArrowReadOptions.defaults());
  }

  /**
   * Opens an Arrow IPC file for reading batch by batch.
   *
   * @param path the file
   * @param allocator where batch memory comes from
   * @param options the limits
   * @return the reader; close it
   * @throws DataFormatException naming the file when it is not a valid Arrow IPC file
   */
  public static ArrowIpcReader openFile(Path path, BufferAllocator allocator, ArrowReadOptions options) {
    return ArrowIpcReader.openFile(path, allocator, options);
  }

  /**
   * Opens an Arrow IPC stream for reading batch by batch, with the default {@link ArrowReadOptions};
   * closing the reader closes the stream.
   *
   * @param in the bytes
   * @param sourceName what to call the source in messages
   * @param allocator where batch memory comes from
   * @return the reader; close it
   * @throws DataFormatException naming the source when the stream does not start with a valid schema
   */
  public static ArrowIpcReader openStream(InputStream in, String sourceName, BufferAllocator allocator) {
    return openStream(in, sourceName, allocator, ArrowReadOptions.defaults());
  }

  /**
   * Opens an Arrow IPC stream for reading batch by batch; closing the reader closes the stream.
   *
   * @param in the bytes
   * @param sourceName what to call the source in messages
   * @param allocator where batch memory comes from
   * @param options the limits; {@link ArrowReadOptions#maxBatchBytes()} caps what one message may declare
   * @return the reader; close it
   * @throws DataFormatException naming the source when the stream does not start with a valid schema
   */
  public static ArrowIpcReader openStream(InputStream in, String sourceName, BufferAllocator allocator,
      ArrowReadOptions options) {
    return ArrowIpcReader.openStream(in, sourceName, allocator, options);
  }

  /**
   * Reads every batch of an Arrow IPC file.
   *
   * @param path the file
   * @param allocator where batch memory comes from
   * @return owning batches in file order; close each
   * @throws DataFormatException naming the file when it is corrupt or truncated
   */
  public static List<Batch> readFile(Path path, BufferAllocator allocator) {
    try (ArrowIpcReader r = openFile(path, allocator)) {
      return r.readAll();
    }
  }

  /**
   * Reads every batch of an Arrow IPC stream and closes it.
   *
   * @param in the bytes
   * @param sourceName what to call the source in messages
   * @param allocator where batch memory comes from
   * @return owning batches in stream order; close each
   * @throws DataFormatException naming the source when it is corrupt or truncated
   */
  public static List<Batch> readStream(InputStream in, String sourceName, BufferAllocator allocator) {
    try (ArrowIpcReader r = openStream(in, sourceName, allocator)) {
      return r.readAll();
    }
  }

  /** Lets a writer close its channel without closing the caller's stream. */
  private static final class KeepOpen extends FilterOutputStream {
    KeepOpen(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      out.flush();
    }
  }
}
