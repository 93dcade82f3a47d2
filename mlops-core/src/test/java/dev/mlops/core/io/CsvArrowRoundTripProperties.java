package dev.mlops.core.io;

import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.longs;
import static dev.mlops.core.Generators.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Generators;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.quicktheories.api.Pair;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

/**
 * Random schemas and values survive CSV text, CSV reading, Arrow IPC files and Arrow IPC streams
 * unchanged, and the batch size never changes what is read.
 */
class CsvArrowRoundTripProperties {
  private static final List<DataType> TYPES =
      List.of(DataType.BOOLEAN, DataType.INT64, DataType.FLOAT64, DataType.STRING, DataType.TIMESTAMP);
  private static final List<String> NAME_SUFFIXES = List.of("", "_é", "名", " x", ",q", "\"q\"", "😀");
  private static final List<String> PIECES = List.of("a", "Z", "7", " ", ",", "\"", "\n", "\r\n", "\r", "é",
      "中文", "😀", "NA", "\t", "-0.0", "true", "''", ";", "#");

  /** A schema and rows of it. */
  record Dataset(Schema schema, List<Row> rows) {}

  static Gen<Dataset> datasets() {
    Gen<Field> field = Generate.pick(TYPES).zip(pick(true, true, false), Generate.pick(NAME_SUFFIXES),
        pick(Role.FEATURE, Role.LABEL, Role.ID),
        (t, nullable, suffix, role) -> new Field("x" + suffix, t, nullable, role));
    Gen<Schema> schemas = lists(field, 1, 6).map(fs -> {
      List<Field> unique = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Field f = fs.get(i);
        unique.add(new Field("c" + i + f.name(), f.type(), f.nullable(), f.role()));
      }
      return Schema.of(unique);
    });
    // a nullable column is null in 15 percent of the rows
    return schemas.flatMap(s -> lists(Generators.rows(s, f -> values(f.type()), 15), 0, 25)
        .map(rows -> new Dataset(s, rows)));
  }

  private static Gen<Object> values(DataType t) {
    return switch (t.kind()) {
      case BOOLEAN -> Generate.booleans().map(b -> (Object) b);
      case INT64 -> longs().map(l -> (Object) l);
      case FLOAT64 -> Generate.frequency(List.of(
          Pair.of(6, Generators.doubles()),
          Pair.of(1, pick(Double.NaN, Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1e22, 1e23, 0.1)),
          Pair.of(2, longs().map(l -> Double.longBitsToDouble(l)))))
          // CSV text has one NaN: payload bits of other NaNs cannot survive it
          .map(d -> (Object) (Double.isNaN(d) ? Double.NaN : d));
      case STRING -> lists(Generate.pick(PIECES), 0, 6).map(ps -> (Object) String.join("", ps));
      case TIMESTAMP -> Generate.frequency(List.of(
          Pair.of(5, longs(-62_135_596_800_000_000L, 253_402_300_799_999_999L)),
          // the whole micros range, less the last second that BatchBuilder.setInstant cannot take
          Pair.of(1, longs(Long.MIN_VALUE + 1_000_000L, Long.MAX_VALUE))))
          .map(m -> (Object) Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L));
      default -> throw new IllegalArgumentException(t.toString());
    };
  }

  // 2000 shrink cycles bring a failing dataset down to a minimal one within seconds; the default of
  // QuickTheories (100 000) would take minutes with files and batches in each cycle.
  @Test
  void csvThenArrowFileAndStreamKeepEveryValue() {
    qt().withFixedSeed(0xC5A0_0001L).withExamples(250).withShrinkCycles(2000).forAll(datasets()).checkAssert(d -> {
      try {
        csvThenArrowKeepEveryValue(d);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    });
  }

  private static void csvThenArrowKeepEveryValue(Dataset d) throws IOException {
    Path dir = Files.createTempDirectory("csv-arrow");
    try (BufferAllocator alloc = new RootAllocator()) {
      DatasetFingerprint expected;
      try (Batch original = Batch.fromRows(alloc, d.schema(), d.rows())) {
        expected = DatasetFingerprint.of(original);
      }
      CsvOptions options = CsvOptions.builder().schema(d.schema()).batchSize(7).build();
      String csv = CsvTestSupport.write(d.schema(), d.rows(), options, alloc);

      List<Batch> fromCsv = new ArrayList<>();
      try (CsvReader r = CsvReader.open(new ByteArrayInputStream(csv.getBytes(java.nio.charset.StandardCharsets.UTF_8)),
          "prop.csv", options, alloc)) {
        for (Batch b = r.nextBatch(); b != null; b = r.nextBatch()) {
          fromCsv.add(b);
        }
        assertThat(r.report().rowsRead()).isEqualTo(d.rows().size());
        assertThat(r.report().rowsSkipped()).isZero();
      }
      try {
        CsvTestSupport.ReadResult csvRead =
            CsvTestSupport.summarize(d.schema(), fromCsv, new CsvReadReport(0, 0, List.of()));
        assertThat(csvRead.rows()).as("CSV text:%n%s", csv).isEqualTo(d.rows());
        assertThat(csvRead.fingerprint()).isEqualTo(expected);

        Path file = dir.resolve("data.arrow");
        ArrowIpc.writeFile(file, d.schema(), fromCsv);
        assertSameData(ArrowIpc.readFile(file, alloc), d, expected);

        ByteArrayOutputStream stream = new ByteArrayOutputStream();
        ArrowIpc.writeStream(stream, d.schema(), fromCsv);
        assertSameData(ArrowIpc.readStream(new ByteArrayInputStream(stream.toByteArray()), "prop.arrows", alloc), d,
            expected);
      } finally {
        fromCsv.forEach(Batch::close);
      }
      assertThat(alloc.getAllocatedMemory()).isZero();
    } finally {
      try (var files = Files.list(dir)) {
        for (Path p : files.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(dir);
    }
  }

  /** Asserts the batches hold exactly the dataset, then closes them. */
  private static void assertSameData(List<Batch> batches, Dataset d, DatasetFingerprint expected) {
    try {
      CsvTestSupport.ReadResult read =
          CsvTestSupport.summarize(d.schema(), batches, new CsvReadReport(0, 0, List.of()));
      assertThat(read.rows()).isEqualTo(d.rows());
      assertThat(read.fingerprint()).isEqualTo(expected);
    } finally {
      batches.forEach(Batch::close);
    }
  }

  @Test
  void batchSizeNeverChangesRowsOrFingerprint() {
    qt().withFixedSeed(0xC5A0_0002L).withExamples(150).withShrinkCycles(2000)
        .forAll(datasets(), integers(1, 40), integers(1, 30), Generate.booleans())
        .checkAssert(CsvArrowRoundTripProperties::batchSizeChangesNothing);
  }

  private static void batchSizeChangesNothing(Dataset d, int batchSize, int sample, boolean infer) {
    try (BufferAllocator alloc = new RootAllocator()) {
      CsvOptions base = CsvOptions.builder().schema(infer ? null : d.schema()).inferenceRows(sample)
          .badLinePolicy(BadLinePolicy.SKIP).build();
      String csv = CsvTestSupport.write(d.schema(), d.rows(), base, alloc);
      CsvTestSupport.ReadResult whole =
          CsvTestSupport.read(csv, base.toBuilder().batchSize(Integer.MAX_VALUE).build(), alloc);
      CsvTestSupport.ReadResult split = CsvTestSupport.read(csv, base.toBuilder().batchSize(batchSize).build(), alloc);
      assertThat(whole.batches()).isLessThanOrEqualTo(1);
      assertThat(split.schema()).isEqualTo(whole.schema());
      assertThat(split.rows()).isEqualTo(whole.rows());
      assertThat(split.fingerprint()).isEqualTo(whole.fingerprint());
      assertThat(split.report()).isEqualTo(whole.report());
      assertThat(split.batches()).isEqualTo((whole.rows().size() + batchSize - 1) / batchSize);
      if (!infer) {
        assertThat(split.rows()).isEqualTo(d.rows());
      }
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
  }
}
