package dev.mlops.core.manifest;

import java.util.Collections;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import java.util.function.BiFunction;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Preconditions on the values of a manifest (names, versions, formats, digests, finite numbers,
 * sorted copies of maps), shared by the manifest records, the builder and the JSON reader; each
 * throws {@link IllegalArgumentException} with a message that names the bad value.
 */
final class ManifestPreconditions {
  private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");
  private static final Pattern FORMAT = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
  private static final Pattern SHA256 = Pattern.compile("[0-9a-f]{64}");

  private ManifestPreconditions() {}

  /** A model name or version: used as a directory name in model repositories. */
  static String token(@Nullable String value, String what) {
    if (value == null) {
      throw new IllegalArgumentException(what + " must not be null");
    }
    if (!TOKEN.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 1 to 128 characters of letters, digits, '.', '_', '+'"
          + " or '-', starting with a letter or digit (it names a directory), got '" + value + "'");
    }
    return value;
  }

  static String format(@Nullable String value) {
    if (value == null) {
      throw new IllegalArgumentException("model format must not be null; use e.g. 'onnx' or 'tribuo'");
    }
    if (!FORMAT.matcher(value).matches()) {
      throw new IllegalArgumentException("model format must be 1 to 64 lower-case letters, digits, '.', '_' or '-'"
          + " (e.g. 'onnx', 'tribuo'), got '" + value + "'");
    }
    return value;
  }

  static String sha256(@Nullable String value, String what) {
    if (value == null || !SHA256.matcher(value).matches()) {
      throw new IllegalArgumentException(what + " must be 64 lower-case hex characters (SHA-256), got "
          + (value == null ? "null" : "'" + value + "'"));
    }
    return value;
  }

  static String nonEmpty(@Nullable String value, String what) {
    if (value == null || value.isEmpty()) {
      throw new IllegalArgumentException(what + " must be a non-empty string, got "
          + (value == null ? "null" : "''"));
    }
    return value;
  }

  static double finite(double value, String what) {
    if (!Double.isFinite(value)) {
      throw new IllegalArgumentException(what + " must be a finite number (JSON has no NaN or infinity), got "
          + value);
    }
    return value == 0.0 ? 0.0 : value; // -0.0 and 0.0 share one canonical form
  }

  /**
   * An unmodifiable copy sorted by key, each entry checked; null keys or values are rejected.
   *
   * @param map the input
   * @param what what the map holds, for messages
   * @param check validates one entry (throws IllegalArgumentException) and returns the value to store
   */
  static <V> Map<String, V> sortedCopy(
      Map<String, ? extends V> map, String what, BiFunction<String, V, V> check) {
    Objects.requireNonNull(map, what);
    TreeMap<String, V> copy = new TreeMap<>();
    for (Map.Entry<String, ? extends V> e : map.entrySet()) {
      String key = nonEmpty(e.getKey(), what + " key");
      V value = e.getValue();
      if (value == null) {
        throw new IllegalArgumentException(what + " '" + key + "' has a null value; omit the entry instead");
      }
      copy.put(key, check.apply(key, value));
    }
    return Collections.unmodifiableMap(copy);
  }
}
