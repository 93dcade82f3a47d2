package dev.mlops.test.inmemory;

import dev.mlops.core.Batch;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ModelSignature;
import dev.mlops.serving.Device;
import dev.mlops.serving.OutputSpec;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.spi.LoadContext;
import dev.mlops.serving.spi.ModelBackend;
import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.serving.spi.RowEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * A backend written only against {@code dev.mlops.serving.spi}, as a third party would: a two-class
 * logistic model stored as one line of text, {@code bias w1 w2 ...}, of format
 * {@value #FORMAT}. Registered for {@link java.util.ServiceLoader} in this module's test resources.
 */
public final class LogisticTextBackend implements ModelBackend {
  /** The format it serves. */
  public static final String FORMAT = "logistic-text";

  @Override
  public Set<String> formats() {
    return Set.of(FORMAT);
  }

  @Override
  public String name() {
    return "logistic text (mlops-test's tests)";
  }

  @Override
  public ModelRunner load(LoadContext context) {
    ModelSignature sig = context.manifest().modelSignature();
    RowEncoder encoder = new RowEncoder(sig.inputs(), sig.encoding(), context.source());
    String[] parts = new String(context.model().primaryArtifact(), StandardCharsets.UTF_8).trim().split("\\s+");
    if (parts.length != encoder.width() + 1) {
      throw new ModelLoadException("Model " + context.source() + " holds " + parts.length + " numbers; its encoding"
          + " needs a bias and " + encoder.width() + " weights");
    }
    double[] w = new double[parts.length];
    for (int i = 0; i < parts.length; i++) {
      w[i] = Double.parseDouble(parts[i]);
    }
    return new Runner(encoder, w, context.outputs(), context.manifest().version());
  }

  /** Scores rows encoded by the manifest's feature encoding. */
  private static final class Runner implements ModelRunner {
    private final RowEncoder encoder;
    private final double[] weights;
    private final OutputSpec outputs;
    private final String version;

    Runner(RowEncoder encoder, double[] weights, OutputSpec outputs, String version) {
      this.encoder = encoder;
      this.weights = weights;
      this.outputs = outputs;
      this.version = version;
    }

    @Override
    public Schema inputSchema() {
      return encoder.schema();
    }

    @Override
    public Device device() {
      return Device.cpu();
    }

    @Override
    public void check(Row row) {
      encoder.check(row);
    }

    @Override
    public List<Prediction> run(List<Row> rows) {
      List<Prediction> out = new ArrayList<>(rows.size());
      double[] x = new double[encoder.width()];
      for (int r = 0; r < rows.size(); r++) {
        encoder.encode(rows.get(r), x, rows.size() == 1 ? -1 : r);
        out.add(score(x));
      }
      return out;
    }

    @Override
    public List<Prediction> run(Batch batch) {
      List<Prediction> out = new ArrayList<>(batch.rowCount());
      double[] x = new double[encoder.width()];
      for (int r = 0; r < batch.rowCount(); r++) {
        encoder.encode(batch.row(r), x, r);
        out.add(score(x));
      }
      return out;
    }

    private Prediction score(double[] x) {
      double z = weights[0];
      for (int i = 0; i < x.length; i++) {
        z += weights[i + 1] * x[i];
      }
      double good = 1 / (1 + Math.exp(-z));
      return outputs.classify(version, new double[] {1 - good, good});
    }

    @Override
    public void close() {}
  }
}
