package dev.mlops.monitoring;

import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * Counts of values in consecutive bins {@code [edges[i], edges[i+1])} (the last bin also holds its
 * upper edge). Counts are estimates when they come from a KLL sketch (each cumulative count is within
 * the sketch's rank error times the column count). Immutable: arrays are copied in and out.
 */
public final class Histogram {
  private final double[] edges;
  private final double[] counts;

  private Histogram(double[] edges, double[] counts) {
    this.edges = edges;
    this.counts = counts;
  }

  /**
   * A histogram from bin edges and counts.
   *
   * @param edges ascending bin edges, one more than counts
   * @param counts the count of each bin, non-negative
   * @return the histogram
   * @throws IllegalArgumentException when the lengths disagree or edges are not ascending
   */
  public static Histogram of(double[] edges, double[] counts) {
    if (edges.length != counts.length + 1) {
      throw new IllegalArgumentException("A histogram needs one more edge than counts; got "
          + edges.length + " edges and " + counts.length + " counts");
    }
    for (int i = 1; i < edges.length; i++) {
      if (!(edges[i] >= edges[i - 1])) {
        throw new IllegalArgumentException("Histogram edges must ascend; edge " + i + " = " + edges[i]
            + " is below edge " + (i - 1) + " = " + edges[i - 1]);
      }
    }
    return new Histogram(edges.clone(), counts.clone());
  }

  /**
   * The bin edges.
   *
   * @return a copy, ascending, {@code binCount() + 1} long
   */
  public double[] edges() {
    return edges.clone();
  }

  /**
   * The bin counts.
   *
   * @return a copy, {@code binCount()} long
   */
  public double[] counts() {
    return counts.clone();
  }

  /**
   * Number of bins.
   *
   * @return the count
   */
  public int binCount() {
    return counts.length;
  }

  /**
   * Sum of the counts.
   *
   * @return the total
   */
  public double total() {
    double t = 0;
    for (double c : counts) {
      t += c;
    }
    return t;
  }

  /**
   * The counts divided by their total; all zeros when the total is zero.
   *
   * @return the proportions
   */
  public double[] proportions() {
    double t = total();
    double[] p = new double[counts.length];
    if (t > 0) {
      for (int i = 0; i < p.length; i++) {
        p[i] = counts[i] / t;
      }
    }
    return p;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Histogram h && Arrays.equals(edges, h.edges) && Arrays.equals(counts, h.counts);
  }

  @Override
  public int hashCode() {
    return 31 * Arrays.hashCode(edges) + Arrays.hashCode(counts);
  }

  @Override
  public String toString() {
    return "Histogram[edges=" + Arrays.toString(edges) + ", counts=" + Arrays.toString(counts) + "]";
  }
}
