/**
 * What every backend's tests extend: {@code PredictorCompatibilityKit}, and small ONNX model builders.
 * For test scope only.
 */
module dev.mlops.test {
  exports dev.mlops.test;
  exports dev.mlops.test.onnx;

  requires transitive dev.mlops.serving;
  requires transitive org.junit.jupiter.api;
  requires org.assertj.core;
  // Optional: only the builders of dev.mlops.test.onnx use it. Not transitive, though they take its
  // types: javac would then demand it in every module that reads this one.
  requires static org.tribuo.util.onnx;
  requires static org.checkerframework.checker.qual;
  requires static transitive org.jspecify;
}
