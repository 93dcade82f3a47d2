package dev.mlops.core.internal;

import dev.mlops.core.DataFormatException;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;

/**
 * The frame around the library's binary forms (profiles, validation sessions), big-endian:
 * {@code bytes[4]} magic, {@code u16} format version, {@code int} payload length, the payload, and
 * the {@code int} CRC-32 of the payload. Reading checks the frame in that order, every declared
 * length against the bytes actually there, and says which check failed; what the payload holds is
 * the caller's to check (a CRC-32 catches accidents, not a forged or buggy writer).
 */
public final class Frames {
  /** Bytes of an empty frame: magic, version, length and checksum. */
  public static final int OVERHEAD = 14;

  private Frames() {}

  /**
   * What a frame's messages call its bytes.
   *
   * @param noun the kind of bytes ("profile", "session")
   * @param writer the method that writes them, for a wrong magic number
   * @param versionHint what to do about a version this library does not read
   */
  public record Kind(String noun, String writer, String versionHint) {}

  /**
   * Frames a payload.
   *
   * @param magic the four magic bytes
   * @param version the format version
   * @param payload the payload
   * @return the framed bytes
   */
  public static byte[] write(byte[] magic, int version, byte[] payload) {
    CRC32 crc = new CRC32();
    crc.update(payload);
    return ByteBuffer.allocate(payload.length + OVERHEAD).put(magic).putShort((short) version)
        .putInt(payload.length).put(payload).putInt((int) crc.getValue()).array();
  }

  /**
   * Checks a frame and opens its payload.
   *
   * @param bytes the framed bytes
   * @param magic the expected magic bytes
   * @param version the one version read
   * @param kind what the messages call the bytes
   * @param source where the bytes came from, for messages (a file name)
   * @return a stream over the payload
   * @throws DataFormatException naming the check that failed
   */
  public static DataInputStream read(byte[] bytes, byte[] magic, int version, Kind kind, String source) {
    String noun = kind.noun();
    if (bytes.length < OVERHEAD) {
      throw new DataFormatException("only " + bytes.length + " bytes; a " + noun + " has at least " + OVERHEAD
          + " (header and checksum): the data is truncated or not a " + noun, source, -1, null);
    }
    for (int i = 0; i < magic.length; i++) {
      if (bytes[i] != magic[i]) {
        throw new DataFormatException("bad magic number: expected '" + new String(magic,
            java.nio.charset.StandardCharsets.US_ASCII) + "' at offset 0; these bytes are not a " + noun
            + " written by " + kind.writer(), source, -1, null);
      }
    }
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int found = b.getShort(4) & 0xffff;
    if (found != version) {
      throw new DataFormatException(noun + " format version " + found + " is not supported (this library reads "
          + "version " + version + "); " + kind.versionHint(), source, -1, null);
    }
    int len = b.getInt(6);
    if (len < 0 || (long) len + OVERHEAD != bytes.length) {
      throw new DataFormatException("payload length " + len + " does not match the " + bytes.length
          + " bytes given (expected " + (bytes.length - OVERHEAD) + "); the data is truncated or has trailing bytes",
          source, -1, null);
    }
    CRC32 crc = new CRC32();
    crc.update(bytes, 10, len);
    int stored = b.getInt(10 + len);
    if ((int) crc.getValue() != stored) {
      throw new DataFormatException("checksum mismatch (CRC-32 of the payload is "
          + Integer.toHexString((int) crc.getValue()) + ", stored " + Integer.toHexString(stored)
          + "); the bytes are corrupt", source, -1, null);
    }
    return new DataInputStream(new ByteArrayInputStream(bytes, 10, len));
  }
}
