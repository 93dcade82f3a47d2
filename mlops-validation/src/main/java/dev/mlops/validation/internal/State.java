package dev.mlops.validation.internal;

import dev.mlops.validation.FailingExample;
import dev.mlops.validation.ValidationReport;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The accumulator of one {@link Check} over a batch or a session: counts, the first failing
 * examples and, for dataset checks, the running statistic. The row and batch paths feed the same
 * state through the same methods, in row order, so they reach bit-identical results.
 */
public final class State {
  /** Receives every failure as it happens (used to build quarantine batches). */
  public interface FailureSink {
    /**
     * Called once per failing value.
     *
     * @param check the check that failed
     * @param row the row index
     * @param value the value as text
     */
    void onFailure(Check check, long row, String value);
  }

  final Check check;
  private final @Nullable FailureSink sink;
  long evaluated;
  long failing;
  private @Nullable List<FailingExample> examples;

  // Welford running mean and sum of squared deviations (mean, stddev).
  long n;
  double mean;
  double m2;

  // All values (quantile).
  double[] values = new double[0];
  int size;

  // Seen values (unique).
  @Nullable HashSet<Object> seen;

  State(Check check, @Nullable FailureSink sink) {
    this.check = check;
    this.sink = sink;
  }

  void fail(long row, String value) {
    failing++;
    List<FailingExample> ex = examples;
    if (ex == null) {
      ex = new ArrayList<>(ValidationReport.MAX_EXAMPLES);
      examples = ex;
    }
    if (ex.size() < ValidationReport.MAX_EXAMPLES) {
      ex.add(new FailingExample(row, value));
    }
    if (sink != null) {
      sink.onFailure(check, row, value);
    }
  }

  List<FailingExample> examples() {
    return examples == null ? List.of() : examples;
  }

  void welford(double x) {
    n++;
    double delta = x - mean;
    mean += delta / n;
    m2 += delta * (x - mean);
  }

  void push(double x) {
    if (size == values.length) {
      values = Arrays.copyOf(values, Math.max(16, size * 2));
    }
    values[size++] = x;
  }

  HashSet<Object> seen() {
    HashSet<Object> s = seen;
    if (s == null) {
      s = new HashSet<>();
      seen = s;
    }
    return s;
  }
}
