package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;
import org.jspecify.annotations.Nullable;

/**
 * The predictor behind every backend: metrics, optional dynamic batching, and an in-flight gate that
 * lets {@link #close()} wait for running calls, so a native session is never closed mid-run.
 */
final class DefaultPredictor implements Predictor {
  private final ModelRunner runner;
  private final String name;
  private final String version;
  private final String source;
  private final ServingMetrics metrics;
  private final @Nullable DynamicBatcher batcher;
  private final @Nullable Guard guard;
  private final BatchingOptions batching;
  private final Executor executor;
  private final LongSupplier ticker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object gate = new Object();
  private volatile boolean closed;
  /** The last schema instance found equal to the input schema: rows of it skip the field-by-field check. */
  private volatile Schema accepted;

  DefaultPredictor(ModelRunner runner, String name, String version, boolean fellBack, BatchingOptions batching,
      MeterRegistry registry, Executor executor, LongSupplier ticker) {
    this(runner, name, version, fellBack, batching, registry, executor, ticker, null);
  }

  DefaultPredictor(ModelRunner runner, String name, String version, boolean fellBack, BatchingOptions batching,
      MeterRegistry registry, Executor executor, LongSupplier ticker, @Nullable Guard guard) {
    this.runner = runner;
    this.accepted = runner.inputSchema();
    this.name = name;
    this.version = version;
    this.source = name + "/" + version;
    this.batching = batching;
    this.executor = executor;
    this.ticker = ticker;
    this.metrics = new ServingMetrics(registry, name, version, runner.device(), fellBack);
    try {
      // The guard first: the batcher starts threads, which a failed bind would otherwise leak.
      this.guard = guard == null ? null : guard.bind(name, version, metrics.contractRejected, metrics.contractFlagged);
      this.batcher = batching.enabled() ? new DynamicBatcher(runner, source, batching, metrics, ticker) : null;
    } catch (RuntimeException | Error e) {
      metrics.remove();
      throw e;
    }
  }

  private void enter() {
    inFlight.incrementAndGet();
    if (closed) {
      exit();
      throw new IllegalStateException("Predictor " + source + " is closed; use the deployment's current predictor");
    }
  }

  private void exit() {
    if (inFlight.decrementAndGet() == 0 && closed) {
      synchronized (gate) {
        gate.notifyAll();
      }
    }
  }

  private void checkSchema(Schema s) {
    if (s == accepted) {
      return;
    }
    Schema want = runner.inputSchema();
    if (s != want && !s.equals(want)) {
      throw new SchemaMismatchException("Input schema " + s + " differs from model " + source + "'s input schema "
          + want + "; build rows with predictor.inputSchema()");
    }
    accepted = s;
  }

  @Override
  public Prediction predict(Row row) {
    if (batcher != null) {
      CompletableFuture<Prediction> f = predictAsync(row);
      // The deadline bounds the wait in the queue; twice it bounds the whole call, so a hung model
      // cannot hold the caller (and, in a deployment, the retired version) forever.
      long waitNanos = 2 * batching.defaultDeadline().toNanos();
      try {
        return f.get(waitNanos, TimeUnit.NANOSECONDS);
      } catch (TimeoutException e) {
        throw new DeadlineExceededException("Model " + source + " gave no answer within "
            + TimeUnit.NANOSECONDS.toMillis(waitNanos) + " ms (twice the request deadline); the request may still"
            + " run. Check the model's latency or raise BatchingOptions.withDefaultDeadline", e);
      } catch (ExecutionException e) {
        throw unwrap(e.getCause());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new MlopsException("Interrupted while waiting for model " + source + "; the request may still run", e);
      }
    }
    List<String> issues = guard == null ? List.of() : guard.check(row);
    Prediction p = runRow(row);
    return guard == null ? p : guard.after(row, p, issues);
  }

  private Prediction runRow(Row row) {
    return guarded(row.schema(), metrics.rowLatency, () -> runner.run(List.of(row)).get(0), p -> 1);
  }

  @Override
  public List<Prediction> predict(Batch batch) {
    List<List<String>> issues = guard == null ? null : guard.check(batch);
    List<Prediction> p = guarded(batch.schema(), metrics.batchLatency, () -> runner.run(batch), List::size);
    return guard == null ? p : guard.after(batch, p, issues);
  }

  /** Runs a call inside the gate (so close waits for it), checking the schema and metering it. */
  private <T> T guarded(Schema schema, io.micrometer.core.instrument.Timer latency, java.util.function.Supplier<T> call,
      java.util.function.ToIntFunction<T> rows) {
    long start = System.nanoTime();
    enter();
    try {
      checkSchema(schema);
      T out = call.get();
      metrics.predictions.increment(rows.applyAsInt(out));
      return out;
    } catch (RuntimeException e) {
      metrics.errors.increment();
      throw e;
    } finally {
      exit();
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public CompletableFuture<Prediction> predictAsync(Row row) {
    return predictAsync(row, batching.defaultDeadline().toNanos());
  }

  @Override
  public CompletableFuture<Prediction> predictAsync(Row row, java.time.Duration deadline) {
    if (deadline.isNegative() || deadline.isZero()) {
      throw new IllegalArgumentException("A deadline must be positive, got " + deadline);
    }
    return predictAsync(row, deadline.toNanos());
  }

  private CompletableFuture<Prediction> predictAsync(Row row, long timeoutNanos) {
    checkSchema(row.schema());
    List<String> issues = guard == null ? List.of() : guard.check(row);
    long start = System.nanoTime();
    CompletableFuture<Prediction> f;
    if (batcher != null) {
      enter();
      try {
        f = batcher.submit(row, ticker.getAsLong() + timeoutNanos);
      } finally {
        exit();
      }
      f = f.whenComplete((p, e) -> {
        metrics.rowLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
        if (e == null) {
          metrics.predictions.increment();
        } else {
          metrics.errors.increment();
        }
      });
    } else {
      long deadline = ticker.getAsLong() + timeoutNanos;
      f = CompletableFuture.supplyAsync(() -> {
        if (ticker.getAsLong() - deadline > 0) {
          metrics.deadlineExceeded.increment();
          throw new dev.mlops.core.DeadlineExceededException("Request to model " + source
              + " waited for an executor thread past its deadline; it was not run. Raise the deadline or add threads");
        }
        return runRow(row);
      }, executor);
    }
    Guard g = guard;
    return g == null ? f : f.thenApply(p -> g.after(row, p, issues));
  }

  private static RuntimeException unwrap(@Nullable Throwable t) {
    while ((t instanceof CompletionException || t instanceof ExecutionException) && t.getCause() != null) {
      t = t.getCause();
    }
    if (t instanceof RuntimeException r) {
      return r;
    }
    if (t instanceof Error err) {
      throw err;
    }
    if (t instanceof CancellationException c) {
      return c;
    }
    return new MlopsException("Prediction failed: " + t, t);
  }

  @Override
  public Schema inputSchema() {
    return runner.inputSchema();
  }

  @Override
  public String modelName() {
    return name;
  }

  @Override
  public String modelVersion() {
    return version;
  }

  @Override
  public Device device() {
    return runner.device();
  }

  ModelRunner runner() {
    return runner;
  }

  @Override
  public void close() {
    synchronized (gate) {
      if (closed) {
        return;
      }
      closed = true;
      boolean interrupted = false;
      while (inFlight.get() > 0) {
        try {
          gate.wait(10);
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
    if (batcher != null) {
      batcher.close();
    }
    runner.close();
    metrics.remove();
  }

  @Override
  public String toString() {
    return "Predictor{" + source + " on " + runner.device() + (batcher != null ? ", batching" : "") + "}";
  }
}
