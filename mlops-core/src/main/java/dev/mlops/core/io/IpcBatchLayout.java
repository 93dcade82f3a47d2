package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Buffer;
import org.apache.arrow.flatbuf.CompressionType;
import org.apache.arrow.flatbuf.FieldNode;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.message.ArrowFieldNode;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.Field;
import org.jspecify.annotations.Nullable;

/**
 * Checks the metadata of one record batch (or a dictionary batch's data) against the columns it must
 * hold and the body actually read, before Arrow loads a single buffer: the row count, every field node's
 * length and null count, and every buffer's place and size. Arrow Java trusts these numbers: a length
 * larger than the buffers makes it read past them (rows that were never written), and it allocates
 * validity bitmaps from declared lengths alone.
 *
 * <p>The rules, per column of length {@code n}: the node length equals the batch length ({@code n}
 * times the list size for a tensor's elements); {@code 0 <= nulls <= n}, and {@code 0} for a field that
 * is not nullable; each buffer lies inside the body; a validity bitmap is absent only when there are no
 * nulls, otherwise it holds {@code n} bits of which exactly {@code nulls} are clear; value buffers hold
 * {@code n} values (bits for booleans, {@code 4(n + 1)} bytes of offsets for strings); and the batch
 * has exactly the nodes and buffers its columns use, uncompressed.
 */
final class IpcBatchLayout {
  /** Where a batch sits in its source, for messages. */
  record Place(String source, String part) {
    DataFormatException error(@Nullable String column, String what) {
      return new DataFormatException(part + " " + what, source, -1, column);
    }
  }

  private final RecordBatch batch;
  private final ArrowBuf body;
  private final long bodyLength;
  private final Place place;
  private final int nodeCount;
  private final int bufferCount;
  private final List<ArrowFieldNode> nodes = new ArrayList<>();
  private final List<long[]> buffers = new ArrayList<>();

  private IpcBatchLayout(RecordBatch batch, ArrowBuf body, long bodyLength, Place place) {
    this.batch = batch;
    this.body = body;
    this.bodyLength = bodyLength;
    this.place = place;
    this.nodeCount = batch.nodesLength();
    this.bufferCount = batch.buffersLength();
  }

  /**
   * Checks a batch and builds Arrow's view of it.
   *
   * @param batch the flatbuffer metadata
   * @param columns the fields it holds, in memory format (dictionary-encoded columns as their indices)
   * @param body the body bytes read, {@code bodyLength} of them
   * @param bodyLength the body length
   * @param place where the batch is, for messages
   * @return the batch, its buffers slices of {@code body} (retained: close both)
   * @throws DataFormatException naming the column when the metadata does not fit
   */
  static ArrowRecordBatch check(RecordBatch batch, List<Field> columns, ArrowBuf body, long bodyLength, Place place) {
    return new IpcBatchLayout(batch, body, bodyLength, place).run(columns);
  }

  private ArrowRecordBatch run(List<Field> columns) {
    if (batch.compression() != null) {
      throw place.error(null, "is compressed (" + CompressionType.name(batch.compression().codec()) + "); mlops"
          + " reads uncompressed Arrow IPC only: write it without compression"
          + " (pyarrow: ipc.IpcWriteOptions(compression=None))");
    }
    if (batch.variadicBufferCountsLength() != 0) {
      throw place.error(null, "holds variadic buffers (string or binary views), which mlops does not read;"
          + " write strings as utf8");
    }
    long length = batch.length();
    if (length < 0 || length > Integer.MAX_VALUE) {
      throw place.error(null, "declares " + length + " rows; a batch holds 0 to 2^31-1 rows. The data is corrupt");
    }
    if (columns.isEmpty() && length > 0) {
      // Every column bounds the row count by its buffers (a bit per row at least); with none, nothing
      // does, and a few bytes would stand for 2^31-1 rows that Batch.toRows() materialises one by one.
      throw place.error(null, "declares " + length + " rows but the schema has no columns, so no bytes back them;"
          + " mlops reads a batch without columns only with 0 rows. The data is corrupt, or write at least one"
          + " column");
    }
    if (nodeCount < 0 || bufferCount < 0) {
      throw place.error(null, "declares " + nodeCount + " field nodes and " + bufferCount + " buffers. The data is"
          + " corrupt");
    }
    for (Field f : columns) {
      column(f, f.getName(), length, true);
    }
    if (nodes.size() != nodeCount || buffers.size() != bufferCount) {
      throw place.error(null, "has " + nodeCount + " field nodes and " + bufferCount + " buffers, but its "
          + columns.size() + " columns use " + nodes.size() + " and " + buffers.size() + ". The data is corrupt, or"
          + " was written with another schema");
    }
    List<ArrowBuf> slices = new ArrayList<>(buffers.size());
    for (long[] b : buffers) {
      slices.add(body.slice(b[0], b[1]));
    }
    return new ArrowRecordBatch((int) length, nodes, slices);
  }

  private void column(Field f, String column, long expected, boolean topLevel) {
    if (nodes.size() >= nodeCount) {
      throw place.error(column, "has " + nodeCount + " field nodes, fewer than its columns need. The data is corrupt,"
          + " or was written with another schema");
    }
    FieldNode node = batch.nodes(nodes.size());
    long n = node.length();
    long nulls = node.nullCount();
    if (n != expected) {
      throw place.error(column, topLevel
          ? "holds " + n + " values but the batch declares " + expected + " rows. The data is corrupt"
          : "holds " + n + " tensor elements where its rows need " + expected + ". The data is corrupt");
    }
    if (nulls < 0 || nulls > n) {
      throw place.error(column, "declares " + nulls + " nulls among " + n + " values. The data is corrupt");
    }
    // A tensor's elements may be null under a null row whatever the child field says; Batch checks the rest.
    if (topLevel && !f.isNullable() && nulls > 0) {
      throw place.error(column, "is declared not nullable but holds " + nulls + " nulls; mark the field nullable"
          + " in the writer's schema, or fill the missing values");
    }
    nodes.add(new ArrowFieldNode(n, nulls));
    int count = (int) n;
    validity(column, count, nulls);
    ArrowType t = f.getType();
    if (t instanceof ArrowType.FixedSizeList fsl) {
      if (fsl.getListSize() <= 0 || f.getChildren().size() != 1) {
        throw place.error(column, "has an invalid fixed-size list type " + t + ". The data is corrupt");
      }
      long elements = (long) count * fsl.getListSize();
      if (elements > Integer.MAX_VALUE) {
        throw place.error(column, "declares " + count + " tensors of " + fsl.getListSize() + " elements, more than"
            + " 2^31-1 elements in one batch; write smaller batches");
      }
      column(f.getChildren().get(0), column, elements, false);
      return;
    }
    if (!f.getChildren().isEmpty()) {
      throw place.error(column, "of type " + t + " declares child fields. The data is corrupt");
    }
    if (t instanceof ArrowType.Bool) {
      values(column, count, (count + 7L) / 8, "value bitmap");
    } else if (t instanceof ArrowType.Int i && isByteWidth(i.getBitWidth())) {
      values(column, count, (long) count * (i.getBitWidth() / 8), "value");
    } else if (t instanceof ArrowType.FloatingPoint fp && fp.getPrecision() != FloatingPointPrecision.HALF) {
      values(column, count, (long) count * (fp.getPrecision() == FloatingPointPrecision.SINGLE ? 4 : 8), "value");
    } else if (t instanceof ArrowType.Timestamp) {
      values(column, count, 8L * count, "value");
    } else if (t instanceof ArrowType.Utf8) {
      values(column, count, count == 0 ? 0 : 4L * (count + 1), "offset");
      // the character data may be any size; validation after loading checks the offsets stay inside it
      buffer(column, "character data");
    } else {
      throw place.error(column, "has Arrow type " + t + ", whose buffers mlops does not read");
    }
  }

  private static boolean isByteWidth(int bits) {
    return bits == 8 || bits == 16 || bits == 32 || bits == 64;
  }

  private void validity(String column, int n, long nulls) {
    long[] b = buffer(column, "validity bitmap");
    if (b[1] == 0) {
      if (nulls != 0) {
        throw place.error(column, "declares " + nulls + " nulls but has no validity bitmap. The data is corrupt");
      }
      return;
    }
    long need = (n + 7L) / 8;
    if (b[1] < need) {
      throw place.error(column, "declares " + n + " values but its validity bitmap holds " + b[1] + " bytes, "
          + need + " needed. The data is corrupt or truncated");
    }
    long clear = n - setBits(b[0], n);
    if (clear != nulls) {
      throw place.error(column, "declares " + nulls + " nulls but its validity bitmap marks " + clear
          + ". The data is corrupt");
    }
  }

  private void values(String column, int n, long need, String what) {
    long[] b = buffer(column, what + " buffer");
    if (b[1] < need) {
      throw place.error(column, "declares " + n + " values but its " + what + " buffer holds " + b[1] + " bytes, "
          + need + " needed. The data is corrupt or truncated");
    }
  }

  private long[] buffer(String column, String what) {
    if (buffers.size() >= bufferCount) {
      throw place.error(column, "has " + bufferCount + " buffers, fewer than its columns need. The data is corrupt,"
          + " or was written with another schema");
    }
    Buffer fb = batch.buffers(buffers.size());
    long offset = fb.offset();
    long length = fb.length();
    if (offset < 0 || length < 0 || offset > bodyLength || length > bodyLength - offset) {
      throw place.error(column, "places its " + what + " at bytes " + offset + " to " + offset + " + " + length
          + " of a " + bodyLength + "-byte body. The data is corrupt or truncated");
    }
    long[] b = {offset, length};
    buffers.add(b);
    return b;
  }

  /** Number of set bits among the first {@code n} bits of the bitmap at {@code offset} of the body. */
  private long setBits(long offset, int n) {
    long set = 0;
    long fullWords = n / 64;
    for (long w = 0; w < fullWords; w++) {
      set += Long.bitCount(body.getLong(offset + 8 * w));
    }
    for (long bit = fullWords * 64; bit < n; bit++) {
      set += (body.getByte(offset + (bit >>> 3)) >>> (bit & 7)) & 1;
    }
    return set;
  }
}
