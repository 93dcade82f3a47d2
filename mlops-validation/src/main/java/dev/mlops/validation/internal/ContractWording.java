package dev.mlops.validation.internal;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.core.internal.Printable;
import java.util.Locale;
import java.util.SortedSet;

/**
 * How contract files word read errors: paths such as {@code columns[3].range.min} (a key is joined
 * with a dot as written), nothing before a message about the root, and every message made printable,
 * since keys and values come from the file.
 */
enum ContractWording implements LocatedJson.Wording {
  /** The one instance. */
  INSTANCE;

  @Override
  public String member(String parent, String key) {
    return parent.isEmpty() ? key : parent + "." + key;
  }

  @Override
  public String message(String path, String text) {
    return Printable.of((path.isEmpty() ? "" : path + ": ") + text);
  }

  @Override
  public String missing(String key) {
    return "'" + key + "' is required";
  }

  @Override
  public String mismatch(LocatedJson.Want want, JsonNode actual) {
    boolean whole = want == LocatedJson.Want.WHOLE_NUMBER || want == LocatedJson.Want.INT;
    if (whole && actual.isIntegralNumber()) {
      return actual.canConvertToLong() ? "value " + actual.longValue() + " is out of the int range"
          : "whole number " + actual.asText() + " is outside the int64 range";
    }
    String wanted = switch (want) {
      case WHOLE_NUMBER, INT -> "a whole number";
      case OBJECT, MEMBERS -> "an object ({} for defaults)";
      default -> want.phrase();
    };
    return "expected " + wanted + ", got " + describe(actual);
  }

  @Override
  public String unknown(String key, SortedSet<String> allowed, String what) {
    return "unknown " + what + " '" + key + "'; allowed: " + String.join(", ", allowed);
  }

  /**
   * A value as messages show it: its JSON type in lower case, then the value itself unless it is an
   * array or object ({@code string "zero"}, {@code number 2.5}, {@code array}).
   *
   * @param v the value
   * @return the description
   */
  static String describe(JsonNode v) {
    String type = switch (v.getNodeType()) {
      case STRING -> "string";
      case NUMBER -> "number";
      case BOOLEAN -> "boolean";
      case ARRAY -> "array";
      case OBJECT -> "object";
      case NULL -> "null";
      default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
    };
    String shown = v.isContainerNode() ? "" : " " + v.toString();
    return type + shown;
  }
}
