package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.core.internal.Json;
import dev.mlops.core.manifest.ModelManifest;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The manifest tags that tell serving how to decode a model's output, so the decoding is recorded and
 * verified with the model instead of configured beside it:
 * <ul>
 *   <li>{@value #TASK}: {@code classification}, {@code regression} or {@code raw} (the default);
 *   <li>{@value #OUTPUT}: the output tensor read for classification and regression;
 *   <li>{@value #LABELS}: the class labels in score order, as a JSON array.
 * </ul>
 * Apply them with {@code tags.forEach(manifestBuilder::tag)}.
 */
public final class ServingTags {
  /** Tag naming the task. */
  public static final String TASK = "serving.task";
  /** Tag naming the output tensor. */
  public static final String OUTPUT = "serving.output";
  /** Tag holding the labels as a JSON array. */
  public static final String LABELS = "serving.labels";

  private ServingTags() {}

  /**
   * Tags for a classifier whose output tensor holds one score per label.
   *
   * @param output the output tensor name
   * @param labels the labels in score order
   * @return the tags
   */
  public static Map<String, String> classification(String output, List<String> labels) {
    if (labels.isEmpty()) {
      throw new IllegalArgumentException("A classifier needs at least one label");
    }
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    labels.forEach(arr::add);
    return Map.of(TASK, "classification", OUTPUT, output, LABELS, CanonicalJson.string(arr));
  }

  /**
   * Tags for a regressor.
   *
   * @param output the output tensor name ([batch] or [batch, targets])
   * @return the tags
   */
  public static Map<String, String> regression(String output) {
    return Map.of(TASK, "regression", OUTPUT, output);
  }

  /**
   * Tags for a generic model whose outputs are returned as raw tensors.
   *
   * @return the tags
   */
  public static Map<String, String> raw() {
    return Map.of(TASK, "raw");
  }

  static OutputSpec outputSpec(ModelManifest m) {
    Map<String, String> tags = m.tags();
    String task = tags.getOrDefault(TASK, "raw");
    String where = "manifest of " + m.name() + "/" + m.version();
    switch (task) {
      case "raw":
        return OutputSpec.raw();
      case "regression":
        return OutputSpec.regression(required(tags, OUTPUT, where));
      case "classification": {
        String output = required(tags, OUTPUT, where);
        JsonNode arr = Json.parse(required(tags, LABELS, where), where + " tag " + LABELS);
        List<String> labels = new ArrayList<>();
        for (JsonNode n : arr) {
          labels.add(n.asText());
        }
        if (!arr.isArray() || labels.isEmpty()) {
          throw new DataFormatException(where + ": tag " + LABELS + " must be a non-empty JSON array of labels");
        }
        try {
          return OutputSpec.classification(output, labels);
        } catch (IllegalArgumentException e) {
          throw new DataFormatException(where + ": tag " + LABELS + ": " + e.getMessage());
        }
      }
      default:
        throw new DataFormatException(where + ": tag " + TASK + " is '" + task
            + "'; use classification, regression or raw");
    }
  }

  private static String required(Map<String, String> tags, String key, String where) {
    String v = tags.get(key);
    if (v == null) {
      throw new DataFormatException(where + " lacks the tag " + key + "; publish with ServingTags");
    }
    return v;
  }
}
