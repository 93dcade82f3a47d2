package dev.mlops.serving.tribuo.internal;

import dev.mlops.core.Batch;
import dev.mlops.core.MlopsException;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.serving.Device;
import dev.mlops.serving.ModelFormats;
import dev.mlops.serving.OutputSpec;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.serving.spi.RowEncoder;
import dev.mlops.serving.tribuo.TribuoModels;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.tribuo.Example;
import org.tribuo.ImmutableOutputInfo;
import org.tribuo.Model;
import org.tribuo.Output;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.impl.ArrayExample;
import org.tribuo.protos.core.ModelProto;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;

/**
 * A Tribuo classifier or regressor behind the {@link ModelRunner} contract. Rows become Tribuo
 * examples whose feature names follow the model's feature encoding ({@code column} for numeric slots,
 * {@code column@category} for one-hot slots, with zero-valued features left out as Tribuo does).
 * Tribuo models are thread-safe for prediction.
 */
public final class TribuoRunner implements ModelRunner {
  /**
   * The exact classes a Java-serialized Tribuo 4.3 linear SGD classifier or regressor holds, found by
   * serializing such models and recording every class the stream names (TribuoJavaDeserializationTest
   * keeps the list honest). Nothing else is ever instantiated from a {@code tribuo-java} artifact:
   * gadget classes ({@code java.net.URL} of URLDNS, proxies, {@code PriorityQueue} with a comparator,
   * {@code BadAttributeValueExpException}, any class with a {@code readObject}) are refused when the
   * stream first names them, before any of their code runs. Arrays are allowed by element type:
   * {@code java.util.Map$Entry} and {@code java.lang.Object} only ever appear as the element types of
   * the arrays that {@code HashMap} and a non-empty {@code ArrayList} check before allocating them (no
   * instance of either can be read from a stream). Other Tribuo models: use the protobuf format.
   */
  public static final java.util.Set<String> JAVA_CLASSES = java.util.Set.of(
      "com.oracle.labs.mlrg.olcut.provenance.ListProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.MapProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.impl.ConfiguredObjectProvenanceImpl",
      "com.oracle.labs.mlrg.olcut.provenance.impl.SkeletalConfiguredObjectProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.primitives.BooleanProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.primitives.DateTimeProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.primitives.DoubleProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.primitives.IntProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.primitives.LongProvenance",
      "com.oracle.labs.mlrg.olcut.provenance.primitives.StringProvenance",
      "com.oracle.labs.mlrg.olcut.util.MutableDouble",
      "com.oracle.labs.mlrg.olcut.util.MutableLong",
      "com.oracle.labs.mlrg.olcut.util.MutableNumber",
      "java.lang.Double",
      "java.lang.Integer",
      "java.lang.Number",
      "java.lang.Object",
      "java.lang.String",
      "java.time.OffsetDateTime",
      "java.time.Ser",
      "java.util.ArrayList",
      "java.util.Collections$EmptyMap",
      "java.util.Collections$UnmodifiableCollection",
      "java.util.Collections$UnmodifiableList",
      "java.util.Collections$UnmodifiableMap",
      "java.util.Collections$UnmodifiableRandomAccessList",
      "java.util.Collections$UnmodifiableSet",
      "java.util.HashMap",
      "java.util.HashSet",
      "java.util.LinkedHashMap",
      "java.util.LinkedHashSet",
      "java.util.Map$Entry",
      "org.tribuo.CategoricalIDInfo",
      "org.tribuo.CategoricalInfo",
      "org.tribuo.FeatureMap",
      "org.tribuo.ImmutableFeatureMap",
      "org.tribuo.Model",
      "org.tribuo.RealIDInfo",
      "org.tribuo.RealInfo",
      "org.tribuo.SkeletalVariableInfo",
      "org.tribuo.classification.ImmutableLabelInfo",
      "org.tribuo.classification.LabelFactory$LabelFactoryProvenance",
      "org.tribuo.classification.LabelInfo",
      "org.tribuo.classification.sgd.linear.LinearSGDModel",
      "org.tribuo.common.sgd.AbstractLinearSGDModel",
      "org.tribuo.common.sgd.AbstractSGDModel",
      "org.tribuo.math.LinearParameters",
      "org.tribuo.math.la.DenseMatrix",
      "org.tribuo.math.la.Tensor",
      "org.tribuo.math.util.ExpNormalizer",
      "org.tribuo.provenance.DatasetProvenance",
      "org.tribuo.provenance.ModelProvenance",
      "org.tribuo.provenance.SimpleDataSourceProvenance",
      "org.tribuo.provenance.SkeletalTrainerProvenance",
      "org.tribuo.provenance.impl.TrainerProvenanceImpl",
      "org.tribuo.regression.ImmutableRegressionInfo",
      "org.tribuo.regression.RegressionFactory$RegressionFactoryProvenance",
      "org.tribuo.regression.RegressionInfo",
      "org.tribuo.regression.Regressor",
      "org.tribuo.regression.Regressor$DimensionTuple",
      "org.tribuo.regression.sgd.linear.LinearSGDModel");

  /**
   * Object nesting a model may reach: the models above reach 10 (a provenance inside a provenance
   * inside the model); three times that leaves room and bounds the recursion of the reader.
   */
  public static final int JAVA_MAX_DEPTH = 32;

  private final String source;
  private final String version;
  private final Model<?> model;
  private final Schema inputSchema;
  private final RowEncoder encoder;
  private final String[] featureNames;
  private final boolean classification;
  private final List<String> labels;
  private final @Nullable OutputSpec decoding;

  public TribuoRunner(Model<?> model, String source, String version, Schema inputSchema, List<FeatureEncoding> encoding) {
    this.source = source;
    this.version = version;
    this.model = model;
    this.inputSchema = inputSchema;
    if (encoding.isEmpty()) {
      throw new ModelLoadException("Model " + source + " has no feature encoding in its manifest signature; Tribuo"
          + " models take named features, so record the encoding (TribuoModels.encoding) when publishing");
    }
    this.encoder = new RowEncoder(inputSchema, encoding, source);
    List<String> names = new ArrayList<>();
    for (FeatureEncoding s : encoding) {
      names.add(TribuoModels.featureName(s));
    }
    this.featureNames = names.toArray(new String[0]);
    Object first = model.getOutputIDInfo().getDomain().iterator().next();
    this.classification = first instanceof Label;
    if (!classification && !(first instanceof Regressor)) {
      throw new ModelLoadException("Model " + source + " predicts " + first.getClass().getSimpleName()
          + "; only Tribuo classifiers (Label) and regressors (Regressor) are served");
    }
    this.labels = classification ? labels(model) : List.of();
    this.decoding = classification ? OutputSpec.classification("output", labels) : null;
    for (String f : featureNames) {
      if (model.getFeatureIDMap().get(f) == null) {
        throw new ModelLoadException("Model " + source + " does not know feature '" + f + "' of its manifest's encoding;"
            + " the manifest was written for another model");
      }
    }
  }

  /**
   * The class labels of a Tribuo classifier in output-id order, the order of its ONNX export's scores.
   *
   * @param model a classifier
   * @return the labels
   */
  public static List<String> labels(Model<?> model) {
    ImmutableOutputInfo<?> info = model.getOutputIDInfo();
    List<String> out = new ArrayList<>(info.size());
    for (int i = 0; i < info.size(); i++) {
      out.add(((Label) info.getOutput(i)).getLabel());
    }
    return out;
  }

  /**
   * Parses a Tribuo model from verified bytes.
   *
   * @param bytes the artifact, already verified
   * @param format {@code tribuo-protobuf}, or {@code tribuo-java} for Java serialization of old
   *     models (filtered by {@link #javaFilter(long)})
   * @param source model name and version, for messages
   * @return the model
   */
  public static Model<?> parse(byte[] bytes, String format, String source) {
    if (format.equals(ModelFormats.TRIBUO_PROTOBUF)) {
      try {
        return Model.deserialize(ModelProto.parseFrom(bytes));
      } catch (IOException | RuntimeException e) {
        throw new ModelLoadException("Cannot read Tribuo model " + source + " from its protobuf artifact: " + e
            + "; re-export it with Model.serializeToFile (Tribuo 4.3+)", e);
      }
    }
    if (format.equals(ModelFormats.TRIBUO_JAVA)) {
      String[] rejected = {"a class"};
      ObjectInputFilter filter = javaFilter(bytes.length);
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(info -> {
          ObjectInputFilter.Status s = filter.checkInput(info);
          if (s == ObjectInputFilter.Status.REJECTED) {
            rejected[0] = refusal(info, bytes.length);
          }
          return s;
        });
        Object o = in.readObject();
        if (!(o instanceof Model<?> m)) {
          throw new ModelLoadException("Java-serialized artifact of " + source + " holds a " + o.getClass().getName()
              + ", not a Tribuo model");
        }
        return m;
      } catch (InvalidClassException e) {
        throw new ModelLoadException("Refused to deserialize Tribuo model " + source + ": " + rejected[0]
            + "; only the classes of Tribuo's linear SGD classifiers and regressors are read from tribuo-java"
            + " artifacts. Re-export the model in Tribuo's protobuf format (tribuo-protobuf)", e);
      } catch (IOException | ClassNotFoundException | RuntimeException e) {
        throw new ModelLoadException("Cannot read Java-serialized Tribuo model " + source + ": " + e
            + "; re-export it in Tribuo's protobuf format", e);
      }
    }
    throw new ModelLoadException("Model " + source + " has format '" + format + "', which the Tribuo backend does not"
        + " read; use " + ModelFormats.TRIBUO_PROTOBUF + " or " + ModelFormats.TRIBUO_JAVA);
  }

  /**
   * The deserialization filter of a {@code tribuo-java} artifact of {@code length} bytes: only
   * {@link #JAVA_CLASSES} (and arrays of them or of primitives), at most {@link #JAVA_MAX_DEPTH}
   * levels, no more references or stream bytes than the artifact has bytes, and no array longer than
   * the bytes left in the stream could fill (checked before the array is allocated, so a few bytes
   * declaring a huge array are refused instead of exhausting the heap).
   *
   * @param length the artifact's size in bytes
   * @return the filter
   */
  public static ObjectInputFilter javaFilter(long length) {
    return info -> {
      if (info.depth() > JAVA_MAX_DEPTH || info.references() > length || info.streamBytes() > length) {
        return ObjectInputFilter.Status.REJECTED;
      }
      Class<?> c = info.serialClass();
      if (c != null && c.isArray() && info.arrayLength() >= 0
          && info.arrayLength() > (length - info.streamBytes()) / elementBytes(c.getComponentType())) {
        return ObjectInputFilter.Status.REJECTED;
      }
      if (c == null) {
        return ObjectInputFilter.Status.UNDECIDED;
      }
      while (c.isArray()) {
        c = c.getComponentType();
      }
      return c.isPrimitive() || JAVA_CLASSES.contains(c.getName()) ? ObjectInputFilter.Status.ALLOWED
          : ObjectInputFilter.Status.REJECTED;
    };
  }

  /** The fewest stream bytes one array element takes: its size for primitives, one (a null) otherwise. */
  private static long elementBytes(Class<?> component) {
    if (component == long.class || component == double.class) {
      return 8;
    }
    if (component == int.class || component == float.class) {
      return 4;
    }
    if (component == short.class || component == char.class) {
      return 2;
    }
    return 1;
  }

  private static String refusal(ObjectInputFilter.FilterInfo info, long length) {
    Class<?> c = info.serialClass();
    if (info.depth() > JAVA_MAX_DEPTH) {
      return "objects nest " + info.depth() + " deep, deeper than the " + JAVA_MAX_DEPTH + " a model needs";
    }
    if (info.references() > length || info.streamBytes() > length) {
      return "the stream declares more references (" + info.references() + ") or bytes (" + info.streamBytes()
          + ") than the " + length + " bytes of the artifact";
    }
    if (c != null && c.isArray() && info.arrayLength() >= 0) {
      Class<?> e = c.getComponentType();
      if (info.arrayLength() > (length - info.streamBytes()) / elementBytes(e)) {
        return "an array of " + info.arrayLength() + " " + e.getName() + " elements is declared with only "
            + (length - info.streamBytes()) + " bytes left in the artifact";
      }
    }
    return c == null ? "the stream's structure" : "class " + c.getName() + " is not a class of a Tribuo model";
  }

  @Override
  public Schema inputSchema() {
    return inputSchema;
  }

  @Override
  public Device device() {
    return Device.cpu();
  }

  @Override
  public void check(Row row) {
    encoder.check(row);
  }

  private Example<?> example(double[] encoded) {
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < featureNames.length; i++) {
      double v = encoded[i];
      if (v != 0) {
        names.add(featureNames[i]);
        values.add(v);
      }
    }
    double[] vs = values.stream().mapToDouble(Double::doubleValue).toArray();
    String[] ns = names.toArray(new String[0]);
    if (classification) {
      return new ArrayExample<>(LabelFactory.UNKNOWN_LABEL, ns, vs);
    }
    return new ArrayExample<>(RegressionFactory.UNKNOWN_REGRESSOR, ns, vs);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private Prediction predictOne(Example<?> example) {
    org.tribuo.Prediction<?> p;
    try {
      p = ((Model) model).predict(example);
    } catch (IllegalArgumentException | IllegalStateException | ArithmeticException e) {
      // The encoder refuses what Tribuo would refuse (NaN features), so this is the model failing.
      throw new MlopsException("Tribuo model " + source + " failed to predict: " + e.getMessage()
          + "; check the model against its manifest's feature encoding", e);
    }
    if (classification) {
      Label label = (Label) p.getOutput();
      Map<String, ? extends Output<?>> raw = p.getOutputScores();
      double[] scores = new double[labels.size()];
      for (int k = 0; k < scores.length; k++) {
        Output<?> o = raw.get(labels.get(k));
        scores[k] = o == null ? Double.NaN : ((Label) o).getScore();
      }
      OutputSpec d = java.util.Objects.requireNonNull(decoding);
      // Tribuo gives no label when no score beats the others (NaN scores from a NaN weight): decode the
      // arg-max then, which is no label at all for scores that are not finite.
      return label == null ? d.classify(version, scores) : d.classify(version, label.getLabel(), scores);
    }
    return Prediction.regression(version, ((Regressor) p.getOutput()).getValues());
  }

  @Override
  public List<Prediction> run(List<Row> rows) {
    return run(rows, false);
  }

  private List<Prediction> run(List<Row> rows, boolean ofBatch) {
    double[] encoded = new double[encoder.width()];
    List<Prediction> out = new ArrayList<>(rows.size());
    for (int i = 0; i < rows.size(); i++) {
      encoder.encode(rows.get(i), encoded, ofBatch ? i : -1);
      out.add(predictOne(example(encoded)));
    }
    return out;
  }

  @Override
  public List<Prediction> run(Batch batch) {
    List<Row> rows = batch.toRows();
    // Every row is checked before any runs, as the ONNX backend checks the whole batch it encodes.
    for (int i = 0; i < rows.size(); i++) {
      encoder.check(rows.get(i), i);
    }
    return run(rows, true);
  }

  @Override
  public void close() {
    // Tribuo models hold no native memory.
  }

  @Override
  public String toString() {
    return "TribuoRunner{" + source + ", " + (classification ? "classifier " + labels : "regressor") + ", "
        + featureNames.length + " features, inputs " + inputSchema.names() + "}";
  }
}
