package dev.mlops.serving;

import static dev.mlops.test.onnx.OnnxProtos.floatValue;
import static dev.mlops.test.onnx.OnnxProtos.intAttribute;
import static dev.mlops.test.onnx.OnnxProtos.model;
import static dev.mlops.test.onnx.OnnxProtos.node;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ai.onnx.proto.OnnxMl;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.core.manifest.ModelSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import dev.mlops.serving.onnx.internal.OnnxExternalData;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.test.onnx.OnnxModels;

/**
 * ONNX external data (how every model over 2 GB stores its weights) is refused at load with the
 * model, version, tensor and file named, instead of an ONNX Runtime-internal error: serving reads a
 * model only from its verified bytes.
 */
class OnnxExternalDataTest {
  @TempDir
  Path tmp;

  static OnnxMl.TensorProto external(String name, String location) {
    return OnnxMl.TensorProto.newBuilder().setName(name).setDataType(OnnxMl.TensorProto.DataType.FLOAT.getNumber())
        .addDims(3).addDims(2).setDataLocation(OnnxMl.TensorProto.DataLocation.EXTERNAL)
        .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("location").setValue(location))
        .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("offset").setValue("0"))
        .addExternalData(OnnxMl.StringStringEntryProto.newBuilder().setKey("length").setValue("24")).build();
  }

  /** softmax(x W) with W an initializer whose data is in {@code weights.bin}. */
  static byte[] externalInitializer() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("external");
    g.addInput(floatValue("features", -1, 3));
    g.addOutput(floatValue("probabilities", -1, 2));
    g.addInitializer(external("W", "weights.bin"));
    g.addNode(node("MatMul", "logits", "features", "W"));
    g.addNode(node("Softmax", "probabilities", "logits").addAttribute(intAttribute("axis", 1)));
    return model(g, "mlops-serving-tests");
  }

  /** The same weights in a Constant node's tensor attribute, the other place a tensor can live. */
  static byte[] externalConstant() {
    OnnxMl.GraphProto.Builder g = OnnxMl.GraphProto.newBuilder().setName("external-constant");
    g.addInput(floatValue("features", -1, 3));
    g.addOutput(floatValue("probabilities", -1, 2));
    g.addNode(node("Constant", "W").addAttribute(OnnxMl.AttributeProto.newBuilder().setName("value")
        .setType(OnnxMl.AttributeProto.AttributeType.TENSOR).setT(external("W", "constant.bin"))));
    g.addNode(node("MatMul", "logits", "features", "W"));
    g.addNode(node("Softmax", "probabilities", "logits").addAttribute(intAttribute("axis", 1)));
    return model(g, "mlops-serving-tests");
  }

  private VerifiedModel publish(byte[] bytes) throws Exception {
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    Path file = Files.write(tmp.resolve("model.onnx"), bytes);
    ModelManifestBuilder m = ModelManifest.builder().format(ModelFormats.ONNX)
        .modelSignature(ModelSignature.of(MissingAndNonFiniteValuesTest.SCHEMA,
            Schema.of(Field.of("probabilities", DataType.floatTensor(2), false, Role.PREDICTION)),
            MissingAndNonFiniteValuesTest.ENCODING));
    ServingTags.classification("probabilities", List.of("bad", "good")).forEach(m::tag);
    repo.publish("ext", "1", file, m);
    return repo.load(ModelRef.parse("ext/1"));
  }

  @Test
  void anInitializerInAnExternalFileIsRefusedNamingTheModelVersionAndFile() throws Exception {
    VerifiedModel vm = publish(externalInitializer());
    assertThatThrownBy(() -> Predictor.builder(vm).build())
        .isInstanceOf(ModelLoadException.class)
        .hasMessage("Model ext/1 keeps tensor 'W' in 'weights.bin' outside the model file (ONNX external data), and"
            + " the external file is not part of the verified model: serving reads a model only from its verified"
            + " bytes. Re-export it with the weights inside the model file (onnx.save_model(model, path,"
            + " save_as_external_data=False); models up to 2 GB)");
  }

  @Test
  void anExternalTensorInANodeAttributeIsFoundToo() {
    assertThat(OnnxExternalData.references(externalConstant())).hasValue(List.of(
        new OnnxExternalData.Reference("W", "constant.bin")));
    assertThat(OnnxExternalData.references(OnnxModels.softmaxClassifier(3, 2, 1))).hasValue(List.of());
    assertThat(OnnxExternalData.references(new byte[] {1, 2, 3})).isEmpty();
  }
}
