package dev.mlops.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.internal.LocatedJson;
import java.util.SortedSet;
import java.util.regex.Pattern;

/**
 * How manifest and signature files word read errors: paths such as {@code artifacts[2].sha256} and
 * {@code tags["odd key"]}, the root as {@code $}, every message prefixed by its path. Their parser
 * records no lines, so errors carry none.
 */
enum ManifestWording implements LocatedJson.Wording {
  /** The one instance. */
  INSTANCE;

  /** What {@link LocatedJson#only} calls a member in these files. */
  static final String MEMBER = "member";

  private static final Pattern SIMPLE_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  /**
   * The root of a manifest or signature document, which must be an object.
   *
   * @param node the parsed tree
   * @param source the file name, for messages
   * @return the root
   */
  static LocatedJson root(JsonNode node, String source) {
    LocatedJson in = LocatedJson.root(node, source, INSTANCE);
    if (!node.isObject()) {
      throw in.error("expected a JSON object at the top level, got " + node.getNodeType());
    }
    return in;
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

  @Override
  public String member(String parent, String key) {
    return child(parent, key);
  }

  @Override
  public String message(String path, String text) {
    return (path.isEmpty() ? "$" : path) + ": " + text;
  }

  @Override
  public String missing(String key) {
    return "is missing; every manifest needs it";
  }

  @Override
  public String mismatch(LocatedJson.Want want, JsonNode actual) {
    String shown = switch (want) {
      case STRING, NUMBER, MEMBERS -> actual.getNodeType() + " " + actual;
      case WHOLE_NUMBER, INT, BOOLEAN -> actual.toString();
      case ARRAY, OBJECT -> actual.getNodeType().toString();
    };
    return "expected " + want.phrase() + ", got " + shown;
  }

  @Override
  public String unknown(String key, SortedSet<String> allowed, String what) {
    return "unknown " + what + "; allowed here are " + allowed + " (a newer format needs a newer mlops-core)";
  }
}
