package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

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

  @Provide
  Arbitrary<Dataset> datasets() {
    Arbitrary<Field> field = Combinators.combine(
        Arbitraries.of(TYPES), Arbitraries.of(true, true, false), Arbitraries.of(NAME_SUFFIXES),
        Arbitraries.of(Role.FEATURE, Role.LABEL, Role.ID))
        .as((t, nullable, suffix, role) -> new Field("x" + suffix, t, nullable, role));
    Arbitrary<Schema> schemas = field.list().ofMinSize(1).ofMaxSize(6).map(fs -> {
      List<Field> unique = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Field f = fs.get(i);
        unique.add(new Field("c" + i + f.name(), f.type(), f.nullable(), f.role()));
      }
      return Schema.of(unique);
    });
    return schemas.flatMap(s -> rows(s).list().ofMaxSize(25).map(rows -> new Dataset(s, rows)));
  }

  private static Arbitrary<Row> rows(Schema s) {
    List<Arbitrary<Object>> cols = new ArrayList<>();
    for (Field f : s.fields()) {
      Arbitrary<Object> v = values(f.type());
      cols.add(f.nullable() ? v.injectNull(0.15) : v);
    }
    return Combinators.combine(cols).as(vals -> Row.of(s, vals.toArray()));
  }

  private static Arbitrary<Object> values(DataType t) {
    return switch (t.kind()) {
      case BOOLEAN -> Arbitraries.of(true, false).map(b -> (Object) b);
      case INT64 -> Arbitraries.longs().map(l -> (Object) l);
      case FLOAT64 -> Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(6, Arbitraries.doubles()),
          net.jqwik.api.Tuple.of(1, Arbitraries.of(Double.NaN, Double.POSITIVE_INFINITY,
              Double.NEGATIVE_INFINITY, -0.0, 0.0, Double.MIN_VALUE, -Double.MAX_VALUE, 1e22, 1e23, 0.1)),
          net.jqwik.api.Tuple.of(2, Arbitraries.longs().map(l -> Double.longBitsToDouble(l))))
          // CSV text has one NaN: payload bits of other NaNs cannot survive it
          .map(d -> (Object) (Double.isNaN(d) ? Double.NaN : d));
      case STRING -> Arbitraries.of(PIECES).list().ofMaxSize(6).map(ps -> (Object) String.join("", ps));
      case TIMESTAMP -> Arbitraries.frequencyOf(
          net.jqwik.api.Tuple.of(5, Arbitraries.longs().between(-62_135_596_800_000_000L, 253_402_300_799_999_999L)),
          // the whole micros range, less the last second that BatchBuilder.setInstant cannot take
          net.jqwik.api.Tuple.of(1, Arbitraries.longs().greaterOrEqual(Long.MIN_VALUE + 1_000_000L)))
          .map(m -> (Object) Instant.ofEpochSecond(Math.floorDiv(m, 1_000_000L), Math.floorMod(m, 1_000_000L) * 1000L));
      default -> throw new IllegalArgumentException(t.toString());
    };
  }

  @Property(tries = 250)
  void csvThenArrowFileAndStreamKeepEveryValue(@ForAll("datasets") Dataset d) throws IOException {
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

  @Property(tries = 150)
  void batchSizeNeverChangesRowsOrFingerprint(@ForAll("datasets") Dataset d,
      @ForAll @IntRange(min = 1, max = 40) int batchSize, @ForAll @IntRange(min = 1, max = 30) int sample,
      @ForAll boolean infer) {
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
