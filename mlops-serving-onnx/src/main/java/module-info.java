/**
 * The ONNX Runtime backend of mlops-serving: sessions, devices and CPU fallback. Its
 * {@code internal} package is exported to no one.
 */
module dev.mlops.serving.onnx {
  exports dev.mlops.serving.onnx;

  provides dev.mlops.serving.spi.ModelBackend with dev.mlops.serving.onnx.OnnxBackend;

  requires transitive dev.mlops.serving;
  requires com.microsoft.onnxruntime;
  requires com.google.protobuf;
  requires org.slf4j;
  requires static org.checkerframework.checker.qual;
  requires static transitive org.jspecify;
}
