package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.mlops.core.DataFormatException;

/** The one configured Jackson mapper of the library, and helpers that wrap Jackson's checked errors. */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private Json() {}

  /**
   * The shared mapper. Thread-safe; do not reconfigure.
   *
   * @return the mapper
   */
  public static ObjectMapper mapper() {
    return MAPPER;
  }

  /**
   * Parses JSON text into a tree, naming the source and position on failure.
   *
   * @param text the JSON text
   * @param source what the text is, for error messages (file name, "schema", ...)
   * @return the tree
   * @throws DataFormatException with line and column when the text is not valid JSON
   */
  public static JsonNode parse(String text, String source) {
    try {
      JsonNode node = MAPPER.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new DataFormatException("empty JSON document; expected an object", source, -1, null);
      }
      return node;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      throw new DataFormatException("invalid JSON: " + e.getOriginalMessage()
          + (e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")"),
          source, line, null, e);
    }
  }

  /**
   * Pretty-prints a tree.
   *
   * @param node the tree
   * @return indented JSON text
   */
  public static String pretty(JsonNode node) {
    try {
      return MAPPER.writeValueAsString(node);
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a JSON tree could not be written", e);
    }
  }
}
