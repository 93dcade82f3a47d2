package dev.mlops.serving.tribuo;

import dev.mlops.core.ModelLoadException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.serving.tribuo.internal.TribuoRunner;
import java.util.ArrayList;
import java.util.List;
import org.tribuo.ImmutableFeatureMap;
import org.tribuo.Model;
import org.tribuo.ONNXExportable;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.oracle.labs.mlrg.olcut.provenance.ProvenanceUtil;
import com.oracle.labs.mlrg.olcut.provenance.io.FlatMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.ListMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.MapMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.ObjectMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.provenance.io.SimpleMarshalledProvenance;
import com.oracle.labs.mlrg.olcut.util.Pair;

/**
 * Bridges Tribuo models to serving: the feature encoding and labels a manifest records for them, and
 * their ONNX and protobuf bytes. Features are named as Tribuo's row processors and the serving encoder
 * name them: {@code column} for numeric columns, {@code column@category} for one-hot categories.
 */
public final class TribuoModels {
  /** The input name of Tribuo's ONNX exports. */
  public static final String ONNX_INPUT = "input";
  /** The output name of Tribuo's ONNX exports. */
  public static final String ONNX_OUTPUT = "output";
  /** Tribuo's separator between a column and its category in one-hot feature names. */
  public static final String SEPARATOR = "@";

  private TribuoModels() {}

  /**
   * The feature encoding of a Tribuo model: its features in feature-id order, the column order of its
   * ONNX export's input.
   *
   * @param model the model
   * @param schema the input schema the features come from
   * @return the encoding
   * @throws dev.mlops.core.SchemaMismatchException naming a feature that matches no column
   */
  public static List<FeatureEncoding> encoding(Model<?> model, Schema schema) {
    ImmutableFeatureMap map = model.getFeatureIDMap();
    List<FeatureEncoding> out = new ArrayList<>(map.size());
    for (int i = 0; i < map.size(); i++) {
      out.add(slot(schema, map.get(i).getName()));
    }
    return out;
  }

  private static FeatureEncoding slot(Schema schema, String feature) {
    Field field = schema.findField(feature).orElse(null);
    if (field != null && (field.type().isNumeric() || field.type().kind() == DataType.Kind.BOOLEAN)) {
      return FeatureEncoding.numeric(feature);
    }
    for (int cut = feature.indexOf(SEPARATOR); cut >= 0; cut = feature.indexOf(SEPARATOR, cut + 1)) {
      Field f = schema.findField(feature.substring(0, cut)).orElse(null);
      if (f != null && f.type().kind() == DataType.Kind.STRING) {
        return FeatureEncoding.oneHot(f.name(), feature.substring(cut + SEPARATOR.length()));
      }
    }
    throw new SchemaMismatchException("Tribuo feature '" + feature + "' matches no numeric column and no string column"
        + " followed by '" + SEPARATOR + "' in " + schema.names() + "; train and serve with the same schema");
  }

  /**
   * The Tribuo feature name of an encoding slot: the column for numeric and standardized slots,
   * {@code column@category} for one-hot slots, {@code column@missing} for missing indicators.
   *
   * @param slot the slot
   * @return the feature name
   */
  public static String featureName(FeatureEncoding slot) {
    if (slot instanceof FeatureEncoding.OneHot o) {
      return o.column() + SEPARATOR + o.category();
    }
    if (slot instanceof FeatureEncoding.MissingIndicator) {
      return slot.column() + SEPARATOR + "missing";
    }
    return slot.column();
  }

  /**
   * The class labels of a classifier in score order.
   *
   * @param model a Tribuo classifier
   * @return the labels
   */
  public static List<String> labels(Model<?> model) {
    return TribuoRunner.labels(model);
  }

  /**
   * Exports a model to ONNX with Tribuo's exporter.
   *
   * @param model a model that implements {@link ONNXExportable}
   * @param domain the ONNX model domain (reverse DNS of the owner)
   * @param modelVersion the ONNX model version
   * @return the ONNX bytes
   * @throws ModelLoadException when the model cannot be exported
   */
  public static byte[] toOnnx(Model<?> model, String domain, long modelVersion) {
    if (!(model instanceof ONNXExportable e)) {
      throw new ModelLoadException("Tribuo model " + model.getClass().getSimpleName() + " cannot be exported to ONNX;"
          + " serve it with the Tribuo backend, or train a model that implements ONNXExportable");
    }
    return e.exportONNXModel(domain, modelVersion).toByteArray();
  }

  /**
   * A model in Tribuo's protobuf format, the format the Tribuo backend prefers.
   *
   * @param model the model
   * @return the bytes
   */
  public static byte[] toProtobuf(Model<?> model) {
    return model.serialize().toByteArray();
  }

  /**
   * A model's Tribuo provenance (trainer, hyper-parameters, data source, seeds, host) as a JSON
   * document (pass its {@code toString()} to {@code ModelManifestBuilder.provenance}): OLCUT's marshalled form, one object per
   * provenance object with its class names and a map of flat entries.
   *
   * @param model the model
   * @return the JSON document {@code {"tribuoVersion": ..., "objects": [...]}}
   */
  public static String provenance(Model<?> model) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("tribuoVersion", org.tribuo.Tribuo.VERSION);
    ArrayNode objects = root.putArray("objects");
    for (ObjectMarshalledProvenance o : ProvenanceUtil.marshalProvenance(model.getProvenance())) {
      ObjectNode n = objects.addObject();
      n.put("name", o.getName());
      n.put("objectClassName", o.getObjectClassName());
      n.put("provenanceClassName", o.getProvenanceClassName());
      ObjectNode map = n.putObject("map");
      o.getMap().forEach((k, v) -> map.set(k, flat(v)));
    }
    return root.toString();
  }

  private static com.fasterxml.jackson.databind.JsonNode flat(FlatMarshalledProvenance p) {
    if (p instanceof SimpleMarshalledProvenance s) {
      ObjectNode n = JsonNodeFactory.instance.objectNode();
      n.put("key", s.getKey());
      n.put("value", s.getValue());
      n.put("provenanceClassName", s.getProvenanceClassName());
      n.put("additional", s.getAdditional());
      return n;
    }
    if (p instanceof ListMarshalledProvenance l) {
      ArrayNode a = JsonNodeFactory.instance.arrayNode();
      l.getList().forEach(e -> a.add(flat(e)));
      return a;
    }
    ObjectNode n = JsonNodeFactory.instance.objectNode();
    for (Pair<String, FlatMarshalledProvenance> e : (MapMarshalledProvenance) p) {
      n.set(e.getA(), flat(e.getB()));
    }
    return n;
  }
}
