package dev.mlops.core.internal;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 helpers. Every JDK ships SHA-256, so its absence is a broken runtime, not a user error. */
public final class Digests {
  private Digests() {}

  /**
   * A fresh SHA-256 digest.
   *
   * @return the digest
   */
  public static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM lacks SHA-256, which every Java SE runtime must provide", e);
    }
  }

  /**
   * Lower-case hex SHA-256 of some bytes.
   *
   * @param bytes the input
   * @return 64 hex characters
   */
  public static String sha256Hex(byte[] bytes) {
    return HexFormat.of().formatHex(sha256().digest(bytes));
  }
}
