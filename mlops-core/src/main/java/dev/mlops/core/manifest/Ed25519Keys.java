package dev.mlops.core.manifest;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.Digests;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyFactory;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.PublicKey;
import java.security.interfaces.EdECKey;
import java.security.spec.PKCS8EncodedKeySpec;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;
import java.util.function.Function;

/**
 * Ed25519 keys for manifest signing, with the JDK's own provider: generation, key ids, and PEM /
 * base64 forms ({@code PUBLIC KEY} is X.509 SubjectPublicKeyInfo, {@code PRIVATE KEY} is PKCS#8),
 * compatible with {@code openssl genpkey -algorithm ed25519}.
 */
public final class Ed25519Keys {
  private static final String PUBLIC = "PUBLIC KEY";
  private static final String PRIVATE = "PRIVATE KEY";

  private Ed25519Keys() {}

  /**
   * A new random key pair.
   *
   * @return the key pair
   */
  public static KeyPair generate() {
    try {
      return KeyPairGenerator.getInstance("Ed25519").generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("This JVM lacks Ed25519, which every Java 15+ runtime provides", e);
    }
  }

  /**
   * The id of a public key: SHA-256 hex of its X.509 encoded form.
   *
   * @param key an Ed25519 public key
   * @return 64 lower-case hex characters
   * @throws IllegalArgumentException when the key is not Ed25519
   */
  public static String keyId(PublicKey key) {
    return Digests.sha256Hex(requireEd25519(key).getEncoded());
  }

  static <K extends Key> K requireEd25519(K key) {
    if (key instanceof EdECKey ed && "Ed25519".equalsIgnoreCase(ed.getParams().getName())) {
      return key;
    }
    throw new IllegalArgumentException("expected an Ed25519 key, got a " + key.getAlgorithm() + " key ("
        + key.getClass().getSimpleName() + "); generate one with Ed25519Keys.generate()");
  }

  /**
   * PEM text of a public key ({@code -----BEGIN PUBLIC KEY-----}).
   *
   * @param key the key
   * @return the PEM text
   */
  public static String toPem(PublicKey key) {
    return pem(PUBLIC, requireEd25519(key).getEncoded());
  }

  /**
   * PEM text of a private key ({@code -----BEGIN PRIVATE KEY-----}, unencrypted PKCS#8).
   *
   * @param key the key
   * @return the PEM text
   */
  public static String toPem(PrivateKey key) {
    return pem(PRIVATE, requireEd25519(key).getEncoded());
  }

  private static String pem(String label, byte[] der) {
    return "-----BEGIN " + label + "-----\n" + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END " + label + "-----\n";
  }

  /**
   * Reads a public key from PEM text or bare base64 of its X.509 encoding.
   *
   * @param text the PEM or base64 text
   * @return the key
   * @throws DataFormatException when the text is not an Ed25519 public key
   */
  public static PublicKey publicKey(String text) {
    byte[] der = der(text, PUBLIC);
    try {
      return requireEd25519(KeyFactory.getInstance("Ed25519").generatePublic(new X509EncodedKeySpec(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new DataFormatException("not an Ed25519 X.509 public key (" + e.getMessage()
          + "); export it with Ed25519Keys.toPem or 'openssl pkey -pubout'", e);
    }
  }

  /**
   * Reads a private key from PEM text or bare base64 of its PKCS#8 encoding.
   *
   * @param text the PEM or base64 text
   * @return the key
   * @throws DataFormatException when the text is not an unencrypted Ed25519 PKCS#8 private key
   */
  public static PrivateKey privateKey(String text) {
    byte[] der = der(text, PRIVATE);
    try {
      return requireEd25519(KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(der)));
    } catch (GeneralSecurityException | IllegalArgumentException e) {
      throw new DataFormatException("not an unencrypted Ed25519 PKCS#8 private key (" + e.getMessage()
          + "); export it with Ed25519Keys.toPem or 'openssl genpkey -algorithm ed25519'", e);
    }
  }

  private static byte[] der(String text, String label) {
    String body = text.strip();
    String begin = "-----BEGIN " + label + "-----";
    String end = "-----END " + label + "-----";
    if (body.startsWith("-----BEGIN")) {
      int b = body.indexOf(begin);
      int e = body.indexOf(end);
      if (b != 0 || e < 0) {
        String first = body.lines().findFirst().orElse("");
        throw new DataFormatException("expected a PEM block '" + begin + "' ... '" + end + "', found '" + first + "'");
      }
      body = body.substring(begin.length(), e);
    }
    try {
      return Base64.getMimeDecoder().decode(body.replaceAll("\\s", ""));
    } catch (IllegalArgumentException e) {
      throw new DataFormatException("key text is not valid base64 (" + e.getMessage() + ")", e);
    }
  }

  /**
   * Reads a public key file (PEM or base64).
   *
   * @param file the file
   * @return the key
   * @throws DataFormatException naming the file when it is unreadable or not a key
   */
  public static PublicKey readPublicKey(Path file) {
    return readKey(file, Ed25519Keys::publicKey);
  }

  /**
   * Reads a private key file (PEM or base64).
   *
   * @param file the file
   * @return the key
   * @throws DataFormatException naming the file when it is unreadable or not a key
   */
  public static PrivateKey readPrivateKey(Path file) {
    return readKey(file, Ed25519Keys::privateKey);
  }

  private static <K> K readKey(Path file, Function<String, K> parser) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new DataFormatException("cannot read the key file (" + e + ")", file.toString(), -1, null, e);
    }
    try {
      return parser.apply(text);
    } catch (DataFormatException e) {
      throw new DataFormatException(e.getMessage(), file.toString(), -1, null, e);
    }
  }

  /**
   * Writes a public key as PEM.
   *
   * @param file the target file
   * @param key the key
   * @return the file
   * @throws MlopsException when it cannot be written
   */
  public static Path write(Path file, PublicKey key) {
    return writeText(file, toPem(key), false);
  }

  /**
   * Writes a private key as PEM, readable by its owner only where the file system has POSIX permissions.
   *
   * @param file the target file
   * @param key the key
   * @return the file
   * @throws MlopsException when it cannot be written
   */
  public static Path write(Path file, PrivateKey key) {
    return writeText(file, toPem(key), true);
  }

  private static Path writeText(Path file, String text, boolean secret) {
    try {
      if (secret && file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
        Files.deleteIfExists(file);
        Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      }
      return Files.writeString(file, text, StandardCharsets.US_ASCII);
    } catch (IOException e) {
      throw new MlopsException("Cannot write key file " + file + " (" + e + "); check the directory is writable", e);
    }
  }
}
