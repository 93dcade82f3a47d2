package dev.mlops.core.io;

import dev.mlops.core.DataFormatException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.channels.ReadableByteChannel;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.arrow.flatbuf.Block;
import org.apache.arrow.flatbuf.DictionaryBatch;
import org.apache.arrow.flatbuf.Footer;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;
import org.apache.arrow.flatbuf.MetadataVersion;
import org.apache.arrow.flatbuf.RecordBatch;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.ipc.ArrowReader;
import org.apache.arrow.vector.ipc.message.ArrowDictionaryBatch;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.types.pojo.Field;
import org.apache.arrow.vector.types.pojo.Schema;
import org.apache.arrow.vector.util.ValueVectorUtility;
import org.jspecify.annotations.Nullable;

/**
 * The framing of Arrow IPC files and streams, read so that no length the input declares is allocated
 * before it is checked against the bytes present: a file's against its size, a stream's against
 * {@link ArrowReadOptions#maxBatchBytes()} and then against what actually arrives. Batches go through
 * {@link IpcBatchLayout} before Arrow's {@link ArrowReader} machinery (dictionaries, vector loading)
 * sees them, and every buffer allocated on the way is released on every path.
 *
 * <p>A file is read through its footer, as the format intends, so files whose body holds no schema
 * message (Arrow JS writes them so) read too. Bytes move through a heap chunk rather than
 * {@code ArrowBuf.nioBuffer()}, so no {@code --add-opens} flag is needed.
 */
abstract class IpcSource extends ArrowReader {
  private static final int CHUNK = 1 << 16;
  /** First allocation for a stream part of unknown true size; doubled as bytes arrive. */
  private static final int FIRST_GROWTH = 4096;

  /** Names the input in messages. */
  final String source;
  /** The limits. */
  final ArrowReadOptions options;
  /** Carries bytes between channels and Arrow memory. */
  final byte[] chunk = new byte[CHUNK];
  /** Bytes of input consumed so far. */
  long consumed;
  private final Set<Long> loadedDictionaries = new HashSet<>();
  private int recordBatches;
  private int dictionaryBatches;

  private IpcSource(BufferAllocator allocator, String source, ArrowReadOptions options) {
    super(allocator);
    this.source = source;
    this.options = options;
  }

  static IpcSource file(FileChannel ch, String source, BufferAllocator allocator, ArrowReadOptions options) {
    return new FileSource(ch, source, allocator, options);
  }

  static IpcSource stream(ReadableByteChannel in, String source, BufferAllocator allocator,
      ArrowReadOptions options) {
    return new StreamSource(in, source, allocator, options);
  }

  /**
   * One message: its metadata, its type (read before the body is allocated, so a corrupt flatbuffer
   * fails while nothing needs releasing) and its body, which the holder must close.
   */
  private record Msg(Message message, byte type, int metadataLength, ArrowBuf body, long bodyLength)
      implements AutoCloseable {
    @Override
    public void close() {
      body.close();
    }
  }

  /**
   * The next message after the schema.
   *
   * @param part what the message is expected to be, for messages
   * @return the message, or {@code null} at the end of the input
   */
  abstract @Nullable Msg next(String part) throws IOException;

  /** Names the next record batch in messages. */
  String nextPart() {
    return "record batch " + recordBatches;
  }

  @Override
  public boolean loadNextBatch() throws IOException {
    prepareLoadNextBatch();
    while (true) {
      String part = nextPart();
      Msg m = next(part);
      if (m == null) {
        return false;
      }
      try (m) {
        byte type = m.type();
        if (type == MessageHeader.DictionaryBatch) {
          loadDictionaryMessage(m);
        } else if (type == MessageHeader.RecordBatch) {
          loadRecordMessage(m, part);
          return true;
        } else {
          throw place(part).error(null, "is a " + headerName(type) + " message where a record or dictionary batch"
              + " belongs. The data is corrupt, or holds more than one schema");
        }
      }
    }
  }

  private void loadRecordMessage(Msg m, String part) throws IOException {
    RecordBatch rb = (RecordBatch) m.message().header(new RecordBatch());
    IpcBatchLayout.Place place = place(part);
    if (rb == null) {
      throw place.error(null, "has no record batch metadata. The data is corrupt");
    }
    List<Field> columns = getVectorSchemaRoot().getSchema().getFields();
    for (Field f : columns) {
      if (f.getDictionary() != null && !loadedDictionaries.contains(f.getDictionary().getId())) {
        throw place.error(f.getName(), "comes before any dictionary batch for its dictionary (id "
            + f.getDictionary().getId() + "). The data is corrupt or truncated");
      }
    }
    ArrowRecordBatch batch = IpcBatchLayout.check(rb, columns, m.body(), m.bodyLength(), place);
    loadRecordBatch(batch);
    recordBatches++;
  }

  private void loadDictionaryMessage(Msg m) {
    String part = "dictionary batch " + dictionaryBatches + " (before " + nextPart() + ")";
    DictionaryBatch db = (DictionaryBatch) m.message().header(new DictionaryBatch());
    IpcBatchLayout.Place place = place(part);
    if (db == null || db.data() == null) {
      throw place.error(null, "has no dictionary batch metadata. The data is corrupt");
    }
    long id = db.id();
    Dictionary dictionary = dictionaries.get(id);
    if (dictionary == null) {
      throw place.error(null, "defines dictionary " + id + ", which no column of the schema uses. The data is"
          + " corrupt");
    }
    if (db.isDelta() && !loadedDictionaries.contains(id)) {
      throw place.error(null, "extends dictionary " + id + " before the dictionary itself. The data is corrupt");
    }
    Field values = dictionary.getVector().getField();
    ArrowRecordBatch data = IpcBatchLayout.check(db.data(), List.of(values), m.body(), m.bodyLength(), place);
    loadDictionary(new ArrowDictionaryBatch(id, data, db.isDelta()));
    try {
      ValueVectorUtility.validateFull(dictionary.getVector());
    } catch (RuntimeException e) {
      throw place.error(null, "holds invalid values for dictionary " + id + " (" + e.getMessage() + "). The data is"
          + " corrupt");
    }
    loadedDictionaries.add(id);
    dictionaryBatches++;
  }

  IpcBatchLayout.Place place(String part) {
    return new IpcBatchLayout.Place(source, part);
  }

  private static String headerName(byte type) {
    return type >= 0 && type < MessageHeader.names.length ? MessageHeader.names[type] : "type-" + type;
  }

  /**
   * Parses message metadata, checking the version and the body length; the flatbuffer fields every
   * caller needs before it allocates are read here.
   */
  Message parse(byte[] meta, int offset, int length, String part) {
    Message m = Message.getRootAsMessage(ByteBuffer.wrap(meta, offset, length).slice());
    m.headerType();
    if (m.version() < MetadataVersion.V4 || m.version() > MetadataVersion.V5) {
      throw place(part).error(null, "uses Arrow IPC metadata version " + m.version() + "; mlops reads versions V4"
          + " and V5 (Arrow 0.15 and later). The data is corrupt, or re-export it with a current Arrow");
    }
    if (m.bodyLength() < 0) {
      throw place(part).error(null, "declares a body of " + m.bodyLength() + " bytes. The data is corrupt");
    }
    return m;
  }

  /**
   * Converts a schema, after {@link IpcSchemaCheck} has bounded every vector and string in it by the
   * metadata bytes and its field tree by depth and size: Arrow's conversion trusts the lengths it finds
   * (a union's declared type-id count is allocated as it stands) and recurses into children.
   */
  Schema schema(org.apache.arrow.flatbuf.@Nullable Schema s, String part) {
    if (s == null) {
      throw place(part).error(null, "has no schema. The data is corrupt");
    }
    IpcSchemaCheck.check(s, place(part));
    return Schema.convertSchema(s);
  }

  /** Reads up to {@code len} bytes of the channel into {@code dst}; fewer only at its end. */
  static int readUpTo(ReadableByteChannel in, byte[] dst, int off, int len) throws IOException {
    ByteBuffer bb = ByteBuffer.wrap(dst, off, len);
    while (bb.hasRemaining()) {
      if (in.read(bb) < 0) {
        break;
      }
    }
    return len - bb.remaining();
  }

  /** Copies {@code len} bytes from the channel into the buffer at {@code at}; fewer only at its end. */
  long copy(ReadableByteChannel in, ArrowBuf dst, long at, long len) throws IOException {
    long done = 0;
    while (done < len) {
      int want = (int) Math.min(chunk.length, len - done);
      int got = readUpTo(in, chunk, 0, want);
      dst.setBytes(at + done, chunk, 0, got);
      done += got;
      if (got < want) {
        break;
      }
    }
    return done;
  }

  static int intAt(byte[] b, int offset) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(offset);
  }

  @Override
  public long bytesRead() {
    return consumed;
  }

  /** A file, read through its footer. */
  private static final class FileSource extends IpcSource {
    private static final int MAGIC = ArrowIpc.MAGIC.length;
    private final FileChannel ch;
    private final long size;
    private @Nullable Footer footer;
    private long batchesEnd;
    private int nextDictionary;
    private int nextRecord;

    FileSource(FileChannel ch, String source, BufferAllocator allocator, ArrowReadOptions options) {
      super(allocator, source, options);
      this.ch = ch;
      try {
        this.size = ch.size();
      } catch (IOException e) {
        throw new DataFormatException("cannot be read (" + e + "); check it is a readable regular file", source, -1,
            null, e);
      }
    }

    @Override
    protected Schema readSchema() throws IOException {
      String part = "its footer";
      // magic, padding to 8, at least an end-of-stream marker, the footer, its length, magic
      if (size < 8 + 4 + MAGIC) {
        throw new DataFormatException("is " + size + " bytes long, too short for an Arrow IPC file; the file is"
            + " truncated or not Arrow IPC", source, -1, null);
      }
      byte[] head = readAt(0, MAGIC);
      byte[] tail = readAt(size - MAGIC, MAGIC);
      if (!Arrays.equals(head, ArrowIpc.MAGIC) || !Arrays.equals(tail, ArrowIpc.MAGIC)) {
        throw new DataFormatException("does not start and end with the Arrow IPC magic bytes 'ARROW1'; the file is"
            + " truncated, or it is not an Arrow IPC file (an Arrow stream? read it with ArrowIpc.openStream)",
            source, -1, null);
      }
      long lengthAt = size - MAGIC - 4;
      int footerLength = intAt(readAt(lengthAt, 4), 0);
      if (footerLength <= 0 || footerLength > lengthAt - 8) {
        throw place(part).error(null, "declares a length of " + footerLength + " bytes in a " + size + "-byte file;"
            + " the file is truncated or corrupt");
      }
      batchesEnd = lengthAt - footerLength;
      byte[] bytes = readAt(batchesEnd, footerLength);
      Footer f = Footer.getRootAsFooter(ByteBuffer.wrap(bytes));
      Schema schema = schema(f.schema(), part);
      checkBlocks(f, footerLength);
      footer = f;
      return schema;
    }

    /**
     * Checks that every block the footer lists lies before the footer and that no two overlap: a footer
     * listing one message many times would make a small file read as any number of batches, or grow a
     * dictionary by the same delta over and over.
     */
    private void checkBlocks(Footer f, int footerLength) {
      int dictionaryBlocks = f.dictionariesLength();
      int recordBlocks = f.recordBatchesLength();
      // a block is a 24-byte struct inside the footer
      if (dictionaryBlocks < 0 || recordBlocks < 0 || dictionaryBlocks + (long) recordBlocks > footerLength / 24) {
        throw place("its footer").error(null, "lists " + dictionaryBlocks + " dictionary and " + recordBlocks
            + " record batch blocks, more than its " + footerLength + " bytes hold. The file is corrupt");
      }
      long[][] spans = new long[dictionaryBlocks + recordBlocks][];
      for (int i = 0; i < spans.length; i++) {
        boolean dictionary = i < dictionaryBlocks;
        Block b = dictionary ? f.dictionaries(new Block(), i) : f.recordBatches(new Block(), i - dictionaryBlocks);
        String part = dictionary ? "dictionary block " + i + " of the footer"
            : "record batch " + (i - dictionaryBlocks);
        long offset = b.offset();
        long metaLength = b.metaDataLength();
        long bodyLength = b.bodyLength();
        if (offset < 8 || metaLength < 8 || bodyLength < 0 || offset > batchesEnd || metaLength > batchesEnd - offset
            || bodyLength > batchesEnd - offset - metaLength) {
          throw place(part).error(null, "is placed by the footer at byte " + offset + " with " + metaLength
              + " bytes of metadata and a body of " + bodyLength + " bytes, outside the " + batchesEnd
              + " bytes before the footer. The file is truncated or corrupt");
        }
        spans[i] = new long[] {offset, offset + metaLength + bodyLength, i};
      }
      Arrays.sort(spans, (x, y) -> Long.compare(x[0], y[0]));
      for (int i = 1; i < spans.length; i++) {
        if (spans[i][0] < spans[i - 1][1]) {
          throw place("its footer").error(null, "lists blocks " + spans[i - 1][2] + " and " + spans[i][2]
              + " (dictionary blocks first) that overlap at byte " + spans[i][0] + "; each message is stored once."
              + " The file is corrupt");
        }
      }
    }

    @Override
    @Nullable Msg next(String part) throws IOException {
      Footer f = footer;
      if (f == null) {
        throw new IllegalStateException("schema not read");
      }
      if (nextDictionary < f.dictionariesLength()) {
        String where = "dictionary block " + nextDictionary + " of the footer";
        Msg m = block(f.dictionaries(new Block(), nextDictionary++), where);
        return expect(m, MessageHeader.DictionaryBatch, where);
      }
      if (nextRecord < f.recordBatchesLength()) {
        Msg m = block(f.recordBatches(new Block(), nextRecord++), part);
        return expect(m, MessageHeader.RecordBatch, part);
      }
      return null;
    }

    private Msg expect(Msg m, byte type, String part) {
      if (m.type() != type) {
        m.close();
        throw place(part).error(null, "holds a " + headerName(m.type()) + " message where the footer"
            + " lists a " + headerName(type) + ". The file is corrupt");
      }
      return m;
    }

    /** Reads a block {@link #checkBlocks} has placed inside the file. */
    private Msg block(Block b, String part) throws IOException {
      long offset = b.offset();
      int metaLength = b.metaDataLength();
      long bodyLength = b.bodyLength();
      byte[] meta = readAt(offset, metaLength);
      boolean continuation = intAt(meta, 0) == -1;
      int start = continuation ? 8 : 4;
      int length = continuation ? intAt(meta, 4) : intAt(meta, 0);
      if (length <= 0 || length > metaLength - start) {
        throw place(part).error(null, "declares a metadata length of " + length + " in a block of " + metaLength
            + " bytes. The file is corrupt");
      }
      Message message = parse(meta, start, length, part);
      if (message.bodyLength() != bodyLength) {
        throw place(part).error(null, "declares a body of " + message.bodyLength() + " bytes where the footer says "
            + bodyLength + ". The file is corrupt");
      }
      ArrowBuf body = bodyLength == 0 ? allocator.getEmpty() : allocator.buffer(bodyLength);
      try {
        long at = offset + metaLength;
        for (long done = 0; done < bodyLength; ) {
          ByteBuffer bb = ByteBuffer.wrap(chunk, 0, (int) Math.min(CHUNK, bodyLength - done));
          while (bb.hasRemaining()) {
            if (ch.read(bb, at + done + bb.position()) < 0) {
              throw place(part).error(null, "ends inside its body: the file shrank while it was read");
            }
          }
          body.setBytes(done, chunk, 0, bb.limit());
          done += bb.limit();
        }
        consumed += metaLength + bodyLength;
        return new Msg(message, message.headerType(), length, body, bodyLength);
      } catch (IOException | RuntimeException e) {
        body.close();
        throw e;
      }
    }

    private byte[] readAt(long position, int length) throws IOException {
      byte[] b = new byte[length];
      ByteBuffer bb = ByteBuffer.wrap(b);
      while (bb.hasRemaining()) {
        if (ch.read(bb, position + bb.position()) < 0) {
          throw new DataFormatException("ends at byte " + (position + bb.position()) + " where " + length
              + " bytes from byte " + position + " were expected; the file is truncated", source, -1, null);
        }
      }
      return b;
    }

    @Override
    protected void closeReadSource() throws IOException {
      ch.close();
    }
  }

  /** A stream, read message by message. */
  private static final class StreamSource extends IpcSource {
    /** "ARRO", the start of a file's magic, read as a little-endian message length. */
    private static final int FILE_MAGIC_AS_LENGTH = intAt(ArrowIpc.MAGIC, 0);
    private final ReadableByteChannel in;
    private boolean started;
    private boolean ended;

    StreamSource(ReadableByteChannel in, String source, BufferAllocator allocator, ArrowReadOptions options) {
      super(allocator, source, options);
      this.in = in;
    }

    @Override
    protected Schema readSchema() throws IOException {
      String part = "its schema";
      Msg m = read(part);
      if (m == null) {
        throw place(part).error(null, "is missing: the stream is empty, and an Arrow IPC stream starts with a schema"
            + " message");
      }
      try (m) {
        if (m.type() != MessageHeader.Schema) {
          throw place(part).error(null, "is missing: the stream starts with a "
              + headerName(m.type()) + " message. The data is corrupt or not an Arrow IPC stream");
        }
        if (m.bodyLength() != 0) {
          throw place(part).error(null, "message declares a body of " + m.bodyLength() + " bytes; a schema has none."
              + " The data is corrupt");
        }
        return schema((org.apache.arrow.flatbuf.Schema) m.message().header(new org.apache.arrow.flatbuf.Schema()),
            part);
      }
    }

    @Override
    @Nullable Msg next(String part) throws IOException {
      return read(part);
    }

    private @Nullable Msg read(String part) throws IOException {
      if (ended) {
        return null;
      }
      boolean first = !started;
      started = true;
      byte[] prefix = new byte[8];
      int got = readUpTo(in, prefix, 0, 4);
      if (got == 0) {
        ended = true;
        return null;
      }
      if (got < 4) {
        throw truncated(part, "inside a message length");
      }
      int length = intAt(prefix, 0);
      if (first && length == FILE_MAGIC_AS_LENGTH) {
        throw new DataFormatException("starts with the magic bytes of an Arrow IPC file, not a stream; read it with"
            + " ArrowIpc.openFile", source, -1, null);
      }
      int prefixLength = 4;
      if (length == -1) {
        prefixLength = 8;
        if (readUpTo(in, prefix, 4, 4) < 4) {
          throw truncated(part, "inside a message length");
        }
        length = intAt(prefix, 4);
      }
      if (length == 0) {
        ended = true;
        return null;
      }
      long max = options.maxBatchBytes();
      if (length < 0 || length > max) {
        throw place(part).error(null, "declares " + length + " bytes of metadata, outside 1 to maxBatchBytes (" + max
            + "). The stream is corrupt, or raise ArrowReadOptions.maxBatchBytes for batches this large");
      }
      byte[] meta = readGrowing(length, part);
      Message message = parse(meta, 0, length, part);
      long bodyLength = message.bodyLength();
      if (bodyLength > max - length) {
        throw place(part).error(null, "declares a body of " + bodyLength + " bytes, more than maxBatchBytes (" + max
            + ") allows. The stream is corrupt, or raise ArrowReadOptions.maxBatchBytes for batches this large");
      }
      ArrowBuf body = readBody(bodyLength, part);
      consumed += prefixLength + length + bodyLength;
      return new Msg(message, message.headerType(), length, body, bodyLength);
    }

    /** Reads {@code length} bytes, growing the array only as bytes arrive. */
    private byte[] readGrowing(int length, String part) throws IOException {
      byte[] b = new byte[Math.min(length, FIRST_GROWTH)];
      int done = 0;
      while (true) {
        int got = readUpTo(in, b, done, b.length - done);
        done += got;
        if (done == length) {
          return b;
        }
        if (done < b.length) {
          throw truncated(part, "after " + done + " of the " + length + " bytes of metadata it declares");
        }
        b = Arrays.copyOf(b, (int) Math.min(length, 2L * b.length));
      }
    }

    /** Reads a body into Arrow memory, growing the buffer only as bytes arrive. */
    private ArrowBuf readBody(long length, String part) throws IOException {
      if (length == 0) {
        return allocator.getEmpty();
      }
      long capacity = Math.min(length, FIRST_GROWTH);
      ArrowBuf buf = allocator.buffer(capacity);
      try {
        long done = 0;
        while (true) {
          long got = copy(in, buf, done, capacity - done);
          done += got;
          if (done == length) {
            return buf;
          }
          if (done < capacity) {
            throw truncated(part, "after " + done + " of the " + length + " body bytes it declares");
          }
          capacity = Math.min(length, 2 * capacity);
          ArrowBuf bigger = allocator.buffer(capacity);
          bigger.setBytes(0, buf, 0, done);
          buf.close();
          buf = bigger;
        }
      } catch (IOException | RuntimeException e) {
        buf.close();
        throw e;
      }
    }

    private DataFormatException truncated(String part, String where) {
      return place(part).error(null, "is truncated: the stream ends " + where + ". Check the stream was written"
          + " completely");
    }

    @Override
    protected void closeReadSource() throws IOException {
      in.close();
    }
  }
}
