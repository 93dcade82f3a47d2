package dev.mlops.serving.promotion;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.validation.internal.LocatedDocuments;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.PublicKey;
import java.security.Signature;
import java.security.SignatureException;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Base64;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A named person's Ed25519-signed approval of one model version, over the digest of its manifest:
 * an approval of version 7 says nothing about a version 7 whose manifest was replaced. A promotion
 * policy counts the approvals that verify with the keys it names (n of m).
 *
 * <p>The signature covers the RFC 8785 canonical form of every other member, so none of them can be
 * changed without the signature failing. Files are JSON, one per approver, stored by
 * {@link Approvals#store}.
 *
 * @param approver who approves (a name the policy lists)
 * @param model the model
 * @param version the version approved
 * @param manifestDigest the SHA-256 of the approved manifest's canonical bytes
 * @param time when it was signed
 * @param keyId the id of the signing key ({@link Ed25519Keys#keyId})
 * @param signature the Ed25519 signature, base64
 */
public record Approval(String approver, String model, String version, String manifestDigest, Instant time,
    String keyId, String signature) {
  /** The approval file format. */
  public static final int FORMAT_VERSION = 1;
  /** An approval file is far smaller than this. */
  static final LocatedDocuments.Kind KIND = new LocatedDocuments.Kind("approval", "approval record",
      "an object with 'approver', 'manifestDigest' and 'signature'", 64 << 10, "64 KiB",
      "an approval file is far smaller: this is not one");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");
  private static final String ALGORITHM = "Ed25519";

  /**
   * Checks the components.
   *
   * @param approver approver
   * @param model model
   * @param version version
   * @param manifestDigest manifest digest
   * @param time time
   * @param keyId key id
   * @param signature signature
   */
  public Approval {
    ModelRef.checkSegment("approver", approver);
    ModelRef.checkSegment("model name", model);
    ModelRef.checkSegment("version", version);
    if (manifestDigest == null || !SHA256.matcher(manifestDigest).matches()) {
      throw new IllegalArgumentException("manifestDigest must be 64 lower-case hex digits, got '"
          + ModelRef.printable(String.valueOf(manifestDigest)) + "'");
    }
    if (keyId == null || !SHA256.matcher(keyId).matches()) {
      throw new IllegalArgumentException("keyId must be 64 lower-case hex digits, got '"
          + ModelRef.printable(String.valueOf(keyId)) + "'");
    }
    Objects.requireNonNull(time, "time");
    Objects.requireNonNull(signature, "signature");
  }

  /**
   * Signs an approval of a manifest.
   *
   * @param approver who approves
   * @param manifest the version's manifest
   * @param keys the approver's key pair
   * @param time when
   * @return the signed approval
   */
  public static Approval sign(String approver, ModelManifest manifest, KeyPair keys, Instant time) {
    String keyId = Ed25519Keys.keyId(keys.getPublic());
    Approval unsigned = new Approval(approver, manifest.name(), manifest.version(), manifest.digest(), time, keyId,
        "");
    try {
      Signature s = Signature.getInstance(ALGORITHM);
      s.initSign(keys.getPrivate());
      s.update(unsigned.signedBytes());
      return new Approval(approver, manifest.name(), manifest.version(), manifest.digest(), time, keyId,
          Base64.getEncoder().encodeToString(s.sign()));
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot sign with key " + keys.getPrivate().getAlgorithm() + " ("
          + e.getMessage() + "); use an Ed25519 key pair (mlops keys generate)", e);
    }
  }

  /**
   * Whether this approval was signed by a key: its key id names the key and the signature verifies.
   *
   * @param key an Ed25519 public key
   * @return true when it verifies
   */
  public boolean verifies(PublicKey key) {
    if (!keyId.equals(Ed25519Keys.keyId(key))) {
      return false;
    }
    try {
      Signature v = Signature.getInstance(ALGORITHM);
      v.initVerify(key);
      v.update(signedBytes());
      return v.verify(Base64.getDecoder().decode(signature));
    } catch (SignatureException | IllegalArgumentException e) {
      return false; // malformed signature bytes or base64: it does not verify
    } catch (GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot verify with key " + key.getAlgorithm() + " (" + e.getMessage()
          + "); use an Ed25519 public key", e);
    }
  }

  private ObjectNode body() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("formatVersion", FORMAT_VERSION);
    o.put("approver", approver);
    o.put("model", model);
    o.put("version", version);
    o.put("manifestDigest", manifestDigest);
    o.put("time", time.toString());
    o.put("keyId", keyId);
    return o;
  }

  private byte[] signedBytes() {
    return Jcs.bytes(body());
  }

  /**
   * The approval file's text.
   *
   * @return JSON
   */
  public String toJson() {
    ObjectNode o = body();
    o.put("signature", signature);
    return o.toPrettyString() + "\n";
  }

  /**
   * Reads an approval file.
   *
   * @param file the file
   * @return the approval (not verified: see {@link #verifies})
   * @throws DataFormatException naming the file, line and member when it is not an approval
   */
  public static Approval read(Path file) {
    LocatedJson in = LocatedDocuments.read(file, false, KIND).asObject();
    int v = in.intValue("formatVersion");
    if (v != FORMAT_VERSION) {
      throw in.req("formatVersion").error("approval format version " + v + " is not supported (only "
          + FORMAT_VERSION + "); upgrade mlops");
    }
    in.only("member", "formatVersion", "approver", "model", "version", "manifestDigest", "time", "keyId",
        "signature");
    Instant time = in.string("time", t -> {
      try {
        return Instant.parse(t);
      } catch (DateTimeParseException e) {
        throw new IllegalArgumentException("not an ISO-8601 instant: " + t, e);
      }
    });
    return in.build(() -> new Approval(in.string("approver"), in.string("model"), in.string("version"),
        in.string("manifestDigest"), time, in.string("keyId"), in.string("signature")));
  }
}
