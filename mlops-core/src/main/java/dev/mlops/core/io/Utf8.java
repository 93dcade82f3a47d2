package dev.mlops.core.io;

/**
 * UTF-8 helpers shared by the CSV reader. Invalid input is marked in the decoded text by an
 * unpaired surrogate ({@link StrictUtf8Reader#MARKER}), which a strict decoder can never produce.
 */
final class Utf8 {
  private Utf8() {}

  /**
   * Counts unpaired surrogates, i.e. the places where the strict decoder met invalid bytes.
   *
   * @param b the chars
   * @param off first char
   * @param len number of chars
   * @return the count
   */
  static int countLoneSurrogates(char[] b, int off, int len) {
    int n = 0;
    int end = off + len;
    for (int i = off; i < end; i++) {
      char c = b[i];
      if (Character.isHighSurrogate(c) && i + 1 < end && Character.isLowSurrogate(b[i + 1])) {
        i++;
      } else if (Character.isSurrogate(c)) {
        n++;
      }
    }
    return n;
  }

  /**
   * Counts the decoder's error markers in a region that may cut a surrogate pair at either end:
   * the decoder emits high surrogates only paired with a low one, and each marker is an extra low
   * one, so low minus high surrogates is the marker count, and sums over adjacent regions.
   *
   * @param b the chars
   * @param from first char
   * @param to end, exclusive
   * @return the number of markers
   */
  static long markerBalance(char[] b, int from, int to) {
    long n = 0;
    for (int i = from; i < to; i++) {
      char c = b[i];
      if (c >= '\uD800' && c <= '\uDFFF') {
        n += c >= '\uDC00' ? 1 : -1;
      }
    }
    return n;
  }

  /**
   * Encodes chars as UTF-8 into {@code out} from {@code pos}; the caller guarantees
   * {@code out.length - pos >= 3 * len}.
   *
   * @param b the chars
   * @param off first char
   * @param len number of chars
   * @param out destination
   * @param pos first destination byte
   * @return the position after the last byte written, or -1 when the text holds an unpaired surrogate
   */
  static int encode(char[] b, int off, int len, byte[] out, int pos) {
    int end = off + len;
    int i = off;
    int p = pos;
    // ASCII fast path, eight chars per test
    while (i + 8 <= end
        && (b[i] | b[i + 1] | b[i + 2] | b[i + 3] | b[i + 4] | b[i + 5] | b[i + 6] | b[i + 7]) < 0x80) {
      out[p] = (byte) b[i];
      out[p + 1] = (byte) b[i + 1];
      out[p + 2] = (byte) b[i + 2];
      out[p + 3] = (byte) b[i + 3];
      out[p + 4] = (byte) b[i + 4];
      out[p + 5] = (byte) b[i + 5];
      out[p + 6] = (byte) b[i + 6];
      out[p + 7] = (byte) b[i + 7];
      i += 8;
      p += 8;
    }
    while (i < end) {
      char c = b[i];
      if (c >= 0x80) {
        break;
      }
      out[p++] = (byte) c;
      i++;
    }
    while (i < end) {
      char c = b[i++];
      if (c < 0x80) {
        out[p++] = (byte) c;
      } else if (c < 0x800) {
        out[p++] = (byte) (0xC0 | (c >> 6));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      } else if (Character.isSurrogate(c)) {
        if (!Character.isHighSurrogate(c) || i >= end || !Character.isLowSurrogate(b[i])) {
          return -1;
        }
        int cp = Character.toCodePoint(c, b[i++]);
        out[p++] = (byte) (0xF0 | (cp >> 18));
        out[p++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
        out[p++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
        out[p++] = (byte) (0x80 | (cp & 0x3F));
      } else {
        out[p++] = (byte) (0xE0 | (c >> 12));
        out[p++] = (byte) (0x80 | ((c >> 6) & 0x3F));
        out[p++] = (byte) (0x80 | (c & 0x3F));
      }
    }
    return p;
  }
}
