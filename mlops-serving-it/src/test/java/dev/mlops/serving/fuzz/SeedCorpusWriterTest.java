package dev.mlops.serving.fuzz;

import dev.mlops.serving.tribuo.TribuoModels;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.tribuo.Example;
import org.tribuo.Model;
import org.tribuo.MutableDataset;
import org.tribuo.Output;
import org.tribuo.OutputFactory;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import org.tribuo.regression.RegressionFactory;
import org.tribuo.regression.Regressor;
import org.tribuo.regression.sgd.objectives.SquaredLoss;

/**
 * Writes the checked-in seed corpus of {@link ModelRefFuzzTest} and {@link ModelRepositoryFuzzTest}:
 * references and alias files, Tribuo classifier and regressor protobuf artifacts trained here on
 * {@link ModelRepositoryFuzzTest#INPUTS}, and under {@code findings/} the reproductions: a malformed
 * reference (refused today with a raw {@code IllegalArgumentException}) and a classifier with a NaN
 * weight (C2: its NaN scores are served as the first label). Run it on purpose and commit what
 * changed: {@code mvn -o -pl mlops-serving -am test -Dtest=SeedCorpusWriterTest -Dfuzz.seeds.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds.write", matches = "true",
    disabledReason = "writes src/test/resources; run with -Dfuzz.seeds.write=true to regenerate the fuzz seeds")
class SeedCorpusWriterTest {
  private static final Path RESOURCES = Path.of("src/test/resources/dev/mlops/serving/fuzz");

  @Test
  void writeSeeds() throws IOException {
    String refs = "ModelRefFuzzTestInputs/parseRef";
    write(refs, "version.txt", "credit-risk/3");
    write(refs, "alias.txt", "credit-risk@champion");
    write(refs, "every-segment-character.txt", "a.b_c+d-1/2024-06-01.1");
    write(refs + "/findings", "malformed-reference-raw-iae.txt", "credit-risk");

    String alias = "ModelRepositoryFuzzTestInputs/aliasFile";
    write(alias, "version-1.txt", "1\n");
    write(alias, "version-2-no-newline.txt", "2");
    write(alias, "padded.txt", "  1 \r\n");
    write(alias, "unpublished-version.txt", "3\n");
    write(alias, "path-traversal.txt", "../1\n");
    write(alias, "two-lines.txt", "1\n2\n");

    String tribuo = "ModelRepositoryFuzzTestInputs/tribuoProtobuf";
    LinearSGDModel classifier = classifier();
    byte[] proto = TribuoModels.toProtobuf(classifier);
    write(tribuo, "classifier.tribuo", proto);
    write(tribuo, "regressor.tribuo", TribuoModels.toProtobuf(regressor()));
    write(tribuo + "/findings", "c2-nan-weight-served-as-first-label.tribuo",
        nanWeight(proto, classifier.getWeightsCopy().get(0, 0)));
  }

  /** Features as the encoding names them: x, y, and c one-hot as c@red / c@blue. */
  private static <T extends Output<T>> ArrayExample<T> example(T output, double x, double y, String c) {
    return new ArrayExample<>(output, new String[] {"x", "y", "c@" + c}, new double[] {x, y, 1.0});
  }

  private static <T extends Output<T>> MutableDataset<T> dataset(List<Example<T>> examples, OutputFactory<T> f) {
    return new MutableDataset<>(new ListDataSource<>(examples, f, new SimpleDataSourceProvenance("fuzz seeds", f)));
  }

  /** Logistic regression over x, y and c. */
  static LinearSGDModel classifier() {
    List<Example<Label>> ex = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      double x = i % 2 == 0 ? i * 0.1 : -i * 0.1;
      ex.add(example(new Label(x > 0 ? "good" : "bad"), x, i * 0.05, i % 3 == 0 ? "red" : "blue"));
    }
    return new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 3, 1000, 1, 42L)
        .train(dataset(ex, new LabelFactory()));
  }

  /** C2: the protobuf with one weight (the first label's weight of x) replaced by NaN. */
  static byte[] nanWeight(byte[] proto, double weight) {
    byte[] out = proto.clone();
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    int found = 0;
    for (int i = 0; i + 8 <= out.length; i++) {
      if (Double.doubleToRawLongBits(b.getDouble(i)) == Double.doubleToRawLongBits(weight)) {
        b.putDouble(i, Double.NaN);
        found++;
      }
    }
    if (found != 1) {
      throw new IllegalStateException("weight " + weight + " found " + found + " times in the protobuf");
    }
    return out;
  }

  static Model<Regressor> regressor() {
    List<Example<Regressor>> ex = new ArrayList<>();
    for (int i = 0; i < 40; i++) {
      ex.add(example(new Regressor("target", i * 2.0 + 1), i * 0.1, -i * 0.2, i % 2 == 0 ? "red" : "blue"));
    }
    return new org.tribuo.regression.sgd.linear.LinearSGDTrainer(new SquaredLoss(), new AdaGrad(0.1, 0.1), 3, 1000, 1,
        42L).train(dataset(ex, new RegressionFactory()));
  }

  private static void write(String dir, String name, String text) throws IOException {
    write(dir, name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(String dir, String name, byte[] bytes) throws IOException {
    Path d = Files.createDirectories(RESOURCES.resolve(dir));
    Files.write(d.resolve(name), bytes);
  }
}
