/**
 * The Tribuo backend of mlops-serving: protobuf and allow-listed Java-serialized Tribuo models. Its
 * {@code internal} package is exported to no one.
 */
module dev.mlops.serving.tribuo {
  exports dev.mlops.serving.tribuo;

  provides dev.mlops.serving.spi.ModelBackend with dev.mlops.serving.tribuo.TribuoBackend;

  requires transitive dev.mlops.serving;
  requires transitive org.tribuo.core;
  requires org.tribuo.classification.core;
  requires org.tribuo.regression.core;
  requires com.oracle.labs.mlrg.olcut;
  requires com.google.protobuf;
  // TribuoModels.toOnnx: the ModelProto that Tribuo's ONNX export returns
  requires org.tribuo.util.onnx;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  requires static org.checkerframework.checker.qual;
  requires static transitive org.jspecify;
}
