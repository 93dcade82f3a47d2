package dev.mlops.serving;

import dev.mlops.serving.spi.ModelRunner;
import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.OverloadedException;
import dev.mlops.core.Row;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gathers single-row requests from many threads into model calls of up to {@code maxBatchSize} rows.
 * A batch closes when it is full or when its oldest request has waited {@code maxDelay}; with a zero
 * delay it takes whatever queued while the previous batch ran ("natural" batching: no added latency
 * at low load, large batches under load).
 * The queue is bounded: a full queue rejects at once with {@link OverloadedException}. A request whose
 * deadline has passed when its batch is formed fails with {@link DeadlineExceededException} and never
 * reaches the model. On close, queued requests still run; new ones are refused.
 */
final class DynamicBatcher implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DynamicBatcher.class);

  private record Request(Row row, long enqueued, long arrived, long deadline, CompletableFuture<Prediction> future) {}

  private final ModelRunner runner;
  private final String source;
  private final BatchingOptions options;
  private final ServingMetrics metrics;
  private final LongSupplier ticker;
  private final OutputCheck outputs;
  private final ArrayBlockingQueue<Request> queue;
  private final List<Thread> workers = new ArrayList<>();
  private volatile boolean running = true;

  DynamicBatcher(ModelRunner runner, String source, BatchingOptions options, ServingMetrics metrics,
      LongSupplier ticker, OutputCheck outputs) {
    this.runner = runner;
    this.outputs = outputs;
    this.source = source;
    this.options = options;
    this.metrics = metrics;
    this.ticker = ticker;
    this.queue = new ArrayBlockingQueue<>(options.queueCapacity());
    for (int i = 0; i < options.workers(); i++) {
      Thread t = new Thread(this::work, "mlops-batcher-" + source + "-" + i);
      t.setDaemon(true);
      workers.add(t);
      t.start();
    }
  }

  /**
   * Queues a row.
   *
   * @param row the row
   * @param deadlineNanos the ticker value after which it must not run
   * @return the future prediction
   * @throws OverloadedException at once when the queue is full
   */
  CompletableFuture<Prediction> submit(Row row, long deadlineNanos) {
    if (!running) {
      throw new IllegalStateException("The predictor of " + source + " is closed; use the deployment's current one");
    }
    Request r = new Request(row, ticker.getAsLong(), System.nanoTime(), deadlineNanos, new CompletableFuture<>());
    if (!queue.offer(r)) {
      metrics.rejections.increment();
      throw new OverloadedException("The batching queue of model " + source + " is full (" + options.queueCapacity()
          + " requests waiting); nothing ran. Shed load, retry later with backoff, or raise queueCapacity");
    }
    return r.future();
  }

  private void work() {
    List<Request> batch = new ArrayList<>(options.maxBatchSize());
    long maxDelay = BatchingOptions.saturatedNanos(options.maxDelay());
    while (running || !queue.isEmpty()) {
      Request first;
      try {
        first = queue.poll(50, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      }
      if (first == null) {
        continue;
      }
      batch.add(first);
      long until = first.arrived() + maxDelay;
      while (batch.size() < options.maxBatchSize()) {
        long wait = until - System.nanoTime();
        Request next;
        if (wait <= 0) {
          queue.drainTo(batch, options.maxBatchSize() - batch.size());
          break;
        }
        try {
          next = queue.poll(wait, TimeUnit.NANOSECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        }
        if (next == null) {
          break;
        }
        batch.add(next);
      }
      runBatch(batch);
      batch.clear();
    }
    List<Request> left = new ArrayList<>();
    queue.drainTo(left);
    for (Request r : left) {
      r.future().completeExceptionally(new IllegalStateException("The predictor of " + source + " closed before"
          + " this request ran; retry on the deployment's current predictor"));
    }
  }

  private void runBatch(List<Request> batch) {
    long now = ticker.getAsLong();
    List<Request> live = new ArrayList<>(batch.size());
    List<Row> rows = new ArrayList<>(batch.size());
    for (Request r : batch) {
      metrics.queueTime.record(now - r.enqueued(), TimeUnit.NANOSECONDS);
      if (now - r.deadline() > 0) {
        metrics.deadlineExceeded.increment();
        r.future().completeExceptionally(new DeadlineExceededException("Request to model " + source + " waited "
            + TimeUnit.NANOSECONDS.toMillis(now - r.enqueued()) + " ms, past its deadline of "
            + TimeUnit.NANOSECONDS.toMillis(r.deadline() - r.enqueued()) + " ms; it was not run. Raise the deadline or"
            + " shed load"));
      } else {
        live.add(r);
        rows.add(r.row());
      }
    }
    if (live.isEmpty()) {
      return;
    }
    metrics.batchSize.record(live.size());
    long start = System.nanoTime();
    try {
      List<Prediction> out = runner.run(rows);
      metrics.inferenceTime.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
      for (int i = 0; i < live.size(); i++) {
        // Each request's output is checked on its own: a non-finite row fails only its caller.
        Prediction p;
        try {
          p = outputs.row(out.get(i));
        } catch (NonFiniteOutputException e) {
          live.get(i).future().completeExceptionally(e);
          continue;
        }
        live.get(i).future().complete(p);
      }
    } catch (RuntimeException e) {
      LOG.debug("Batch of {} rows failed on {}", live.size(), source, e);
      for (Request r : live) {
        r.future().completeExceptionally(e);
      }
    } catch (Throwable e) {
      // An Error (e.g. OutOfMemoryError for a direct buffer) must not kill the worker and leave these
      // callers waiting forever: fail them and keep serving; the next batch may well fit.
      LOG.error("Batch of {} rows failed on {} with {}; its requests fail, the worker goes on", live.size(), source,
          e.toString(), e);
      for (Request r : live) {
        r.future().completeExceptionally(e);
      }
    }
  }

  /**
   * Stops accepting, runs what is queued, and joins the workers. Not interruptible: the caller closes
   * the model session right after, which must never happen while a worker is inside it (an interrupt
   * is remembered and set again on return). A worker that closes its own predictor (from a callback of
   * a future it completed) is not inside the model at that point and is not joined.
   */
  @Override
  public void close() {
    running = false;
    boolean interrupted = false;
    for (Thread t : workers) {
      if (t == Thread.currentThread()) {
        continue;
      }
      while (true) {
        try {
          t.join();
          break;
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }
}
