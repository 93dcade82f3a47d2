package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicInteger;
import dev.mlops.serving.spi.ModelRunner;

/**
 * A runner whose calls block until released, recording every call's row count: lets tests hold the
 * batching worker. Predicts the regression value = first column.
 */
final class HeldRunner implements ModelRunner {
  final Schema schema;
  final List<Integer> callSizes = new CopyOnWriteArrayList<>();
  final Semaphore permits = new Semaphore(0);
  final CountDownLatch entered = new CountDownLatch(1);
  final AtomicInteger closes = new AtomicInteger();

  HeldRunner(Schema schema) {
    this.schema = schema;
  }

  void releaseAll() {
    permits.release(1_000_000);
  }

  @Override
  public Schema inputSchema() {
    return schema;
  }

  @Override
  public Device device() {
    return Device.cpu();
  }

  @Override
  public List<Prediction> run(List<Row> rows) {
    entered.countDown();
    permits.acquireUninterruptibly();
    callSizes.add(rows.size());
    List<Prediction> out = new ArrayList<>();
    for (Row r : rows) {
      out.add(Prediction.regression("1", r.getDouble(0)));
    }
    return out;
  }

  @Override
  public List<Prediction> run(Batch batch) {
    return run(batch.toRows());
  }

  @Override
  public void close() {
    closes.incrementAndGet();
  }
}
