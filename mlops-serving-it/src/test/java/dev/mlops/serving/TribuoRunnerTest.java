package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.ModelLoadException;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.Serializable;
import dev.mlops.core.manifest.FeatureEncoding;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.tribuo.Model;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import dev.mlops.serving.tribuo.TribuoModels;
import dev.mlops.serving.tribuo.internal.TribuoRunner;

class TribuoRunnerTest {
  private static CreditG.Data data;
  private static LinearSGDModel model;

  /** A serializable class outside the allow-list, standing in for a deserialization gadget. */
  static final class Gadget implements Serializable {
    private static final long serialVersionUID = 1L;
    final String command = "rm -rf /";
  }

  @BeforeAll
  static void train() {
    data = CreditG.load();
    model = CreditG.train(data);
  }

  private static byte[] javaSerialized(Object o) throws IOException {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(o);
    }
    return bytes.toByteArray();
  }

  @Test
  void javaSerializedModelLoadsThroughTheFilterAndPredictsLikeTheOriginal() throws IOException {
    Model<?> back = TribuoRunner.parse(javaSerialized(model), ModelFormats.TRIBUO_JAVA, "credit-g/1");
    List<FeatureEncoding> enc = CreditG.encoding(model, data);
    try (TribuoRunner a = new TribuoRunner(model, "credit-g/1", "1", data.schema(), enc);
        TribuoRunner b = new TribuoRunner(back, "credit-g/1", "1", data.schema(), enc)) {
      List<Prediction> pa = a.run(data.rows().subList(0, 50));
      List<Prediction> pb = b.run(data.rows().subList(0, 50));
      for (int i = 0; i < pa.size(); i++) {
        assertThat(pb.get(i).asClassification().scores()).isEqualTo(pa.get(i).asClassification().scores());
      }
    }
  }

  @Test
  void javaDeserializationRefusesClassesOutsideTheAllowList() throws IOException {
    byte[] gadget = javaSerialized(new java.util.ArrayList<>(List.of(new Gadget())));
    assertThatThrownBy(() -> TribuoRunner.parse(gadget, ModelFormats.TRIBUO_JAVA, "evil/1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("Refused to deserialize Tribuo model evil/1: class dev.mlops.serving.TribuoRunnerTest$Gadget is not"
            + " a class of a Tribuo model; only the classes of Tribuo's linear SGD classifiers and regressors are read"
            + " from tribuo-java artifacts. Re-export the model in Tribuo's protobuf format (tribuo-protobuf)");
  }

  @Test
  void protobufRoundTripPredictsLikeTheOriginal() {
    Model<?> back = TribuoRunner.parse(TribuoModels.toProtobuf(model), ModelFormats.TRIBUO_PROTOBUF, "credit-g/1");
    List<FeatureEncoding> enc = CreditG.encoding(model, data);
    try (TribuoRunner a = new TribuoRunner(model, "credit-g/1", "1", data.schema(), enc);
        TribuoRunner b = new TribuoRunner(back, "credit-g/1", "1", data.schema(), enc)) {
      assertThat(b.run(data.rows().subList(0, 20))).extracting(x -> x.asClassification().scores())
          .isEqualTo(a.run(data.rows().subList(0, 20)).stream().map(x -> x.asClassification().scores()).toList());
    }
  }

  @Test
  void garbageIsNotATribuoModel() {
    assertThatThrownBy(() -> TribuoRunner.parse(new byte[] {9, 9, 9}, ModelFormats.TRIBUO_PROTOBUF, "x/1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageStartingWith("Cannot read Tribuo model x/1 from its protobuf artifact: ");
    assertThatThrownBy(() -> TribuoRunner.parse(new byte[] {9}, "pickle", "x/1"))
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("Model x/1 has format 'pickle', which the Tribuo backend does not read; use tribuo-protobuf or"
            + " tribuo-java");
  }
}
