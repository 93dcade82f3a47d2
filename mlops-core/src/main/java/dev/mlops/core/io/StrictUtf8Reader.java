package dev.mlops.core.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;

/**
 * Decodes UTF-8 strictly. Each malformed byte sequence becomes one {@link #MARKER} char in the
 * output and its byte offset is queued, so the CSV layer can blame the right line and still
 * resynchronise at the next line end. One byte order mark at the very start is dropped; a second,
 * or one anywhere else, is data.
 *
 * <p>The queue holds the offsets of at most {@value #MAX_QUEUED} decoded but not yet taken errors
 * (8 bytes each), so input made of invalid bytes cannot grow it without bound; beyond that, errors
 * are still counted and their offsets reported as unknown.
 */
final class StrictUtf8Reader extends Reader {
  /** An unpaired low surrogate: a strict decoder never emits one, so it marks invalid input. */
  static final char MARKER = '\uDFFF';

  private static final int BUFFER = 1 << 16;
  /** Most error offsets kept at once; the CSV layer takes them field by field. */
  static final int MAX_QUEUED = 1 << 16;

  private final InputStream in;
  private final CharsetDecoder decoder = StandardCharsets.UTF_8.newDecoder()
      .onMalformedInput(CodingErrorAction.REPORT)
      .onUnmappableCharacter(CodingErrorAction.REPORT);
  private final ByteBuffer bytes = ByteBuffer.allocate(BUFFER).flip();
  private long[] queued = new long[16];
  private int head;
  private int count;
  /** Errors after the queued ones whose offsets were not kept. */
  private long untracked;
  private long bytesBefore;
  private boolean eof;
  private boolean finished;
  private boolean pendingMarker;
  private boolean started;
  private long bytesRead;

  StrictUtf8Reader(InputStream in) {
    this.in = in;
  }

  /**
   * Takes the byte offsets of the next {@code n} invalid sequences, in input order.
   *
   * @param n how many markers the caller met
   * @return the offset of the first of them, or -1 if none is queued or its offset was not kept
   */
  long takeErrors(long n) {
    long first = -1;
    for (long k = 0; k < n; k++) {
      if (count > 0) {
        long off = queued[head];
        head = (head + 1) & (queued.length - 1);
        count--;
        if (k == 0) {
          first = off;
        }
      } else if (untracked > 0) {
        untracked--;
      } else {
        break;
      }
    }
    return first;
  }

  private void queueError(long offset) {
    if (untracked > 0 || count == MAX_QUEUED) {
      untracked++; // keep the order: once one is dropped, later ones wait behind it
      return;
    }
    if (count == queued.length) {
      long[] bigger = new long[queued.length * 2];
      for (int k = 0; k < count; k++) {
        bigger[k] = queued[(head + k) & (queued.length - 1)];
      }
      queued = bigger;
      head = 0;
    }
    queued[(head + count) & (queued.length - 1)] = offset;
    count++;
  }

  @Override
  public int read(char[] cbuf, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (!started) {
      start();
    }
    CharBuffer out = CharBuffer.wrap(cbuf, off, len);
    while (out.hasRemaining()) {
      if (pendingMarker) {
        out.put(MARKER);
        pendingMarker = false;
        continue;
      }
      if (finished) {
        break;
      }
      CoderResult r = decoder.decode(bytes, out, eof);
      if (r.isError()) {
        queueError(bytesBefore + bytes.position());
        bytes.position(bytes.position() + r.length());
        pendingMarker = true;
      } else if (r.isOverflow()) {
        break;
      } else if (eof) {
        decoder.flush(out);
        finished = true;
      } else if (out.position() > off) {
        break;
      } else {
        fill();
      }
    }
    int n = out.position() - off;
    return n == 0 && finished ? -1 : n;
  }

  private void start() throws IOException {
    started = true;
    while (!eof && bytes.remaining() < 3) {
      fill();
    }
    if (bytes.remaining() >= 3 && (bytes.get(0) & 0xFF) == 0xEF && (bytes.get(1) & 0xFF) == 0xBB
        && (bytes.get(2) & 0xFF) == 0xBF) {
      bytes.position(3);
    }
  }

  private void fill() throws IOException {
    bytesBefore += bytes.position();
    bytes.compact();
    int r = in.read(bytes.array(), bytes.position(), bytes.remaining());
    if (r < 0) {
      eof = true;
    } else {
      bytesRead += r;
      bytes.position(bytes.position() + r);
    }
    bytes.flip();
  }

  /**
   * The bytes taken from the input so far, read-ahead included.
   *
   * @return the count
   */
  long bytesRead() {
    return bytesRead;
  }

  @Override
  public void close() throws IOException {
    in.close();
  }
}
