package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.quicktheories.QuickTheory.qt;
import static org.quicktheories.generators.SourceDSL.integers;
import static org.quicktheories.generators.SourceDSL.longs;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.stats.ProfileOptions;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;

/**
 * Decoding of forged profile bytes whose CRC-32 is valid: every structure is checked before anything
 * trusts it, so a profile either decodes to something every drift test finishes on, or is refused
 * with a {@link DataFormatException}.
 */
class ProfileDecodingTest {
  /** A decode may allocate far more than its input, but never without bound. */
  private static final long DECODE_ALLOCATION_LIMIT = 32L << 20;

  private static final com.sun.management.ThreadMXBean THREADS =
      (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

  @Test
  void refusesProfileWithANaNItemInItsQuantileSketch() {
    DatasetProfile p = ProfileBytes.twoThousandValues();
    byte[] bytes = p.toBytes();
    int kll = ProfileBytes.kllOffset(p, bytes, "x");
    int kllLength = p.column("x").kllOrNull().toByteArray().length;
    ProfileBytes.putDoubleLittleEndian(bytes, kll + kllLength - 8, Double.NaN);
    ProfileBytes.fixCrc(bytes);

    assertThatThrownBy(() -> DatasetProfile.fromBytes(bytes)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("column 'x'").hasMessageContaining("NaN");
  }

  @Test
  void driftFinishesEvenOnAQuantileSketchHoldingNaN() {
    // Defence in depth: a ColumnProfile built around a NaN-holding sketch without the decoder's checks.
    DatasetProfile p = ProfileBytes.twoThousandValues();
    ColumnProfile x = p.column("x");
    byte[] kll = x.kllOrNull().toByteArray();
    ProfileBytes.putDoubleLittleEndian(kll, kll.length - 8, Double.NaN);
    KllDoublesSketch poisoned = KllDoublesSketch.heapify(Memory.wrap(kll));
    ColumnProfile bad = new ColumnProfile(x.field(), x.options(), x.count(), x.nullCount(), x.nanCount(),
        x.positiveInfinityCount(), x.negativeInfinityCount(), x.validCount(), x.mean(), x.m2(), x.min(), x.max(),
        poisoned, x.hllOrNull(), null, x.valueCountsOrNull());

    for (dev.mlops.monitoring.drift.DriftTest test : dev.mlops.monitoring.drift.DriftTest.values()) {
      assertTimeoutPreemptively(Duration.ofSeconds(60), () -> {
        try {
          DriftDetector.withDefaults().compare(x, bad, test);
        } catch (RuntimeException refused) {
          assertThat(refused).hasMessageContaining("NaN");
        }
      }, test.id());
    }
  }

  @Test
  void decodingAllocatesInProportionToTheBytesPresentWhateverTheOptionsDeclare() {
    // Largest sketch sizes the options allow, over many columns of two values: before, each column
    // cost its sketches' full capacity (a KLL sketch of k = 65535 heapifies to 1.5 MB).
    List<Field> fields = new java.util.ArrayList<>();
    for (int i = 0; i < 200; i++) {
      fields.add(Field.of("x" + i, i % 2 == 0 ? DataType.FLOAT64 : DataType.STRING));
    }
    Schema wide = Schema.of(fields.toArray(new Field[0]));
    Profiler profiler = Profiler.create(wide, new ProfileOptions(65535, 21, 1 << 20, 1024));
    for (int r = 0; r < 2; r++) {
      Object[] values = new Object[fields.size()];
      for (int i = 0; i < values.length; i++) {
        values[i] = i % 2 == 0 ? (Object) (double) r : "v" + r;
      }
      profiler.record(Row.of(wide, values));
    }
    byte[] bytes = profiler.snapshot().toBytes();

    long before = THREADS.getCurrentThreadAllocatedBytes();
    DatasetProfile back = DatasetProfile.fromBytes(bytes);
    long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;

    assertThat(allocated).as("bytes allocated decoding %d bytes", bytes.length).isLessThan(64L * bytes.length);
    // Sketches kept as read-only views of their bytes answer, merge and compare as heap copies do.
    assertThat(back.column("x0").quantile(0.5)).isIn(0.0, 1.0);
    assertThat(back.merge(back).column("x0").count()).isEqualTo(4);
    assertThat(DriftDetector.withDefaults().compare(back, back).driftedColumns()).isZero();
    ProfileProperties.assertEquivalent(back, profiler.snapshot());
  }

  @Test
  void everyCrcValidMutationDecodesToAComparableProfileOrFailsAsDataFormat() {
    List<DatasetProfile> bases = List.of(ProfileBytes.twoThousandValues(),
        DatasetProfile.of(ProfileBytes.SCHEMA, ProfileBytes.rows(60, 3)),
        DatasetProfile.empty(ProfileBytes.SCHEMA, ProfileOptions.defaults()));
    List<byte[]> encoded = bases.stream().map(DatasetProfile::toBytes).toList();
    DriftDetector detector = DriftDetector.of(DriftOptions.builder().smallSampleMax(5000).build());
    DriftDetector distances = DriftDetector.withDefaults();
    AtomicInteger decoded = new AtomicInteger();
    AtomicInteger refused = new AtomicInteger();
    assertTimeoutPreemptively(Duration.ofMinutes(5), () -> qt().withFixedSeed(20260608L).withExamples(2500)
        .forAll(integers().between(0, bases.size() - 1), integers().between(0, 5), integers().allPositive(),
            longs().all())
        .checkAssert((base, kind, position, value) -> {
          byte[] bytes = mutate(encoded.get(base), kind, position, value);
          long before = THREADS.getCurrentThreadAllocatedBytes();
          DatasetProfile back;
          try {
            back = DatasetProfile.fromBytes(bytes);
          } catch (DataFormatException expected) {
            refused.incrementAndGet();
            return;
          } catch (Throwable other) {
            throw new AssertionError("mutation " + kind + " at " + position + " (value " + value + ") escaped as "
                + other, other);
          } finally {
            long allocated = THREADS.getCurrentThreadAllocatedBytes() - before;
            if (allocated > DECODE_ALLOCATION_LIMIT) {
              fail("decoding " + bytes.length + " bytes allocated " + allocated + " bytes");
            }
          }
          decoded.incrementAndGet();
          DatasetProfile reference = bases.get(base);
          for (DriftDetector d : List.of(detector, distances)) {
            DatasetDrift one = d.compare(reference, back);
            DatasetDrift two = d.compare(back, reference);
            assertThat(one.columns()).hasSize(reference.columns().size());
            assertThat(two.columns()).hasSize(back.columns().size());
            DriftReport.of(reference, back, one).toJson();
          }
          assertThat(back.toJson()).isNotEmpty();
        }));
    assertThat(refused.get()).isPositive();
    assertThat(decoded.get()).as("some mutations (in moments or sketch items) stay decodable").isPositive();
  }

  /** One of several byte-level corruptions of the payload, then a recomputed CRC-32. */
  static byte[] mutate(byte[] good, int kind, int position, long value) {
    byte[] b = good.clone();
    int payload = b.length - 14;
    int at = 10 + position % payload;
    switch (kind) {
      case 0 -> b[at] ^= (byte) (1 << (value & 7));
      case 1 -> b[at] = (byte) value;
      case 2 -> putClamped(b, at, 4, value);
      case 3 -> putClamped(b, at, 8, value);
      case 4 -> putClamped(b, at, 8, Double.doubleToRawLongBits(special(value)));
      default -> {
        int[] lengths = {-2, -1, 0, 1, 0x7FFFFFF0, Integer.MAX_VALUE, Integer.MIN_VALUE, 1 << 20};
        putClamped(b, at, 4, lengths[(int) Math.floorMod(value, (long) lengths.length)]);
      }
    }
    return ProfileBytes.fixCrc(b);
  }

  private static double special(long value) {
    double[] s = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, Double.MAX_VALUE,
        -Double.MAX_VALUE, Double.MIN_VALUE, 1e300};
    return s[(int) Math.floorMod(value, (long) s.length)];
  }

  /** Big-endian write of the low {@code width} bytes of {@code v}, kept inside the payload. */
  private static void putClamped(byte[] b, int at, int width, long v) {
    int start = Math.min(at, b.length - 4 - width);
    for (int i = 0; i < width; i++) {
      b[start + i] = (byte) (v >>> (8 * (width - 1 - i)));
    }
  }
}
