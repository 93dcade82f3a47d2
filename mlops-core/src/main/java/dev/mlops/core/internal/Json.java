package dev.mlops.core.internal;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import java.util.Map;

/**
 * The one configured Jackson mapper of the library, and helpers that wrap Jackson's checked errors.
 *
 * <p>{@link #parse} is strict: a member named twice and content after the document are errors. A
 * file that says {@code "sha256"} twice shows a person one value while a lenient parser keeps the
 * other, and text after the document is something a reviewer sees and a reader would ignore; either
 * would let an edited manifest, schema or signature pass review.
 */
public final class Json {
  private static final ObjectMapper MAPPER = JsonMapper.builder()
      .enable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .enable(SerializationFeature.INDENT_OUTPUT)
      .build();

  private static final ObjectReader STRICT = MAPPER.reader()
      .with(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
      .with(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);

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
   * Parses exactly one JSON document into a tree, naming the source and position on failure.
   *
   * @param text the JSON text
   * @param source what the text is, for error messages (file name, "schema", ...)
   * @return the tree
   * @throws DataFormatException with line and column when the text is not valid JSON, names a member
   *     twice in one object, or holds anything but whitespace after the document
   */
  public static JsonNode parse(String text, String source) {
    try {
      JsonNode node = STRICT.readTree(text);
      if (node == null || node.isMissingNode()) {
        throw new DataFormatException("empty JSON document; expected an object", source, -1, null);
      }
      requireUnicode(node, "$", source);
      return node;
    } catch (JsonProcessingException e) {
      long line = e.getLocation() == null ? -1 : e.getLocation().getLineNr();
      String column = e.getLocation() == null ? "" : " (column " + e.getLocation().getColumnNr() + ")";
      String original = String.valueOf(e.getOriginalMessage());
      if (e instanceof MismatchedInputException && original.startsWith("Trailing token")) {
        throw new DataFormatException("content after the end of the JSON document" + column
            + "; the text holds exactly one JSON value: delete what follows it", source, line, null, e);
      }
      String fix = original.startsWith("Duplicate field") ? "; each member may appear once: delete the extra one" : "";
      throw new DataFormatException("invalid JSON: " + Printable.of(original) + column + fix, source, line, null, e);
    }
  }

  /**
   * Refuses a string or member name holding a lone surrogate, which JSON's {@code \\u} escapes can
   * spell but which is not Unicode text: it has no UTF-8 form, so nothing could write, sign or
   * canonicalize it later (RFC 8785 refuses it too), and two readers may repair it differently.
   */
  /**
   * Refuses a document any of whose strings or member names holds a lone surrogate; {@link #parse}
   * applies it, and readers that parse with their own Jackson parser (contracts) call it.
   *
   * @param node the parsed document
   * @param source the file name, for the message
   * @throws DataFormatException naming where the lone surrogate is
   */
  public static void requireUnicode(JsonNode node, String source) {
    requireUnicode(node, "$", source);
  }

  private static void requireUnicode(JsonNode node, String path, String source) {
    if (node.isTextual()) {
      requireUnicode(node.textValue(), path, source);
    } else if (node.isArray()) {
      for (int i = 0; i < node.size(); i++) {
        requireUnicode(node.get(i), path + "[" + i + "]", source);
      }
    } else if (node.isObject()) {
      for (Map.Entry<String, JsonNode> e : node.properties()) {
        requireUnicode(e.getKey(), path + " (a member name)", source);
        requireUnicode(e.getValue(), path + "." + Printable.of(e.getKey()), source);
      }
    }
  }

  private static void requireUnicode(String text, String path, String source) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (Character.isHighSurrogate(c) && i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
        i++;
      } else if (Character.isSurrogate(c)) {
        throw new DataFormatException(String.format(java.util.Locale.ROOT, "the string at %s holds a lone surrogate"
            + " U+%04X (an unpaired \\u escape), which is not Unicode text; write the character itself, or a"
            + " surrogate pair", path, (int) c), source, -1, null);
      }
    }
  }

  /**
   * Puts a number, or null when it is NaN or infinite (JSON has no such numbers).
   *
   * @param o the object
   * @param key the member name
   * @param v the value
   */
  public static void putFinite(ObjectNode o, String key, double v) {
    if (Double.isFinite(v)) {
      o.put(key, v);
    } else {
      o.putNull(key);
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
