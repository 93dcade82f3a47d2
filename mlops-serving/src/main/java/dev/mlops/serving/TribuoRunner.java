package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.MlopsException;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.FeatureEncoding;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InvalidClassException;
import java.io.ObjectInputFilter;
import java.io.ObjectInputStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
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
final class TribuoRunner implements ModelRunner {
  /**
   * Classes a Java-serialized Tribuo model may contain. Anything else (gadget chains, arbitrary
   * {@code Serializable}s) is rejected before it is instantiated.
   */
  static final String JAVA_FILTER = "maxdepth=64;maxrefs=10000000;maxbytes=1073741824;maxarray=100000000;"
      + "org.tribuo.**;com.oracle.labs.mlrg.olcut.**;"
      + "java.lang.Enum;java.lang.Number;java.lang.Boolean;java.lang.Integer;java.lang.Long;java.lang.Float;"
      + "java.lang.Double;java.lang.String;java.lang.Character;java.lang.Byte;java.lang.Short;"
      + "java.util.ArrayList;java.util.LinkedList;java.util.HashMap;java.util.LinkedHashMap;java.util.TreeMap;"
      + "java.util.HashSet;java.util.LinkedHashSet;java.util.TreeSet;java.util.Collections$*;java.util.ImmutableCollections$*;"
      + "java.util.CollSer;java.util.EnumMap;java.util.Optional;java.util.SplittableRandom;java.util.Random;"
      + "java.time.**;java.net.URL;java.net.URI;java.nio.file.Path;"
      + "java.util.Map$Entry;java.util.KeyValueHolder;java.util.AbstractMap$SimpleImmutableEntry;"
      // Arrays are matched by their element type; plain Object is never instantiated from a stream.
      + "java.lang.Object;!*";

  private static final ObjectInputFilter ALLOW_LIST = ObjectInputFilter.Config.createFilter(JAVA_FILTER);

  private final String source;
  private final String version;
  private final Model<?> model;
  private final Schema inputSchema;
  private final RowEncoder encoder;
  private final String[] featureNames;
  private final boolean classification;
  private final List<String> labels;

  TribuoRunner(Model<?> model, String source, String version, Schema inputSchema, List<FeatureEncoding> encoding) {
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
  static List<String> labels(Model<?> model) {
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
   * @param format {@code tribuo-protobuf}, or {@code tribuo-java} for Java serialization (filtered by
   *     {@link #JAVA_FILTER})
   * @param source model name and version, for messages
   * @return the model
   */
  static Model<?> parse(byte[] bytes, String format, String source) {
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
      try (ObjectInputStream in = new ObjectInputStream(new ByteArrayInputStream(bytes))) {
        in.setObjectInputFilter(info -> {
          ObjectInputFilter.Status s = ALLOW_LIST.checkInput(info);
          if (s == ObjectInputFilter.Status.REJECTED) {
            Class<?> c = info.serialClass();
            rejected[0] = c != null ? "class " + c.getName() : "the stream's size (depth " + info.depth() + ", references "
                + info.references() + ", bytes " + info.streamBytes() + ", array length " + info.arrayLength() + ")";
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
            + " is outside the allow-list of Tribuo, OLCUT and basic JDK classes; re-export the model in Tribuo's"
            + " protobuf format", e);
      } catch (IOException | ClassNotFoundException e) {
        throw new ModelLoadException("Cannot read Java-serialized Tribuo model " + source + ": " + e
            + "; re-export it in Tribuo's protobuf format", e);
      }
    }
    throw new ModelLoadException("Model " + source + " has format '" + format + "', which the Tribuo backend does not"
        + " read; use " + ModelFormats.TRIBUO_PROTOBUF + " or " + ModelFormats.TRIBUO_JAVA);
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
      Map<String, Double> scores = new LinkedHashMap<>();
      Map<String, ? extends Output<?>> raw = p.getOutputScores();
      boolean finite = true;
      for (String l : labels) {
        Output<?> o = raw.get(l);
        double score = o == null ? Double.NaN : ((Label) o).getScore();
        finite &= Double.isFinite(score);
        scores.put(l, score);
      }
      return Prediction.classificationOwning(version, finite ? label.getLabel() : null,
          java.util.Collections.unmodifiableMap(scores));
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
