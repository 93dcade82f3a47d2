package dev.mlops.monitoring.performance;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Classification quality of joined (actual, predicted) pairs, as scikit-learn computes it: accuracy;
 * precision, recall and F1 per class (0 where a class was never predicted or never actual, sklearn's
 * {@code zero_division=0}) and macro F1; from the probabilities, ROC AUC (binary: of the second
 * class; more classes: macro one-vs-rest), log loss (probabilities clipped to [2^-52, 1 - 2^-52] and
 * renormalized) and, for two classes, the Brier score, the reliability curve (10 uniform bins, as
 * {@code calibration_curve}) and the expected calibration error over those bins.
 *
 * @param classes the class labels; the second is the positive class of a binary problem
 * @param count pairs
 * @param accuracy the share predicted right
 * @param precision per class
 * @param recall per class
 * @param f1 per class
 * @param macroF1 the mean of the per-class F1
 * @param rocAuc ROC AUC; NaN without probabilities or when a class never occurs
 * @param logLoss log loss; NaN without probabilities
 * @param brier Brier score (binary); NaN otherwise
 * @param expectedCalibrationError ECE over the reliability bins (binary); NaN otherwise
 * @param reliability the non-empty reliability bins (binary), in order
 */
public record ClassificationMetrics(List<String> classes, int count, double accuracy, List<Double> precision,
    List<Double> recall, List<Double> f1, double macroF1, double rocAuc, double logLoss, double brier,
    double expectedCalibrationError, List<ReliabilityBin> reliability) {
  private static final double EPS = Math.ulp(1.0);

  /**
   * One bin of the reliability curve.
   *
   * @param meanPredicted the mean predicted probability of the positive class in the bin
   * @param observed the share of the bin's pairs that were positive
   * @param count pairs in the bin
   */
  public record ReliabilityBin(double meanPredicted, double observed, int count) {}

  /**
   * Copies the lists.
   *
   * @param classes classes
   * @param count count
   * @param accuracy accuracy
   * @param precision precision
   * @param recall recall
   * @param f1 F1
   * @param macroF1 macro F1
   * @param rocAuc AUC
   * @param logLoss log loss
   * @param brier Brier
   * @param expectedCalibrationError ECE
   * @param reliability bins
   */
  public ClassificationMetrics {
    classes = List.copyOf(classes);
    precision = List.copyOf(precision);
    recall = List.copyOf(recall);
    f1 = List.copyOf(f1);
    reliability = List.copyOf(reliability);
  }

  /**
   * Computes the metrics.
   *
   * @param classes the class labels, at least 2
   * @param actual each pair's actual class, as an index into {@code classes}
   * @param predicted each pair's predicted class
   * @param probabilities each pair's class probabilities (rows of {@code classes.size()}), or null
   * @return the metrics
   */
  public static ClassificationMetrics of(List<String> classes, int[] actual, int[] predicted,
      double @Nullable [][] probabilities) {
    int k = classes.size();
    int n = actual.length;
    if (k < 2) {
      throw new IllegalArgumentException("classification needs at least 2 classes, got " + classes);
    }
    if (predicted.length != n || probabilities != null && probabilities.length != n) {
      throw new IllegalArgumentException("expected " + n + " predictions and probability rows");
    }
    long[] tp = new long[k];
    long[] predictedCount = new long[k];
    long[] actualCount = new long[k];
    long right = 0;
    for (int i = 0; i < n; i++) {
      int a = checkIndex(actual[i], k, "actual", i);
      int p = checkIndex(predicted[i], k, "predicted", i);
      actualCount[a]++;
      predictedCount[p]++;
      if (a == p) {
        tp[a]++;
        right++;
      }
    }
    List<Double> precision = new ArrayList<>(k);
    List<Double> recall = new ArrayList<>(k);
    List<Double> f1 = new ArrayList<>(k);
    double f1Sum = 0;
    for (int c = 0; c < k; c++) {
      double pr = predictedCount[c] == 0 ? 0 : (double) tp[c] / predictedCount[c];
      double re = actualCount[c] == 0 ? 0 : (double) tp[c] / actualCount[c];
      double f = pr + re == 0 ? 0 : 2 * pr * re / (pr + re);
      precision.add(pr);
      recall.add(re);
      f1.add(f);
      f1Sum += f;
    }
    double auc = Double.NaN;
    double logLoss = Double.NaN;
    double brier = Double.NaN;
    double ece = Double.NaN;
    List<ReliabilityBin> bins = List.of();
    if (probabilities != null && n > 0) {
      for (int i = 0; i < n; i++) {
        if (probabilities[i].length != k) {
          throw new IllegalArgumentException("probability row " + i + " has " + probabilities[i].length
              + " entries, expected " + k);
        }
        for (double v : probabilities[i]) {
          if (!(v >= 0 && v <= 1)) {
            throw new IllegalArgumentException("probability row " + i + " holds " + v + ", outside [0, 1]");
          }
        }
      }
      logLoss = logLoss(actual, probabilities, k);
      if (k == 2) {
        double[] pos = new double[n];
        boolean[] isPos = new boolean[n];
        double b = 0;
        for (int i = 0; i < n; i++) {
          pos[i] = probabilities[i][1];
          isPos[i] = actual[i] == 1;
          double y = isPos[i] ? 1 : 0;
          b += (pos[i] - y) * (pos[i] - y);
        }
        brier = b / n;
        auc = auc(pos, isPos);
        bins = reliability(pos, isPos);
        double e = 0;
        for (ReliabilityBin r : bins) {
          e += (double) r.count() / n * Math.abs(r.observed() - r.meanPredicted());
        }
        ece = e;
      } else {
        double sum = 0;
        for (int c = 0; c < k; c++) {
          double[] score = new double[n];
          boolean[] is = new boolean[n];
          for (int i = 0; i < n; i++) {
            score[i] = probabilities[i][c];
            is[i] = actual[i] == c;
          }
          sum += auc(score, is);
        }
        auc = sum / k;
      }
    }
    return new ClassificationMetrics(classes, n, n == 0 ? Double.NaN : (double) right / n, precision, recall, f1,
        f1Sum / k, auc, logLoss, brier, ece, bins);
  }

  private static int checkIndex(int c, int k, String what, int i) {
    if (c < 0 || c >= k) {
      throw new IllegalArgumentException(what + " class of pair " + i + " is " + c + ", not one of the " + k
          + " classes");
    }
    return c;
  }

  private static double logLoss(int[] actual, double[][] p, int k) {
    double sum = 0;
    for (int i = 0; i < actual.length; i++) {
      double total = 0;
      for (int c = 0; c < k; c++) {
        total += Math.min(1 - EPS, Math.max(EPS, p[i][c]));
      }
      double mine = Math.min(1 - EPS, Math.max(EPS, p[i][actual[i]])) / total;
      sum -= Math.log(mine);
    }
    return sum / actual.length;
  }

  /** Mann-Whitney AUC with tied scores ranked by their mean rank; NaN when one side is empty. */
  static double auc(double[] score, boolean[] positive) {
    int n = score.length;
    Integer[] order = new Integer[n];
    for (int i = 0; i < n; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(score[a], score[b]));
    double rankSum = 0;
    long pos = 0;
    int i = 0;
    while (i < n) {
      int j = i;
      while (j + 1 < n && score[order[j + 1]] == score[order[i]]) {
        j++;
      }
      double rank = (i + j) / 2.0 + 1;
      for (int t = i; t <= j; t++) {
        if (positive[order[t]]) {
          rankSum += rank;
          pos++;
        }
      }
      i = j + 1;
    }
    long neg = n - pos;
    if (pos == 0 || neg == 0) {
      return Double.NaN;
    }
    return (rankSum - pos * (pos + 1) / 2.0) / ((double) pos * neg);
  }

  /** scikit-learn's calibration_curve, 10 uniform bins: bin = number of inner edges j / 10 below p. */
  private static List<ReliabilityBin> reliability(double[] p, boolean[] positive) {
    double[] sumP = new double[10];
    long[] pos = new long[10];
    int[] count = new int[10];
    for (int i = 0; i < p.length; i++) {
      int b = 0;
      for (int j = 1; j <= 9; j++) {
        if (j * 0.1 < p[i]) {
          b = j;
        }
      }
      sumP[b] += p[i];
      pos[b] += positive[i] ? 1 : 0;
      count[b]++;
    }
    List<ReliabilityBin> out = new ArrayList<>();
    for (int b = 0; b < 10; b++) {
      if (count[b] > 0) {
        out.add(new ReliabilityBin(sumP[b] / count[b], (double) pos[b] / count[b], count[b]));
      }
    }
    return out;
  }

  /**
   * The scalar metrics by name: {@code accuracy}, {@code macro_f1}, {@code roc_auc},
   * {@code log_loss}, {@code brier}, {@code ece}, and {@code precision.<class>},
   * {@code recall.<class>}, {@code f1.<class>}; NaN entries left out.
   *
   * @return the map
   */
  public Map<String, Double> asMap() {
    Map<String, Double> m = new LinkedHashMap<>();
    put(m, "accuracy", accuracy);
    put(m, "macro_f1", macroF1);
    put(m, "roc_auc", rocAuc);
    put(m, "log_loss", logLoss);
    put(m, "brier", brier);
    put(m, "ece", expectedCalibrationError);
    for (int c = 0; c < classes.size(); c++) {
      put(m, "precision." + classes.get(c), precision.get(c));
      put(m, "recall." + classes.get(c), recall.get(c));
      put(m, "f1." + classes.get(c), f1.get(c));
    }
    return m;
  }

  private static void put(Map<String, Double> m, String k, double v) {
    if (!Double.isNaN(v)) {
      m.put(k, v);
    }
  }
}
