package dev.mlops.monitoring.performance;

import dev.mlops.core.manifest.ModelManifest;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;

/**
 * Model quality when labels arrive late. Predictions are recorded with an id (the caller's, or one
 * generated and returned) and kept in a bounded store; a label recorded later, in any order, is joined
 * to its prediction by id. Every {@code windowSize} joined pairs form a window whose metrics go to the
 * listeners and to Micrometer, compared with the model's evaluation metrics (the baseline, e.g. from
 * its manifest): a metric worse than its baseline by more than the tolerance is an alert.
 *
 * <p>Nothing is lost silently: when the store is full the oldest prediction is evicted and counted
 * ({@code mlops.performance.predictions.evicted}); a label whose prediction is not in the store
 * (evicted, never recorded, or labelled already) is counted ({@code mlops.performance.labels.unmatched});
 * a second prediction with a pending id is counted ({@code mlops.performance.predictions.duplicate})
 * and the first kept. Memory: at most {@code maxPending} predictions, each about 100 bytes plus 8 per
 * class probability, plus one window of pairs. While labels lag, the output side of a
 * {@link dev.mlops.monitoring.Monitor} (drift of the predictions against the training predictions)
 * is the proxy.
 *
 * <p>Meters (tag {@code monitor}): {@code mlops.performance.metric} (gauge per {@code metric}, last
 * window), {@code mlops.performance.pending} (gauge), the counters above and
 * {@code mlops.performance.alerts} (per {@code metric}); {@link #close()} removes them all.
 * Thread-safe.
 */
public final class PerformanceMonitor implements AutoCloseable {
  private static final Set<String> LOWER_IS_BETTER = Set.of("log_loss", "brier", "ece", "mae", "rmse", "mape");

  private final String name;
  private final @Nullable List<String> classes;
  private final Map<String, Integer> classIndex = new LinkedHashMap<>();
  private final int maxPending;
  private final int windowSize;
  private final Map<String, Double> baseline;
  private final double tolerance;
  private final List<Consumer<PerformanceWindow>> listeners;
  private final @Nullable MeterRegistry registry;

  private final LinkedHashMap<String, Pending> pending = new LinkedHashMap<>();
  private final List<Pending> joined = new ArrayList<>();
  private int windows;
  private long evicted;
  private long unmatched;
  private long duplicates;
  private @Nullable PerformanceWindow last;
  private final List<Meter> meters = new ArrayList<>();
  private final Map<String, double[]> gaugeValues = new ConcurrentHashMap<>();
  private boolean closed;

  /** A recorded prediction, and its label once joined. */
  private static final class Pending {
    final int predictedClass;
    final double predictedValue;
    final double @Nullable [] probabilities;
    int actualClass;
    double actualValue;

    Pending(int predictedClass, double predictedValue, double @Nullable [] probabilities) {
      this.predictedClass = predictedClass;
      this.predictedValue = predictedValue;
      this.probabilities = probabilities;
    }
  }

  private PerformanceMonitor(Builder b) {
    this.name = b.name;
    this.classes = b.classes;
    if (classes != null) {
      for (int i = 0; i < classes.size(); i++) {
        classIndex.put(classes.get(i), i);
      }
    }
    this.maxPending = b.maxPending;
    this.windowSize = b.windowSize;
    this.baseline = Map.copyOf(b.baseline);
    this.tolerance = b.tolerance;
    this.listeners = List.copyOf(b.listeners);
    this.registry = b.registry;
    if (registry != null) {
      Tags t = Tags.of("monitor", name);
      meters.add(Gauge.builder("mlops.performance.pending", this, m -> m.pendingCount()).tags(t).register(registry));
      counter("mlops.performance.predictions.evicted", t);
      counter("mlops.performance.labels.unmatched", t);
      counter("mlops.performance.predictions.duplicate", t);
    }
  }

  private Counter counter(String meter, Tags t) {
    Counter c = Counter.builder(meter).tags(t).register(registry);
    if (!meters.contains(c)) {
      meters.add(c);
    }
    return c;
  }

  private void increment(String meter, Tags extra) {
    if (registry != null && !closed) {
      counter(meter, Tags.of("monitor", name).and(extra)).increment();
    }
  }

  /**
   * A monitor of a classifier.
   *
   * @param name the monitor's name (the meters' tag)
   * @param classes the class labels; the second is the positive class of a binary problem
   * @return the builder
   */
  public static Builder classification(String name, List<String> classes) {
    if (classes.size() < 2 || Set.copyOf(classes).size() != classes.size()) {
      throw new IllegalArgumentException("a classifier needs at least 2 distinct classes, got " + classes);
    }
    return new Builder(name, List.copyOf(classes));
  }

  /**
   * A monitor of a regression model.
   *
   * @param name the monitor's name
   * @return the builder
   */
  public static Builder regression(String name) {
    return new Builder(name, null);
  }

  /**
   * Records a classifier's prediction under a new id.
   *
   * @param predictedLabel the predicted class
   * @param probabilities the class probabilities in the order of the classes, or null
   * @return the generated id, to record the label with
   */
  public String recordPrediction(String predictedLabel, double @Nullable [] probabilities) {
    String id = UUID.randomUUID().toString();
    recordPrediction(id, predictedLabel, probabilities);
    return id;
  }

  /**
   * Records a classifier's prediction.
   *
   * @param id the prediction's id
   * @param predictedLabel the predicted class
   * @param probabilities the class probabilities in the order of the classes, or null
   * @throws IllegalArgumentException for an unknown class or probabilities of the wrong length
   */
  public synchronized void recordPrediction(String id, String predictedLabel, double @Nullable [] probabilities) {
    requireClassification();
    int c = indexOf(predictedLabel, "predicted");
    if (probabilities != null && probabilities.length != classes.size()) {
      throw new IllegalArgumentException("prediction " + id + " has " + probabilities.length + " probabilities for "
          + classes.size() + " classes " + classes);
    }
    add(id, new Pending(c, Double.NaN, probabilities == null ? null : probabilities.clone()));
  }

  /**
   * Records a regression prediction.
   *
   * @param id the prediction's id
   * @param predicted the predicted value, finite
   */
  public synchronized void recordPrediction(String id, double predicted) {
    if (classes != null) {
      throw new IllegalStateException("monitor '" + name + "' watches a classifier: record a predicted label");
    }
    if (!Double.isFinite(predicted)) {
      throw new IllegalArgumentException("prediction " + id + " is " + predicted + "; record finite predictions");
    }
    add(id, new Pending(-1, predicted, null));
  }

  private void add(String id, Pending p) {
    Objects.requireNonNull(id, "id");
    if (pending.containsKey(id)) {
      duplicates++;
      increment("mlops.performance.predictions.duplicate", Tags.empty());
      return;
    }
    if (pending.size() == maxPending) {
      Iterator<String> oldest = pending.keySet().iterator();
      oldest.next();
      oldest.remove();
      evicted++;
      increment("mlops.performance.predictions.evicted", Tags.empty());
    }
    pending.put(id, p);
  }

  /**
   * Records the actual class of a prediction and joins it.
   *
   * @param id the prediction's id
   * @param actualLabel the actual class
   * @return true when the prediction was pending and is now joined; false (and counted) otherwise
   */
  public boolean recordLabel(String id, String actualLabel) {
    requireClassification();
    int c = indexOf(actualLabel, "actual");
    return join(id, p -> p.actualClass = c);
  }

  /**
   * Records the actual value of a regression prediction and joins it.
   *
   * @param id the prediction's id
   * @param actual the actual value, finite
   * @return true when joined
   */
  public boolean recordLabel(String id, double actual) {
    if (!Double.isFinite(actual)) {
      throw new IllegalArgumentException("label of " + id + " is " + actual + "; record finite labels");
    }
    return join(id, p -> p.actualValue = actual);
  }

  private boolean join(String id, Consumer<Pending> setLabel) {
    PerformanceWindow done = null;
    synchronized (this) {
      Pending p = pending.remove(id);
      if (p == null) {
        unmatched++;
        increment("mlops.performance.labels.unmatched", Tags.empty());
        return false;
      }
      setLabel.accept(p);
      joined.add(p);
      if (joined.size() == windowSize) {
        done = closeWindow();
      }
    }
    if (done != null) {
      publish(done);
    }
    return true;
  }

  /**
   * Closes the current window early (fewer pairs than the window size), if it has any.
   *
   * @return the window, or empty when no pair was joined since the last one
   */
  public Optional<PerformanceWindow> flush() {
    PerformanceWindow w;
    synchronized (this) {
      if (joined.isEmpty()) {
        return Optional.empty();
      }
      w = closeWindow();
    }
    publish(w);
    return Optional.of(w);
  }

  private PerformanceWindow closeWindow() {
    int n = joined.size();
    ClassificationMetrics cm = null;
    RegressionMetrics rm = null;
    Map<String, Double> metrics;
    if (classes != null) {
      int[] actual = new int[n];
      int[] predicted = new int[n];
      boolean allProbabilities = true;
      for (int i = 0; i < n; i++) {
        actual[i] = joined.get(i).actualClass;
        predicted[i] = joined.get(i).predictedClass;
        allProbabilities &= joined.get(i).probabilities != null;
      }
      double[][] probs = null;
      if (allProbabilities) {
        probs = new double[n][];
        for (int i = 0; i < n; i++) {
          probs[i] = joined.get(i).probabilities;
        }
      }
      cm = ClassificationMetrics.of(classes, actual, predicted, probs);
      metrics = cm.asMap();
    } else {
      double[] actual = new double[n];
      double[] predicted = new double[n];
      for (int i = 0; i < n; i++) {
        actual[i] = joined.get(i).actualValue;
        predicted[i] = joined.get(i).predictedValue;
      }
      rm = RegressionMetrics.of(actual, predicted);
      metrics = rm.asMap();
    }
    joined.clear();
    List<String> alerts = new ArrayList<>();
    for (Map.Entry<String, Double> e : new TreeMap<>(baseline).entrySet()) {
      Double v = metrics.get(e.getKey());
      if (v == null) {
        continue;
      }
      double base = e.getValue();
      boolean worse = LOWER_IS_BETTER.contains(e.getKey()) ? v > base + tolerance : v < base - tolerance;
      if (worse) {
        alerts.add(e.getKey() + " " + v + " against the baseline " + base + " (tolerance " + tolerance + ")");
        increment("mlops.performance.alerts", Tags.of("metric", e.getKey()));
      }
    }
    PerformanceWindow w = new PerformanceWindow(name, windows++, n, metrics, cm, rm, alerts);
    last = w;
    if (registry != null && !closed) {
      for (Map.Entry<String, Double> e : metrics.entrySet()) {
        double[] holder = gaugeValues.computeIfAbsent(e.getKey(), k -> {
          double[] h = new double[1];
          meters.add(Gauge.builder("mlops.performance.metric", h, x -> x[0])
              .tags(Tags.of("monitor", name, "metric", k)).strongReference(true).register(registry));
          return h;
        });
        holder[0] = e.getValue();
      }
    }
    return w;
  }

  private void publish(PerformanceWindow w) {
    for (Consumer<PerformanceWindow> l : listeners) {
      l.accept(w);
    }
  }

  private void requireClassification() {
    if (classes == null) {
      throw new IllegalStateException("monitor '" + name + "' watches a regression model: record numbers");
    }
  }

  private int indexOf(String label, String what) {
    Integer c = classIndex.get(label);
    if (c == null) {
      throw new IllegalArgumentException(what + " class '" + label + "' is not one of " + classes
          + " of monitor '" + name + "'");
    }
    return c;
  }

  /**
   * Predictions waiting for their label.
   *
   * @return the count, at most {@code maxPending}
   */
  public synchronized int pendingCount() {
    return pending.size();
  }

  /**
   * Predictions evicted before their label came.
   *
   * @return the count
   */
  public synchronized long evictedCount() {
    return evicted;
  }

  /**
   * Labels that found no pending prediction.
   *
   * @return the count
   */
  public synchronized long unmatchedLabelCount() {
    return unmatched;
  }

  /**
   * Predictions whose id was pending already (the first was kept).
   *
   * @return the count
   */
  public synchronized long duplicatePredictionCount() {
    return duplicates;
  }

  /**
   * The last window closed.
   *
   * @return the window, or empty before the first
   */
  public synchronized Optional<PerformanceWindow> lastWindow() {
    return Optional.ofNullable(last);
  }

  /** Removes every meter this monitor registered; recording afterwards is still possible but unmetered. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    if (registry != null) {
      for (Meter m : meters) {
        registry.remove(m);
      }
    }
    meters.clear();
  }

  /** Settings of a {@link PerformanceMonitor}. */
  public static final class Builder {
    private final String name;
    private final @Nullable List<String> classes;
    private int maxPending = 100_000;
    private int windowSize = 1_000;
    private Map<String, Double> baseline = Map.of();
    private double tolerance = 0.05;
    private final List<Consumer<PerformanceWindow>> listeners = new ArrayList<>();
    private @Nullable MeterRegistry registry;

    private Builder(String name, @Nullable List<String> classes) {
      this.name = Objects.requireNonNull(name, "name");
      this.classes = classes;
    }

    /**
     * The most predictions kept waiting for a label (default 100,000); beyond it the oldest is evicted.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder maxPending(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("maxPending must be at least 1, got " + n);
      }
      maxPending = n;
      return this;
    }

    /**
     * Joined pairs per window (default 1,000).
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder windowSize(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("windowSize must be at least 1, got " + n);
      }
      windowSize = n;
      return this;
    }

    /**
     * The metrics each window is compared with, by the names of {@link ClassificationMetrics#asMap()}
     * or {@link RegressionMetrics#asMap()}.
     *
     * @param metrics the baseline
     * @return this builder
     */
    public Builder baseline(Map<String, Double> metrics) {
      baseline = Map.copyOf(metrics);
      return this;
    }

    /**
     * The baseline from a model's manifest: its evaluation metrics.
     *
     * @param manifest the manifest of the model watched
     * @return this builder
     */
    public Builder baseline(ModelManifest manifest) {
      return baseline(manifest.metrics());
    }

    /**
     * How much worse than its baseline a metric may be before it is an alert (absolute; default 0.05).
     *
     * @param t at least 0
     * @return this builder
     */
    public Builder tolerance(double t) {
      if (!(t >= 0) || Double.isInfinite(t)) {
        throw new IllegalArgumentException("tolerance must be finite and at least 0, got " + t);
      }
      tolerance = t;
      return this;
    }

    /**
     * Receives every window (on the thread that joined its last pair).
     *
     * @param l the listener
     * @return this builder
     */
    public Builder listener(Consumer<PerformanceWindow> l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * Where the meters go.
     *
     * @param r the registry
     * @return this builder
     */
    public Builder registry(MeterRegistry r) {
      registry = Objects.requireNonNull(r, "registry");
      return this;
    }

    /**
     * Builds the monitor.
     *
     * @return the monitor
     */
    public PerformanceMonitor build() {
      return new PerformanceMonitor(this);
    }
  }
}
