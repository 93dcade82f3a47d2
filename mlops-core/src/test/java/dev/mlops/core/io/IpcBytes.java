package dev.mlops.core.io;

import com.google.flatbuffers.Table;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.flatbuf.Message;
import org.apache.arrow.flatbuf.MessageHeader;

/**
 * Finds the messages in Arrow IPC bytes and the positions of their flatbuffer fields, so a test can
 * patch a valid file the way a hostile or broken writer would. Positions are absolute in the array.
 */
final class IpcBytes extends Table {
  // vtable slots (4 + 2 * field index) of the Arrow flatbuffer tables patched here
  private static final int MESSAGE_VERSION = 4;
  private static final int MESSAGE_HEADER = 8;
  private static final int MESSAGE_BODY_LENGTH = 10;
  private static final int RECORD_BATCH_LENGTH = 4;
  private static final int RECORD_BATCH_NODES = 6;
  private static final int RECORD_BATCH_BUFFERS = 8;
  private static final int DICTIONARY_BATCH_ID = 4;
  private static final int DICTIONARY_BATCH_DATA = 6;
  private static final int FOOTER_RECORD_BATCHES = 10;

  /**
   * One message of the bytes.
   *
   * @param start where its length prefix starts
   * @param metadataStart where its flatbuffer starts
   * @param metadataLength the declared flatbuffer length, padding included
   * @param bodyStart where its body starts
   * @param bodyLength the declared body length
   * @param headerType the {@link MessageHeader} type
   */
  record Msg(int start, int metadataStart, int metadataLength, int bodyStart, long bodyLength, byte headerType) {
    boolean isRecordBatch() {
      return headerType == MessageHeader.RecordBatch;
    }

    boolean isDictionaryBatch() {
      return headerType == MessageHeader.DictionaryBatch;
    }
  }

  private final byte[] bytes;
  private final ByteBuffer bb;

  private IpcBytes(byte[] bytes) {
    this.bytes = bytes;
    this.bb = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
  }

  static IpcBytes of(byte[] bytes) {
    return new IpcBytes(bytes);
  }

  byte[] bytes() {
    return bytes;
  }

  /**
   * The messages in order, up to the end-of-stream marker.
   *
   * @param file whether the bytes are a file (8 bytes of magic and padding first)
   * @return the messages
   */
  List<Msg> messages(boolean file) {
    List<Msg> out = new ArrayList<>();
    int pos = file ? 8 : 0;
    while (pos + 8 <= bytes.length) {
      int first = bb.getInt(pos);
      int len = first == -1 ? bb.getInt(pos + 4) : first;
      int meta = first == -1 ? pos + 8 : pos + 4;
      if (len == 0) {
        break;
      }
      Message m = Message.getRootAsMessage(ByteBuffer.wrap(bytes, meta, len).slice());
      out.add(new Msg(pos, meta, len, meta + len, m.bodyLength(), m.headerType()));
      pos = (int) (meta + len + m.bodyLength());
    }
    return out;
  }

  /** The first record batch message. */
  Msg firstRecordBatch(boolean file) {
    return messages(file).stream().filter(Msg::isRecordBatch).findFirst().orElseThrow();
  }

  /** The first dictionary batch message. */
  Msg firstDictionaryBatch(boolean file) {
    return messages(file).stream().filter(Msg::isDictionaryBatch).findFirst().orElseThrow();
  }

  /** Position of the metadata length of a message (after the continuation marker). */
  int metadataLengthPosition(Msg m) {
    return m.metadataStart() - 4;
  }

  /** Position of the message's metadata version, an int16. */
  int versionPosition(Msg m) {
    return field(messageTable(m), MESSAGE_VERSION);
  }

  /** Position of a file's footer length, an int32 just before the trailing magic. */
  int footerLengthPosition() {
    return bytes.length - 10;
  }

  /**
   * Position of the footer's record batch block {@code i}: its offset (int64), metadata length (int32)
   * and, at +16, body length (int64).
   */
  int recordBlockPosition(int i) {
    int footerStart = footerLengthPosition() - bb.getInt(footerLengthPosition());
    int footer = footerStart + bb.getInt(footerStart);
    return vectorStart(footer, FOOTER_RECORD_BATCHES) + 24 * i;
  }

  /** Position of the message's body length, an int64. */
  int bodyLengthPosition(Msg m) {
    return field(messageTable(m), MESSAGE_BODY_LENGTH);
  }

  /** Position of the record batch length (the batch's own, or a dictionary batch's data), an int64. */
  int batchLengthPosition(Msg m) {
    return field(recordBatchTable(m), RECORD_BATCH_LENGTH);
  }

  /** Number of field nodes of the message's record batch. */
  int nodeCount(Msg m) {
    return vectorLength(recordBatchTable(m), RECORD_BATCH_NODES);
  }

  /** Position of field node {@code i}: its length (int64), then its null count (int64). */
  int nodePosition(Msg m, int i) {
    return vectorStart(recordBatchTable(m), RECORD_BATCH_NODES) + 16 * i;
  }

  /** Number of buffers of the message's record batch. */
  int bufferCount(Msg m) {
    return vectorLength(recordBatchTable(m), RECORD_BATCH_BUFFERS);
  }

  /** Position of buffer {@code i}: its offset in the body (int64), then its length (int64). */
  int bufferPosition(Msg m, int i) {
    return vectorStart(recordBatchTable(m), RECORD_BATCH_BUFFERS) + 16 * i;
  }

  /** Position of a dictionary batch's id, an int64. */
  int dictionaryIdPosition(Msg m) {
    return field(headerTable(m), DICTIONARY_BATCH_ID);
  }

  long getLong(int pos) {
    return bb.getLong(pos);
  }

  int getInt(int pos) {
    return bb.getInt(pos);
  }

  IpcBytes putLong(int pos, long value) {
    bb.putLong(pos, value);
    return this;
  }

  IpcBytes putShort(int pos, short value) {
    bb.putShort(pos, value);
    return this;
  }

  IpcBytes putInt(int pos, int value) {
    bb.putInt(pos, value);
    return this;
  }

  private int messageTable(Msg m) {
    return m.metadataStart() + bb.getInt(m.metadataStart());
  }

  private int headerTable(Msg m) {
    return indirect(field(messageTable(m), MESSAGE_HEADER));
  }

  private int recordBatchTable(Msg m) {
    int header = headerTable(m);
    return m.isDictionaryBatch() ? indirect(field(header, DICTIONARY_BATCH_DATA)) : header;
  }

  private int field(int table, int slot) {
    __reset(table, bb);
    int o = __offset(slot);
    if (o == 0) {
      throw new IllegalStateException("flatbuffer field at slot " + slot + " is absent (holds its default)");
    }
    return table + o;
  }

  private int indirect(int pos) {
    return pos + bb.getInt(pos);
  }

  private int vectorStart(int table, int slot) {
    return indirect(field(table, slot)) + 4;
  }

  private int vectorLength(int table, int slot) {
    return bb.getInt(indirect(field(table, slot)));
  }
}
