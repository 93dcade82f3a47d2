package dev.mlops.monitoring.fuzz;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.monitoring.DatasetProfile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.zip.CRC32;
import org.apache.arrow.memory.RootAllocator;
import org.apache.datasketches.kll.KllDoublesSketch;
import org.apache.datasketches.memory.Memory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the checked-in seed corpus of {@link ProfileFuzzTest}: profiles the library wrote (of the
 * repository's data sets and of small tables with every column kind and awkward values), its golden
 * file, and under {@code findings/} the C6 reproduction of issue 8: a 2,000-value profile with one
 * retained KLL item set to NaN and the CRC-32 recomputed. Run it on purpose and commit what changed:
 * {@code mvn -o -pl mlops-monitoring -am test -Dtest=SeedCorpusWriterTest -Dfuzz.seeds.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds.write", matches = "true",
    disabledReason = "writes src/test/resources; run with -Dfuzz.seeds.write=true to regenerate the fuzz seeds")
class SeedCorpusWriterTest {
  private static final Path DIR = Path.of(
      "src/test/resources/dev/mlops/monitoring/fuzz/ProfileFuzzTestInputs/decodeAndCompare");
  private static final Path DATA = Path.of("../data");

  @Test
  void writeSeeds() throws IOException {
    Files.createDirectories(DIR.resolve("findings"));
    try (InputStream in = Objects.requireNonNull(getClass().getResourceAsStream("/golden/profile-v1.bin"))) {
      Files.write(DIR.resolve("golden-profile-v1.bin"), in.readAllBytes());
    }
    for (String data : new String[] {"iris", "wine"}) {
      try (RootAllocator allocator = new RootAllocator();
          Batch b = CsvReader.readAll(DATA.resolve(data + ".csv"), CsvOptions.defaults(), allocator)) {
        Files.write(DIR.resolve(data + ".bin"), DatasetProfile.of(b).toBytes());
      }
    }
    Schema kinds = Schema.of(Field.of("n", DataType.FLOAT64), Field.of("i", DataType.INT64),
        Field.of("c", DataType.STRING), Field.of("b", DataType.BOOLEAN), Field.of("t", DataType.TIMESTAMP),
        Field.of("f", DataType.FLOAT32));
    List<Row> rows = new ArrayList<>();
    double[] awkward = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 1e308, -1e-308};
    for (int r = 0; r < 40; r++) {
      rows.add(Row.of(kinds, r % 7 == 0 ? null : r < awkward.length ? awkward[r] : r * 1.5, (long) (r % 5),
          r % 9 == 0 ? null : "cat" + (r % 4), r % 2 == 0, Instant.ofEpochSecond(1_700_000_000L + r * 3600L),
          (float) r));
    }
    Files.write(DIR.resolve("every-kind-awkward-values.bin"), DatasetProfile.of(kinds, rows).toBytes());
    Files.write(DIR.resolve("every-kind-no-rows.bin"), DatasetProfile.of(kinds, List.of()).toBytes());
    List<Row> nulls = new ArrayList<>();
    for (int r = 0; r < 5; r++) {
      nulls.add(Row.of(kinds, null, null, null, null, null, null));
    }
    Files.write(DIR.resolve("every-kind-all-null.bin"), DatasetProfile.of(kinds, nulls).toBytes());
    Files.write(DIR.resolve("findings/c6-nan-kll-item-crc-recomputed.bin"), nanKllItem());
  }

  /** C6: one numeric column of 2,000 values, one retained KLL item (not min or max) set to NaN. */
  static byte[] nanKllItem() {
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64));
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 2000; i++) {
      rows.add(Row.of(s, i * 0.5));
    }
    byte[] bytes = DatasetProfile.of(s, rows).toBytes();
    ByteBuffer b = ByteBuffer.wrap(bytes);
    int schemaLen = b.getInt(10);
    int kll = 10 + 4 + schemaLen + 16 + 8 + 4 + 48 + 32; // options, rows, columns, counters, moments
    int kllLen = b.getInt(kll);
    byte[] blob = new byte[kllLen];
    System.arraycopy(bytes, kll + 4, blob, 0, kllLen);
    KllDoublesSketch sketch = KllDoublesSketch.heapify(Memory.wrap(blob));
    double victim = Double.NaN;
    for (var it = sketch.iterator(); it.next(); ) {
      double v = it.getQuantile();
      if (v != sketch.getMinItem() && v != sketch.getMaxItem()) {
        victim = v;
        break;
      }
    }
    ByteBuffer le = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
    int at = -1;
    for (int i = kll + 4; i + 8 <= kll + 4 + kllLen; i++) {
      if (Double.doubleToRawLongBits(le.getDouble(i)) == Double.doubleToRawLongBits(victim)) {
        at = i;
      }
    }
    if (at < 0) {
      throw new IllegalStateException("retained item " + victim + " not found in the KLL bytes");
    }
    le.putDouble(at, Double.NaN);
    int payload = b.getInt(6);
    CRC32 crc = new CRC32();
    crc.update(bytes, 10, payload);
    b.putInt(10 + payload, (int) crc.getValue());
    return bytes;
  }
}
