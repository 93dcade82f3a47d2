package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** Progress on stderr: lines with rows/s, bytes and ETA off a terminal, a bar on one, nothing when quiet. */
class ProgressReporterTest {
  private static final long MIB = 1 << 20;

  @Test
  void plainLinesCarryRowsSpeedBytesAndEta() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    AtomicLong clock = new AtomicLong();
    try (ProgressReporter p = new ProgressReporter("validate", 100 * MIB, ProgressReporter.Mode.LINES,
        new PrintStream(err, true, StandardCharsets.UTF_8), 5_000_000_000L, clock::get)) {
      clock.set(1_000_000_000L);
      p.read(10_000, 10 * MIB); // before the interval: nothing
      clock.set(5_000_000_000L);
      p.read(50_000, 25 * MIB);
      clock.set(6_000_000_000L);
      p.read(60_000, 30 * MIB); // within the interval of the last line: nothing
    }
    assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).containsExactly(
        "validate: 50,000 rows (10,000 rows/s), 25.0 MiB of 100.0 MiB (25%), ETA 0:00:15",
        "validate: done, 60,000 rows in 6.0 s");
  }

  @Test
  void aBarShowsTheTaskAndItsShare() throws Exception {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ProgressReporter p = new ProgressReporter("predict", 10 * MIB, ProgressReporter.Mode.BAR,
        new PrintStream(err, true, StandardCharsets.UTF_8), 0, System::nanoTime)) {
      p.read(1_000, 5 * MIB);
      Thread.sleep(400);
    }
    String shown = err.toString(StandardCharsets.UTF_8);
    assertThat(shown).contains("predict").contains("%").contains("1,000 rows");
  }

  @Test
  void quietShowsNothing() {
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (ProgressReporter p = new ProgressReporter("validate", MIB, ProgressReporter.Mode.NONE,
        new PrintStream(err, true, StandardCharsets.UTF_8), 0, System::nanoTime)) {
      p.read(1, MIB);
    }
    assertThat(err.size()).isZero();
  }
}
