package dev.mlops.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.BooleanNode;
import com.fasterxml.jackson.databind.node.DoubleNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.LongNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import dev.mlops.core.internal.Jcs;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The plain values a hyper-parameter may hold, and their JSON form. A value is a {@link String}, a
 * {@link Boolean}, a {@link Long}, a {@link Double}, an unmodifiable {@link List} of values, or an
 * unmodifiable {@link Map} from {@link String} to values (sorted by key). On entry {@link Integer},
 * {@link Short} and {@link Byte} become {@code Long}, {@link Float} becomes {@code Double}, and a
 * {@code Double} that is a whole number of magnitude at most 2<sup>53</sup>&minus;1 becomes a
 * {@code Long}, so {@code 20}, {@code 20L} and {@code 20.0} are one value, as they are in JSON.
 * Doubles must be finite ({@code -0.0} becomes {@code 0.0}); nulls are refused (omit the entry).
 * From format version 2, a {@code Long} must lie within &plusmn;(2<sup>53</sup>&minus;1), the range
 * canonical JSON carries exactly; larger whole numbers belong in strings.
 */
final class HyperParameterValues {
  private HyperParameterValues() {}

  /**
   * The normal, immutable form of a value.
   *
   * @param value the value as given
   * @param what names the value in messages, e.g. {@code hyper-parameter 'layers'}
   * @param formatVersion the manifest format version it belongs to
   * @throws IllegalArgumentException naming the value and what to use instead
   */
  static Object copyOf(@Nullable Object value, String what, int formatVersion) {
    if (value == null) {
      throw new IllegalArgumentException(what + " is null; omit the entry instead (a hyper-parameter needs a value)");
    }
    if (value instanceof String || value instanceof Boolean) {
      return value;
    }
    if (value instanceof Long || value instanceof Integer || value instanceof Short || value instanceof Byte) {
      long v = ((Number) value).longValue();
      if (formatVersion >= 2 && !Jcs.isSafeInteger(v)) {
        throw new IllegalArgumentException(what + " is " + v + ", beyond +/-" + Jcs.MAX_SAFE_INTEGER
            + " (2^53 - 1), which canonical JSON cannot carry exactly; pass it as a string");
      }
      return v;
    }
    if (value instanceof Double || value instanceof Float) {
      double v = ManifestPreconditions.finite(((Number) value).doubleValue(), what);
      if (v == Math.rint(v) && Math.abs(v) <= Jcs.MAX_SAFE_INTEGER) {
        return (long) v;
      }
      return v;
    }
    if (value instanceof List<?> list) {
      List<Object> out = new ArrayList<>(list.size());
      for (int i = 0; i < list.size(); i++) {
        out.add(copyOf(list.get(i), what + "[" + i + "]", formatVersion));
      }
      return Collections.unmodifiableList(out);
    }
    if (value instanceof Map<?, ?> map) {
      TreeMap<String, Object> out = new TreeMap<>();
      for (Map.Entry<?, ?> e : map.entrySet()) {
        if (!(e.getKey() instanceof String key)) {
          throw new IllegalArgumentException(what + " has a key " + e.getKey() + " that is not a String;"
              + " JSON object keys are strings");
        }
        out.put(key, copyOf(e.getValue(), what + "." + key, formatVersion));
      }
      return Collections.unmodifiableMap(out);
    }
    throw new IllegalArgumentException(what + " is a " + value.getClass().getName() + "; a hyper-parameter holds"
        + " a String, Boolean, Long (or Integer), Double (or Float), List or Map<String, ?> of those");
  }

  /** The JSON tree of a value in normal form. */
  static JsonNode toNode(Object value) {
    if (value instanceof String s) {
      return TextNode.valueOf(s);
    }
    if (value instanceof Boolean b) {
      return BooleanNode.valueOf(b);
    }
    if (value instanceof Long l) {
      return LongNode.valueOf(l);
    }
    if (value instanceof Double d) {
      return DoubleNode.valueOf(d);
    }
    if (value instanceof List<?> list) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode(list.size());
      list.forEach(v -> a.add(toNode(v)));
      return a;
    }
    ObjectNode o = JsonNodeFactory.instance.objectNode();
    ((Map<?, ?>) value).forEach((k, v) -> o.set((String) k, toNode(v)));
    return o;
  }

  /**
   * The value a JSON tree holds, in normal form.
   *
   * @throws IllegalArgumentException for null, and for a whole number that neither a long nor,
   *     beyond 2^53, the double written with the same digits represents
   */
  static Object fromNode(JsonNode node, String what, int formatVersion) {
    return switch (node.getNodeType()) {
      case STRING -> node.textValue();
      case BOOLEAN -> node.booleanValue();
      case NUMBER -> number(node, what, formatVersion);
      case ARRAY -> {
        List<Object> out = new ArrayList<>(node.size());
        for (int i = 0; i < node.size(); i++) {
          out.add(fromNode(node.get(i), what + "[" + i + "]", formatVersion));
        }
        yield copyOf(out, what, formatVersion);
      }
      case OBJECT -> {
        TreeMap<String, Object> out = new TreeMap<>();
        node.properties().forEach(e -> out.put(e.getKey(), fromNode(e.getValue(), what + "." + e.getKey(),
            formatVersion)));
        yield copyOf(out, what, formatVersion);
      }
      default -> throw new IllegalArgumentException(what + " is " + node.getNodeType().toString().toLowerCase(
          java.util.Locale.ROOT) + "; a hyper-parameter holds a string, boolean, number, array or object");
    };
  }

  private static Object number(JsonNode node, String what, int formatVersion) {
    if (!node.isIntegralNumber()) {
      return copyOf(node.doubleValue(), what, formatVersion);
    }
    BigInteger v = node.bigIntegerValue();
    boolean safe = v.abs().compareTo(BigInteger.valueOf(formatVersion >= 2 ? Jcs.MAX_SAFE_INTEGER : Long.MAX_VALUE))
        <= 0;
    if (safe && v.bitLength() < Long.SIZE) {
      return v.longValueExact();
    }
    double d = v.doubleValue();
    if (Double.isFinite(d) && Jcs.number(d).equals(v.toString())) {
      return d; // a double beyond 2^53 in its canonical form, e.g. 100000000000000000000
    }
    throw new IllegalArgumentException(what + " is " + v + ", a whole number beyond +/-"
        + (formatVersion >= 2 ? Jcs.MAX_SAFE_INTEGER : Long.MAX_VALUE)
        + " that JSON numbers do not carry exactly; write it as a string");
  }
}
