package dev.mlops.serving.soak;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.serving.Device;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Wraps a predictor to count its closes and every call that reaches it after its first close: the
 * soak asserts each loaded version is closed exactly once and never used after.
 */
final class CountingPredictor implements Predictor {
  private final Predictor delegate;
  final AtomicInteger closes = new AtomicInteger();
  final AtomicInteger callsAfterClose = new AtomicInteger();

  CountingPredictor(Predictor delegate) {
    this.delegate = delegate;
  }

  private void call() {
    if (closes.get() > 0) {
      callsAfterClose.incrementAndGet();
    }
  }

  @Override
  public Prediction predict(Row row) {
    call();
    return delegate.predict(row);
  }

  @Override
  public List<Prediction> predict(Batch batch) {
    call();
    return delegate.predict(batch);
  }

  @Override
  public CompletableFuture<Prediction> predictAsync(Row row) {
    call();
    return delegate.predictAsync(row);
  }

  @Override
  public CompletableFuture<Prediction> predictAsync(Row row, Duration deadline) {
    call();
    return delegate.predictAsync(row, deadline);
  }

  @Override
  public Schema inputSchema() {
    return delegate.inputSchema();
  }

  @Override
  public String modelName() {
    return delegate.modelName();
  }

  @Override
  public String modelVersion() {
    return delegate.modelVersion();
  }

  @Override
  public Device device() {
    return delegate.device();
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    delegate.close();
  }
}
