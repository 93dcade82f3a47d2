package dev.mlops.core.io;

import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.ipc.message.MessageChannelReader;
import org.apache.arrow.vector.util.TransferPair;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the record batches of an Arrow IPC file or stream one at a time. Arrow's reader refills one
 * root per record batch; this reader transfers each into a new owning {@link Batch} (no copy), so the
 * caller may keep every batch and must close each. Open one with {@link ArrowIpc#openFile} or
 * {@link ArrowIpc#openStream}. Corrupt or truncated input raises a {@link DataFormatException} naming
 * the source. Not thread-safe.
 */
public final class ArrowIpcReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArrowIpcReader.class);

  private final String source;
  private final BufferAllocator allocator;
  private final ArrowReader reader;
  private final Schema schema;
  private final VectorSchemaRoot root;
  private int batchIndex;
  private boolean closed;
  private @Nullable DataFormatException failure;

  private ArrowIpcReader(String source, BufferAllocator allocator, ArrowReader reader) {
    this.source = source;
    this.allocator = allocator;
    this.reader = reader;
    try {
      this.root = reader.getVectorSchemaRoot();
      this.schema = Schema.fromArrow(root.getSchema());
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader);
      throw corrupt(source, "its schema", e);
    }
  }

  static ArrowIpcReader openFile(Path path, BufferAllocator allocator) {
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new MlopsException("Arrow IPC file " + path + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new MlopsException("Cannot open Arrow IPC file " + path + ": " + e + "; check it is readable", e);
    }
    try {
      checkMagic(ch, path.toString());
      // The file body is a stream (schema, record batches, end-of-stream marker) after 8 bytes of magic.
      ch.position(8);
    } catch (IOException | RuntimeException e) {
      closeQuietly(ch);
      throw corrupt(path.toString(), "its header", e);
    }
    return new ArrowIpcReader(path.toString(), allocator, streamReader(ch, allocator));
  }

  private static void checkMagic(FileChannel ch, String source) throws IOException {
    int m = ArrowIpc.MAGIC.length;
    long size = ch.size();
    ByteBuffer head = ByteBuffer.allocate(m);
    ByteBuffer tail = ByteBuffer.allocate(m);
    if (size < 2L * m + 8) {
      throw new DataFormatException("is " + size + " bytes long, too short for an Arrow IPC file; the file is"
          + " truncated or not Arrow IPC", source, -1, null);
    }
    while (head.hasRemaining() && ch.read(head, head.position()) > 0) {
      // read the leading magic
    }
    while (tail.hasRemaining() && ch.read(tail, size - m + tail.position()) > 0) {
      // read the trailing magic
    }
    if (!Arrays.equals(head.array(), ArrowIpc.MAGIC) || !Arrays.equals(tail.array(), ArrowIpc.MAGIC)) {
      throw new DataFormatException("does not start and end with the Arrow IPC magic bytes 'ARROW1'; the file"
          + " is truncated, or it is not an Arrow IPC file (an Arrow stream? read it with ArrowIpc.openStream)",
          source, -1, null);
    }
  }

  static ArrowIpcReader openStream(InputStream in, String sourceName, BufferAllocator allocator) {
    return new ArrowIpcReader(sourceName, allocator, streamReader(Channels.newChannel(in), allocator));
  }

  private static ArrowStreamReader streamReader(ReadableByteChannel ch, BufferAllocator allocator) {
    return new ArrowStreamReader(new MessageChannelReader(new HeapIpcChannels.Read(ch), allocator), allocator);
  }

  private static void closeQuietly(FileChannel ch) {
    try {
      ch.close();
    } catch (IOException e) {
      // the format error is the one to report
    }
  }

  /**
   * The schema of every batch, with roles and tensor shapes from the field metadata.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The next record batch.
   *
   * @return an owning batch (close it), or {@code null} after the last one
   * @throws DataFormatException naming the source and the batch index when the data is corrupt or
   *     truncated
   */
  public @Nullable Batch nextBatch() {
    if (closed) {
      throw new IllegalStateException("ArrowIpcReader for " + source + " is closed; open a new one");
    }
    if (failure != null) {
      // The stream already moved past the bad message: reading on would silently skip a batch.
      throw new IllegalStateException("ArrowIpcReader for " + source + " failed earlier (" + failure.getMessage()
          + "); it cannot continue. Fix or re-export the file", failure);
    }
    try {
      if (!reader.loadNextBatch()) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      DataFormatException f = corrupt(source, "record batch " + batchIndex, e);
      failure = f;
      throw f;
    }
    batchIndex++;
    List<FieldVector> moved = new ArrayList<>(root.getFieldVectors().size());
    try {
      for (FieldVector v : root.getFieldVectors()) {
        TransferPair tp = v.getTransferPair(v.getField(), allocator);
        tp.transfer();
        moved.add((FieldVector) tp.getTo());
      }
      return Batch.adopt(new VectorSchemaRoot(root.getSchema().getFields(), moved, root.getRowCount()));
    } catch (RuntimeException e) {
      moved.forEach(FieldVector::close);
      throw e;
    }
  }

  /**
   * Reads every remaining batch.
   *
   * @return owning batches in order; close each
   * @throws DataFormatException when the data is corrupt; batches read before are closed
   */
  public List<Batch> readAll() {
    List<Batch> out = new ArrayList<>();
    try {
      for (Batch b = nextBatch(); b != null; b = nextBatch()) {
        out.add(b);
      }
      return out;
    } catch (RuntimeException e) {
      out.forEach(Batch::close);
      throw e;
    }
  }

  static DataFormatException corrupt(String source, String part, Exception e) {
    if (e instanceof DataFormatException d) {
      return d;
    }
    if (e instanceof MlopsException m) {
      return new DataFormatException(m.getMessage(), source, -1, null, e);
    }
    return new DataFormatException("cannot read " + part + " as Arrow IPC (" + e
        + "); the file is corrupt, truncated, or not Arrow IPC of the expected kind (file vs stream)",
        source, -1, null, e);
  }

  private static void closeQuietly(ArrowReader r) {
    try {
      r.close();
    } catch (IOException | RuntimeException e) {
      // reporting the read failure matters more
    }
  }

  /**
   * Frees the reader's buffers and closes the input; batches already returned stay valid. Idempotent;
   * logs rather than throws.
   */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        reader.close();
      } catch (IOException | RuntimeException e) {
        LOG.warn("Cannot close Arrow IPC source {}: {}", source, e.toString());
      }
    }
  }
}
