package dev.mlops.core.io;

import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.ArrowTypes;
import java.io.IOException;
import java.io.InputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.OutOfMemoryException;
import org.apache.arrow.vector.BaseFixedWidthVector;
import org.apache.arrow.vector.BaseIntVector;
import org.apache.arrow.vector.BaseVariableWidthVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.util.TransferPair;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads the record batches of an Arrow IPC file or stream one at a time. Each batch is checked before
 * it is handed out (see {@link ArrowIpc} for the rules) and moved into a new owning {@link Batch}
 * without copying, dictionary-encoded columns decoded to their values, so the caller may keep every
 * batch and must close each. Open one with {@link ArrowIpc#openFile} or {@link ArrowIpc#openStream}.
 * Corrupt, truncated or lying input raises a {@link DataFormatException} naming the source, the batch
 * and, where it is one column's fault, the column; after one, the reader refuses to continue. Not
 * thread-safe.
 */
public final class ArrowIpcReader implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(ArrowIpcReader.class);

  private final String source;
  private final BufferAllocator allocator;
  private final IpcSource reader;
  private final Schema schema;
  private final VectorSchemaRoot root;
  /** The fields handed out: the file's, with dictionary-encoded columns as their value type. */
  private final List<Field> fields;
  private int batchIndex;
  private boolean closed;
  private @Nullable MlopsException failure;

  private ArrowIpcReader(String source, BufferAllocator allocator, IpcSource reader) {
    this.source = source;
    this.allocator = allocator;
    this.reader = reader;
    try {
      this.root = reader.getVectorSchemaRoot();
      List<Field> decoded = new ArrayList<>();
      for (Field f : root.getSchema().getFields()) {
        decoded.add(ArrowTypes.decodedField(f, reader));
      }
      this.fields = List.copyOf(decoded);
      this.schema = Schema.fromArrow(new org.apache.arrow.vector.types.pojo.Schema(fields));
    } catch (IOException | RuntimeException e) {
      closeQuietly(reader);
      throw corrupt(source, "its schema", e);
    }
  }

  static ArrowIpcReader openFile(Path path, BufferAllocator allocator, ArrowReadOptions options) {
    if (Files.exists(path) && !Files.isRegularFile(path)) {
      throw new MlopsException("Arrow IPC file " + path + " is not a regular file (a directory, FIFO or device);"
          + " give the path of an Arrow IPC file");
    }
    FileChannel ch;
    try {
      ch = FileChannel.open(path, StandardOpenOption.READ);
    } catch (NoSuchFileException e) {
      throw new MlopsException("Arrow IPC file " + path + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new MlopsException("Cannot open Arrow IPC file " + path + ": " + e + "; check it is readable", e);
    }
    IpcSource source;
    try {
      source = IpcSource.file(ch, path.toString(), allocator, options);
    } catch (RuntimeException e) {
      closeQuietly(ch);
      throw e;
    }
    return new ArrowIpcReader(path.toString(), allocator, source);
  }

  static ArrowIpcReader openStream(InputStream in, String sourceName, BufferAllocator allocator,
      ArrowReadOptions options) {
    return new ArrowIpcReader(sourceName, allocator,
        IpcSource.stream(Channels.newChannel(in), sourceName, allocator, options));
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
      // The input already moved past the bad message: reading on would silently skip a batch.
      throw new IllegalStateException("ArrowIpcReader for " + source + " failed earlier (" + failure.getMessage()
          + "); it cannot continue. Fix or re-export the file", failure);
    }
    String part = "record batch " + batchIndex;
    try {
      if (!reader.loadNextBatch()) {
        return null;
      }
      Batch b = takeBatch(part);
      batchIndex++;
      return b;
    } catch (OutOfMemoryException e) {
      failure = new MlopsException("The allocator ran out of room reading " + part + " of Arrow IPC source " + source
          + " (" + e.getMessage() + "); give the reader an allocator with a higher limit", e);
      throw failure;
    } catch (IOException | RuntimeException e) {
      DataFormatException f = corrupt(source, part, e);
      failure = f;
      throw f;
    }
  }

  /** Moves the loaded vectors into a batch of their own, decoding dictionaries, and validates it. */
  private Batch takeBatch(String part) {
    int rows = root.getRowCount();
    List<FieldVector> out = new ArrayList<>(fields.size());
    boolean handedOut = false;
    try {
      long decodedBytes = 0;
      for (int c = 0; c < fields.size(); c++) {
        FieldVector v = root.getVector(c);
        DictionaryEncoding enc = v.getField().getDictionary();
        if (enc == null) {
          TransferPair tp = v.getTransferPair(v.getField(), allocator);
          tp.transfer();
          out.add((FieldVector) tp.getTo());
        } else {
          Dictionary dictionary = reader.lookup(enc.getId());
          long budget = reader.options.maxBatchBytes() - decodedBytes;
          long bytes = decodedSize((BaseIntVector) v, dictionary.getVector(), budget, part);
          decodedBytes += bytes;
          out.add(decode((BaseIntVector) v, dictionary.getVector(), fields.get(c), bytes));
          v.clear();
        }
      }
      Batch b = Batch.adopt(new VectorSchemaRoot(fields, out, rows), source, part);
      handedOut = true;
      return b;
    } finally {
      if (!handedOut) {
        out.forEach(FieldVector::close);
      }
    }
  }

  /**
   * Bytes the decoded column will take, checking every index lies inside the dictionary: a few index
   * bytes can point at long values many times over, so the size is bounded before anything is allocated.
   */
  private long decodedSize(BaseIntVector indices, FieldVector values, long budget, String part) {
    String column = indices.getField().getName();
    int size = values.getValueCount();
    int n = indices.getValueCount();
    long bytes = (n + 7L) / 8;
    long width = values instanceof BaseFixedWidthVector fw ? Math.max(1, fw.getTypeWidth()) : 0;
    for (int i = 0; i < n; i++) {
      if (!indices.isNull(i)) {
        long k = indices.getValueAsLong(i);
        if (k < 0 || k >= size) {
          throw new DataFormatException(part + " row " + i + " holds dictionary index " + k + ", outside the "
              + size + " values of its dictionary. The data is corrupt", source, -1, column);
        }
        bytes += values instanceof BaseVariableWidthVector vw ? 4 + vw.getValueLength((int) k) : width;
        if (bytes > budget) {
          throw new DataFormatException(part + " decodes to more than the " + reader.options.maxBatchBytes()
              + " bytes ArrowReadOptions.maxBatchBytes allows a batch; raise that limit to read it, or write"
              + " smaller batches", source, -1, column);
        }
      }
    }
    return bytes;
  }

  private FieldVector decode(BaseIntVector indices, FieldVector values, Field target, long bytes) {
    int n = indices.getValueCount();
    FieldVector out = target.createVector(allocator);
    try {
      if (out instanceof BaseVariableWidthVector vw) {
        vw.allocateNew(Math.max(1, bytes), Math.max(1, n));
      } else {
        out.setInitialCapacity(Math.max(1, n));
        out.allocateNew();
      }
      TransferPair copier = values.makeTransferPair(out);
      for (int i = 0; i < n; i++) {
        if (!indices.isNull(i)) {
          copier.copyValueSafe((int) indices.getValueAsLong(i), i);
        }
      }
      out.setValueCount(n);
      return out;
    } catch (RuntimeException e) {
      out.close();
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

  private static void closeQuietly(IpcSource r) {
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
