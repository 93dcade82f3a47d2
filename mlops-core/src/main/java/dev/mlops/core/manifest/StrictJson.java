package dev.mlops.core.manifest;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Json;

/**
 * Parses manifests and signature files with duplicate member names and trailing content rejected: a
 * file that says {@code "sha256"} twice shows a person one value while a lenient parser keeps the
 * other, and text after the document is something a reviewer sees and the verifier would ignore;
 * either would let an edited manifest pass review.
 */
final class StrictJson {
  private static final ObjectReader READER =
      Json.mapper().reader().with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

  private StrictJson() {}

  static JsonNode parse(String text, String source) {
    JsonNode node;
    try {
      node = READER.readTree(text);
    } catch (JsonProcessingException e) {
      Json.parse(text, source); // throws the usual located error when the text is not well-formed JSON
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      String column = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
      if (e instanceof MismatchedInputException && String.valueOf(e.getOriginalMessage()).startsWith("Trailing token")) {
        throw new DataFormatException("content after the end of the JSON document" + column
            + "; the file holds exactly one JSON object: delete what follows it", source, line, null, e);
      }
      throw new DataFormatException("invalid JSON: " + e.getOriginalMessage() + column
          + "; each member may appear once: delete the extra one", source, line, null, e);
    }
    return node == null || node.isMissingNode() ? Json.parse(text, source) : node;
  }
}
