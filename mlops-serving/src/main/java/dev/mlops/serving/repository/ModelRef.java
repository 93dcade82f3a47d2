package dev.mlops.serving.repository;

import dev.mlops.core.DataFormatException;
import java.util.Objects;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * A reference to a model in a {@link ModelRepository}: either a fixed version ({@code credit-risk/3})
 * or an alias that points at a version ({@code credit-risk@champion}).
 *
 * <p>Model names, versions and aliases are single path segments of letters, digits, {@code .},
 * {@code _} and {@code -}, starting with a letter or digit, at most 128 characters. So no reference can
 * name {@code ..}, an absolute path or a nested path, and none can escape the repository root.
 *
 * @param name the model name
 * @param version the fixed version, or {@code null} when {@code alias} is set
 * @param alias the alias, or {@code null} when {@code version} is set
 */
public record ModelRef(String name, @Nullable String version, @Nullable String alias) {
  private static final Pattern SEGMENT = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,127}");

  /**
   * Validates the components.
   *
   * @param name the model name
   * @param version the fixed version, or {@code null}
   * @param alias the alias, or {@code null}
   * @throws IllegalArgumentException when a part is not a safe name, or not exactly one of version
   *     and alias is given
   */
  public ModelRef {
    checkSegment("model name", name);
    if ((version == null) == (alias == null)) {
      throw new IllegalArgumentException("A model reference needs exactly one of a version or an alias, got version="
          + version + " alias=" + alias + "; write 'name/version' or 'name@alias'");
    }
    if (version != null) {
      checkSegment("version", version);
    }
    if (alias != null) {
      checkSegment("alias", alias);
    }
  }

  /**
   * Parses {@code name/version} or {@code name@alias}. A reference usually comes from outside the
   * program (a configuration file, a command line), so a malformed one is a
   * {@link DataFormatException}, like any other bad input; the constructor and the factories, which
   * take values from code, throw {@link IllegalArgumentException}.
   *
   * @param text the reference
   * @return the reference
   * @throws DataFormatException quoting the text and the accepted forms when it is malformed
   */
  public static ModelRef parse(String text) {
    Objects.requireNonNull(text, "text");
    int at = text.indexOf('@');
    int slash = text.indexOf('/');
    try {
      if (at >= 0 && slash < 0 && at == text.lastIndexOf('@')) {
        return new ModelRef(text.substring(0, at), null, text.substring(at + 1));
      }
      if (slash >= 0 && at < 0 && slash == text.lastIndexOf('/')) {
        return new ModelRef(text.substring(0, slash), text.substring(slash + 1), null);
      }
    } catch (IllegalArgumentException e) {
      throw new DataFormatException(String.valueOf(e.getMessage()), e);
    }
    throw new DataFormatException("Cannot parse model reference '" + printable(text)
        + "'; write 'name/version' (e.g. credit-risk/3) or 'name@alias' (e.g. credit-risk@champion)");
  }

  /**
   * A reference to a fixed version.
   *
   * @param name the model name
   * @param version the version
   * @return the reference
   */
  public static ModelRef ofVersion(String name, String version) {
    return new ModelRef(name, version, null);
  }

  /**
   * A reference to an alias.
   *
   * @param name the model name
   * @param alias the alias
   * @return the reference
   */
  public static ModelRef ofAlias(String name, String alias) {
    return new ModelRef(name, null, alias);
  }

  /**
   * Whether this reference names an alias.
   *
   * @return true for {@code name@alias}
   */
  public boolean isAlias() {
    return alias != null;
  }

  /**
   * Checks that a name is one safe path segment.
   *
   * @param what what the name is, for the message
   * @param value the name
   * @return the name
   * @throws IllegalArgumentException naming the value and the rule when it is not safe
   */
  public static String checkSegment(String what, @Nullable String value) {
    if (value == null || !SEGMENT.matcher(value).matches()) {
      throw new IllegalArgumentException("Invalid " + what + " '" + (value == null ? null : printable(value))
          + "': use 1 to 128 letters, digits, '.', '_', '+' or '-', starting with a letter or digit (no '/', no '..',"
          + " no absolute paths)");
    }
    return value;
  }

  /**
   * Text from outside as it may appear in a message or a log line: control characters escaped (a
   * newline in a reference must not forge a log line) and at most 200 characters kept.
   *
   * @param text the text
   * @return the printable form
   */
  public static String printable(String text) {
    StringBuilder b = new StringBuilder();
    int n = Math.min(text.length(), 200);
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      switch (c) {
        case '\n' -> b.append("\\n");
        case '\r' -> b.append("\\r");
        case '\t' -> b.append("\\t");
        default -> {
          if (Character.isISOControl(c) || Character.getType(c) == Character.FORMAT
              || Character.getType(c) == Character.LINE_SEPARATOR
              || Character.getType(c) == Character.PARAGRAPH_SEPARATOR) {
            b.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
          } else {
            b.append(c);
          }
        }
      }
    }
    return text.length() > n ? b.append("... (").append(text.length()).append(" characters)").toString()
        : b.toString();
  }

  /** The text form, accepted by {@link #parse(String)}. */
  @Override
  public String toString() {
    return alias != null ? name + "@" + alias : name + "/" + version;
  }
}
