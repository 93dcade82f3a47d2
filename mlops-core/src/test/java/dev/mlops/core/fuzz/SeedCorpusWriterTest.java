package dev.mlops.core.fuzz;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.manifest.Artifact;
import dev.mlops.core.manifest.CodeVersion;
import dev.mlops.core.manifest.EnvironmentInfo;
import dev.mlops.core.manifest.FeatureEncoding;
import dev.mlops.core.manifest.ManifestSignature;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelSignature;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the checked-in seed corpus of this module's fuzz targets: valid inputs made with the library
 * itself (and its golden files), and under {@code findings/} one reproduction per finding of issue 8,
 * named after it. Run it on purpose and commit what changed:
 * {@code mvn -o -pl mlops-core test -Dtest=SeedCorpusWriterTest -Dfuzz.seeds.write=true}.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds.write", matches = "true",
    disabledReason = "writes src/test/resources; run with -Dfuzz.seeds.write=true to regenerate the fuzz seeds")
class SeedCorpusWriterTest {
  private static final Path RESOURCES = Path.of("src/test/resources/dev/mlops/core/fuzz");
  private static final Path DATA = Path.of("../data");
  private static final Instant CREATED = Instant.parse("2026-01-01T00:00:00Z");

  @Test
  void writeSeeds() throws IOException {
    csvSeeds();
    arrowSeeds();
    manifestSeeds();
  }

  private static void csvSeeds() throws IOException {
    String dir = "CsvReaderFuzzTestInputs/readCsv";
    write(dir, "credit-g-head.csv", head(DATA.resolve("credit-g.csv"), 30));
    write(dir, "iris-head.csv", head(DATA.resolve("iris.csv"), 20));
    write(dir, "txhousing-head.csv", head(DATA.resolve("txhousing.csv"), 20));
    write(dir, "wine-head.csv", head(DATA.resolve("wine.csv"), 10));
    write(dir, "every-type-by-csv-writer.csv", csvOf(typedSchema(false), typedRows(typedSchema(false))));
    write(dir, "quoted-fields.csv", "id,text\n1,\"a,b\"\n2,\"say \"\"hi\"\"\"\n3,\"\"\n4,\n5,plain\n");
    write(dir, "crlf-line-ends.csv", "a,b\r\n1,2\r\n3,4\r\n");
    write(dir, "one-column-with-blank-lines.csv", "v\n1\n\n3\n");
    write(dir, "header-only.csv", "a,b,c\n");
    write(dir, "ragged-line.csv", "a,b\n1,2\n3\n4,5,6\n7,8\n");
    write(dir, "null-tokens.csv", "a,b\nNA,1\n,2\nx,NA\n");
    write(dir, "special-doubles.csv", "x\nNaN\nInfinity\n-Infinity\n-0.0\n4.9E-324\n1.7976931348623157E308\n");
    write(dir, "timestamps.csv", "t\n2024-01-02T03:04:05Z\n2024-01-02\n2024-01-02T03:04:05.123456+02:00\n");
    write(dir, "booleans.csv", "b\ntrue\nFALSE\nTrue\n");
    write(dir, "bom.csv", "\uFEFFa,b\n1,2\n");
    write(dir, "invalid-utf8-line.csv", concat("a,b\n1,x\n2,".getBytes(StandardCharsets.US_ASCII),
        new byte[] {(byte) 0xC3, (byte) 0x28}, "\n3,z\n".getBytes(StandardCharsets.US_ASCII)));
    write(dir, "type-change-after-sample.csv", "n\n1\n2\n3\nfour\n");

    String findings = dir + "/findings";
    StringBuilder c1 = new StringBuilder("id,name\n0,n0\n1,n1\n2,n2\n3,\"oops\n");
    for (int i = 4; i < 100; i++) {
      c1.append(i).append(",n").append(i).append('\n');
    }
    write(findings, "c1-unterminated-quote.csv", c1.toString());
    write(findings, "h7-carriage-return-in-quotes.csv", "a,b\n1,\"x\r\"\n2,y\n3,z\n");
    StringBuilder wide = new StringBuilder();
    for (int i = 0; i < 20_000; i++) {
      wide.append(i == 0 ? "" : ",").append('c').append(i);
    }
    wide.append('\n');
    for (int r = 0; r < 2; r++) {
      wide.append(",".repeat(19_999)).append('\n');
    }
    write(findings, "h3-wide-header-20000-columns.csv", wide.toString());
    write(findings, "low-overflow-1e400.csv", "x\n1.5\n1e400\n-1e400\n1e-400\n");
    write(findings, "low-int64-precision-9007199254740993.csv", "id\n1\n9007199254740993\n18446744073709551616\n");
    write(findings, "low-bom-header-round-trip.csv", "\uFEFF\uFEFFid,x\n1,2\n");
  }

  private static void arrowSeeds() throws IOException {
    Path tmp = Files.createTempDirectory("arrow-seeds");
    try (RootAllocator allocator = new RootAllocator()) {
      Schema typed = typedSchema(true);
      List<Row> rows = typedRows(typed);
      Batch credit37;
      try (Batch all = CsvReader.readAll(DATA.resolve("credit-g.csv"), CsvOptions.defaults(), allocator)) {
        credit37 = Batch.fromRows(allocator, all.schema(), all.toRows().subList(0, 37));
      }
      try (Batch a = Batch.fromRows(allocator, typed, rows.subList(0, 2));
          Batch b = Batch.fromRows(allocator, typed, rows.subList(2, rows.size()));
          Batch empty = Batch.fromRows(allocator, typed, List.of());
          Batch credit = credit37) {
        byte[] typedFile = arrowFile(tmp, typed, List.of(a, b));
        byte[] creditFile = arrowFile(tmp, credit.schema(), List.of(credit));
        String file = "ArrowIpcFuzzTestInputs/readFile";
        write(file, "every-type-two-batches.arrow", typedFile);
        write(file, "credit-g-37-rows.arrow", creditFile);
        write(file, "no-batch.arrow", arrowFile(tmp, typed, List.of()));
        write(file, "empty-batch.arrow", arrowFile(tmp, typed, List.of(empty)));
        write(file + "/findings", "c5-batch-length-patched-to-1000000.arrow", patchBatchLength(creditFile, 8));
        write(file + "/findings", "h2-batch-metadata-byte-22-flipped.arrow", flipBatchMetadata(creditFile, 8, 22));

        String stream = "ArrowIpcFuzzTestInputs/readStream";
        byte[] typedStream = arrowStream(typed, List.of(a, b));
        byte[] creditStream = arrowStream(credit.schema(), List.of(credit));
        write(stream, "every-type-two-batches.arrows", typedStream);
        write(stream, "credit-g-37-rows.arrows", creditStream);
        write(stream, "no-batch.arrows", arrowStream(typed, List.of()));
        write(stream, "empty-batch.arrows", arrowStream(typed, List.of(empty)));
        write(stream + "/findings", "h1-arrow-file-read-as-stream.arrow", creditFile);
        byte[] bomb = new byte[3072];
        ByteBuffer.wrap(bomb).order(ByteOrder.LITTLE_ENDIAN).putInt(0xFFFFFFFF).putInt(0x7FFFFFF0);
        write(stream + "/findings", "h1-metadata-length-7ffffff0.arrows", bomb);
        write(stream + "/findings", "c5-batch-length-patched-to-1000000.arrows", patchBatchLength(creditStream, 0));
        write(stream + "/findings", "h2-batch-metadata-byte-22-flipped.arrows", flipBatchMetadata(creditStream, 0, 22));
      }
    } finally {
      try (var s = Files.list(tmp)) {
        for (Path p : s.toList()) {
          Files.delete(p);
        }
      }
      Files.delete(tmp);
    }
  }

  private static void manifestSeeds() throws IOException {
    String dir = "ManifestFuzzTestInputs/manifestJson";
    String golden = resource("/dev/mlops/core/manifest/manifest-v1.json");
    write(dir, "golden-manifest-v1.json", golden);
    ModelManifest full = fullManifest();
    write(dir, "every-member.json", full.toJson());
    ModelManifest minimal = ModelManifest.builder().name("m").version("1").format("onnx").createdAt(CREATED)
        .environment(environment()).build();
    write(dir, "minimal.json", minimal.toJson());
    write(dir + "/findings", "low-trailing-json.json", minimal.toJson() + "{\"name\": \"other\"}\n");

    String sig = "ManifestFuzzTestInputs/signatureFile";
    String goldenSig = resource("/dev/mlops/core/manifest/manifest-v1.sig");
    write(sig, "golden-manifest-v1.sig", goldenSig);
    ManifestSignature s = ManifestSignature.fromJson(goldenSig, "golden");
    write(sig, "rewritten.sig", s.toJson());
    write(sig + "/findings", "low-trailing-json.sig", s.toJson() + "[]\n");

    String schema = "ManifestFuzzTestInputs/schemaJson";
    write(schema, "every-type.json", typedSchema(true).toJson());
    write(schema, "roles.json", Schema.of(Field.of("id", DataType.INT64, false, Role.ID),
        Field.of("y", DataType.STRING, false, Role.LABEL), Field.of("t", DataType.TIMESTAMP, true, Role.TIMESTAMP),
        Field.of("p", DataType.FLOAT64, true, Role.PREDICTION)).toJson());
    write(schema + "/findings", "low-format-version-1.9.json",
        "{\"formatVersion\": 1.9, \"fields\": [{\"name\": \"a\", \"type\": \"int64\"}]}");
    write(schema + "/findings", "low-trailing-json.json", typedSchema(true).toJson() + "\n{}");
  }

  private static ModelManifest fullManifest() {
    Schema in = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("c", DataType.STRING));
    Schema out = Schema.of(Field.of("output", DataType.floatTensor(2), false, Role.PREDICTION));
    try (RootAllocator allocator = new RootAllocator();
        Batch b = Batch.fromRows(allocator, in, List.of(Row.of(in, 1.0, "a"), Row.of(in, 2.5, null)))) {
      return ModelManifest.builder().name("credit-risk").version("3").format("onnx").createdAt(CREATED)
          .environment(environment())
          .addArtifact(Artifact.of("model.onnx", "0".repeat(64), 1234))
          .modelSignature(ModelSignature.of(in, out, List.of(FeatureEncoding.standardized("x", 1.5, 0.5),
              FeatureEncoding.oneHot("c", "a"))))
          .addDataset("train", DatasetFingerprint.of(b))
          .hyperParameter("learningRate", 0.05).hyperParameter("epochs", 5).seed("shuffle", 42)
          .codeVersion(CodeVersion.unknown()).metric("auc", 0.91).tag("owner", "risk-team")
          .build();
    }
  }

  private static EnvironmentInfo environment() {
    // fixed, so the seeds do not change with the JVM that writes them
    return new EnvironmentInfo("Eclipse Adoptium", "17.0.12", "Linux", "6.1", "amd64", 2,
        Map.of("mlops-core", "0.1.0"), EnvironmentInfo.CPU);
  }

  // ---------------------------------------------------------------------------------------- helpers

  static Schema typedSchema(boolean withTensor) {
    List<Field> fs = new ArrayList<>(List.of(Field.of("b", DataType.BOOLEAN), Field.of("i", DataType.INT64),
        Field.of("d", DataType.FLOAT64), Field.of("s", DataType.STRING), Field.of("t", DataType.TIMESTAMP)));
    if (withTensor) {
      fs.add(Field.of("f", DataType.FLOAT32));
      fs.add(Field.of("v", DataType.floatTensor(2)));
    }
    return Schema.of(fs);
  }

  static List<Row> typedRows(Schema schema) {
    Object[][] values = {
        {true, 1L, 1.5, "plain", Instant.parse("2024-01-02T03:04:05Z"), 1.25f, new float[] {1f, 2f}},
        {false, -9_223_372_036_854_775_808L, Double.NaN, "a,b \"q\"", Instant.EPOCH, Float.NaN, new float[] {0f, -0f}},
        {null, null, null, null, null, null, null},
        {true, 9_223_372_036_854_775_807L, -0.0, "", Instant.parse("1969-12-31T23:59:59.999999Z"), -1f,
            new float[] {Float.MAX_VALUE, Float.MIN_VALUE}},
        {false, 0L, Double.POSITIVE_INFINITY, "naïve 数据", Instant.parse("2262-04-11T23:47:16Z"), 0f,
            new float[] {3f, 4f}},
    };
    List<Row> rows = new ArrayList<>();
    for (Object[] v : values) {
      rows.add(Row.of(schema, Arrays.copyOf(v, schema.size())));
    }
    return rows;
  }

  private static String csvOf(Schema schema, List<Row> rows) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (RootAllocator allocator = new RootAllocator(); Batch b = Batch.fromRows(allocator, schema, rows)) {
      CsvWriter.write(out, schema, List.of(b), CsvOptions.defaults());
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static byte[] arrowFile(Path tmp, Schema schema, List<Batch> batches) throws IOException {
    Path p = tmp.resolve("seed.arrow");
    ArrowIpc.writeFile(p, schema, batches);
    return Files.readAllBytes(p);
  }

  private static byte[] arrowStream(Schema schema, List<Batch> batches) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ArrowIpc.writeStream(out, schema, batches);
    return out.toByteArray();
  }

  /** Offset of the record batch message: after the schema message that starts at {@code start}. */
  private static int batchMessage(byte[] ipc, int start) {
    ByteBuffer b = ByteBuffer.wrap(ipc).order(ByteOrder.LITTLE_ENDIAN);
    if (b.getInt(start) != 0xFFFFFFFF) {
      throw new IllegalStateException("no continuation marker at " + start);
    }
    return start + 8 + b.getInt(start + 4); // the schema message has no body
  }

  /** C5: every int64 37 in the record batch metadata (its length and its field nodes' lengths) set to 1,000,000. */
  private static byte[] patchBatchLength(byte[] ipc, int start) {
    byte[] out = ipc.clone();
    int msg = batchMessage(out, start);
    ByteBuffer b = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
    int len = b.getInt(msg + 4);
    int patched = 0;
    for (int i = msg + 8; i + 8 <= msg + 8 + len; i++) {
      if (b.getLong(i) == 37L) {
        b.putLong(i, 1_000_000L);
        patched++;
        i += 7;
      }
    }
    if (patched < 2) {
      throw new IllegalStateException("found the row count 37 only " + patched + " times in the batch metadata");
    }
    return out;
  }

  /** H2: one byte of the record batch message flipped, counted from its continuation marker. */
  private static byte[] flipBatchMetadata(byte[] ipc, int start, int index) {
    byte[] out = ipc.clone();
    int msg = batchMessage(out, start);
    out[msg + index] ^= (byte) 0xFF;
    return out;
  }

  private static String head(Path csv, int lines) throws IOException {
    List<String> all = Files.readAllLines(csv, StandardCharsets.UTF_8);
    return String.join("\n", all.subList(0, Math.min(lines, all.size()))) + "\n";
  }

  private static byte[] concat(byte[]... parts) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] p : parts) {
      out.writeBytes(p);
    }
    return out.toByteArray();
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(SeedCorpusWriterTest.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(String dir, String name, String text) throws IOException {
    write(dir, name, text.getBytes(StandardCharsets.UTF_8));
  }

  private static void write(String dir, String name, byte[] bytes) throws IOException {
    Path d = Files.createDirectories(RESOURCES.resolve(dir));
    Files.write(d.resolve(name), bytes);
  }
}
