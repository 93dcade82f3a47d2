package dev.mlops.serving.soak;

import dev.mlops.core.DeadlineExceededException;
import dev.mlops.core.OverloadedException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.LongAdder;

/**
 * What became of the requests of one kind of caller: each submitted request ends in exactly one of
 * served, deadline exceeded, cancelled, overloaded or other (any other failure, or a wrong answer),
 * so {@code completed() == submitted} means none was lost.
 */
final class Outcomes {
  private static final int KEPT = 5;
  final String kind;
  final LongAdder submitted = new LongAdder();
  final LongAdder served = new LongAdder();
  final LongAdder deadlineExceeded = new LongAdder();
  final LongAdder cancelled = new LongAdder();
  final LongAdder overloaded = new LongAdder();
  final LongAdder other = new LongAdder();
  /** Requests whose outcome did not arrive within the bound the caller waits. */
  final LongAdder lost = new LongAdder();
  final LatencyHistogram latency = new LatencyHistogram();
  /** The first few failures counted as other, for the report. */
  final List<Throwable> firstOthers = new CopyOnWriteArrayList<>();

  Outcomes(String kind) {
    this.kind = kind;
  }

  void served(long nanos) {
    latency.record(nanos);
    served.increment();
  }

  void failed(Throwable t) {
    Throwable c = t;
    while ((c instanceof CompletionException || c instanceof ExecutionException) && c.getCause() != null) {
      c = c.getCause();
    }
    if (c instanceof DeadlineExceededException) {
      deadlineExceeded.increment();
    } else if (c instanceof CancellationException) {
      cancelled.increment();
    } else if (c instanceof OverloadedException) {
      overloaded.increment();
    } else {
      if (firstOthers.size() < KEPT) {
        firstOthers.add(c);
      }
      other.increment();
    }
  }

  long completed() {
    return served.sum() + deadlineExceeded.sum() + cancelled.sum() + overloaded.sum() + other.sum();
  }

  static String header() {
    return String.format(Locale.ROOT, "%-22s %11s %11s %9s %9s %10s %6s %5s %9s %9s", "caller kind", "submitted",
        "served", "deadline", "cancelled", "overloaded", "other", "lost", "p50 ms", "p99 ms");
  }

  String line() {
    return String.format(Locale.ROOT, "%-22s %11d %11d %9d %9d %10d %6d %5d %9.3f %9.3f", kind, submitted.sum(),
        served.sum(), deadlineExceeded.sum(), cancelled.sum(), overloaded.sum(), other.sum(), lost.sum(),
        latency.quantileMillis(0.50), latency.quantileMillis(0.99));
  }
}
