package dev.mlops.validation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * A JSON or YAML document parsed into a Jackson tree that remembers the line of every value by path
 * ({@code columns[3].range.min}), so that errors found after parsing can still point at the file
 * line. Duplicate keys are rejected while parsing.
 */
final class LocatedTree {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

  private final String source;
  private final JsonNode root;
  private final Map<String, Integer> lines;

  private LocatedTree(String source, JsonNode root, Map<String, Integer> lines) {
    this.source = source;
    this.root = root;
    this.lines = lines;
  }

  static LocatedTree parse(JsonFactory factory, String text, String source) {
    Map<String, Integer> lines = new HashMap<>();
    try (JsonParser p = factory.createParser(text)) {
      if (p.nextToken() == null) {
        throw new DataFormatException("the contract file is empty; expected an object with 'name' and 'columns'",
            source, -1, null);
      }
      JsonNode root = read(p, "", lines, source);
      return new LocatedTree(source, root, lines);
    } catch (JsonProcessingException e) {
      JsonLocation loc = e.getLocation();
      throw new DataFormatException("not valid " + (factory.getFormatName()) + ": " + e.getOriginalMessage()
          + (loc == null ? "" : " (column " + loc.getColumnNr() + ")") + "; fix the syntax",
          source, loc == null ? -1 : loc.getLineNr(), null, e);
    } catch (IOException e) {
      throw new DataFormatException("cannot read the contract text: " + e.getMessage(), source, -1, null, e);
    }
  }

  private static JsonNode read(JsonParser p, String path, Map<String, Integer> lines, String source)
      throws IOException {
    int line = p.currentTokenLocation().getLineNr();
    lines.put(path, line);
    JsonToken t = p.currentToken();
    switch (t) {
      case START_OBJECT: {
        ObjectNode o = NODES.objectNode();
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          String name = p.currentName();
          String child = path.isEmpty() ? name : path + "." + name;
          int keyLine = p.currentTokenLocation().getLineNr();
          if (o.has(name)) {
            throw new DataFormatException(child + ": key '" + name + "' appears twice in one object; keep one",
                source, keyLine, null);
          }
          p.nextToken();
          o.set(name, read(p, child, lines, source));
        }
        return o;
      }
      case START_ARRAY: {
        ArrayNode a = NODES.arrayNode();
        int i = 0;
        while (p.nextToken() != JsonToken.END_ARRAY) {
          a.add(read(p, path + "[" + i + "]", lines, source));
          i++;
        }
        return a;
      }
      case VALUE_STRING:
        return NODES.textNode(p.getText());
      case VALUE_NUMBER_INT:
        return NODES.numberNode(p.getLongValue());
      case VALUE_NUMBER_FLOAT:
        return NODES.numberNode(p.getDoubleValue());
      case VALUE_TRUE:
        return NODES.booleanNode(true);
      case VALUE_FALSE:
        return NODES.booleanNode(false);
      case VALUE_NULL:
        return NODES.nullNode();
      default:
        throw new DataFormatException((path.isEmpty() ? "document" : path) + ": unexpected " + t
            + "; contract files hold objects, arrays, strings, numbers and booleans only", source, line, null);
    }
  }

  JsonNode root() {
    return root;
  }

  String source() {
    return source;
  }

  /**
   * The line of a path, or of its nearest ancestor that is in the file.
   *
   * @param path e.g. {@code columns[3].range.min}
   * @return the 1-based line, or -1
   */
  int lineOf(String path) {
    String p = path;
    while (true) {
      Integer l = lines.get(p);
      if (l != null) {
        return l;
      }
      if (p.isEmpty()) {
        return -1;
      }
      int cut = Math.max(p.lastIndexOf('.'), p.lastIndexOf('['));
      p = cut < 0 ? "" : p.substring(0, cut);
    }
  }

  DataFormatException error(String path, String message) {
    return new DataFormatException((path.isEmpty() ? "" : path + ": ") + message, source, lineOf(path), null);
  }

  DataFormatException error(String path, String message, Throwable cause) {
    return new DataFormatException((path.isEmpty() ? "" : path + ": ") + message, source, lineOf(path), null, cause);
  }
}
