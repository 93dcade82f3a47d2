package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.mlops.core.manifest.FeatureEncoding;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tribuo.classification.sgd.linear.LinearSGDModel;

class CreditGEndToEndTest {

  @Test
  void onnxExportAndTribuoAgreeOnEveryCreditGRow() {
    CreditG.Data data = CreditG.load();
    assertThat(data.rows()).hasSize(1000);
    LinearSGDModel model = CreditG.train(data);
    List<FeatureEncoding> encoding = TribuoModels.encoding(model, data.schema());
    List<String> labels = TribuoModels.labels(model);
    byte[] onnx = TribuoModels.toOnnx(model, "dev.mlops.test", 1);
    try (OnnxRunner ort = new OnnxRunner(onnx, "credit-g/1", "1", data.schema(), encoding,
            OutputSpec.classification(TribuoModels.ONNX_OUTPUT, labels), OnnxOptions.defaults());
        TribuoRunner tribuo = new TribuoRunner(TribuoRunner.parse(TribuoModels.toProtobuf(model),
            ModelFormats.TRIBUO_PROTOBUF, "credit-g/1"), "credit-g/1", "1", data.schema(), encoding)) {
      List<Prediction> a = ort.run(data.rows());
      List<Prediction> b = tribuo.run(data.rows());
      double maxDiff = 0;
      for (int i = 0; i < data.rows().size(); i++) {
        assertThat(a.get(i).label()).as("row %d", i).isEqualTo(b.get(i).label());
        for (String l : labels) {
          double d = Math.abs(a.get(i).scores().get(l) - b.get(i).scores().get(l));
          maxDiff = Math.max(maxDiff, d);
          assertThat(a.get(i).scores().get(l)).as("row %d label %s", i, l).isCloseTo(b.get(i).scores().get(l),
              within(1e-5));
        }
      }
      System.out.println("credit-g: max |ONNX - Tribuo| score difference over 1000 rows = " + maxDiff);
    }
  }
}
