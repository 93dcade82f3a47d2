package dev.mlops.core.io;

/**
 * UTF-8 helpers shared by the CSV reader (its encoder is {@link dev.mlops.core.BatchBuilder#trySetString}). Invalid input is marked in the decoded text by an
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
}
