package dev.mlops.core.manifest;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.internal.CanonicalJson;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.TreeSet;
import org.jspecify.annotations.Nullable;

/**
 * The differences between two manifests, as JSON paths with both values, in the spirit of Tribuo's
 * {@code ReproUtil.diffProvenance}: what changed between two trainings (data, seeds, parameters,
 * environment, metrics, files). Objects are compared member by member, arrays index by index,
 * values by their canonical JSON text (so {@code 1} and {@code 1.0} are the same).
 *
 * @param differences every differing path, members in sorted key order, array elements by index
 */
public record ManifestDiff(List<Difference> differences) {

  /**
   * One differing path.
   *
   * @param path the JSON path, e.g. {@code artifacts[0].sha256} or {@code metrics.auc}
   * @param left the left value as canonical JSON text, or null when absent on the left
   * @param right the right value as canonical JSON text, or null when absent on the right
   */
  public record Difference(String path, @Nullable String left, @Nullable String right) {
    /**
     * Validates the path.
     *
     * @param path the JSON path
     * @param left the left value or null
     * @param right the right value or null
     */
    public Difference {
      Objects.requireNonNull(path, "path");
    }

    @Override
    public String toString() {
      return path + ": " + (left == null ? "(absent)" : left) + " -> " + (right == null ? "(absent)" : right);
    }
  }

  /**
   * Copies the differences.
   *
   * @param differences the differences
   */
  public ManifestDiff {
    differences = List.copyOf(differences);
  }

  /**
   * The differences between two manifests.
   *
   * @param left the first manifest
   * @param right the second manifest
   * @return the diff, empty when they are equal
   */
  public static ManifestDiff between(ModelManifest left, ModelManifest right) {
    List<Difference> out = new ArrayList<>();
    diff("", left.tree(), right.tree(), out);
    return new ManifestDiff(out);
  }

  private static void diff(String path, @Nullable JsonNode a, @Nullable JsonNode b, List<Difference> out) {
    if (a != null && b != null && a.isObject() && b.isObject()) {
      TreeSet<String> keys = new TreeSet<>();
      a.fieldNames().forEachRemaining(keys::add);
      b.fieldNames().forEachRemaining(keys::add);
      for (String k : keys) {
        diff(ManifestWording.child(path, k), a.get(k), b.get(k), out);
      }
    } else if (a != null && b != null && a.isArray() && b.isArray()) {
      for (int i = 0; i < Math.max(a.size(), b.size()); i++) {
        diff(path + "[" + i + "]", a.get(i), b.get(i), out);
      }
    } else {
      String left = a == null ? null : CanonicalJson.string(a);
      String right = b == null ? null : CanonicalJson.string(b);
      if (!Objects.equals(left, right)) {
        out.add(new Difference(path.isEmpty() ? "$" : path, left, right));
      }
    }
  }

  /**
   * Whether the manifests are the same.
   *
   * @return true when nothing differs
   */
  public boolean isEmpty() {
    return differences.isEmpty();
  }

  /**
   * The differing paths.
   *
   * @return the paths, in order
   */
  public List<String> paths() {
    return differences.stream().map(Difference::path).toList();
  }

  /**
   * One line per difference, {@code path: left -> right}.
   *
   * @return the text, or {@code no differences}
   */
  @Override
  public String toString() {
    if (differences.isEmpty()) {
      return "no differences";
    }
    StringBuilder sb = new StringBuilder();
    for (Difference d : differences) {
      sb.append(sb.length() == 0 ? "" : "\n").append(d);
    }
    return sb.toString();
  }
}
