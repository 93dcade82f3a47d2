package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import dev.mlops.serving.spi.ModelRunner;

/** Wraps a runner, counting closes and failing loudly if it is ever run after being closed. */
final class CountingRunner implements ModelRunner {
  final ModelRunner delegate;
  final AtomicInteger closes = new AtomicInteger();
  final AtomicInteger runsAfterClose = new AtomicInteger();
  final AtomicInteger rowsRun = new AtomicInteger();
  /** Rows the delegate answered: a row it refused before its model ran (a bad feature) is not one. */
  final AtomicInteger rowsAnswered = new AtomicInteger();

  CountingRunner(ModelRunner delegate) {
    this.delegate = delegate;
  }

  @Override
  public Schema inputSchema() {
    return delegate.inputSchema();
  }

  @Override
  public Device device() {
    return delegate.device();
  }

  @Override
  public void check(Row row) {
    delegate.check(row);
  }

  @Override
  public boolean fellBack() {
    return delegate.fellBack();
  }

  @Override
  public String outputName() {
    return delegate.outputName();
  }

  @Override
  public int staticBatchSize() {
    return delegate.staticBatchSize();
  }

  @Override
  public List<Prediction> run(List<Row> rows) {
    if (closes.get() > 0) {
      runsAfterClose.incrementAndGet();
      throw new IllegalStateException("run after close");
    }
    rowsRun.addAndGet(rows.size());
    List<Prediction> out = delegate.run(rows);
    rowsAnswered.addAndGet(out.size());
    return out;
  }

  @Override
  public List<Prediction> run(Batch batch) {
    if (closes.get() > 0) {
      runsAfterClose.incrementAndGet();
      throw new IllegalStateException("run after close");
    }
    rowsRun.addAndGet(batch.rowCount());
    List<Prediction> out = delegate.run(batch);
    rowsAnswered.addAndGet(out.size());
    return out;
  }

  @Override
  public void close() {
    closes.incrementAndGet();
    delegate.close();
  }
}
