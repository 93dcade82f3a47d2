package dev.mlops.benchmarks.monitoring;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.ColumnProfile;
import dev.mlops.monitoring.Profiler;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftStatistics;
import dev.mlops.monitoring.drift.DriftTest;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Kolmogorov-Smirnov on 1M vs 1M values: exact from the samples (sort + Commons Statistics p-value)
 * and from the two columns' KLL sketches (each sketch's retained items expanded by weight, capped at
 * 1,000,000 per side, then the same Commons Statistics test; see mlops-monitoring's docs).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@State(Scope.Benchmark)
public class KolmogorovSmirnovBenchmark {
  private static final int N = 1_000_000;
  private double[] reference;
  private double[] current;
  private ColumnProfile referenceProfile;
  private ColumnProfile currentProfile;

  /** Draws the samples and profiles them. */
  @Setup
  public void setUp() {
    Random r = new Random(7);
    reference = new double[N];
    current = new double[N];
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64));
    Profiler a = Profiler.create(s);
    Profiler b = Profiler.create(s);
    for (int i = 0; i < N; i++) {
      reference[i] = r.nextGaussian();
      current[i] = r.nextGaussian() * 1.01 + 0.002;
      a.record(dev.mlops.core.Row.of(s, reference[i]));
      b.record(dev.mlops.core.Row.of(s, current[i]));
    }
    referenceProfile = a.snapshot().column(0);
    currentProfile = b.snapshot().column(0);
  }

  /**
   * Exact two-sample KS with its p-value.
   *
   * @return the result
   */
  @Benchmark
  public DriftStatistics.Result exactSamples() {
    return DriftStatistics.kolmogorovSmirnov(reference, current);
  }

  /**
   * KS from the KLL sketches of the two profiles.
   *
   * @return the result
   */
  @Benchmark
  public ColumnDrift fromSketches() {
    return DriftDetector.withDefaults().compare(referenceProfile, currentProfile, DriftTest.KOLMOGOROV_SMIRNOV);
  }
}
