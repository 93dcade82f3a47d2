package dev.mlops.core.manifest;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.Json;
import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * Which canonical JSON a manifest's digest and signature cover, by format version:
 *
 * <ul>
 *   <li>format version 2 and later: RFC 8785 JCS ({@link Jcs}), so any JCS implementation recomputes
 *       the digest;
 *   <li>format version 1: the <em>v1 rule</em> ({@link CanonicalJson}, frozen: sorted keys, any JSON
 *       integer as plain digits, other numbers as the shortest round-tripping {@code BigDecimal}
 *       text such as {@code 1E-7}), kept only so that manifests and signatures written as v1 keep
 *       verifying. Nothing new is written with it.
 * </ul>
 */
final class ManifestCanonicalForm {
  private ManifestCanonicalForm() {}

  /** The canonical text of a tree under the rule of a format version. */
  static String string(int formatVersion, JsonNode tree) {
    return formatVersion == 1 ? v1Rule(tree) : Jcs.string(tree);
  }

  /** The canonical UTF-8 bytes of a tree under the rule of a format version. */
  static byte[] bytes(int formatVersion, JsonNode tree) {
    return string(formatVersion, tree).getBytes(StandardCharsets.UTF_8);
  }

  /** The format version 1 canonicalization, used for v1 manifests only. */
  private static String v1Rule(JsonNode tree) {
    return CanonicalJson.string(tree);
  }

  /**
   * A JSON document in normal form for a format version: numbers as the parser reads their
   * canonical text, so that equal documents compare equal after any round trip.
   *
   * @throws IllegalArgumentException naming the document when it has a value canonical JSON refuses
   */
  static JsonNode normalize(JsonNode value, String what, int formatVersion) {
    Objects.requireNonNull(value, what);
    String canonical;
    try {
      canonical = string(formatVersion, value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(what + ": " + e.getMessage(), e);
    }
    try {
      return Json.mapper().readTree(canonical);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("canonical JSON could not be read back: " + canonical, e);
    }
  }
}
