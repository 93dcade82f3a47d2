package dev.mlops.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.DataFormatException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A JSON node together with its path from the document root ({@code artifacts[2].sha256}), so every
 * read error names the exact place of the bad value.
 */
final class JsonIn {
  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private final JsonNode node;
  private final String path;
  private final String source;

  private JsonIn(JsonNode node, String path, String source) {
    this.node = node;
    this.path = path;
    this.source = source;
  }

  static JsonIn root(JsonNode node, String source) {
    JsonIn in = new JsonIn(node, "", source);
    if (!node.isObject()) {
      throw in.error("expected a JSON object at the top level, got " + node.getNodeType());
    }
    return in;
  }

  JsonNode node() {
    return node;
  }

  String path() {
    return path.isEmpty() ? "$" : path;
  }

  private String childPath(String key) {
    return child(path, key);
  }

  /**
   * The path of a member: {@code a.b} for simple keys, {@code a["odd key"]} otherwise; the root is the
   * empty path.
   */
  static String child(String parentPath, String key) {
    String k = SIMPLE_KEY.matcher(key).matches() ? key : "[\"" + key.replace("\"", "\\\"") + "\"]";
    if (parentPath.isEmpty()) {
      return k.startsWith("[") ? "$" + k : k;
    }
    return k.startsWith("[") ? parentPath + k : parentPath + "." + k;
  }

  /** Rejects members other than the given ones, so typos and additions do not pass unnoticed. */
  JsonIn only(String... keys) {
    if (!node.isObject()) {
      throw error("expected an object, got " + node.getNodeType() + " " + node);
    }
    java.util.Set<String> allowed = java.util.Set.of(keys);
    for (Map.Entry<String, JsonNode> e : node.properties()) {
      if (!allowed.contains(e.getKey())) {
        throw new DataFormatException(childPath(e.getKey()) + ": unknown member; allowed here are "
            + new java.util.TreeSet<>(allowed) + " (a newer format needs a newer mlops-core)", source, -1, null);
      }
    }
    return this;
  }

  DataFormatException error(String message) {
    return new DataFormatException(path() + ": " + message, source, -1, null);
  }

  private DataFormatException error(String key, String message) {
    return new DataFormatException(childPath(key) + ": " + message, source, -1, null);
  }

  /** The child, or null when missing or JSON null. */
  @Nullable JsonIn opt(String key) {
    JsonNode child = node.get(key);
    return child == null || child.isNull() ? null : new JsonIn(child, childPath(key), source);
  }

  JsonIn req(String key) {
    JsonIn child = opt(key);
    if (child == null) {
      throw error(key, "is missing; every manifest needs it");
    }
    return child;
  }

  JsonIn object(String key) {
    JsonIn child = req(key);
    if (!child.node.isObject()) {
      throw child.error("expected an object, got " + child.node.getNodeType());
    }
    return child;
  }

  String text(String key) {
    JsonIn child = req(key);
    if (!child.node.isTextual()) {
      throw child.error("expected a string, got " + child.node.getNodeType() + " " + child.node);
    }
    return child.node.textValue();
  }

  @Nullable String optText(String key) {
    return opt(key) == null ? null : text(key);
  }

  /** A string checked by a validator that throws IllegalArgumentException. */
  <T> T text(String key, Function<String, T> check) {
    String value = text(key);
    try {
      return check.apply(value);
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(childPath(key) + ": " + e.getMessage(), source, -1, null, e);
    }
  }

  long longValue(String key) {
    JsonIn child = req(key);
    if (!child.node.isIntegralNumber() || !child.node.canConvertToLong()) {
      throw child.error("expected a whole number, got " + child.node);
    }
    return child.node.longValue();
  }

  int intValue(String key) {
    JsonIn child = req(key);
    if (!child.node.isIntegralNumber() || !child.node.canConvertToInt()) {
      throw child.error("expected a 32-bit whole number, got " + child.node);
    }
    return child.node.intValue();
  }

  double doubleValue() {
    if (!node.isNumber()) {
      throw error("expected a number, got " + node.getNodeType() + " " + node);
    }
    return node.doubleValue();
  }

  double doubleValue(String key) {
    return req(key).doubleValue();
  }

  long longValue() {
    if (!node.isIntegralNumber() || !node.canConvertToLong()) {
      throw error("expected a whole number, got " + node);
    }
    return node.longValue();
  }

  String textValue() {
    if (!node.isTextual()) {
      throw error("expected a string, got " + node.getNodeType() + " " + node);
    }
    return node.textValue();
  }

  boolean bool(String key) {
    JsonIn child = req(key);
    if (!child.node.isBoolean()) {
      throw child.error("expected true or false, got " + child.node);
    }
    return child.node.booleanValue();
  }

  /** Elements of an array member; an absent member is an empty list. */
  List<JsonIn> elements(String key) {
    JsonIn child = opt(key);
    if (child == null) {
      return List.of();
    }
    if (!child.node.isArray()) {
      throw child.error("expected an array, got " + child.node.getNodeType());
    }
    List<JsonIn> out = new ArrayList<>(child.node.size());
    for (int i = 0; i < child.node.size(); i++) {
      out.add(new JsonIn(child.node.get(i), child.path + "[" + i + "]", source));
    }
    return out;
  }

  /** Members of an object member, in document order; an absent member is an empty map. */
  Map<String, JsonIn> entries(String key) {
    JsonIn child = opt(key);
    if (child == null) {
      return Map.of();
    }
    if (!child.node.isObject()) {
      throw child.error("expected an object, got " + child.node.getNodeType());
    }
    Map<String, JsonIn> out = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : child.node.properties()) {
      out.put(e.getKey(), new JsonIn(e.getValue(), child.childPath(e.getKey()), source));
    }
    return out;
  }

  /** Runs a constructor or factory, turning its IllegalArgumentException into an error at this path. */
  <T> T build(Supplier<T> factory) {
    try {
      return factory.get();
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(path() + ": " + e.getMessage(), source, -1, null, e);
    }
  }
}
