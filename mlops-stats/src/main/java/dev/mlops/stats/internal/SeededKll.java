package dev.mlops.stats.internal;

import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.jspecify.annotations.Nullable;

/**
 * KLL updates and merges whose random choices are a function of the sketch's own state, so that the
 * same values in the same order give the same sketch, byte for byte, in any JVM and whatever other
 * sketches do meanwhile.
 *
 * <p>DataSketches' KLL compactor keeps the odd or the even items of a level by a coin flip drawn from
 * one static, unseeded {@link Random} that every KLL sketch of the JVM shares
 * ({@code org.apache.datasketches.kll.KllSketch.random}), with no way to seed it per sketch. Every
 * KLL mutation of this library goes through here: under one lock, the shared generator is reseeded
 * with {@code mix(seed, n)} before the operation, where {@code seed} is the column's (see
 * {@link #seedOf}) and {@code n} the number of values the sketch holds (for a merge, both sketches'),
 * then the operation runs. The coin flips are then as random as before (a fresh, well-mixed seed per
 * compaction run) but reproducible. The lock is held for one update of up to 1,024 buffered values
 * or one merge, not per value.
 *
 * <p>The generator is reached by reflection (DataSketches is an automatic module, whose packages are
 * open). Were it ever unreachable, the operations would still run, unseeded, and
 * {@link #seeded()} says false; the golden test of reproducible profiles would then fail.
 */
public final class SeededKll {
  private static final @Nullable Random SHARED = find();
  private static final Object LOCK = new Object();

  private SeededKll() {}

  private static @Nullable Random find() {
    try {
      Field f = Class.forName("org.apache.datasketches.kll.KllSketch").getDeclaredField("random");
      f.setAccessible(true);
      return (Random) f.get(null);
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /**
   * Whether the shared generator was found, so that sketches are reproducible.
   *
   * @return true when seeding works
   */
  public static boolean seeded() {
    return SHARED != null;
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
    synchronized (LOCK) {
      reseed(mix(seed ^ sketch.getN()));
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
    synchronized (LOCK) {
      reseed(mix(mix(seed ^ sketch.getN()) ^ other.getN()));
      sketch.merge(other);
    }
  }

  private static void reseed(long seed) {
    Random r = SHARED;
    if (r != null) {
      r.setSeed(seed);
    }
  }

  /** SplitMix64's finalizer. */
  private static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
