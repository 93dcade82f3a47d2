/**
 * Runnable end-to-end programs on the bundled real datasets. A module, though nothing uses it as one,
 * so that javac holds the examples to what the library modules export: they compile against the
 * public API only, as a user's code does.
 */
module dev.mlops.examples {
  requires dev.mlops.core;
  requires dev.mlops.validation;
  requires dev.mlops.monitoring;
  requires dev.mlops.serving;
  // The demo serves its model with the ONNX backend, found through ServiceLoader.
  requires dev.mlops.serving.onnx;
  requires dev.mlops.serving.tribuo;
  requires org.tribuo.core;
  requires org.tribuo.classification.core;
  requires org.tribuo.classification.sgd;
  requires org.tribuo.math;
  // EndToEndDemo quiets Tribuo's java.util.logging progress lines
  requires java.logging;
}
