package dev.mlops.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The tree walk that {@link Jcs} and {@link CanonicalJson} share: no whitespace, object members sorted
 * by {@link String#compareTo} (UTF-16 code units), arrays in order, {@code true}, {@code false},
 * {@code null}. How numbers and strings are written is each rule's own.
 */
abstract class CanonicalTreeWriter {
  /** Appends the canonical form of a number node. */
  abstract void number(JsonNode node, StringBuilder sb);

  /** Appends the canonical form of a string, quotes included. */
  abstract void string(String s, StringBuilder sb);

  /**
   * Appends the escape of a character that JSON strings must escape (quote, backslash, and the
   * controls below U+0020: {@code \b \f \n \r \t} in short form, the others as a lower-case
   * six-character {@code \\u00xx} escape), the same in both rules.
   *
   * @return whether the character was one of those (and was appended); otherwise nothing is appended
   */
  static boolean appendEscape(char c, StringBuilder sb) {
    switch (c) {
      case '"' -> sb.append("\\\"");
      case '\\' -> sb.append("\\\\");
      case '\b' -> sb.append("\\b");
      case '\f' -> sb.append("\\f");
      case '\n' -> sb.append("\\n");
      case '\r' -> sb.append("\\r");
      case '\t' -> sb.append("\\t");
      default -> {
        if (c >= 0x20) {
          return false;
        }
        sb.append("\\u00").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 0xf, 16));
      }
    }
    return true;
  }

  /** The canonical text of a tree. */
  final String write(JsonNode root) {
    StringBuilder sb = new StringBuilder(256);
    write(root, sb);
    return sb.toString();
  }

  private void write(JsonNode node, StringBuilder sb) {
    switch (node.getNodeType()) {
      case OBJECT -> {
        List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(node.properties());
        entries.sort(Map.Entry.comparingByKey());
        sb.append('{');
        for (int i = 0; i < entries.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          string(entries.get(i).getKey(), sb);
          sb.append(':');
          write(entries.get(i).getValue(), sb);
        }
        sb.append('}');
      }
      case ARRAY -> {
        sb.append('[');
        for (int i = 0; i < node.size(); i++) {
          if (i > 0) {
            sb.append(',');
          }
          write(node.get(i), sb);
        }
        sb.append(']');
      }
      case STRING -> string(node.textValue(), sb);
      case NUMBER -> number(node, sb);
      case BOOLEAN -> sb.append(node.booleanValue());
      case NULL -> sb.append("null");
      default -> throw new IllegalArgumentException(
          "Cannot canonicalize JSON node of type " + node.getNodeType() + "; only plain JSON values are allowed");
    }
  }
}
