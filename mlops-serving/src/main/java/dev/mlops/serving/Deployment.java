package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.composite.CompositeMeterRegistry;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes requests for one model across its versions: the active version, an optional canary that
 * takes a weighted, key-sticky share of traffic, and an optional shadow that sees a copy of every
 * request off the caller's thread.
 *
 * <p><b>Hot swap.</b> {@link #swapTo(String)} loads and warms the new version first; if that fails
 * the old version keeps serving and the error is thrown. Then the switch is one atomic reference
 * update: calls already running finish on the old version, which is closed exactly once, by whichever
 * thread finishes its last call (each version holds a reference count: one for being routed to, one
 * per call in flight). A request never sees a closed predictor.
 *
 * <p><b>Shadow.</b> The shadow's prediction runs on a bounded single-thread executor; its agreement
 * with the answer the caller got ({@code mlops.serving.shadow.agreements} /
 * {@code .disagreements}), its latency ({@code mlops.serving.shadow.latency}), its failures
 * ({@code .errors}) and requests dropped because the shadow fell behind ({@code .dropped}) are
 * metered; nothing the shadow does reaches the caller. {@link #shadowStats()} counts the same outcomes
 * whether or not a meter registry was given, and {@link #close()} removes every meter the deployment
 * registered (a meter shared by two open deployments of one model in one registry goes with the last).
 *
 * <p>Thread-safe. Route changes (swap, canary, shadow, rollback) are serialized among themselves.
 */
public final class Deployment implements Predictor {
  private static final Logger LOG = LoggerFactory.getLogger(Deployment.class);

  /** Loads one version of the model as a ready (warmed) predictor. */
  @FunctionalInterface
  public interface VersionLoader {
    /**
     * Loads a version.
     *
     * @param version the version
     * @return the predictor; the deployment owns and closes it
     */
    Predictor load(String version);

    /**
     * Loads {@code model/version} from a repository, verified, and builds a predictor from it.
     *
     * @param repository the repository
     * @param model the model name
     * @param factory builds the predictor, e.g. {@code vm -> Predictor.builder(vm).build()}
     * @return the loader
     * @throws IllegalArgumentException when the model name is not a valid name segment
     */
    static VersionLoader fromRepository(ModelRepository repository, String model,
        Function<VerifiedModel, Predictor> factory) {
      Objects.requireNonNull(repository, "repository");
      Objects.requireNonNull(factory, "factory");
      ModelRef.checkSegment("model name", model);
      return version -> repository.load(ModelRef.ofVersion(model, version), factory);
    }
  }

  /** One routed version with its reference count; closed when the count drops to zero. */
  private static final class Slot {
    final Predictor predictor;
    final String version;
    final AtomicInteger refs = new AtomicInteger(1);

    Slot(Predictor predictor, String version) {
      this.predictor = predictor;
      this.version = version;
    }

    boolean retain() {
      for (;;) {
        int r = refs.get();
        if (r == 0) {
          return false;
        }
        if (refs.compareAndSet(r, r + 1)) {
          return true;
        }
      }
    }

    void release() {
      if (refs.decrementAndGet() == 0) {
        try {
          predictor.close();
        } catch (RuntimeException e) {
          LOG.warn("Closing version {} failed: {}", version, e.toString());
        }
      }
    }
  }

  private final String model;
  private final VersionLoader loader;
  private final AtomicReference<@Nullable Slot> active = new AtomicReference<>();
  private final AtomicReference<@Nullable Slot> canary = new AtomicReference<>();
  private final AtomicReference<@Nullable Slot> shadow = new AtomicReference<>();
  private volatile int canaryBasisPoints;
  private volatile @Nullable String previous;
  private final Object routeLock = new Object();
  private final ExecutorService shadowExecutor;
  private final double shadowTolerance;
  /** Open deployments per registry and model, so meters they share are removed only by the last. */
  private static final Map<MeterRegistry, Map<String, Integer>> USERS = new WeakHashMap<>();

  /** One shadow outcome: kept here for {@link #shadowStats()}, and in the registry's counter. */
  private static final class Outcome {
    final LongAdder count = new LongAdder();
    final Counter counter;

    Outcome(Counter counter) {
      this.counter = counter;
    }

    void increment() {
      count.increment();
      counter.increment();
    }
  }

  private final Outcome agreements;
  private final Outcome disagreements;
  private final Outcome shadowErrors;
  private final Outcome shadowDropped;
  private final Timer shadowLatency;
  private final MeterRegistry registry;
  private final List<Meter> meters = new ArrayList<>();
  private volatile boolean closed;

  private Deployment(String model, VersionLoader loader, String initialVersion, MeterRegistry registry,
      int shadowQueue, double shadowTolerance) {
    this.model = model;
    this.loader = loader;
    this.shadowTolerance = shadowTolerance;
    this.registry = registry;
    this.shadowExecutor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.MILLISECONDS,
        new ArrayBlockingQueue<>(shadowQueue), r -> {
          Thread t = new Thread(r, "mlops-shadow-" + model);
          t.setDaemon(true);
          return t;
        }, new ThreadPoolExecutor.AbortPolicy());
    synchronized (USERS) {
      USERS.computeIfAbsent(registry, r -> new HashMap<>()).merge(model, 1, Integer::sum);
    }
    agreements = new Outcome(add(Counter.builder("mlops.serving.shadow.agreements").tag("model", model)
        .description("Shadow predictions that agreed with the served one").register(registry)));
    disagreements = new Outcome(add(Counter.builder("mlops.serving.shadow.disagreements").tag("model", model)
        .description("Shadow predictions that did not agree with the served one").register(registry)));
    shadowErrors = new Outcome(add(Counter.builder("mlops.serving.shadow.errors").tag("model", model)
        .description("Shadow predictions that failed").register(registry)));
    shadowDropped = new Outcome(add(Counter.builder("mlops.serving.shadow.dropped").tag("model", model)
        .description("Requests not shadowed because the shadow queue was full").register(registry)));
    shadowLatency = add(Timer.builder("mlops.serving.shadow.latency").tag("model", model)
        .description("Time of one shadow prediction").register(registry));
    try {
      active.set(new Slot(loader.load(initialVersion), initialVersion));
    } catch (RuntimeException | Error e) {
      removeMeters();
      shadowExecutor.shutdown();
      throw e;
    }
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  private void removeMeters() {
    synchronized (USERS) {
      Map<String, Integer> users = USERS.get(registry);
      Integer left = users == null ? null : users.merge(model, -1, Integer::sum);
      if (left != null && left > 0) {
        return;
      }
      if (users != null) {
        users.remove(model);
      }
    }
    for (Meter m : meters) {
      registry.remove(m);
    }
  }

  /**
   * Starts a deployment serving {@code initialVersion}.
   *
   * @param model the model name (for messages and meter tags)
   * @param loader loads versions as warmed predictors
   * @param initialVersion the first active version
   * @return the deployment
   */
  public static Deployment start(String model, VersionLoader loader, String initialVersion) {
    return builder(model, loader).start(initialVersion);
  }

  /**
   * A builder for the optional settings.
   *
   * @param model the model name
   * @param loader loads versions as warmed predictors
   * @return the builder
   */
  public static Builder builder(String model, VersionLoader loader) {
    return new Builder(model, loader);
  }

  /** Optional settings of a {@link Deployment}. */
  public static final class Builder {
    private final String model;
    private final VersionLoader loader;
    private MeterRegistry registry = new CompositeMeterRegistry();
    private int shadowQueue = 1024;
    private double shadowTolerance = 1e-6;

    private Builder(String model, VersionLoader loader) {
      this.model = ModelRef.checkSegment("model name", model);
      this.loader = Objects.requireNonNull(loader, "loader");
    }

    /**
     * Where shadow meters go (default: nowhere).
     *
     * @param r the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry r) {
      this.registry = Objects.requireNonNull(r, "registry");
      return this;
    }

    /**
     * Most shadow requests waiting; more are dropped and counted (default 1024).
     *
     * @param n the bound, >= 1
     * @return this builder
     */
    public Builder shadowQueue(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("shadowQueue must be >= 1, got " + n);
      }
      this.shadowQueue = n;
      return this;
    }

    /**
     * Absolute tolerance under which shadow regression values and raw tensors agree (default 1e-6);
     * classifications agree when labels are equal.
     *
     * @param tolerance the tolerance, >= 0
     * @return this builder
     */
    public Builder shadowTolerance(double tolerance) {
      if (!(tolerance >= 0)) {
        throw new IllegalArgumentException("shadowTolerance must be >= 0, got " + tolerance);
      }
      this.shadowTolerance = tolerance;
      return this;
    }

    /**
     * Loads the initial version and starts serving it.
     *
     * @param initialVersion the version
     * @return the deployment
     */
    public Deployment start(String initialVersion) {
      return new Deployment(model, loader, ModelRef.checkSegment("version", initialVersion), registry, shadowQueue,
          shadowTolerance);
    }
  }

  private static @Nullable Slot acquire(AtomicReference<@Nullable Slot> ref) {
    for (;;) {
      Slot s = ref.get();
      if (s == null || s.retain()) {
        return s;
      }
    }
  }

  private Slot acquireActive() {
    Slot s = acquire(active);
    if (s == null) {
      throw new IllegalStateException("Deployment of " + model + " is closed");
    }
    return s;
  }

  /**
   * Predicts on the active version (canary traffic is routed only by {@link #predict(String, Row)}).
   *
   * @param row the row
   * @return the prediction
   */
  @Override
  public Prediction predict(Row row) {
    return predictOn(acquireActive(), row);
  }

  private Prediction predictOn(Slot s, Row row) {
    try {
      Prediction p = s.predictor.predict(row);
      shadow(row, p);
      return p;
    } finally {
      s.release();
    }
  }

  /**
   * Predicts with canary routing: a key always goes to the same side while the canary's weight is
   * unchanged (the key's stable hash picks one of 10,000 buckets; the first {@code weight * 10,000} go
   * to the canary).
   *
   * @param key a routing key such as a user or account id
   * @param row the row
   * @return the prediction; {@link Prediction#modelVersion()} says which version answered
   */
  public Prediction predict(String key, Row row) {
    @Nullable Slot s = null;
    int bp = canaryBasisPoints;
    if (bp > 0 && bucket(key) < bp) {
      s = acquire(canary);
    }
    return predictOn(s != null ? s : acquireActive(), row);
  }

  /**
   * Predicts a batch on the active version.
   *
   * @param batch the batch
   * @return one prediction per row
   */
  @Override
  public List<Prediction> predict(Batch batch) {
    Slot s = acquireActive();
    try {
      return s.predictor.predict(batch);
    } finally {
      s.release();
    }
  }

  /**
   * Predicts one row on the active version without blocking; the version stays open until the future
   * completes, and a shadow, if any, sees the row once it has. Input errors are thrown at once, as
   * {@link Predictor#predictAsync(Row)} says.
   *
   * @param row the row
   * @return the prediction
   */
  @Override
  public CompletableFuture<Prediction> predictAsync(Row row) {
    return predictAsyncOn(acquireActive(), row, null);
  }

  /**
   * Like {@link #predictAsync(Row)} with a deadline, as {@link Predictor#predictAsync(Row, Duration)}.
   *
   * @param row the row
   * @param deadline how long the request may wait before it runs
   * @return the prediction
   */
  @Override
  public CompletableFuture<Prediction> predictAsync(Row row, Duration deadline) {
    Objects.requireNonNull(deadline, "deadline");
    return predictAsyncOn(acquireActive(), row, deadline);
  }

  private CompletableFuture<Prediction> predictAsyncOn(Slot s, Row row, @Nullable Duration deadline) {
    CompletableFuture<Prediction> f;
    try {
      f = deadline == null ? s.predictor.predictAsync(row) : s.predictor.predictAsync(row, deadline);
    } catch (RuntimeException | Error e) {
      s.release();
      throw e;
    }
    return f.whenComplete((p, e) -> {
      s.release();
      if (p != null) {
        shadow(row, p);
      }
    });
  }

  /**
   * The active version's input schema.
   *
   * @return the schema
   */
  @Override
  public Schema inputSchema() {
    Slot s = acquireActive();
    try {
      return s.predictor.inputSchema();
    } finally {
      s.release();
    }
  }

  /**
   * The deployed model's name.
   *
   * @return the name
   */
  @Override
  public String modelName() {
    return model;
  }

  /**
   * The active version, as {@link #activeVersion()}.
   *
   * @return the version
   */
  @Override
  public String modelVersion() {
    return activeVersion();
  }

  /**
   * The device of the active version.
   *
   * @return the device
   */
  @Override
  public Device device() {
    Slot s = acquireActive();
    try {
      return s.predictor.device();
    } finally {
      s.release();
    }
  }

  static int bucket(String key) {
    long h = 0xcbf29ce484222325L;
    for (int i = 0; i < key.length(); i++) {
      h ^= key.charAt(i);
      h *= 0x100000001b3L;
    }
    h ^= h >>> 33;
    h *= 0xff51afd7ed558ccdL;
    h ^= h >>> 33;
    return (int) Math.floorMod(h, 10_000L);
  }

  private void shadow(Row row, Prediction served) {
    Slot s = acquire(shadow);
    if (s == null) {
      return;
    }
    try {
      shadowExecutor.execute(() -> {
        long start = System.nanoTime();
        try {
          Prediction p = s.predictor.predict(row);
          shadowLatency.record(System.nanoTime() - start, TimeUnit.NANOSECONDS);
          (p.agreesWith(served, shadowTolerance) ? agreements : disagreements).increment();
        } catch (RuntimeException e) {
          shadowErrors.increment();
          LOG.debug("Shadow version {} of {} failed", s.version, model, e);
        } finally {
          s.release();
        }
      });
    } catch (RejectedExecutionException e) {
      shadowDropped.increment();
      s.release();
    }
  }

  private Slot load(String version) {
    ModelRef.checkSegment("version", version);
    if (closed) {
      throw new IllegalStateException("Deployment of " + model + " is closed");
    }
    return new Slot(loader.load(version), version);
  }

  private static void retire(@Nullable Slot s) {
    if (s != null) {
      s.release();
    }
  }

  /**
   * Loads and warms {@code version}, then makes it the active version. In-flight calls finish on the
   * old version, which is closed after them. If loading fails, the old version keeps serving and the
   * load error is thrown.
   *
   * @param version the new version
   */
  public void swapTo(String version) {
    synchronized (routeLock) {
      Slot next = load(version);
      Slot old = active.getAndSet(next);
      if (old != null) {
        previous = old.version;
      }
      LOG.info("Deployment {} now serves version {} (was {})", model, version, old == null ? null : old.version);
      retire(old);
    }
  }

  /**
   * Swaps back to the version that was active before the last swap or promotion.
   *
   * @throws IllegalStateException when there was none
   */
  public void rollback() {
    synchronized (routeLock) {
      String prev = previous;
      if (prev == null) {
        throw new IllegalStateException("Deployment of " + model + " has no previous version to roll back to");
      }
      swapTo(prev);
    }
  }

  /**
   * Starts (or replaces) a canary that gets {@code weight} of keyed traffic.
   *
   * @param version the canary version
   * @param weight share of keys, in [0, 1]
   */
  public void startCanary(String version, double weight) {
    if (!(weight >= 0 && weight <= 1)) {
      throw new IllegalArgumentException("Canary weight must be in [0, 1], got " + weight);
    }
    synchronized (routeLock) {
      Slot next = load(version);
      canaryBasisPoints = 0;
      retire(canary.getAndSet(next));
      canaryBasisPoints = (int) Math.round(weight * 10_000);
    }
  }

  /** Makes the canary the active version (the old active becomes the rollback target). */
  public void promoteCanary() {
    synchronized (routeLock) {
      Slot c = canary.getAndSet(null);
      canaryBasisPoints = 0;
      if (c == null) {
        throw new IllegalStateException("Deployment of " + model + " has no canary to promote");
      }
      Slot old = active.getAndSet(c);
      if (old != null) {
        previous = old.version;
      }
      retire(old);
    }
  }

  /** Stops the canary; all traffic goes to the active version. */
  public void stopCanary() {
    synchronized (routeLock) {
      canaryBasisPoints = 0;
      retire(canary.getAndSet(null));
    }
  }

  /**
   * Starts (or replaces) a shadow version that sees a copy of every row request.
   *
   * @param version the shadow version
   */
  public void startShadow(String version) {
    synchronized (routeLock) {
      retire(shadow.getAndSet(load(version)));
    }
  }

  /** Stops the shadow. */
  public void stopShadow() {
    synchronized (routeLock) {
      retire(shadow.getAndSet(null));
    }
  }

  /**
   * The active version.
   *
   * @return the version
   */
  public String activeVersion() {
    Slot s = active.get();
    if (s == null) {
      throw new IllegalStateException("Deployment of " + model + " is closed");
    }
    return s.version;
  }

  /**
   * The canary version, if any.
   *
   * @return the version
   */
  public Optional<String> canaryVersion() {
    Slot s = canary.get();
    return s == null ? Optional.empty() : Optional.of(s.version);
  }

  /**
   * The shadow version, if any.
   *
   * @return the version
   */
  public Optional<String> shadowVersion() {
    Slot s = shadow.get();
    return s == null ? Optional.empty() : Optional.of(s.version);
  }

  /**
   * The rollback target, if any.
   *
   * @return the version
   */
  public Optional<String> previousVersion() {
    return Optional.ofNullable(previous);
  }

  /**
   * Shadow agreement so far.
   *
   * @return agreements, disagreements, errors and dropped requests
   */
  public ShadowStats shadowStats() {
    return new ShadowStats(agreements.count.sum(), disagreements.count.sum(), shadowErrors.count.sum(),
        shadowDropped.count.sum());
  }

  /**
   * Counts of shadow outcomes.
   *
   * @param agreements shadow predictions that agreed with the served one
   * @param disagreements shadow predictions that did not
   * @param errors shadow predictions that failed
   * @param dropped requests not shadowed because the shadow queue was full
   */
  public record ShadowStats(long agreements, long disagreements, long errors, long dropped) {}

  /**
   * Stops routing, waits for queued shadow work, closes every version once its calls finish, and
   * removes the deployment's meters. {@link #shadowStats()} still answers afterwards.
   */
  @Override
  public void close() {
    synchronized (routeLock) {
      if (closed) {
        return;
      }
      closed = true;
      canaryBasisPoints = 0;
      retire(shadow.getAndSet(null));
      retire(canary.getAndSet(null));
      retire(active.getAndSet(null));
    }
    shadowExecutor.shutdown();
    try {
      if (!shadowExecutor.awaitTermination(30, TimeUnit.SECONDS)) {
        LOG.warn("Shadow work of {} did not finish in 30 s", model);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    removeMeters();
  }
}
