package dev.mlops.monitoring;

import dev.mlops.core.Row;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftOptions;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Live drift monitoring: profiles the inputs (and optionally outputs) recorded from any number of
 * threads in tumbling windows, and at each window end compares them with reference profiles, tells
 * the {@link DriftListener listeners} and updates Micrometer meters.
 *
 * <p>Windows tumble either by count ({@link Builder#tumblingCount(long)}: exactly {@code n} input
 * records per window, even under concurrent recording) or by time ({@link Builder#tumblingTime}:
 * windows {@code [start, start + length)} on the injected {@link Clock}; a window closes on the first
 * record or {@link #tick()} at or after its end, so call {@code tick()} from a scheduler if traffic
 * may stop). The thread that closes a window profiles it and compares it with the references; results
 * reach listeners through a bounded queue drained by one daemon thread per monitor (started with the
 * first result to deliver, ended by {@link #close()}), so a slow listener never delays the recording
 * thread. When the queue ({@link Builder#listenerQueueCapacity}) is full, the oldest queued result is
 * dropped and counted ({@link #droppedResults()}, {@code mlops.monitor.listener.dropped}).
 *
 * <p><b>Closing.</b> {@link #close()} detaches the monitor: from then on {@link #record(Row)},
 * {@link #record(Row, Row)} and {@link #recordOutput(Row)} return at once without checking or
 * profiling anything (a predictor holding a closed monitor keeps serving; the ignored records are
 * counted by {@link #recordsIgnoredAfterClose()}), {@link #tick()} returns empty, and
 * {@link #isClosed()} is true, so a caller that may outlive the monitor can check it and drop its
 * reference. Results already queued are delivered before {@code close()} returns (waiting at most
 * {@link Builder#listenerDrainTimeout}), and every meter the monitor registered is removed.
 *
 * <p>Meters (tag {@code monitor} = the name, {@code side} = {@code input} or {@code output}):
 * {@code mlops.monitor.records} (counter), {@code mlops.monitor.windows} (counter),
 * {@code mlops.drift.detected} (counter of windows with dataset drift), {@code mlops.drift.share}
 * (gauge, last window), {@code mlops.drift.columns.drifted} (gauge, last window),
 * {@code mlops.drift.columns.inconclusive} (gauge, last window: columns the sketches could not decide),
 * {@code mlops.drift.score} (gauge per {@code column} and {@code test}: the last statistic),
 * {@code mlops.drift.column.detections} (counter per {@code column}) and
 * {@code mlops.monitor.listener.dropped} (counter). Meters are identified by the monitor's name: give
 * monitors sharing a registry distinct names, since closing one removes the meters of its name.
 */
public final class Monitor implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(Monitor.class);

  private final String name;
  private final DatasetProfile inputReference;
  private final @Nullable DatasetProfile outputReference;
  private final long countLength;
  private final @Nullable Duration timeLength;
  private final Clock clock;
  private final DriftDetector detector;
  private final @Nullable MeterRegistry registry;
  private final List<DriftListener> listeners;
  private final Object rotateLock = new Object();
  /** Guards window order of meters and deliveries, and the closed flag against both. */
  private final Object emitLock = new Object();
  private long nextToEmit;
  private final AtomicLong windowIndex = new AtomicLong();
  private final Map<String, AtomicLong> gauges = new ConcurrentHashMap<>();
  /** Every meter this monitor registered, removed on close. */
  private final Set<Meter> meters = ConcurrentHashMap.newKeySet();
  private final @Nullable Counter inputRecords;
  private final @Nullable Counter outputRecords;
  private final @Nullable Counter droppedCounter;
  private final Delivery delivery;
  private final LongAdder ignoredAfterClose = new LongAdder();
  private volatile Window current;
  private volatile boolean closed;

  private final class Window {
    final long index;
    final Instant start;
    final @Nullable Instant end;
    final Profiler inputs;
    final @Nullable Profiler outputs;
    final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
    final AtomicLong claimed = new AtomicLong();
    boolean done;

    Window(long index, Instant start) {
      this.index = index;
      this.start = start;
      this.end = timeLength == null ? null : start.plus(timeLength);
      this.inputs = Profiler.create(inputReference.schema(), inputReference.options());
      this.outputs = outputReference == null ? null
          : Profiler.create(outputReference.schema(), outputReference.options());
    }
  }

  private Monitor(Builder b) {
    this.name = b.name;
    this.inputReference = b.inputReference;
    this.outputReference = b.outputReference;
    this.countLength = b.countLength;
    this.timeLength = b.timeLength;
    this.clock = b.clock;
    this.detector = DriftDetector.of(b.driftOptions);
    this.registry = b.registry;
    this.listeners = new CopyOnWriteArrayList<>(b.listeners);
    this.inputRecords = registry == null ? null : track(Counter.builder("mlops.monitor.records")
        .description("Records seen by the monitor").tags("monitor", name, "side", "input").register(registry));
    this.outputRecords = registry == null ? null : track(Counter.builder("mlops.monitor.records")
        .description("Records seen by the monitor").tags("monitor", name, "side", "output").register(registry));
    this.droppedCounter = registry == null ? null : track(Counter.builder("mlops.monitor.listener.dropped")
        .description("Window results not delivered to listeners (queue full, or close gave up waiting)")
        .tags("monitor", name).register(registry));
    this.delivery = new Delivery(b.queueCapacity, b.drainTimeout);
    this.current = new Window(0, clock.instant());
  }

  private <M extends Meter> M track(M meter) {
    meters.add(meter);
    return meter;
  }

  /**
   * A builder; the input reference profile fixes the input schema.
   *
   * @param inputReference profile of the reference inputs (e.g. the training data)
   * @return the builder
   */
  public static Builder builder(DatasetProfile inputReference) {
    return new Builder(inputReference);
  }

  /**
   * The monitor's name (the {@code monitor} tag of its meters).
   *
   * @return the name
   */
  public String name() {
    return name;
  }

  /**
   * Adds a listener.
   *
   * @param listener called, on the monitor's delivery thread, for every window closed from now on
   * @throws IllegalStateException when the monitor is closed
   */
  public void addListener(DriftListener listener) {
    Objects.requireNonNull(listener, "listener");
    checkOpen("add a listener to");
    listeners.add(listener);
  }

  /**
   * Whether {@link #close()} was called. A closed monitor ignores records; callers that hold a monitor
   * they do not own (a predictor) may check this to detach from it.
   *
   * @return true once closed
   */
  public boolean isClosed() {
    return closed;
  }

  /**
   * Records passed to {@code record} or {@code recordOutput} after {@link #close()}, and so not
   * profiled.
   *
   * @return the count
   */
  public long recordsIgnoredAfterClose() {
    return ignoredAfterClose.sum();
  }

  /**
   * Window results that listeners never received: the oldest queued result when a new one found the
   * delivery queue full, and those still queued when {@link #close()} stopped waiting for a listener.
   *
   * @return the count
   */
  public long droppedResults() {
    return delivery.dropped();
  }

  /**
   * Records one input (counts toward a count window); after {@link #close()}, a no-op.
   *
   * @param input a row of the input reference's schema
   */
  public void record(Row input) {
    record(input, null);
  }

  /**
   * Records an input and the model's output for it, as one event; after {@link #close()}, a no-op
   * that checks nothing and only counts the call ({@link #recordsIgnoredAfterClose()}).
   *
   * @param input a row of the input reference's schema
   * @param output a row of the output reference's schema, or null
   * @throws IllegalStateException when an output is given but the monitor has no output reference
   * @throws SchemaMismatchException when a row's schema differs from its reference's
   */
  public void record(Row input, @Nullable Row output) {
    if (closed) {
      ignoredAfterClose.increment();
      return;
    }
    if (output != null && outputReference == null) {
      throw new IllegalStateException("Monitor '" + name + "' has no output reference; set "
          + "Builder.outputReference(...) to record outputs");
    }
    checkSchema(input, inputReference, "input");
    if (output != null) {
      checkSchema(output, outputReference, "output");
    }
    while (true) {
      Window w = openWindow();
      boolean recorded = false;
      boolean full = false;
      w.lock.readLock().lock();
      try {
        if (!w.done) {
          long slot = w.claimed.getAndIncrement();
          if (countLength == 0 || slot < countLength) {
            w.inputs.record(input);
            if (output != null) {
              w.outputs.record(output);
            }
            recorded = true;
            full = countLength > 0 && slot == countLength - 1;
          }
        }
      } finally {
        w.lock.readLock().unlock();
      }
      if (recorded) {
        if (inputRecords != null) {
          inputRecords.increment();
          if (output != null) {
            outputRecords.increment();
          }
        }
        if (full) {
          rotate(w);
        }
        return;
      }
      Thread.onSpinWait();
    }
  }

  /**
   * Records an output alone (for example a delayed label or score); it does not count toward a count
   * window. After {@link #close()}, a no-op, as for {@link #record(Row, Row)}.
   *
   * @param output a row of the output reference's schema
   * @throws IllegalStateException when the monitor has no output reference
   */
  public void recordOutput(Row output) {
    if (closed) {
      ignoredAfterClose.increment();
      return;
    }
    if (outputReference == null) {
      throw new IllegalStateException("Monitor '" + name + "' has no output reference; set "
          + "Builder.outputReference(...) to record outputs");
    }
    checkSchema(output, outputReference, "output");
    while (true) {
      Window w = openWindow();
      w.lock.readLock().lock();
      try {
        if (!w.done) {
          w.outputs.record(output);
          if (outputRecords != null) {
            outputRecords.increment();
          }
          return;
        }
      } finally {
        w.lock.readLock().unlock();
      }
      Thread.onSpinWait();
    }
  }

  /** The current window, after closing it if its time is up. */
  private Window openWindow() {
    while (true) {
      Window w = current;
      if (w.end == null || clock.instant().isBefore(w.end)) {
        return w;
      }
      rotate(w);
    }
  }

  /**
   * Closes the current time window if the clock has reached its end. Call it from a scheduler when
   * traffic may stop; a no-op for count windows.
   *
   * @return the closed window's result, or empty when the window is still open or the monitor is closed
   */
  public Optional<WindowResult> tick() {
    if (closed) {
      return Optional.empty();
    }
    Window w = current;
    if (w.end != null && !clock.instant().isBefore(w.end)) {
      return Optional.ofNullable(rotate(w));
    }
    return Optional.empty();
  }

  /**
   * Closes the current window now, whatever its fill, and reports it.
   *
   * @return the result
   * @throws IllegalStateException when the monitor is closed (flush before closing to report the open
   *     window)
   */
  public WindowResult flush() {
    checkOpen("flush");
    while (true) {
      WindowResult r = rotate(current);
      if (r != null) {
        return r;
      }
    }
  }

  private @Nullable WindowResult rotate(Window w) {
    synchronized (rotateLock) {
      if (current != w) {
        return null;
      }
      Instant now = clock.instant();
      Instant nextStart = now;
      if (w.end != null && !now.isBefore(w.end)) {
        long len = timeLength.toNanos();
        long behind = Duration.between(w.end, now).toNanos();
        nextStart = w.end.plusNanos(behind - behind % len);
      }
      current = new Window(windowIndex.incrementAndGet(), nextStart);
    }
    w.lock.writeLock().lock();
    try {
      w.done = true;
    } finally {
      w.lock.writeLock().unlock();
    }
    WindowResult result = null;
    try {
      Instant end = w.end != null ? w.end : clock.instant();
      DatasetProfile in = w.inputs.snapshot();
      DatasetProfile out = w.outputs == null ? null : w.outputs.snapshot();
      DatasetDrift inDrift = detector.compare(inputReference, in);
      DatasetDrift outDrift = out == null ? null : detector.compare(outputReference, out);
      result = new WindowResult(name, w.index, w.start, end, in, out, inDrift, outDrift);
    } finally {
      // Even when the comparison failed: later windows wait for this one's turn.
      emitInOrder(w.index, result);
    }
    return result;
  }

  /**
   * Updates meters and queues the result for listeners, one window at a time, in window order. Never
   * waits for a listener; it waits only for earlier windows, closed on other threads, to take their turn.
   */
  private void emitInOrder(long index, @Nullable WindowResult result) {
    boolean interrupted = false;
    synchronized (emitLock) {
      while (nextToEmit != index) {
        try {
          emitLock.wait();
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      try {
        if (result != null && !closed) {
          if (registry != null) {
            meter("input", result.inputDrift());
            if (result.outputDrift() != null) {
              meter("output", result.outputDrift());
            }
            track(registry.counter("mlops.monitor.windows", "monitor", name)).increment();
          }
          if (!listeners.isEmpty()) {
            delivery.offer(result);
          }
        }
      } finally {
        nextToEmit++;
        emitLock.notifyAll();
      }
    }
    if (interrupted) {
      Thread.currentThread().interrupt();
    }
  }

  private void deliver(WindowResult result) {
    for (DriftListener l : listeners) {
      try {
        l.onWindow(result);
      } catch (RuntimeException e) {
        LOG.warn("Drift listener {} of monitor '{}' failed on window {}; other listeners still run", l, name,
            result.index(), e);
      }
    }
  }

  /**
   * The bounded queue between the threads that close windows and the one thread that runs listeners.
   * Its thread starts with the first result offered, and ends when {@link #stop} has been called and
   * the queue is empty.
   */
  private final class Delivery implements Runnable {
    private final int capacity;
    private final Duration drainTimeout;
    private final ArrayDeque<WindowResult> queue = new ArrayDeque<>();
    private long dropped;
    private @Nullable Thread thread;
    private boolean stopping;

    Delivery(int capacity, Duration drainTimeout) {
      this.capacity = capacity;
      this.drainTimeout = drainTimeout;
    }

    synchronized long dropped() {
      return dropped;
    }

    /** Queues a result, dropping the oldest queued one when full; never blocks. */
    synchronized void offer(WindowResult r) {
      if (stopping) {
        return;
      }
      if (queue.size() == capacity) {
        WindowResult oldest = queue.pollFirst();
        drop(1);
        LOG.warn("Monitor '{}': listeners are slower than windows close; dropped the result of window {} "
            + "({} dropped so far)", name, oldest.index(), dropped);
      }
      queue.addLast(r);
      // A thread that died of an Error in a listener is replaced, so delivery never silently stops.
      if (thread == null || !thread.isAlive()) {
        thread = new Thread(this, "mlops-monitor-" + name + "-listeners");
        thread.setDaemon(true);
        thread.start();
      }
      notifyAll();
    }

    private void drop(long n) {
      dropped += n;
      if (droppedCounter != null) {
        droppedCounter.increment(n);
      }
    }

    @Override
    public void run() {
      while (true) {
        WindowResult next;
        synchronized (this) {
          while (queue.isEmpty() && !stopping) {
            try {
              wait();
            } catch (InterruptedException e) {
              // Only stop() interrupts, after setting stopping.
            }
          }
          next = queue.pollFirst();
          if (next == null) {
            return;
          }
        }
        deliver(next);
      }
    }

    /**
     * Lets the thread deliver what is queued and end; waits for it at most the drain timeout, then
     * drops what is left and interrupts the listener it waits for.
     */
    void stop() {
      Thread t;
      synchronized (this) {
        stopping = true;
        notifyAll();
        t = thread;
      }
      if (t == null || t == Thread.currentThread()) {
        return;
      }
      boolean interrupted = false;
      long deadline = System.nanoTime() + drainTimeout.toNanos();
      while (t.isAlive()) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          break;
        }
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          interrupted = true;
          break;
        }
      }
      if (t.isAlive()) {
        int left;
        synchronized (this) {
          left = queue.size();
          queue.clear();
          drop(left);
        }
        LOG.error("Monitor '{}': a drift listener did not return within {} of close(); {} queued results "
            + "dropped and the listener thread interrupted", name, drainTimeout, left);
        t.interrupt();
      }
      if (interrupted) {
        Thread.currentThread().interrupt();
      }
    }
  }

  private void meter(String side, DatasetDrift d) {
    MeterRegistry reg = registry;
    Tags base = Tags.of("monitor", name, "side", side);
    gauge(reg, "mlops.drift.share", base, d.driftShare());
    gauge(reg, "mlops.drift.columns.drifted", base, d.driftedColumns());
    gauge(reg, "mlops.drift.columns.inconclusive", base, d.inconclusiveColumns());
    if (d.drifted()) {
      track(reg.counter("mlops.drift.detected", base)).increment();
    }
    for (ColumnDrift c : d.columns()) {
      Tags t = base.and("column", c.column(), "test", c.test().id());
      gauge(reg, "mlops.drift.score", t, c.statistic());
      if (c.drifted()) {
        track(reg.counter("mlops.drift.column.detections", base.and("column", c.column()))).increment();
      }
    }
  }

  private void gauge(MeterRegistry reg, String meter, Tags tags, double value) {
    String key = meter + tags;
    AtomicLong holder = gauges.computeIfAbsent(key, k -> {
      AtomicLong h = new AtomicLong(Double.doubleToLongBits(Double.NaN));
      track(Gauge.builder(meter, h, x -> Double.longBitsToDouble(x.get())).tags(tags).register(reg));
      return h;
    });
    holder.set(Double.doubleToLongBits(value));
  }

  private void checkSchema(Row row, DatasetProfile reference, String side) {
    if (row.schema() != reference.schema() && !row.schema().equals(reference.schema())) {
      throw new SchemaMismatchException("Monitor '" + name + "': " + side + " row schema " + row.schema()
          + " differs from the " + side + " reference schema " + reference.schema()
          + "; record rows of the reference's schema");
    }
  }

  private void checkOpen(String action) {
    if (closed) {
      throw new IllegalStateException("Monitor '" + name + "' is closed; cannot " + action + " it (create a new "
          + "monitor to record again)");
    }
  }

  /**
   * Detaches the monitor: records are ignored from now on (see the class documentation), the open
   * window is discarded (call {@link #flush()} first to report it), results already queued are
   * delivered to the listeners, waiting at most {@link Builder#listenerDrainTimeout} for them, the
   * delivery thread ends, and every meter the monitor registered is removed from the registry.
   * Idempotent; safe to call from a listener (then it does not wait for the delivery thread, which is
   * the caller).
   */
  @Override
  public void close() {
    synchronized (emitLock) {
      if (closed) {
        return;
      }
      closed = true;
      if (registry != null) {
        for (Meter m : meters) {
          registry.remove(m);
        }
        meters.clear();
      }
    }
    delivery.stop();
  }

  /** Builds a {@link Monitor}. */
  public static final class Builder {
    private final DatasetProfile inputReference;
    private @Nullable DatasetProfile outputReference;
    private String name = "default";
    private long countLength;
    private @Nullable Duration timeLength;
    private Clock clock = Clock.systemUTC();
    private DriftOptions driftOptions = DriftOptions.defaults();
    private @Nullable MeterRegistry registry;
    private final List<DriftListener> listeners = new ArrayList<>();
    private int queueCapacity = 64;
    private Duration drainTimeout = Duration.ofSeconds(10);

    private Builder(DatasetProfile inputReference) {
      this.inputReference = Objects.requireNonNull(inputReference, "inputReference");
    }

    /**
     * The name used in meters and logs.
     *
     * @param n non-empty
     * @return this builder
     */
    public Builder name(String n) {
      if (n.isEmpty()) {
        throw new IllegalArgumentException("A monitor name must not be empty");
      }
      name = n;
      return this;
    }

    /**
     * Also profiles outputs and compares them with this reference.
     *
     * @param reference profile of reference outputs (e.g. predictions on validation data)
     * @return this builder
     */
    public Builder outputReference(DatasetProfile reference) {
      outputReference = Objects.requireNonNull(reference, "reference");
      return this;
    }

    /**
     * Windows of exactly {@code n} input records.
     *
     * @param n at least 1
     * @return this builder
     */
    public Builder tumblingCount(long n) {
      if (n < 1) {
        throw new IllegalArgumentException("A count window needs at least 1 record, got " + n);
      }
      countLength = n;
      timeLength = null;
      return this;
    }

    /**
     * Windows of a fixed duration on the monitor's clock.
     *
     * @param length positive
     * @return this builder
     */
    public Builder tumblingTime(Duration length) {
      if (length.isZero() || length.isNegative()) {
        throw new IllegalArgumentException("A time window must be positive, got " + length);
      }
      timeLength = length;
      countLength = 0;
      return this;
    }

    /**
     * The clock of time windows (tests inject a fixed or manual clock).
     *
     * @param c the clock
     * @return this builder
     */
    public Builder clock(Clock c) {
      clock = Objects.requireNonNull(c, "clock");
      return this;
    }

    /**
     * How windows are compared with the references.
     *
     * @param options drift options
     * @return this builder
     */
    public Builder driftOptions(DriftOptions options) {
      driftOptions = Objects.requireNonNull(options, "options");
      return this;
    }

    /**
     * Registers the monitor's meters here.
     *
     * @param r the registry
     * @return this builder
     */
    public Builder meterRegistry(MeterRegistry r) {
      registry = Objects.requireNonNull(r, "registry");
      return this;
    }

    /**
     * Adds a listener.
     *
     * @param l called, on the monitor's delivery thread, for every closed window
     * @return this builder
     */
    public Builder listener(DriftListener l) {
      listeners.add(Objects.requireNonNull(l, "listener"));
      return this;
    }

    /**
     * How many window results may wait for slow listeners (default 64); beyond that the oldest waiting
     * result is dropped and counted, so a slow listener never blocks the thread that closes a window.
     *
     * @param capacity at least 1
     * @return this builder
     */
    public Builder listenerQueueCapacity(int capacity) {
      if (capacity < 1) {
        throw new IllegalArgumentException("The listener queue needs room for at least 1 result, got " + capacity);
      }
      queueCapacity = capacity;
      return this;
    }

    /**
     * How long {@link Monitor#close()} waits for listeners to receive the results already queued
     * (default 10 s); after that the rest is dropped, counted, and the listener thread interrupted.
     *
     * @param timeout positive
     * @return this builder
     */
    public Builder listenerDrainTimeout(Duration timeout) {
      if (timeout.isZero() || timeout.isNegative()) {
        throw new IllegalArgumentException("The listener drain timeout must be positive, got " + timeout);
      }
      drainTimeout = timeout;
      return this;
    }

    /**
     * The monitor; its first window opens now.
     *
     * @return the monitor
     * @throws IllegalStateException when no window policy was set
     */
    public Monitor build() {
      if (countLength == 0 && timeLength == null) {
        throw new IllegalStateException("Choose a window: tumblingCount(n) or tumblingTime(duration)");
      }
      return new Monitor(this);
    }
  }
}
