/**
 * The ONNX Runtime runner and the scan that refuses models with external data: implementation of
 * {@code mlops-serving-onnx}, not API.
 */
@NullMarked
package dev.mlops.serving.onnx.internal;

import org.jspecify.annotations.NullMarked;
