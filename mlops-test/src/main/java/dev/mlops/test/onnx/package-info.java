/**
 * Builders of small ONNX models for tests and benchmarks, over the ONNX protobuf classes of
 * {@code org.tribuo:tribuo-util-onnx} (an optional dependency of {@code mlops-test}: add it to use
 * this package).
 */
@NullMarked
package dev.mlops.test.onnx;

import org.jspecify.annotations.NullMarked;
