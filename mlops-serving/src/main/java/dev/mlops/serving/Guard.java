package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.ContractViolationException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.Monitor;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.RowContractViolationException;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.SchemaIssue;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.Validator;
import io.micrometer.core.instrument.Counter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a predictor checks and records around the model: a data contract applied to every input
 * (reject, flag or pass) and a monitor that profiles inputs and, given an output schema, outputs.
 * Rejected inputs never reach the model or the batching queue. Made unbound by the builder, then bound
 * to one predictor's name and counters ({@code mlops.serving.contract.rejected} and
 * {@code .flagged}).
 *
 * <p>A monitor records after the model has answered, so its failure must not cost the caller that
 * answer. A closed monitor ignores records ({@link Monitor#isClosed()}); one that cannot take them
 * (an output record without an output reference) refuses with an {@link IllegalStateException}. In
 * either case the guard detaches it, logs a warning once and counts it
 * ({@code mlops.serving.monitor.detached}), and the predictor keeps serving unmonitored.
 */
final class Guard {
  private static final Logger LOG = LoggerFactory.getLogger(Guard.class);

  private final @Nullable Validator validator;
  private final OnlinePolicy policy;
  private final @Nullable Monitor monitor;
  private final @Nullable Schema outputSchema;
  private final @Nullable String source;
  private final @Nullable Counter rejected;
  private final @Nullable Counter flagged;
  private final @Nullable Counter detachedCounter;
  private final AtomicBoolean detached = new AtomicBoolean();

  Guard(@Nullable Validator validator, OnlinePolicy policy, @Nullable Monitor monitor, @Nullable Schema outputSchema) {
    this.validator = validator;
    this.policy = policy;
    this.monitor = monitor;
    this.outputSchema = outputSchema;
    this.source = null;
    this.rejected = null;
    this.flagged = null;
    this.detachedCounter = null;
  }

  /** Binds the guard to a predictor's name and counters. */
  Guard bind(String model, String version, Counter rejectedCounter, Counter flaggedCounter, Counter detachedMonitors) {
    return new Guard(validator, policy, monitor, outputSchema, model + "/" + version, rejectedCounter,
        flaggedCounter, detachedMonitors);
  }

  private Guard(@Nullable Validator validator, OnlinePolicy policy, @Nullable Monitor monitor,
      @Nullable Schema outputSchema, String source, Counter rejected, Counter flagged, Counter detachedMonitors) {
    this.validator = validator;
    this.policy = policy;
    this.monitor = monitor;
    this.outputSchema = outputSchema;
    this.source = source;
    this.rejected = rejected;
    this.flagged = flagged;
    this.detachedCounter = detachedMonitors;
  }

  /** Records with the monitor unless it was detached; detaches it when it turns out to be closed. */
  private void record(Monitor m, Row row, Prediction p) {
    if (detached.get()) {
      return;
    }
    if (m.isClosed()) {
      detach(m, "it was closed");
      return;
    }
    try {
      m.record(row, outputSchema == null ? null : p.toRow(outputSchema));
    } catch (IllegalStateException e) {
      detach(m, e.getMessage());
    }
  }

  private void detach(Monitor m, @Nullable String reason) {
    if (detached.compareAndSet(false, true)) {
      Objects.requireNonNull(detachedCounter).increment();
      LOG.warn("Monitor {} of model {} takes no more records ({}); it is detached and the model keeps serving"
          + " unmonitored. Build a new predictor with an open monitor to monitor again", m.name(), source, reason);
    }
  }

  /**
   * Checks a row before it runs.
   *
   * @return the result to flag the prediction with ({@link RowResult#PASS} when it passed or nothing
   *     is checked)
   * @throws RowContractViolationException under REJECT when an ERROR rule failed
   */
  RowResult check(Row row) {
    if (validator == null || policy == OnlinePolicy.PASS) {
      return RowResult.PASS;
    }
    RowResult r;
    try {
      r = validator.enforce(row, policy);
    } catch (RowContractViolationException e) {
      Objects.requireNonNull(rejected).increment();
      throw e;
    }
    if (!r.passed()) {
      Objects.requireNonNull(flagged).increment();
    }
    return r;
  }

  /**
   * Checks a batch before it runs: under REJECT columnar, failing the whole batch; under FLAG row by
   * row, so each prediction carries its own row's problems.
   *
   * @return per row the result to flag its prediction with, or null when nothing is flagged
   * @throws ContractViolationException under REJECT, listing every failed rule with counts and examples
   */
  @Nullable List<RowResult> check(Batch batch) {
    if (validator == null || policy == OnlinePolicy.PASS) {
      return null;
    }
    if (policy == OnlinePolicy.REJECT) {
      ValidationReport report = validator.validate(batch);
      if (!report.passed()) {
        Objects.requireNonNull(rejected).increment(batch.rowCount());
        List<String> problems = new ArrayList<>();
        report.schemaIssues().stream().map(SchemaIssue::message).forEach(problems::add);
        report.failures().stream().map(ValidationReport::line).forEach(problems::add);
        throw new ContractViolationException("batch of " + batch.rowCount() + " rows for model " + source
            + " (contract '" + report.contract() + "')", problems);
      }
      return null;
    }
    List<RowResult> out = new ArrayList<>(batch.rowCount());
    boolean any = false;
    for (int i = 0; i < batch.rowCount(); i++) {
      RowResult r = validator.validate(batch.row(i));
      if (!r.passed()) {
        Objects.requireNonNull(flagged).increment();
        any = true;
      }
      out.add(r);
    }
    return any ? out : null;
  }

  /** Flags a prediction and records the row and the prediction with the monitor. */
  Prediction after(Row row, Prediction p, RowResult contract) {
    if (monitor != null) {
      record(monitor, row, p);
    }
    return flag(p, contract);
  }

  /** Flags a batch's predictions and records its rows and predictions with the monitor. */
  List<Prediction> after(Batch batch, List<Prediction> predictions, @Nullable List<RowResult> contract) {
    if (monitor == null && contract == null) {
      return predictions;
    }
    List<Prediction> out = new ArrayList<>(predictions.size());
    for (int i = 0; i < predictions.size(); i++) {
      Prediction p = predictions.get(i);
      if (monitor != null && !detached.get()) {
        record(monitor, batch.row(i), p);
      }
      out.add(contract == null ? p : flag(p, contract.get(i)));
    }
    return out;
  }

  /** The prediction carrying its input's contract result; itself when the input passed. */
  private static Prediction flag(Prediction p, RowResult contract) {
    if (contract.passed()) {
      return p;
    }
    return switch (p.kind()) {
      case CLASSIFICATION -> {
        Prediction.Classification c = p.asClassification();
        yield new Prediction.Classification(c.modelVersion(), c.label(), c.scores(), contract);
      }
      case REGRESSION -> new Prediction.Regression(p.modelVersion(), p.asRegression().values(), contract);
      case RAW -> new Prediction.Raw(p.modelVersion(), p.asRaw().tensors(), contract);
    };
  }
}
