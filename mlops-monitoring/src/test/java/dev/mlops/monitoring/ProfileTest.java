package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.internal.Json;
import dev.mlops.stats.ColumnKind;
import dev.mlops.stats.ProfileOptions;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class ProfileTest {
  static final Schema SCHEMA = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("n", DataType.INT64),
      Field.of("f", DataType.FLOAT32), Field.of("s", DataType.STRING), Field.of("b", DataType.BOOLEAN),
      Field.of("t", DataType.TIMESTAMP), Field.of("v", DataType.floatTensor(2)));

  static List<Row> rows(int n, long seed) {
    Random r = new Random(seed);
    List<Row> out = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      out.add(Row.of(SCHEMA, i % 17 == 0 ? null : r.nextGaussian() * 10 + 5, (long) r.nextInt(4),
          (float) r.nextDouble(), i % 11 == 0 ? null : "c" + r.nextInt(6), r.nextBoolean(),
          Instant.ofEpochSecond(1_700_000_000L + i), new float[] {1, 2}));
    }
    return out;
  }

  @Test
  void computesExactCountsAndMomentsOfNumericColumn() {
    double[] v = {1, 2, 3, 4, Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY};
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64));
    List<Row> rows = new ArrayList<>();
    for (double d : v) {
      rows.add(Row.of(s, d));
    }
    rows.add(Row.of(s, (Object) null));
    ColumnProfile p = DatasetProfile.of(s, rows).column("x");
    assertThat(p.count()).isEqualTo(8);
    assertThat(p.nullCount()).isEqualTo(1);
    assertThat(p.nanCount()).isEqualTo(1);
    assertThat(p.positiveInfinityCount()).isEqualTo(1);
    assertThat(p.negativeInfinityCount()).isEqualTo(1);
    assertThat(p.validCount()).isEqualTo(4);
    assertThat(p.min()).isEqualTo(1);
    assertThat(p.max()).isEqualTo(4);
    assertThat(p.mean()).isEqualTo(2.5);
    assertThat(p.variance()).isEqualTo(1.25);
    assertThat(p.sampleVariance()).isCloseTo(5.0 / 3, within(1e-15));
    assertThat(p.quantile(0.5)).isBetween(2.0, 3.0);
    assertThat(p.distinctCount()).isEqualTo(4);
    assertThat(p.categoryCounts()).containsExactly(java.util.Map.entry("1", 1L), java.util.Map.entry("2", 1L),
        java.util.Map.entry("3", 1L), java.util.Map.entry("4", 1L));
    assertThat(p.histogram(new double[] {1, 2.5, 4}).counts()).containsExactly(2, 2);
  }

  @Test
  void profilesCategoricalBooleanTimestampAndTensorColumns() {
    DatasetProfile p = DatasetProfile.of(SCHEMA, rows(500, 1));
    assertThat(p.column("s").kind()).isEqualTo(ColumnKind.CATEGORICAL);
    assertThat(p.column("s").nullCount()).isEqualTo(46);
    assertThat(p.column("s").categoryCounts().values().stream().mapToLong(Long::longValue).sum()).isEqualTo(454);
    assertThat(p.column("s").frequentItems(2)).hasSize(2);
    assertThat(p.column("b").categoryCounts().keySet()).containsExactlyInAnyOrder("true", "false");
    assertThat(p.column("t").min()).isEqualTo(1_700_000_000.0);
    assertThat(p.column("t").max()).isEqualTo(1_700_000_499.0);
    assertThat(p.column("v").kind()).isEqualTo(ColumnKind.OTHER);
    assertThat(p.column("v").validCount()).isEqualTo(500);
  }

  @Test
  void batchAndRowPathsGiveTheSameProfile() {
    List<Row> rows = rows(3000, 2);
    try (RootAllocator alloc = new RootAllocator()) {
      try (Batch b = Batch.fromRows(alloc, SCHEMA, rows)) {
        DatasetProfile fromBatch = DatasetProfile.of(b);
        DatasetProfile fromRows = DatasetProfile.of(SCHEMA, rows);
        // KLL compaction is randomized, so quantiles agree within the rank error, everything else exactly.
        ProfileProperties.assertEquivalent(fromBatch, fromRows);
        assertThat(fromBatch.column("x").mean()).isEqualTo(fromRows.column("x").mean());
        Profiler slices = Profiler.create(SCHEMA);
        slices.record(b.slice(0, 1000));
        slices.record(b.slice(1000, 2000));
        ProfileProperties.assertEquivalent(slices.snapshot(), fromRows);
      }
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void eightThreadsRecordExactTotals() throws Exception {
    Profiler profiler = Profiler.create(SCHEMA);
    List<Row> rows = rows(2000, 3);
    int threads = 8;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    CountDownLatch start = new CountDownLatch(1);
    List<Future<?>> fs = new ArrayList<>();
    for (int t = 0; t < threads; t++) {
      fs.add(pool.submit(() -> {
        start.await();
        for (Row r : rows) {
          profiler.record(r);
        }
        return null;
      }));
    }
    start.countDown();
    for (Future<?> f : fs) {
      f.get(60, TimeUnit.SECONDS);
    }
    pool.shutdown();
    DatasetProfile p = profiler.snapshot();
    DatasetProfile one = DatasetProfile.of(SCHEMA, rows);
    assertThat(p.rowCount()).isEqualTo(threads * 2000L);
    for (ColumnProfile c : p.columns()) {
      ColumnProfile o = one.column(c.name());
      assertThat(c.count()).isEqualTo(threads * o.count());
      assertThat(c.nullCount()).isEqualTo(threads * o.nullCount());
      assertThat(c.validCount()).isEqualTo(threads * o.validCount());
      assertThat(Double.valueOf(c.min())).isEqualTo(Double.valueOf(o.min()));
      assertThat(Double.valueOf(c.max())).isEqualTo(Double.valueOf(o.max()));
      ProfileProperties.assertClose(c.mean(), o.mean(), Math.abs(o.max()));
      ProfileProperties.assertClose(c.variance(), o.variance(), o.max() * o.max());
    }
    assertThat(p.column("s").categoryCounts().get("c1")).isEqualTo(threads * one.column("s").categoryCounts().get("c1"));
  }

  @Test
  void jsonSummaryNamesStatisticsAndWritesNonFiniteAsNull() {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64));
    DatasetProfile p = DatasetProfile.of(s, List.of(Row.of(s, (Object) null)));
    JsonNode j = Json.parse(p.toJson(), "profile");
    JsonNode c = j.get("columns").get(0);
    assertThat(c.get("name").asText()).isEqualTo("x");
    assertThat(c.get("nullCount").asLong()).isEqualTo(1);
    assertThat(c.get("mean").isNull()).isTrue();
    assertThat(c.get("quantiles").get("0.5").isNull()).isTrue();
  }

  @Test
  void rejectsMergeOfDifferentSchemas() {
    DatasetProfile a = DatasetProfile.of(SCHEMA, rows(10, 4));
    Schema other = Schema.of(Field.of("x", DataType.STRING));
    DatasetProfile b = DatasetProfile.empty(other, ProfileOptions.defaults());
    assertThatThrownBy(() -> a.merge(b)).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("merge profiles of the same schema");
    assertThatThrownBy(() -> a.column("x").merge(b.column("x"))).isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("column 'x' (string)");
  }

  /** The rows whose profile was written to {@code golden/profile-v1.bin} by format version 1. */
  static List<Row> goldenRows(Schema s) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      Object x = i % 50 == 0 ? null : i % 97 == 0 ? Double.NaN : (double) ((i * 37) % 1000) / 10.0;
      rows.add(Row.of(s, x, (long) (i % 7), i % 10 == 0 ? null : "c" + (i % 4), i % 3 == 0));
    }
    return rows;
  }

  @Test
  void readsProfileWrittenByFormatVersion1() throws Exception {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("n", DataType.INT64),
        Field.of("c", DataType.STRING), Field.of("b", DataType.BOOLEAN));
    byte[] bytes;
    try (java.io.InputStream in = ProfileTest.class.getResourceAsStream("/golden/profile-v1.bin")) {
      bytes = in.readAllBytes();
    }
    DatasetProfile golden = DatasetProfile.fromBytes(bytes);
    ColumnProfile x = golden.column("x");
    assertThat(x.count()).isEqualTo(1000);
    assertThat(x.nullCount()).isEqualTo(20);
    assertThat(x.nanCount()).isEqualTo(10);
    assertThat(x.min()).isEqualTo(0.1);
    assertThat(x.max()).isEqualTo(99.9);
    assertThat(x.mean()).isEqualTo(49.95927835051546);
    assertThat(x.variance()).isEqualTo(833.7809706132433);
    assertThat(x.quantile(0.5)).isEqualTo(49.9);
    assertThat(x.distinctCount()).isEqualTo(964);
    assertThat(golden.column("c").categoryCounts()).containsEntry("c1", 250L).containsEntry("c0", 200L);
    assertThat(golden.column("b").categoryCounts()).containsEntry("false", 666L).containsEntry("true", 334L);
    assertThat(golden.column("n").numericValueCounts()).hasSize(7).containsEntry(6.0, 142L);
    ProfileProperties.assertEquivalent(golden, DatasetProfile.of(s, goldenRows(s)));
  }

  @Test
  void rejectsCorruptTruncatedAndUnknownVersionBytes() {
    byte[] good = DatasetProfile.of(SCHEMA, rows(100, 5)).toBytes();
    assertThatThrownBy(() -> DatasetProfile.fromBytes(new byte[] {1, 2, 3}))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("truncated");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> DatasetProfile.fromBytes(magic)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad magic number");
    byte[] version = good.clone();
    version[5] = 9;
    assertThatThrownBy(() -> DatasetProfile.fromBytes(version)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("profile format version 9 is not supported");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 0x40;
    assertThatThrownBy(() -> DatasetProfile.fromBytes(flipped)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("checksum mismatch");
    byte[] cut = Arrays.copyOf(good, good.length - 10);
    assertThatThrownBy(() -> DatasetProfile.fromBytes(cut)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("payload length");
  }

  @Test
  void rejectsBadOptions() {
    assertThatThrownBy(() -> new ProfileOptions(4, 12, 1024, 32)).hasMessageContaining("kllK must be in 8..65535, got 4");
    assertThatThrownBy(() -> new ProfileOptions(200, 12, 1000, 32)).hasMessageContaining("power of two");
    assertThat(ProfileOptions.defaults().rankError()).isCloseTo(0.0133, within(0.0005));
  }
}
