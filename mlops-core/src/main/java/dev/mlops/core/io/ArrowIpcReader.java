package dev.mlops.core.io;

import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.ipc.ArrowFileReader;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.ArrowStreamReader;
import org.apache.arrow.vector.util.TransferPair;
import org.jspecify.annotations.Nullable;

/**
 * Reads the record batches of an Arrow IPC file or stream one at a time. Arrow's reader refills one
 * root per record batch; this reader transfers each into a new owning {@link Batch} (no copy), so the
 * caller may keep every batch and must close each. Open one with {@link ArrowIpc#openFile} or
 * {@link ArrowIpc#openStream}. Corrupt or truncated input raises a {@link DataFormatException} naming
 * the source. Not thread-safe.
 */
public final class ArrowIpcReader implements AutoCloseable {
  private final String source;
  private final BufferAllocator allocator;
  private final ArrowReader reader;
  private final Schema schema;
  private final VectorSchemaRoot root;
  private int batchIndex;
  private boolean closed;

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
    return new ArrowIpcReader(path.toString(), allocator, new ArrowFileReader(ch, allocator));
  }

  static ArrowIpcReader openStream(InputStream in, String sourceName, BufferAllocator allocator) {
    return new ArrowIpcReader(sourceName, allocator, new ArrowStreamReader(in, allocator));
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
    try {
      if (!reader.loadNextBatch()) {
        return null;
      }
    } catch (IOException | RuntimeException e) {
      throw corrupt(source, "record batch " + batchIndex, e);
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

  /** Frees the reader's buffers and closes the input; batches already returned stay valid. Idempotent. */
  @Override
  public void close() {
    if (!closed) {
      closed = true;
      try {
        reader.close();
      } catch (IOException e) {
        throw new MlopsException("Cannot close Arrow IPC source " + source + ": " + e, e);
      }
    }
  }
}
