package dev.mlops.cli;

import dev.mlops.validation.CsvValidation;
import java.io.PrintStream;
import java.util.Locale;
import java.util.function.LongSupplier;
import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * Progress of long work on stderr: a progress bar on a terminal (bytes, speed, ETA and rows), plain
 * lines every few seconds otherwise (a CI log), nothing with {@code --quiet}. Never on stdout, which
 * holds the command's result.
 */
final class ProgressReporter implements CsvValidation.Progress, AutoCloseable {
  /** How progress is shown. */
  enum Mode {
    /** A bar when stderr looks like a terminal, else lines. */
    AUTO,
    /** A progress bar. */
    BAR,
    /** A plain line now and then. */
    LINES,
    /** Nothing. */
    NONE
  }

  private final String task;
  private final long totalBytes;
  private final PrintStream err;
  private final long intervalNanos;
  private final LongSupplier clock;
  private final long start;
  private final @Nullable ProgressBar bar;
  private final boolean lines;
  private long last;
  private long rows;
  private long bytes;
  private boolean printed;

  ProgressReporter(String task, long totalBytes, Mode mode, PrintStream err, long intervalNanos, LongSupplier clock) {
    this.task = task;
    this.totalBytes = totalBytes;
    this.err = err;
    this.intervalNanos = intervalNanos;
    this.clock = clock;
    this.start = clock.getAsLong();
    this.last = start;
    Mode m = mode == Mode.AUTO ? (System.console() != null ? Mode.BAR : Mode.LINES) : mode;
    this.lines = m == Mode.LINES;
    this.bar = m == Mode.BAR ? new ProgressBarBuilder().setTaskName(task).setInitialMax(Math.max(1, totalBytes))
        .setUnit(" MiB", 1 << 20).showSpeed().setStyle(ProgressBarStyle.ASCII).setUpdateIntervalMillis(250)
        .setConsumer(new ConsoleProgressBarConsumer(err, 100)).build() : null;
  }

  @Override
  public void read(long rowsSoFar, long bytesSoFar) {
    rows = rowsSoFar;
    bytes = bytesSoFar;
    if (bar != null) {
      bar.stepTo(Math.min(bytesSoFar, Math.max(1, totalBytes)));
      bar.setExtraMessage(String.format(Locale.ROOT, "%,d rows", rowsSoFar));
    } else if (lines) {
      long now = clock.getAsLong();
      if (now - last >= intervalNanos) {
        last = now;
        err.println(line(now));
        printed = true;
      }
    }
  }

  private String line(long now) {
    double s = Math.max(1e-9, (now - start) / 1e9);
    double share = totalBytes <= 0 ? 0 : Math.min(1.0, (double) bytes / totalBytes);
    String eta = share <= 0 ? "?" : duration((long) (s / share - s));
    return String.format(Locale.ROOT, "%s: %,d rows (%,.0f rows/s), %s of %s (%.0f%%), ETA %s", task, rows, rows / s,
        size(bytes), size(totalBytes), share * 100, eta);
  }

  private static String size(long b) {
    return b >= 1L << 30 ? String.format(Locale.ROOT, "%.2f GiB", b / (double) (1L << 30))
        : String.format(Locale.ROOT, "%.1f MiB", b / (double) (1 << 20));
  }

  private static String duration(long seconds) {
    return String.format(Locale.ROOT, "%d:%02d:%02d", seconds / 3600, seconds / 60 % 60, seconds % 60);
  }

  @Override
  public void close() {
    if (bar != null) {
      bar.close();
    } else if (lines && printed) {
      err.println(String.format(Locale.ROOT, "%s: done, %,d rows in %.1f s", task, rows,
          (clock.getAsLong() - start) / 1e9));
    }
  }
}
