package dev.mlops.serving.soak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.serving.BatchingOptions;
import dev.mlops.serving.Deployment;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.onnx.OnnxOptions;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.repository.VerifiedModel;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Soak of the serving stack through its public API only: 32 caller threads predict for a set time
 * ({@code -Dmlops.soak.seconds}, 12 s by default; the {@code soak} profile runs 10 minutes) while one
 * thread keeps changing the routes: it publishes new versions to a {@link ModelRepository}, hot-swaps,
 * rolls back, starts, promotes and stops canaries, replaces the shadow and moves the champion alias.
 *
 * <ul>
 *   <li>Routed callers predict keyed rows through the {@link Deployment} (canary and shadow on), whose
 *       versions batch dynamically; batch callers send Arrow batches of 1 to 32 rows.
 *   <li>{@code Deployment} has no asynchronous call, so the callers that cancel or set deadlines use a
 *       batching {@link Predictor} of the champion loaded from the same repository, with a small
 *       queue that burst callers overflow on purpose.
 * </ul>
 *
 * <p>Asserted: every request ends one way or another within a bound (none lost); the only failures
 * are the deliberate ones (deadline exceeded for the short-deadline callers, cancellations for the
 * cancelling callers, overload rejections on the small queue); every answer is a well-formed
 * prediction of a published version; every loaded version is closed exactly once and never called
 * after; no predictor meters and no library threads outlive the close; the Arrow allocator is back to
 * zero; resident memory outside the heap and direct memory grow by less than generous bounds.
 * Latency percentiles and memory figures are printed, not asserted.
 */
@Tag("soak")
class DeploymentSoakTest {
  private static final int ROUTED_CALLERS = 22;
  private static final int BATCH_CALLERS = 2;
  private static final int DEADLINE_CALLERS = 3;
  private static final int CANCELLING_CALLERS = 3;
  private static final int BURST_CALLERS = 2;
  private static final int CALLERS = ROUTED_CALLERS + BATCH_CALLERS + DEADLINE_CALLERS + CANCELLING_CALLERS
      + BURST_CALLERS;
  /** Requests a burst caller fires before waiting: more than the asynchronous queue holds. */
  private static final int BURST = 96;
  private static final int ASYNC_QUEUE = 64;
  /** Distinct versions published; later route changes reuse them. */
  private static final int MAX_VERSIONS = 200;
  /** How long an asynchronous caller backs off after an overload rejection, as the rejection asks. */
  private static final long BACKOFF_NANOS = TimeUnit.MILLISECONDS.toNanos(2);
  /** How long a burst caller pauses between bursts, so the other asynchronous callers get the queue too. */
  private static final long BURST_PAUSE_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  /** Bounds the work of one caller whatever the duration. */
  private static final long MAX_REQUESTS_PER_CALLER = 10_000_000;
  /** How long a caller waits for the outcome of one asynchronous request before counting it lost. */
  private static final Duration OUTCOME_BOUND = Duration.ofSeconds(60);
  private static final long MIB = 1024L * 1024L;
  /**
   * Bound on the growth of resident memory outside the heap from before the load to after the close.
   * JIT code, metaspace and malloc arenas for 32 threads account for tens of MiB without any leak.
   */
  private static final long MAX_OUTSIDE_HEAP_GROWTH = 384 * MIB;
  private static final long MAX_DIRECT_GROWTH = 256 * MIB;

  @TempDir
  Path tmp;

  @Test
  void servesUnderHotSwapCanaryShadowCancellationAndDeadlinesLosingNoRequestAndLeakingNothing() {
    long seconds = Long.getLong("mlops.soak.seconds", 12);
    assertThat(seconds).as("-Dmlops.soak.seconds").isPositive();
    // Only a safety net: every wait inside the soak is bounded on its own.
    assertTimeoutPreemptively(Duration.ofSeconds(seconds + 300), () -> soak(Duration.ofSeconds(seconds)));
  }

  /** The route changes made, for the report. */
  private static final class RouteStats {
    final LongAdder publishes = new LongAdder();
    final LongAdder swaps = new LongAdder();
    final LongAdder rollbacks = new LongAdder();
    final LongAdder canaryStarts = new LongAdder();
    final LongAdder promotions = new LongAdder();
    final LongAdder canaryStops = new LongAdder();
    final LongAdder shadowStarts = new LongAdder();
    final LongAdder shadowStops = new LongAdder();
    final LongAdder aliasMoves = new LongAdder();
    final List<Throwable> failures = new CopyOnWriteArrayList<>();
  }

  /** An asynchronous request: the caller's future, and the one that completes once its outcome is counted. */
  private record Pending(CompletableFuture<Prediction> future, CompletableFuture<Prediction> counted) {}

  private void soak(Duration duration) throws Exception {
    Set<Thread> threadsBefore = Thread.getAllStackTraces().keySet();
    Path artifacts = Files.createDirectories(tmp.resolve("artifacts"));
    // Two weight sets: versions of the same set agree with each other in the shadow, the others need not.
    List<Path> variants = List.of(artifact(artifacts, 1), artifact(artifacts, 2));
    ModelRepository repo = ModelRepository.open(tmp.resolve("repo"));
    List<String> published = new CopyOnWriteArrayList<>();
    Set<String> publishedSet = ConcurrentHashMap.newKeySet();
    for (int v = 1; v <= 3; v++) {
      publish(repo, variants, Integer.toString(v), published, publishedSet);
    }
    repo.setAlias(SoakModel.NAME, "champion", "1");

    SimpleMeterRegistry registry = new SimpleMeterRegistry();
    OnnxOptions onnx = OnnxOptions.builder().intraOpThreads(1).interOpThreads(1).build();
    BatchingOptions routedBatching = BatchingOptions.of(16, Duration.ofMillis(1), 1024)
        .withDefaultDeadline(Duration.ofSeconds(10));
    BatchingOptions asyncBatching = BatchingOptions.of(16, Duration.ofMillis(1), ASYNC_QUEUE);
    List<CountingPredictor> loaded = new CopyOnWriteArrayList<>();
    Function<BatchingOptions, Function<VerifiedModel, Predictor>> factory = batching -> vm -> {
      CountingPredictor p = new CountingPredictor(Predictor.builder(vm).backendOptions(onnx).batching(batching)
          .meterRegistry(registry).build());
      loaded.add(p);
      return p;
    };

    List<Row> rows = SoakModel.rows(256, 11);
    Outcomes routed = new Outcomes("routed (keyed, sync)");
    Outcomes batches = new Outcomes("batch (1-32 rows)");
    Outcomes deadlines = new Outcomes("async, short deadline");
    Outcomes cancelling = new Outcomes("async, cancelling");
    Outcomes bursts = new Outcomes("async, bursts of " + BURST);
    List<Outcomes> all = List.of(routed, batches, deadlines, cancelling, bursts);
    RouteStats routes = new RouteStats();
    AtomicBoolean stop = new AtomicBoolean();
    List<Thread> callers = new ArrayList<>();
    List<Throwable> callerCrashes = new CopyOnWriteArrayList<>();
    List<String> samples = new ArrayList<>();

    MemorySnapshot before;
    MemorySnapshot underLoad;
    long loadNanos;
    Deployment.ShadowStats shadow;
    int live;
    long arrowBytes;
    RootAllocator allocator = new RootAllocator();
    Deployment d = Deployment.builder(SoakModel.NAME, Deployment.VersionLoader.fromRepository(repo, SoakModel.NAME, factory.apply(routedBatching)))
        .meterRegistry(registry).start("1");
    Predictor async = repo.load(ModelRef.parse(SoakModel.NAME + "@champion"), factory.apply(asyncBatching));
    try {
      d.startCanary("2", 0.25);
      d.startShadow("3");
      before = MemorySnapshot.take(true);

      for (int t = 0; t < CALLERS; t++) {
        Random rnd = new Random(1000 + t);
        Runnable body;
        if (t < ROUTED_CALLERS) {
          body = () -> routedCaller(d, rows, rnd, publishedSet, routed, stop);
        } else if (t < ROUTED_CALLERS + BATCH_CALLERS) {
          body = () -> batchCaller(d, allocator, rows, rnd, publishedSet, batches, stop);
        } else if (t < ROUTED_CALLERS + BATCH_CALLERS + DEADLINE_CALLERS) {
          body = () -> deadlineCaller(async, rows, rnd, publishedSet, deadlines, stop);
        } else if (t < CALLERS - BURST_CALLERS) {
          body = () -> cancellingCaller(async, rows, rnd, publishedSet, cancelling, stop);
        } else {
          body = () -> burstCaller(async, rows, rnd, publishedSet, bursts, stop);
        }
        Thread caller = new Thread(() -> {
          try {
            body.run();
          } catch (Throwable e) {
            callerCrashes.add(e);
          }
        }, "soak-caller-" + t);
        callers.add(caller);
      }
      Thread router = new Thread(() -> changeRoutes(d, repo, variants, published, publishedSet, routes, stop),
          "soak-routes");
      long start = System.nanoTime();
      callers.forEach(Thread::start);
      router.start();
      // Resident memory over the load, about a dozen readings without a GC (garbage included), with the
      // committed heap beside them: a leak grows it to the end, allocator retention levels off.
      long step = Math.max(1000, duration.toMillis() / 12);
      long end = start + duration.toNanos();
      long left;
      while ((left = TimeUnit.NANOSECONDS.toMillis(end - System.nanoTime())) > 0) {
        Thread.sleep(Math.min(step, left));
        long sessions = loaded.stream().filter(p -> p.closes.get() == 0).count();
        MemorySnapshot m = MemorySnapshot.take(false);
        samples.add(String.format(Locale.ROOT, "%.0fs %.0f/%.0f/%d", (System.nanoTime() - start) / 1e9,
            m.rss() / (double) MIB, m.heapCommitted() / (double) MIB, sessions));
      }
      stop.set(true);
      router.join(OUTCOME_BOUND.toMillis());
      for (Thread c : callers) {
        // After stop a caller ends its current request or burst, each wait bounded; one still running
        // after this is hung.
        c.join(2 * OUTCOME_BOUND.toMillis());
      }
      loadNanos = System.nanoTime() - start;
      assertThat(router.isAlive()).as("route-changing thread still running").isFalse();
      assertThat(callers.stream().filter(Thread::isAlive).map(Thread::getName)).as("callers still running")
          .isEmpty();
      underLoad = MemorySnapshot.take(true);
      live = (int) loaded.stream().filter(p -> p.closes.get() == 0).count();
      shadow = d.shadowStats();
    } finally {
      d.close();
      async.close();
    }
    arrowBytes = allocator.getAllocatedMemory();
    List<String> leftThreads = threadsLeftAfter(threadsBefore);
    MemorySnapshot after = MemorySnapshot.take(true);

    printSummary(duration, loadNanos, all, routes, published.size(), loaded, live, shadow, arrowBytes, before,
        underLoad, after, samples, leftThreads);
    assertThat(arrowBytes).as("Arrow allocator bytes after the soak").isZero();
    allocator.close();

    assertThat(callerCrashes).as("callers that died").isEmpty();
    assertThat(routes.failures).as("failed route changes").isEmpty();
    for (Outcomes o : all) {
      assertThat(o.firstOthers).as("first unexpected failures of %s", o.kind).isEmpty();
      assertThat(o.other.sum()).as("unexpected failures of %s", o.kind).isZero();
      assertThat(o.lost.sum()).as("requests of %s with no outcome within %s", o.kind, OUTCOME_BOUND).isZero();
      assertThat(o.completed()).as("requests of %s that ended one way or another", o.kind)
          .isEqualTo(o.submitted.sum());
    }
    for (Outcomes o : List.of(routed, batches, bursts)) {
      assertThat(o.served.sum()).as("served requests of %s", o.kind).isPositive();
    }
    for (Outcomes o : List.of(routed, batches)) {
      assertThat(o.deadlineExceeded.sum() + o.cancelled.sum() + o.overloaded.sum())
          .as("rejections of %s, which neither cancels nor sets a deadline and never fills its queue", o.kind)
          .isZero();
    }
    assertThat(deadlines.cancelled.sum()).as("cancellations of %s", deadlines.kind).isZero();
    assertThat(bursts.cancelled.sum() + bursts.deadlineExceeded.sum()).as("cancellations and deadlines of %s",
        bursts.kind).isZero();
    assertThat(cancelling.deadlineExceeded.sum()).as("deadlines of %s", cancelling.kind).isZero();
    assertThat(routes.swaps.sum()).as("hot swaps").isPositive();

    assertThat(loaded).as("versions loaded").hasSizeGreaterThan(4).allSatisfy(p -> {
      assertThat(p.closes.get()).as("closes of version %s", p.modelVersion()).isEqualTo(1);
      assertThat(p.callsAfterClose.get()).as("calls after close of version %s", p.modelVersion()).isZero();
    });
    assertThat(registry.find("mlops.serving.predictions").counters()).as("predictor meters left after close")
        .isEmpty();
    assertThat(leftThreads).as("threads started during the soak and alive after close").isEmpty();
    if (before.rss() > 0 && after.rss() > 0) {
      assertThat(after.outsideHeap() - before.outsideHeap())
          .as("growth of resident memory outside the heap, bytes").isLessThan(MAX_OUTSIDE_HEAP_GROWTH);
    }
    assertThat(after.direct() - before.direct()).as("growth of direct buffer memory, bytes")
        .isLessThan(MAX_DIRECT_GROWTH);
  }

  private static Path artifact(Path dir, long seed) throws IOException {
    Path d = Files.createDirectories(dir.resolve("seed-" + seed));
    return Files.write(d.resolve("model.onnx"), SoakModel.onnx(seed));
  }

  private static void publish(ModelRepository repo, List<Path> variants, String version, List<String> published,
      Set<String> publishedSet) {
    // Known before it can answer, so a prediction naming any other version is a wrong answer.
    publishedSet.add(version);
    repo.publish(SoakModel.NAME, version, variants.get(Integer.parseInt(version) % variants.size()),
        SoakModel.manifest());
    published.add(version);
  }

  private static void routedCaller(Deployment d, List<Row> rows, Random rnd, Set<String> versions, Outcomes out,
      AtomicBoolean stop) {
    for (long i = 0; i < MAX_REQUESTS_PER_CALLER && !stop.get(); i++) {
      Row row = rows.get(rnd.nextInt(rows.size()));
      String key = "user-" + rnd.nextInt(1000);
      out.submitted.increment();
      long t0 = System.nanoTime();
      try {
        Prediction p = d.predict(key, row);
        served(out, p, versions, t0);
      } catch (Throwable e) {
        out.failed(e);
      }
    }
  }

  private static void batchCaller(Deployment d, RootAllocator allocator, List<Row> rows, Random rnd,
      Set<String> versions, Outcomes out, AtomicBoolean stop) {
    for (long i = 0; i < MAX_REQUESTS_PER_CALLER && !stop.get(); i++) {
      int n = 1 + rnd.nextInt(32);
      int from = rnd.nextInt(rows.size() - n);
      out.submitted.increment();
      long t0 = System.nanoTime();
      try (Batch batch = Batch.fromRows(allocator, SoakModel.SCHEMA, rows.subList(from, from + n))) {
        List<Prediction> ps = d.predict(batch);
        String problem = ps.size() == n ? null : ps.size() + " predictions for " + n + " rows";
        for (int k = 0; problem == null && k < n; k++) {
          problem = problem(ps.get(k), versions);
        }
        if (problem == null) {
          out.served(System.nanoTime() - t0);
        } else {
          out.failed(new AssertionError("Wrong answer to a batch: " + problem));
        }
      } catch (Throwable e) {
        out.failed(e);
      }
    }
  }

  private static void deadlineCaller(Predictor p, List<Row> rows, Random rnd, Set<String> versions, Outcomes out,
      AtomicBoolean stop) {
    for (long i = 0; i < MAX_REQUESTS_PER_CALLER && !stop.get(); i++) {
      Row row = rows.get(rnd.nextInt(rows.size()));
      // 50 us to 20 ms: from less than one batch's run time to several, so some make it and some do not.
      Duration deadline = Duration.ofNanos(50_000 + rnd.nextInt(20_000_000));
      Pending r = submit(out, () -> p.predictAsync(row, deadline), versions);
      if (r != null) {
        await(out, r);
      } else {
        LockSupport.parkNanos(BACKOFF_NANOS);
      }
    }
  }

  private static void cancellingCaller(Predictor p, List<Row> rows, Random rnd, Set<String> versions, Outcomes out,
      AtomicBoolean stop) {
    for (long i = 0; i < MAX_REQUESTS_PER_CALLER && !stop.get(); i++) {
      Row row = rows.get(rnd.nextInt(rows.size()));
      Pending r = submit(out, () -> p.predictAsync(row), versions);
      if (r != null) {
        if (rnd.nextBoolean()) {
          LockSupport.parkNanos(rnd.nextInt(2_000_000));
        }
        r.future().cancel(true);
        await(out, r);
      } else {
        LockSupport.parkNanos(BACKOFF_NANOS);
      }
    }
  }

  private static void burstCaller(Predictor p, List<Row> rows, Random rnd, Set<String> versions, Outcomes out,
      AtomicBoolean stop) {
    for (long i = 0; i < MAX_REQUESTS_PER_CALLER / BURST && !stop.get(); i++) {
      List<Pending> burst = new ArrayList<>(BURST);
      for (int k = 0; k < BURST; k++) {
        Row row = rows.get(rnd.nextInt(rows.size()));
        Pending r = submit(out, () -> p.predictAsync(row), versions);
        if (r != null) {
          burst.add(r);
        }
      }
      for (Pending r : burst) {
        await(out, r);
      }
      LockSupport.parkNanos(BURST_PAUSE_NANOS);
    }
  }

  /** Submits one asynchronous request; null when it was rejected at once (counted already). */
  private static @Nullable Pending submit(Outcomes out, Supplier<CompletableFuture<Prediction>> call,
      Set<String> versions) {
    out.submitted.increment();
    long t0 = System.nanoTime();
    CompletableFuture<Prediction> f;
    try {
      f = call.get();
    } catch (Throwable e) {
      out.failed(e);
      return null;
    }
    CompletableFuture<Prediction> counted = f.whenComplete((p, e) -> {
      if (e != null) {
        out.failed(e);
      } else {
        served(out, p, versions, t0);
      }
    });
    return new Pending(f, counted);
  }

  private static void await(Outcomes out, Pending r) {
    try {
      r.counted().get(OUTCOME_BOUND.toMillis(), TimeUnit.MILLISECONDS);
    } catch (TimeoutException e) {
      out.lost.increment();
    } catch (ExecutionException | CancellationException e) {
      // Counted by the completion handler.
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      out.lost.increment();
    }
  }

  private static void served(Outcomes out, Prediction p, Set<String> versions, long t0) {
    String problem = problem(p, versions);
    if (problem == null) {
      out.served(System.nanoTime() - t0);
    } else {
      out.failed(new AssertionError("Wrong answer: " + problem + " in " + p));
    }
  }

  /** Why a prediction is not a well-formed answer of a published version, or null when it is. */
  private static @Nullable String problem(Prediction p, Set<String> versions) {
    if (!versions.contains(p.modelVersion())) {
      return "version " + p.modelVersion() + " was never published";
    }
    if (!(p instanceof Prediction.Classification c)) {
      return "a " + p.kind() + " prediction";
    }
    Map<String, Double> scores = c.scores();
    if (!scores.keySet().equals(new HashSet<>(SoakModel.LABELS))) {
      return "labels " + scores.keySet();
    }
    double sum = 0;
    double max = Double.NEGATIVE_INFINITY;
    for (double s : scores.values()) {
      if (!Double.isFinite(s) || s < 0) {
        return "score " + s;
      }
      sum += s;
      max = Math.max(max, s);
    }
    if (Math.abs(sum - 1) > 1e-4) {
      return "scores sum to " + sum;
    }
    if (c.label().isEmpty()) {
      return "no label";
    }
    if (scores.get(c.label().get()) != max) {
      return "label " + c.label().get() + " is not the arg-max";
    }
    return null;
  }

  /**
   * Changes the routes until stopped, one change every 10 ms or so: each weighted step below loads at
   * least one version (a new ONNX Runtime session) through the repository's verifying loader.
   */
  private static void changeRoutes(Deployment d, ModelRepository repo, List<Path> variants, List<String> published,
      Set<String> publishedSet, RouteStats stats, AtomicBoolean stop) {
    Random rnd = new Random(7);
    while (!stop.get()) {
      try {
        int op = rnd.nextInt(10);
        String any = published.get(rnd.nextInt(published.size()));
        if (op < 3) {
          String next = any;
          if (published.size() < MAX_VERSIONS) {
            next = Integer.toString(published.size() + 1);
            publish(repo, variants, next, published, publishedSet);
            stats.publishes.increment();
          }
          d.swapTo(next);
          stats.swaps.increment();
        } else if (op == 3 && d.previousVersion().isPresent()) {
          d.rollback();
          stats.rollbacks.increment();
        } else if (op == 4) {
          d.startCanary(any, 0.1 + 0.4 * rnd.nextDouble());
          stats.canaryStarts.increment();
        } else if (op == 5 && d.canaryVersion().isPresent()) {
          d.promoteCanary();
          stats.promotions.increment();
          d.startCanary(any, 0.25);
          stats.canaryStarts.increment();
        } else if (op == 6) {
          d.stopCanary();
          stats.canaryStops.increment();
          d.startCanary(any, 0.25);
          stats.canaryStarts.increment();
        } else if (op == 7) {
          d.startShadow(any);
          stats.shadowStarts.increment();
        } else if (op == 8) {
          d.stopShadow();
          stats.shadowStops.increment();
          d.startShadow(any);
          stats.shadowStarts.increment();
        } else {
          repo.setAlias(SoakModel.NAME, "champion", d.activeVersion());
          stats.aliasMoves.increment();
        }
      } catch (Throwable e) {
        stats.failures.add(e);
        if (stats.failures.size() > 10) {
          return;
        }
      }
      LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
    }
  }

  /**
   * Threads started since {@code before} that are still alive, waiting up to 10 s for exiting ones to
   * end; the common fork-join pool's workers are the JVM's, not the library's.
   */
  private static List<String> threadsLeftAfter(Set<Thread> before) throws InterruptedException {
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    List<String> left;
    do {
      left = Thread.getAllStackTraces().keySet().stream()
          .filter(t -> t.isAlive() && !before.contains(t))
          .filter(t -> !t.getName().startsWith("ForkJoinPool.commonPool-worker"))
          .map(Thread::getName).sorted().collect(Collectors.toList());
      if (left.isEmpty()) {
        break;
      }
      Thread.sleep(50);
    } while (System.nanoTime() < until);
    return left;
  }

  private static void printSummary(Duration duration, long loadNanos, List<Outcomes> all, RouteStats r,
      int versions, List<CountingPredictor> loaded, int liveUnderLoad, Deployment.ShadowStats shadow, long arrowBytes,
      MemorySnapshot before, MemorySnapshot underLoad, MemorySnapshot after, List<String> samples,
      List<String> leftThreads) {
    StringBuilder s = new StringBuilder();
    s.append(String.format(Locale.ROOT, "%n==== serving soak: %d s requested, %.1f s of load, %d caller threads + 1"
        + " route-changing thread ====%n", duration.toSeconds(), loadNanos / 1e9, CALLERS));
    s.append(Outcomes.header()).append('\n');
    long submitted = 0;
    long served = 0;
    long deadline = 0;
    long cancelled = 0;
    long overloaded = 0;
    long other = 0;
    long lost = 0;
    for (Outcomes o : all) {
      s.append(o.line()).append('\n');
      submitted += o.submitted.sum();
      served += o.served.sum();
      deadline += o.deadlineExceeded.sum();
      cancelled += o.cancelled.sum();
      overloaded += o.overloaded.sum();
      other += o.other.sum();
      lost += o.lost.sum();
    }
    s.append(String.format(Locale.ROOT, "%-22s %11d %11d %9d %9d %10d %6d %5d%n", "total", submitted, served,
        deadline, cancelled, overloaded, other, lost));
    s.append(String.format(Locale.ROOT, "route changes: %d swaps (%d new versions published, %d in all), %d rollbacks,"
        + " %d canary starts, %d promotions, %d canary stops, %d shadow starts, %d shadow stops, %d alias moves,"
        + " %d failed%n", r.swaps.sum(), r.publishes.sum(), versions, r.rollbacks.sum(), r.canaryStarts.sum(),
        r.promotions.sum(), r.canaryStops.sum(), r.shadowStarts.sum(), r.shadowStops.sum(), r.aliasMoves.sum(),
        r.failures.size()));
    long closedOnce = loaded.stream().filter(p -> p.closes.get() == 1).count();
    long afterClose = loaded.stream().mapToLong(p -> p.callsAfterClose.get()).sum();
    s.append(String.format(Locale.ROOT, "sessions: %d loaded (%d live at the end of the load), %d closed exactly once,"
        + " %d calls after close; library threads left after close: %s%n", loaded.size(), liveUnderLoad, closedOnce,
        afterClose, leftThreads));
    s.append(String.format(Locale.ROOT, "shadow: %d agreements, %d disagreements, %d errors, %d dropped%n",
        shadow.agreements(), shadow.disagreements(), shadow.errors(), shadow.dropped()));
    s.append("Arrow allocator after close: ").append(arrowBytes).append(" B\n");
    s.append(memoryLine("before load", before)).append(memoryLine("end of load", underLoad))
        .append(memoryLine("after close", after));
    s.append("during load (no GC), RSS MiB/heap committed MiB/live sessions: ").append(String.join(", ", samples)).append('\n');
    s.append(String.format(Locale.ROOT, "growth before load -> after close: outside heap %s, direct %s%n",
        MemorySnapshot.delta(after.outsideHeap(), before.outsideHeap()),
        MemorySnapshot.delta(after.direct(), before.direct())));
    s.append("====");
    System.out.println(s);
  }

  private static String memoryLine(String when, MemorySnapshot m) {
    return String.format(Locale.ROOT, "memory %-12s heap used %s (committed %s), direct %s, RSS %s (outside heap %s,"
        + " peak %s)%n", when, MemorySnapshot.mib(m.heapUsed()), MemorySnapshot.mib(m.heapCommitted()),
        MemorySnapshot.mib(m.direct()), MemorySnapshot.mib(m.rss()), MemorySnapshot.mib(m.outsideHeap()),
        MemorySnapshot.mib(m.peakRss()));
  }
}
