/**
 * Serving: one thread-safe {@link dev.mlops.serving.Predictor} over any backend, with dynamic batching
 * on bounded queues, deadlines, a data-contract guard and monitoring, and
 * {@link dev.mlops.serving.Deployment deployments} with hot swap, canary, shadow and rollback. Models
 * come verified from {@link dev.mlops.serving.repository}; backends ({@code mlops-serving-onnx},
 * {@code mlops-serving-tribuo}, or a third party's) implement {@link dev.mlops.serving.spi} and are
 * found with {@link java.util.ServiceLoader} by the manifest's format.
 *
 * <p>Everything in this package is null-hostile unless a parameter or return value is annotated
 * {@code @Nullable}.
 */
@NullMarked
package dev.mlops.serving;

import org.jspecify.annotations.NullMarked;
