package dev.mlops.core.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Json;

/**
 * Parses manifests and signature files with duplicate member names rejected: a file that says
 * {@code "sha256"} twice shows a person one value while a lenient parser keeps the other, which
 * would let an edited manifest pass review.
 */
final class StrictJson {
  private static final ObjectReader READER =
      Json.mapper().reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

  private StrictJson() {}

  static JsonNode parse(String text, String source) {
    JsonNode node;
    try {
      node = READER.readTree(text);
    } catch (JsonProcessingException e) {
      Json.parse(text, source); // throws the usual located error when the text is not well-formed JSON
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new DataFormatException("invalid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")")
          + "; each member may appear once: delete the extra one", source, line, null, e);
    }
    return node == null || node.isMissingNode() ? Json.parse(text, source) : node;
  }
}
