package dev.mlops.serving;

import dev.mlops.serving.spi.InputSchemaCheck;
import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.serving.spi.RowEncoder;
import dev.mlops.core.Batch;
import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.validation.RowResult;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.List;
import java.util.Objects;
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
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The predictor behind every backend: metrics, optional dynamic batching, and an in-flight gate that
 * lets {@link #close()} wait for running calls, so a native session is never closed mid-run.
 *
 * <p>Every path checks a request in the same order: the predictor is open, the row's schema is the
 * model's, the data contract (if any) passes, every feature can be scored (present, finite, within
 * float32; see {@link RowEncoder}), then the model runs and its output must be finite
 * ({@link OutputCheck}). The batching and async paths make the checks up to the feature check on the
 * caller's thread, so a bad row fails alone and at once, never the batch it would have joined.
 */
final class DefaultPredictor implements Predictor {
  private static final Logger LOG = LoggerFactory.getLogger(DefaultPredictor.class);

  private final ModelRunner runner;
  private final String name;
  private final String version;
  private final String source;
  private final ServingMetrics metrics;
  private final OutputCheck outputs;
  private final @Nullable DynamicBatcher batcher;
  private final @Nullable Guard guard;
  private final BatchingOptions batching;
  private final Executor executor;
  private final LongSupplier ticker;
  private final AtomicInteger inFlight = new AtomicInteger();
  private final Object gate = new Object();
  private volatile boolean closed;
  private final InputSchemaCheck schemaCheck;

  DefaultPredictor(ModelRunner runner, String name, String version, boolean fellBack, BatchingOptions batching,
      MeterRegistry registry, Executor executor, LongSupplier ticker) {
    this(runner, name, version, fellBack, batching, registry, executor, ticker, null, NonFinitePolicy.FAIL);
  }

  DefaultPredictor(ModelRunner runner, String name, String version, boolean fellBack, BatchingOptions batching,
      MeterRegistry registry, Executor executor, LongSupplier ticker, @Nullable Guard guard) {
    this(runner, name, version, fellBack, batching, registry, executor, ticker, guard, NonFinitePolicy.FAIL);
  }

  DefaultPredictor(ModelRunner runner, String name, String version, boolean fellBack, BatchingOptions batching,
      MeterRegistry registry, Executor executor, LongSupplier ticker, @Nullable Guard guard,
      NonFinitePolicy nonFinite) {
    this.runner = runner;
    this.schemaCheck = new InputSchemaCheck(runner.inputSchema(), name + "/" + version);
    this.name = name;
    this.version = version;
    this.source = name + "/" + version;
    this.batching = capped(batching, runner, source);
    this.executor = executor;
    this.ticker = ticker;
    this.metrics = new ServingMetrics(registry, name, version, runner.device(), fellBack);
    this.outputs = new OutputCheck(nonFinite, name, version, runner.outputName(), metrics.nonFinite);
    try {
      // The guard first: the batcher starts threads, which a failed bind would otherwise leak.
      this.guard = guard == null ? null : guard.bind(name, version, metrics.contractRejected, metrics.contractFlagged,
          metrics.monitorDetached);
      this.batcher = this.batching.enabled() ? new DynamicBatcher(runner, source, this.batching, metrics, ticker,
          outputs) : null;
    } catch (RuntimeException | Error e) {
      metrics.remove();
      throw e;
    }
  }

  /**
   * A model whose batch dimension is fixed at one row cannot run a batch: the batcher then sends one
   * row per call (it still bounds the queue and enforces deadlines), and says so once.
   */
  private static BatchingOptions capped(BatchingOptions b, ModelRunner runner, String source) {
    int fixed = runner.staticBatchSize();
    if (!b.enabled() || fixed < 1 || b.maxBatchSize() <= fixed) {
      return b;
    }
    LOG.warn("Model {} has a fixed batch dimension of {} row(s), so dynamic batching runs at most {} row(s) per model"
        + " call (maxBatchSize {} capped); re-export the model with a dynamic batch dimension to batch rows", source,
        fixed, fixed, b.maxBatchSize());
    return new BatchingOptions(true, fixed, b.maxDelay(), b.queueCapacity(), b.defaultDeadline(), b.workers());
  }

  /** The batching options in effect, after any cap to the model's fixed batch size. */
  BatchingOptions batching() {
    return batching;
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
    try {
      schemaCheck.check(s);
    } catch (SchemaMismatchException e) {
      metrics.errors.increment();
      throw e;
    }
  }

  @Override
  public Prediction predict(Row row) {
    Objects.requireNonNull(row, "row");
    if (batcher != null) {
      long deadline = BatchingOptions.saturatedNanos(batching.defaultDeadline());
      CompletableFuture<Prediction> f = predictAsync(row, deadline);
      // The deadline bounds the wait in the queue; twice it bounds the whole call, so a hung model
      // cannot hold the caller (and, in a deployment, the retired version) forever. Deadlines are
      // saturated far below Long.MAX_VALUE / 2, so twice one never overflows.
      long waitNanos = 2 * deadline;
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
    enter();
    try {
      checkSchema(row.schema());
      RowResult contract = guard == null ? RowResult.PASS : guard.check(row);
      Prediction p = runRow(row);
      return guard == null ? p : guard.after(row, p, contract);
    } finally {
      exit();
    }
  }

  /** Runs one checked row through the model and the output check, metered; the caller holds the gate. */
  private Prediction runRow(Row row) {
    return metered(metrics.rowLatency, () -> outputs.row(runner.run(List.of(row)).get(0)), p -> 1);
  }

  @Override
  public List<Prediction> predict(Batch batch) {
    Objects.requireNonNull(batch, "batch");
    enter();
    try {
      checkSchema(batch.schema());
      List<RowResult> contract = guard == null ? null : guard.check(batch);
      List<Prediction> p = metered(metrics.batchLatency, () -> outputs.batch(runner.run(batch)), List::size);
      return guard == null ? p : guard.after(batch, p, contract);
    } finally {
      exit();
    }
  }

  /** Runs a model call, counting its rows or its failure and recording its latency. */
  private <T> T metered(io.micrometer.core.instrument.Timer latency, java.util.function.Supplier<T> call,
      java.util.function.ToIntFunction<T> rows) {
    long start = System.nanoTime();
    try {
      T out = call.get();
      metrics.predictions.increment(rows.applyAsInt(out));
      return out;
    } catch (RuntimeException e) {
      metrics.errors.increment();
      throw e;
    } finally {
      latency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
    }
  }

  @Override
  public CompletableFuture<Prediction> predictAsync(Row row) {
    return predictAsync(Objects.requireNonNull(row, "row"),
        BatchingOptions.saturatedNanos(batching.defaultDeadline()));
  }

  @Override
  public CompletableFuture<Prediction> predictAsync(Row row, java.time.Duration deadline) {
    Objects.requireNonNull(row, "row");
    Objects.requireNonNull(deadline, "deadline");
    if (deadline.isNegative() || deadline.isZero()) {
      enter();
      exit();
      metrics.deadlineExceeded.increment();
      throw new DeadlineExceededException("Request to model " + source + " has a deadline of " + deadline
          + ", which has already passed; it was not run. Give a positive deadline");
    }
    return predictAsync(row, BatchingOptions.saturatedNanos(deadline));
  }

  private CompletableFuture<Prediction> predictAsync(Row row, long timeoutNanos) {
    RowResult contract;
    CompletableFuture<Prediction> f;
    enter();
    try {
      checkSchema(row.schema());
      contract = guard == null ? RowResult.PASS : guard.check(row);
      try {
        runner.check(row);
      } catch (RuntimeException e) {
        metrics.errors.increment();
        throw e;
      }
      long deadline = ticker.getAsLong() + timeoutNanos;
      if (batcher != null) {
        long start = System.nanoTime();
        f = batcher.submit(row, deadline).whenComplete((p, e) -> {
          metrics.rowLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          if (e == null) {
            metrics.predictions.increment();
          } else {
            metrics.errors.increment();
          }
        });
      } else {
        f = CompletableFuture.supplyAsync(() -> {
          if (ticker.getAsLong() - deadline > 0) {
            metrics.deadlineExceeded.increment();
            throw new DeadlineExceededException("Request to model " + source
                + " waited for an executor thread past its deadline; it was not run. Raise the deadline or add"
                + " threads");
          }
          enter();
          try {
            return runRow(row);
          } finally {
            exit();
          }
        }, executor);
      }
    } finally {
      exit();
    }
    Guard g = guard;
    return g == null ? f : f.thenApply(p -> g.after(row, p, contract));
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
