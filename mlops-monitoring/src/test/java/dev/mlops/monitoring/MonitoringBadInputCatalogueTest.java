package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.monitoring.drift.ColumnDrift;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.drift.DriftStatistics;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.stats.ProfileOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.stream.Stream;
import org.apache.arrow.memory.RootAllocator;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every bad input of the monitoring area, one row each: forged and broken profile bytes (the CRC-32
 * recomputed, so only validation stands in the way), profile and data files that are missing or not
 * regular, failed writes, vectors the drift statistics refuse, and the inputs whose right answer is a
 * documented result rather than an error (profiles of different schemas or without values compared,
 * a closed monitor). Rows that touch Arrow check their allocator is back to zero; rows that write
 * check nothing was half-written.
 */
class MonitoringBadInputCatalogueTest {
  private static final Duration NET = Duration.ofSeconds(60);
  private static final DatasetProfile P = ProfileBytes.twoThousandValues();
  private static final byte[] GOOD = P.toBytes();
  private static Path dir;

  @BeforeAll
  static void directory() throws IOException {
    dir = Files.createTempDirectory("monitoring-catalogue");
  }

  /** An input that must be refused with this exception type and message fragment. */
  record Refusal(String name, ThrowingCallable action, Class<? extends Throwable> type, String fragment,
      Runnable afterwards) {
    @Override
    public String toString() {
      return name;
    }
  }

  /** An input whose right answer is a documented result; {@code check} asserts it. */
  record Answer(String name, Runnable check) {
    @Override
    public String toString() {
      return name;
    }
  }

  static Stream<Refusal> refusals() {
    return Stream.of(
        // Frame
        profile("truncated to 3 bytes", b -> Arrays.copyOf(b, 3), "truncated"),
        profile("truncated payload", b -> Arrays.copyOf(b, b.length - 10), "payload length"),
        profile("wrong magic", b -> set(b, 0, (byte) 'X'), "bad magic number"),
        profile("wrong version", b -> set(b, 5, (byte) 9), "profile format version 9 is not supported"),
        profile("bad CRC", b -> set(b, b.length / 2, (byte) (b[b.length / 2] ^ 0x40)), "checksum mismatch"),
        forged("trailing bytes inside the payload", MonitoringBadInputCatalogueTest::withTrailingPayload,
            "unread bytes after the last column"),
        // Schema and structure
        forged("corrupt schema JSON", b -> set(b, 14, (byte) '#'), "profile bytes: the schema is not valid"),
        forged("schema blob longer than the payload", b -> putInt(b, 10, 0x7FFFFFF0), "out of range"),
        forged("column count differs from the schema", b -> putInt(b, columnCountAt(b), 5),
            "columns but its schema has 6"),
        forged("negative row count", b -> putLong(b, columnCountAt(b) - 8, -1), "the row count is -1"),
        // Counters and moments
        forged("negative null count", b -> putLong(b, counters("x") + 8, -1), "negative count"),
        forged("counts that do not add up", b -> putLong(b, counters("x") + 8, P.column("x").nullCount() + 1),
            "inconsistent counts"),
        forged("count differs from the rows", b -> putLong(b, columnCountAt(b) - 8, P.rowCount() + 1),
            "must equal the column's count"),
        forged("NaN mean", b -> putDouble(b, counters("x") + 48, Double.NaN), "impossible moments"),
        forged("min above max", b -> putDouble(b, counters("x") + 64, 1e9), "impossible moments"),
        forged("variance beyond the range allows", b -> putDouble(b, counters("x") + 56, 1e12),
            "moments out of range"),
        // KLL sketch
        forged("NaN item in the KLL sketch", b -> kllItem(b, 0, Double.NaN), "is NaN"),
        forged("infinite item in the KLL sketch", b -> kllItem(b, 3, Double.POSITIVE_INFINITY), "is Infinity"),
        forged("unsorted KLL level", MonitoringBadInputCatalogueTest::unsortedLevel, "is not sorted"),
        forged("KLL n differs from its levels", b -> putLongLe(b, kll("x") + 8, 5000), "its n is 5000"),
        forged("KLL sketch of another family", b -> set(b, kll("x") + 2, (byte) 7), "family id 7"),
        forged("255 KLL levels", b -> set(b, kll("x") + 18, (byte) 255), "255 levels"),
        forged("KLL blob longer than the payload", b -> putInt(b, kll("x") - 4, 0x7FFFFFF0), "out of range"),
        // HLL sketch
        forged("HLL of another lgK", b -> set(b, hll("c") + 3, (byte) 11), "lgK = 11"),
        forged("HLL in updatable form sized 2^30", b -> set(set(b, hll("x") + 5, (byte) (b[hll("x") + 5] & ~8)),
            hll("x") + 4, (byte) 30), "not in compact form"),
        forged("HLL count of registers at the minimum forged", b -> putIntLe(b, hll("x") + 32,
            leInt(b, hll("x") + 32) + 1), "registers hold its minimum"),
        forged("HLL register sum kxq0 forged", b -> putDoubleLe(b, hll("x") + 16, 2 * leDouble(b, hll("x") + 16)),
            "stored register sums"),
        forged("HLL HIP estimate forged 100-fold", b -> putDoubleLe(b, hll("x") + 8,
            100 * leDouble(b, hll("x") + 8)), "HIP estimate"),
        forged("HLL exception entry beyond the registers", b -> withAuxEntries(b, 1, (20 << 26) | 4096),
            "beyond the sketch's 4096 registers"),
        forged("HLL exception entries naming one register twice", b -> withAuxEntries(b, 2, 20 << 26, 20 << 26),
            "an earlier entry already names"),
        forged("HLL exception entry below curMin + 15", b -> withAuxEntries(b, 1, 3 << 26), "at least curMin + 15"),
        forged("HLL exception table larger than 3K/8", b -> putIntLe(b, hll("x") + 36, 3 * 4096 / 8 + 1),
            "holds between 0 and 1536"),
        // Frequent items
        forged("frequent item declaring 2 GiB", b -> putIntLe(b, firstItemLength("c"), 0x7FFFFFF0),
            "declares 2147483632 bytes"),
        forged("2^30 frequent items declared", b -> putIntLe(b, items("c") + 8, 1 << 30), "declares 1073741824 items"),
        forged("frequent-items map of 2^30", b -> set(b, items("c") + 4, (byte) 30), "map sizes 2^30"),
        forged("frequent-item counts not summing to the stream", b -> putLongLe(b, items("c") + 32,
            ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getLong(items("c") + 32) + 1), "sum to"),
        forged("frequent item not UTF-8", b -> set(b, firstItemLength("c") + 4, (byte) 0xFF), "not valid UTF-8"),
        // Exact value counts
        forged("a million tracked values declared", b -> putInt(b, tracked("n"), 1_000_000), "out of range 0..32"),
        forged("tracked value outside min..max", b -> putDouble(b, tracked("n") + 4, 1e6), "is impossible"),
        // Drift statistics on vectors
        refusal("PSI of an infinite count", () -> DriftStatistics.psi(new double[] {1, Double.POSITIVE_INFINITY},
            new double[] {1, 1}), IllegalArgumentException.class, "finite non-negative"),
        refusal("Jensen-Shannon of an infinite count", () -> DriftStatistics.jensenShannon(new double[] {1, 1},
            new double[] {Double.POSITIVE_INFINITY, 1}), IllegalArgumentException.class, "finite non-negative"),
        refusal("Hellinger of a NaN count", () -> DriftStatistics.hellinger(new double[] {Double.NaN, 1},
            new double[] {1, 1}), IllegalArgumentException.class, "finite non-negative"),
        refusal("L-infinity of a negative count", () -> DriftStatistics.lInfinity(new double[] {-1, 1},
            new double[] {1, 1}), IllegalArgumentException.class, "finite non-negative"),
        refusal("Wasserstein over a NaN jump point", () -> DriftStatistics.wassersteinSorted(
            new double[] {0, Double.NaN}, new double[] {0.5, 1}, new double[] {0}, new double[] {1}),
            IllegalArgumentException.class, "index 1 is NaN"),
        refusal("KS over descending values", () -> DriftStatistics.kolmogorovSmirnovWeighted(new double[] {2, 1},
            new long[] {1, 2}, new double[] {1}, new long[] {1}), IllegalArgumentException.class, "must be ascending"),
        refusal("merging profiles of different schemas", () -> P.merge(DatasetProfile.of(MonitorTest.IN,
            List.of())), SchemaMismatchException.class, "merge profiles of the same schema only"),
        // Files
        file("reading a missing profile file", () -> ProfileFiles.readProfile(dir.resolve("missing.mlpf")),
            MlopsException.class, "does not exist"),
        file("reading a directory as a profile", () -> ProfileFiles.readProfile(dir), MlopsException.class,
            "is a directory"),
        file("reading a FIFO as a profile", () -> ProfileFiles.readProfile(fifo("profile.fifo")),
            MlopsException.class, "is a FIFO, socket or device"),
        arrow("profiling a FIFO as CSV", a -> ProfileFiles.ofCsv(fifo("data.csv"), CsvOptions.defaults(),
            ProfileOptions.defaults(), a), "is a FIFO, socket or device"),
        arrow("profiling a FIFO as Arrow IPC", a -> ProfileFiles.ofArrowFile(fifo("data.arrow"),
            ProfileOptions.defaults(), a), "is a FIFO, socket or device"),
        file("reading an empty profile file", () -> ProfileFiles.readProfile(written("empty.mlpf", new byte[0])),
            DataFormatException.class, "empty.mlpf: only 0 bytes"),
        file("reading a forged profile file", () -> ProfileFiles.readProfile(written("nan.mlpf",
            ProfileBytes.fixCrc(kllItem(GOOD.clone(), 0, Double.NaN)))), DataFormatException.class,
            "nan.mlpf, column 'x': KLL sketch item 0"),
        written("writing a profile over a directory", "taken.mlpf",
            target -> ProfileFiles.writeProfile(P, target), "Cannot"),
        written("writing a drift report over a directory", "taken.html",
            target -> DriftReport.compare(P, P, dev.mlops.monitoring.drift.DriftOptions.defaults()).writeHtml(target),
            "Cannot"),
        // Live monitors
        refusal("recording a row of another schema", () -> monitor().record(Row.of(MonitorTest.OUT, 0.5)),
            SchemaMismatchException.class, "input row schema"),
        refusal("recording an output without an output reference", () -> monitor().recordOutput(
            Row.of(MonitorTest.OUT, 0.5)), IllegalStateException.class, "no output reference"),
        refusal("flushing a closed monitor", () -> {
          Monitor m = monitor();
          m.close();
          m.flush();
        }, IllegalStateException.class, "is closed"),
        refusal("a listener queue of no room", () -> Monitor.builder(P).listenerQueueCapacity(0),
            IllegalArgumentException.class, "at least 1 result"));
  }

  static Stream<Answer> answers() {
    return Stream.of(
        new Answer("profiles of different schemas compared", () -> {
          Schema other = Schema.of(Field.of("x", DataType.STRING), Field.of("z", DataType.FLOAT64));
          DatasetDrift d = DriftDetector.withDefaults().compare(P, DatasetProfile.of(other,
              List.of(Row.of(other, "a", 1.0))));
          assertThat(d.column("x").orElseThrow().note()).contains("column type differs");
          assertThat(d.column("n").orElseThrow().note()).contains("column missing from the current data");
          assertThat(d.testedColumns()).isZero();
          assertThat(d.drifted()).isFalse();
        }),
        new Answer("empty profiles compared", () -> {
          DatasetProfile empty = DatasetProfile.empty(P.schema(), P.options());
          DatasetDrift d = DriftDetector.withDefaults().compare(empty, empty);
          assertThat(d.columns()).allSatisfy(c -> assertThat(c.computed()).isFalse());
          assertThat(d.column("x").orElseThrow().note()).contains("reference and current have no valid values");
          assertThat(d.drifted()).isFalse();
          assertThat(DriftDetector.withDefaults().compare(P, empty).column("c").map(ColumnDrift::note).orElseThrow())
              .contains("current has no valid values");
        }),
        new Answer("samples of NaN and infinities only compared", () -> {
          ColumnDrift c = DriftDetector.withDefaults().compareSamples("x", new double[] {1, 2, 3},
              new double[] {Double.NaN, Double.POSITIVE_INFINITY});
          assertThat(c.computed()).isFalse();
          assertThat(c.note()).contains("current has no valid values");
        }),
        new Answer("a NaN-item profile never reaches drift", () -> assertTimeoutPreemptively(NET, () ->
            assertThatThrownBy(() -> DatasetProfile.fromBytes(ProfileBytes.fixCrc(kllItem(GOOD.clone(), 0,
                Double.NaN)))).isInstanceOf(DataFormatException.class))),
        new Answer("recording into a closed monitor", () -> {
          Monitor m = monitor();
          m.close();
          m.record(Row.of(MonitorTest.IN, 1.0, "k1"));
          m.record(Row.of(MonitorTest.OUT, 1.0));
          assertThat(m.isClosed()).isTrue();
          assertThat(m.recordsIgnoredAfterClose()).isEqualTo(2);
        }),
        new Answer("sum of huge finite counts normalized without overflow", () ->
            assertThat(DriftStatistics.lInfinity(new double[] {Double.MAX_VALUE, Double.MAX_VALUE},
                new double[] {1, 0})).isEqualTo(0.5)));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("refusals")
  void refuses(Refusal r) {
    assertTimeoutPreemptively(NET, () -> assertThatThrownBy(r.action()).isInstanceOf(r.type())
        .hasMessageContaining(r.fragment()));
    r.afterwards().run();
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("answers")
  void answers(Answer a) {
    a.check().run();
  }

  // Rows

  private static Refusal refusal(String name, ThrowingCallable action, Class<? extends Throwable> type,
      String fragment) {
    return new Refusal(name, action, type, fragment, () -> { });
  }

  private static Refusal profile(String name, Function<byte[], byte[]> corrupt, String fragment) {
    return refusal(name, () -> DatasetProfile.fromBytes(corrupt.apply(GOOD.clone())), DataFormatException.class,
        fragment);
  }

  /** Corrupted, then given a valid CRC-32, as a forger would. */
  private static Refusal forged(String name, Function<byte[], byte[]> corrupt, String fragment) {
    return refusal(name, () -> DatasetProfile.fromBytes(ProfileBytes.fixCrc(corrupt.apply(GOOD.clone()))),
        DataFormatException.class, fragment);
  }

  private static Refusal file(String name, ThrowingCallable action, Class<? extends Throwable> type,
      String fragment) {
    return refusal(name, action, type, fragment);
  }

  /** An action on an allocator. */
  @FunctionalInterface
  interface WithAllocator {
    void run(RootAllocator allocator) throws Exception;
  }

  /** Through a caller's allocator, which must hold nothing afterwards. */
  private static Refusal arrow(String name, WithAllocator action, String fragment) {
    RootAllocator allocator = new RootAllocator();
    return new Refusal(name, () -> action.run(allocator), MlopsException.class, fragment, () -> {
      assertThat(allocator.getAllocatedMemory()).isZero();
      allocator.close();
    });
  }

  /** A write whose target is an existing directory: it fails, the directory is untouched, no temp file. */
  private static Refusal written(String name, String target, Consumer<Path> write, String fragment) {
    Path parent = dir.resolve("writes-" + target);
    Path t = parent.resolve(target);
    return new Refusal(name, () -> {
      Files.createDirectories(t.resolve("inside"));
      write.accept(t);
    }, MlopsException.class, fragment, () -> {
      try (Stream<Path> left = Files.list(parent)) {
        assertThat(left).as("nothing half-written beside the target").containsExactly(t);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      assertThat(t.resolve("inside")).isDirectory();
    });
  }

  private static Monitor monitor() {
    return Monitor.builder(MonitorTest.reference(4)).tumblingCount(10).build();
  }

  // Files

  private static Path fifo(String name) throws IOException, InterruptedException {
    Path p = dir.resolve(name);
    Files.deleteIfExists(p);
    Process mk = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    Assumptions.assumeTrue(mk.waitFor() == 0, "mkfifo is needed to make a FIFO");
    return p;
  }

  private static Path written(String name, byte[] bytes) throws IOException {
    return Files.write(dir.resolve(name), bytes);
  }

  // Offsets in the profile's bytes (see ProfileCodec for the layout)

  private static int columnCountAt(byte[] b) {
    return 10 + 4 + ByteBuffer.wrap(b).getInt(10) + 16 + 8;
  }

  private static int counters(String column) {
    return ProfileBytes.countersOffset(P, GOOD, column);
  }

  private static int kll(String column) {
    return ProfileBytes.kllOffset(P, GOOD, column);
  }

  private static int hll(String column) {
    return ProfileBytes.hllOffset(P, GOOD, column);
  }

  private static int items(String column) {
    return ProfileBytes.itemsOffset(P, GOOD, column);
  }

  private static int firstItemLength(String column) {
    int active = ByteBuffer.wrap(GOOD).order(ByteOrder.LITTLE_ENDIAN).getInt(items(column) + 8);
    return items(column) + 32 + 8 * active;
  }

  /** The tracked value count of a numeric column: after its HLL blob and the absent items blob (-1). */
  private static int tracked(String column) {
    return hll(column) + P.column(column).hllOrNull().toCompactByteArray().length + 4;
  }

  private static int kllLevels(String column) {
    return GOOD[kll(column) + 18] & 0xff;
  }

  /** Retained item {@code i} (from 0) of column x's KLL sketch. */
  private static byte[] kllItem(byte[] b, int i, double v) {
    int items = kll("x") + 20 + 4 * kllLevels("x") + 16;
    ProfileBytes.putDoubleLittleEndian(b, items + 8 * i, v);
    return b;
  }

  /** Swaps two distinct items of the first level above 0 that has them. */
  private static byte[] unsortedLevel(byte[] b) {
    ByteBuffer le = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
    int at = kll("x");
    int levels = kllLevels("x");
    int items = at + 20 + 4 * levels + 16;
    int first = le.getInt(at + 20);
    int retained = (P.column("x").kllOrNull().toByteArray().length - 20 - 4 * levels - 16) / 8;
    for (int level = 1; level < levels; level++) {
      int from = le.getInt(at + 20 + 4 * level) - first;
      int to = level + 1 < levels ? le.getInt(at + 24 + 4 * level) - first : retained;
      for (int i = from; i + 1 < to; i++) {
        double x = le.getDouble(items + 8 * i);
        double y = le.getDouble(items + 8 * (i + 1));
        if (x < y) {
          le.putDouble(items + 8 * i, y);
          le.putDouble(items + 8 * (i + 1), x);
          return b;
        }
      }
    }
    throw new AssertionError("no level above 0 holds two distinct items");
  }

  private static byte[] withTrailingPayload(byte[] b) {
    byte[] out = Arrays.copyOf(b, b.length + 3);
    System.arraycopy(b, b.length - 4, out, b.length - 1, 4);
    ByteBuffer.wrap(out).putInt(6, out.length - 14);
    return out;
  }

  /**
   * The profile with column x's HLL sketch given {@code pointers} more registers that point into its
   * exception table (registers 0, 1, ..., whose values were below 15) and the given aux pairs appended,
   * the aux count and the blob's length prefix updated to match.
   */
  private static byte[] withAuxEntries(byte[] b, int pointers, int... pairs) {
    int at = hll("x");
    byte[] sketch = P.column("x").hllOrNull().toCompactByteArray();
    if ((sketch[7] & 3) != 2) {
      throw new AssertionError("column x's HLL sketch is not in HLL mode; the forgery needs registers");
    }
    byte[] forged = Arrays.copyOf(sketch, sketch.length + 4 * pairs.length);
    for (int slot = 0; slot < pointers; slot++) {
      int shift = (slot & 1) << 2;
      forged[40 + (slot >> 1)] = (byte) (forged[40 + (slot >> 1)] | (0x0f << shift));
    }
    ByteBuffer le = ByteBuffer.wrap(forged).order(ByteOrder.LITTLE_ENDIAN);
    le.putInt(36, le.getInt(36) + pairs.length);
    for (int i = 0; i < pairs.length; i++) {
      le.putInt(sketch.length + 4 * i, pairs[i]);
    }
    byte[] out = new byte[b.length + forged.length - sketch.length];
    System.arraycopy(b, 0, out, 0, at);
    System.arraycopy(forged, 0, out, at, forged.length);
    System.arraycopy(b, at + sketch.length, out, at + forged.length, b.length - at - sketch.length);
    ByteBuffer.wrap(out).putInt(at - 4, forged.length);
    ByteBuffer.wrap(out).putInt(6, out.length - 14);
    return out;
  }

  private static int leInt(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getInt(at);
  }

  private static double leDouble(byte[] b, int at) {
    return ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).getDouble(at);
  }

  private static byte[] putDoubleLe(byte[] b, int at, double v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putDouble(at, v);
    return b;
  }

  private static byte[] set(byte[] b, int at, byte v) {
    b[at] = v;
    return b;
  }

  private static byte[] putInt(byte[] b, int at, int v) {
    ByteBuffer.wrap(b).putInt(at, v);
    return b;
  }

  private static byte[] putLong(byte[] b, int at, long v) {
    ProfileBytes.putLong(b, at, v);
    return b;
  }

  private static byte[] putDouble(byte[] b, int at, double v) {
    ProfileBytes.putDouble(b, at, v);
    return b;
  }

  private static byte[] putIntLe(byte[] b, int at, int v) {
    ProfileBytes.putIntLittleEndian(b, at, v);
    return b;
  }

  private static byte[] putLongLe(byte[] b, int at, long v) {
    ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN).putLong(at, v);
    return b;
  }
}
