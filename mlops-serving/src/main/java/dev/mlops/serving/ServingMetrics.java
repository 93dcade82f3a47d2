package dev.mlops.serving;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.DistributionSummary;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.Timer;
import java.util.ArrayList;
import java.util.List;

/**
 * The meters of one model version, tagged {@code model} and {@code version}:
 * <ul>
 *   <li>{@code mlops.serving.latency} (timer with percentile histogram, tag {@code path} = row|batch)
 *   <li>{@code mlops.serving.predictions} (counter of rows predicted: throughput)
 *   <li>{@code mlops.serving.errors}, {@code mlops.serving.rejections},
 *       {@code mlops.serving.deadline.exceeded} (counters)
 *   <li>{@code mlops.serving.device} (gauge, 1, tag {@code device} = cpu|cuda:N) and
 *       {@code mlops.serving.fallbacks} (counter, 1 after a CUDA to CPU fallback)
 *   <li>{@code mlops.serving.nonfinite} (counter of predictions whose scores or values were not all
 *       finite, failed or served flagged by the {@link NonFinitePolicy})
 *   <li>{@code mlops.serving.monitor.detached} (counter, 1 once a closed monitor was detached)
 *   <li>{@code mlops.serving.contract.rejected} and {@code mlops.serving.contract.flagged} (counters,
 *       with a data-contract guard)
 *   <li>{@code mlops.serving.batch.queue} and {@code mlops.serving.batch.inference} (timers),
 *       {@code mlops.serving.batch.size} (distribution summary)
 * </ul>
 * Removed from the registry when the last open predictor of that model version in that registry closes
 * (a version loaded twice, say reloaded in place, shares its meters).
 */
final class ServingMetrics {
  /** Open predictors per registry and model version, so shared meters are removed only by the last. */
  private static final java.util.Map<MeterRegistry, java.util.Map<String, Integer>> USERS = new java.util.WeakHashMap<>();

  final Timer rowLatency;
  final Timer batchLatency;
  final Counter predictions;
  final Counter errors;
  final Counter rejections;
  final Counter deadlineExceeded;
  final Timer queueTime;
  final Timer inferenceTime;
  final DistributionSummary batchSize;
  final Counter contractRejected;
  final Counter contractFlagged;
  final Counter nonFinite;
  final Counter monitorDetached;
  private final MeterRegistry registry;
  private final String key;
  private final List<Meter> meters = new ArrayList<>();

  ServingMetrics(MeterRegistry registry, String model, String version, Device device, boolean fellBack) {
    this.registry = registry;
    this.key = model + "/" + version;
    synchronized (USERS) {
      USERS.computeIfAbsent(registry, r -> new java.util.HashMap<>()).merge(key, 1, Integer::sum);
    }
    Tags tags = Tags.of("model", model, "version", version);
    rowLatency = add(Timer.builder("mlops.serving.latency").tags(tags).tag("path", "row")
        .description("Time to predict one request").publishPercentileHistogram().register(registry));
    batchLatency = add(Timer.builder("mlops.serving.latency").tags(tags).tag("path", "batch")
        .description("Time to predict one request").publishPercentileHistogram().register(registry));
    predictions = add(Counter.builder("mlops.serving.predictions").tags(tags)
        .description("Rows predicted").register(registry));
    errors = add(Counter.builder("mlops.serving.errors").tags(tags)
        .description("Requests that failed").register(registry));
    rejections = add(Counter.builder("mlops.serving.rejections").tags(tags)
        .description("Requests rejected because the batching queue was full").register(registry));
    deadlineExceeded = add(Counter.builder("mlops.serving.deadline.exceeded").tags(tags)
        .description("Requests whose deadline passed before they ran").register(registry));
    queueTime = add(Timer.builder("mlops.serving.batch.queue").tags(tags)
        .description("Time a request waited in the batching queue").register(registry));
    inferenceTime = add(Timer.builder("mlops.serving.batch.inference").tags(tags)
        .description("Time of one batched model call").register(registry));
    batchSize = add(DistributionSummary.builder("mlops.serving.batch.size").tags(tags)
        .description("Rows per batched model call").register(registry));
    contractRejected = add(Counter.builder("mlops.serving.contract.rejected").tags(tags)
        .description("Inputs rejected by the model's data contract").register(registry));
    contractFlagged = add(Counter.builder("mlops.serving.contract.flagged").tags(tags)
        .description("Inputs that broke the data contract and were served flagged").register(registry));
    nonFinite = add(Counter.builder("mlops.serving.nonfinite").tags(tags)
        .description("Predictions whose scores or values were not all finite").register(registry));
    monitorDetached = add(Counter.builder("mlops.serving.monitor.detached").tags(tags)
        .description("Monitors detached because they were closed; the model serves unmonitored").register(registry));
    // A second user of this model and version (a version loaded again while its first load still
    // serves, as a rollback does) shares the gauge: registering it again would only make Micrometer
    // warn that it ignores the registration.
    synchronized (USERS) {
      Gauge existing = registry.find("mlops.serving.device").tags(tags).tag("device", device.toString()).gauge();
      add(existing != null ? existing : Gauge.builder("mlops.serving.device", () -> 1).tags(tags)
          .tag("device", device.toString()).description("The device the model runs on").register(registry));
    }
    Counter fallbacks = add(Counter.builder("mlops.serving.fallbacks").tags(tags)
        .description("Loads that fell back from the requested accelerator to the CPU").register(registry));
    if (fellBack) {
      fallbacks.increment();
    }
  }

  private <M extends Meter> M add(M meter) {
    meters.add(meter);
    return meter;
  }

  void remove() {
    synchronized (USERS) {
      java.util.Map<String, Integer> users = USERS.get(registry);
      Integer left = users == null ? null : users.merge(key, -1, Integer::sum);
      if (left != null && left > 0) {
        return;
      }
      if (users != null) {
        users.remove(key);
      }
    }
    for (Meter m : meters) {
      registry.remove(m);
    }
  }
}
