/**
 * Serving: a {@link dev.mlops.serving.ModelRepository model repository} on a directory whose loads are
 * verified before any byte reaches a model parser, ONNX Runtime and Tribuo backends behind one
 * thread-safe {@link dev.mlops.serving.Predictor}, dynamic batching with bounded queues and deadlines,
 * and {@link dev.mlops.serving.Deployment deployments} with hot swap, canary, shadow and rollback.
 *
 * <p>Everything in this package is null-hostile unless a parameter or return value is annotated
 * {@code @Nullable}.
 */
@NullMarked
package dev.mlops.serving;

import org.jspecify.annotations.NullMarked;
