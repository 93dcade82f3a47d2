/**
 * Test support for serving backends: {@link dev.mlops.test.PredictorCompatibilityKit}, the tests every
 * backend's own tests extend (this project's ONNX and Tribuo backends, and a third party's). Depend on
 * {@code mlops-test} in test scope only.
 */
@NullMarked
package dev.mlops.test;

import org.jspecify.annotations.NullMarked;
