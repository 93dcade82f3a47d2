package dev.mlops.stats.internal;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;

/**
 * KLL updates and merges whose random choices are a function of the sketch's own state, so that the
 * same values in the same order give the same sketch, byte for byte, in any JVM and whatever other
 * sketches do meanwhile.
 *
 * <p>DataSketches' KLL compactor keeps the odd or the even items of a level by a coin flip drawn from
 * one static, unseeded {@link Random} that every KLL sketch of the JVM shares
 * ({@code org.apache.datasketches.kll.KllSketch.random}), with no way to seed it per sketch. Every
 * KLL mutation of this library goes through here and first seeds the generator with
 * {@code mix(seed, n)}, where {@code seed} is the column's (see {@link #seedOf}) and {@code n} the
 * number of values the sketch holds (for a merge, both sketches'). The coin flips are then as random
 * as before (a fresh, well-mixed seed per operation) but reproducible.
 *
 * <p>So that threads do not share that one generator, it is replaced, once, by one whose state is
 * per thread ({@link Mode#PER_THREAD}: no lock; DataSketches' field is {@code static final}, so the
 * replacement writes it through {@code sun.misc.Unsafe} before any KLL code has run hot). A self-check
 * right after proves the replacement took (two sketches fed the same values under the same seed
 * must be equal); when it did not, or the field cannot be reached, the shared generator is seeded
 * under one lock instead ({@link Mode#LOCKED}: correct and reproducible, but concurrent sketch
 * updates then wait for each other), and failing that the operations run unseeded
 * ({@link Mode#UNSEEDED}; the golden test of reproducible profiles then fails).
 */
public final class SeededKll {
  /** How reproducibility is obtained in this JVM. */
  public enum Mode {
    /** DataSketches' generator replaced by one with per-thread state: reproducible, no lock. */
    PER_THREAD,
    /** The shared generator seeded under one lock: reproducible, concurrent updates serialized. */
    LOCKED,
    /** The generator is unreachable: sketches are not reproducible. */
    UNSEEDED
  }

  private static final Object LOCK = new Object();
  private static final Random SHARED;
  private static final Mode MODE;

  static {
    Random found = find();
    Mode mode = Mode.UNSEEDED;
    if (found != null) {
      mode = Mode.LOCKED;
      PerThreadRandom replacement = new PerThreadRandom();
      if (install(replacement) && find() == replacement && selfCheck()) {
        mode = Mode.PER_THREAD;
        found = replacement;
      } else if (find() == replacement) {
        mode = Mode.LOCKED;
        found = replacement;
      }
    }
    SHARED = found;
    MODE = mode;
  }

  private SeededKll() {}

  private static Field field() throws ReflectiveOperationException {
    return Class.forName("org.apache.datasketches.kll.KllSketch").getDeclaredField("random");
  }

  private static Random find() {
    try {
      Field f = field();
      f.setAccessible(true);
      return (Random) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** Writes the replacement into DataSketches' {@code static final} field. */
  private static boolean install(Random replacement) {
    // Reflectively, so that javac does not warn of the proprietary class at every build.
    try {
      Class<?> type = Class.forName("sun.misc.Unsafe");
      Field theUnsafe = type.getDeclaredField("theUnsafe");
      theUnsafe.setAccessible(true);
      Object unsafe = theUnsafe.get(null);
      Field f = field();
      Object base = type.getMethod("staticFieldBase", Field.class).invoke(unsafe, f);
      long offset = (Long) type.getMethod("staticFieldOffset", Field.class).invoke(unsafe, f);
      type.getMethod("putObjectVolatile", Object.class, long.class, Object.class).invoke(unsafe, base, offset,
          replacement);
      return true;
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      return false;
    }
  }

  /** Two sketches fed the same 20,000 values under the same seed, on the per-thread path, are equal. */
  private static boolean selfCheck() {
    double[] values = new double[20_000];
    Random r = new Random(42);
    for (int i = 0; i < values.length; i++) {
      values[i] = r.nextDouble();
    }
    byte[][] out = new byte[2][];
    for (int t = 0; t < 2; t++) {
      KllDoublesSketch s = KllDoublesSketch.newHeapInstance(200);
      for (int from = 0; from < values.length; from += 1000) {
        PerThreadRandom.seed(mix(7 ^ s.getN()));
        s.update(values, from, 1000);
        // Seeding in between, as updates of another sketch would, must not matter.
        PerThreadRandom.seed(t);
      }
      out[t] = s.toByteArray();
    }
    return java.util.Arrays.equals(out[0], out[1]);
  }

  /**
   * How this JVM makes sketches reproducible.
   *
   * @return the mode
   */
  public static Mode mode() {
    return MODE;
  }

  /**
   * Whether sketches are reproducible in this JVM.
   *
   * @return true unless the generator is unreachable
   */
  public static boolean seeded() {
    return MODE != Mode.UNSEEDED;
  }

  /**
   * The documented seed of a column's sketch: the 64-bit FNV-1a hash of the column name's UTF-8
   * bytes, mixed by SplitMix64's finalizer. Columns of the same name get the same seed, so the
   * profile of the same rows is the same whichever schema position the column has.
   *
   * @param column the column name
   * @return the seed
   */
  public static long seedOf(String column) {
    long h = 0xcbf29ce484222325L;
    for (byte b : column.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(h);
  }

  /**
   * Adds values to a sketch.
   *
   * @param sketch the sketch
   * @param seed its column's seed
   * @param values the values
   * @param from the first index
   * @param n how many
   */
  public static void update(KllDoublesSketch sketch, long seed, double[] values, int from, int n) {
    long s = mix(seed ^ sketch.getN());
    if (MODE == Mode.PER_THREAD) {
      PerThreadRandom.seed(s);
      sketch.update(values, from, n);
      return;
    }
    synchronized (LOCK) {
      reseed(s);
      sketch.update(values, from, n);
    }
  }

  /**
   * Merges {@code other} into {@code sketch}.
   *
   * @param sketch the sketch merged into
   * @param seed its column's seed
   * @param other the other sketch, not changed
   */
  public static void merge(KllDoublesSketch sketch, long seed, KllDoublesSketch other) {
    long s = mix(mix(seed ^ sketch.getN()) ^ other.getN());
    if (MODE == Mode.PER_THREAD) {
      PerThreadRandom.seed(s);
      sketch.merge(other);
      return;
    }
    synchronized (LOCK) {
      reseed(s);
      sketch.merge(other);
    }
  }

  private static void reseed(long seed) {
    Random r = SHARED;
    if (r instanceof PerThreadRandom) {
      PerThreadRandom.seed(seed);
    } else if (r != null) {
      r.setSeed(seed);
    }
  }

  /** SplitMix64's finalizer. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }

  /**
   * A {@link Random} whose state is per thread: {@link Random}'s own linear congruential generator
   * (same multiplier, increment and 48-bit state), one state per thread, so a thread's draws depend
   * only on its own seeding. A thread that never seeds it starts from a state mixed from the clock
   * and its id, as unpredictable as {@code new Random()}.
   */
  static final class PerThreadRandom extends Random {
    private static final long serialVersionUID = 1L;
    private static final long MULTIPLIER = 0x5DEECE66DL;
    private static final long MASK = (1L << 48) - 1;
    private static final ThreadLocal<long[]> STATE =
        ThreadLocal.withInitial(() -> new long[] {scramble(mix(System.nanoTime() ^ Thread.currentThread().getId()))});

    private static long scramble(long seed) {
      return (seed ^ MULTIPLIER) & MASK;
    }

    /** Seeds the calling thread's state, as {@link Random#setSeed} does. */
    static void seed(long seed) {
      STATE.get()[0] = scramble(seed);
    }

    @Override
    public synchronized void setSeed(long seed) {
      // Random's constructor calls this before the subclass is ready: nothing to seed yet then.
      if (STATE != null) {
        seed(seed);
      }
    }

    @Override
    protected int next(int bits) {
      long[] s = STATE.get();
      long x = (s[0] * MULTIPLIER + 0xBL) & MASK;
      s[0] = x;
      return (int) (x >>> (48 - bits));
    }
  }
}
