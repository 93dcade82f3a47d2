package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.FileInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Arrow IPC against a second implementation, the npm {@code apache-arrow} package (Arrow JS) under
 * Node: what the library writes, Arrow JS reads with the same values, and what Arrow JS writes (every
 * type the library maps, nulls, NaN and infinities, empty batches, dictionary-encoded columns with
 * signed and unsigned indices) the library reads with the same values. The Node side is
 * {@code src/test/node/arrow-interop.mjs}; values cross as JSON in the encoding described there. Skips,
 * saying why, when {@code node} or the installed package is missing: {@code .ci/run} installs it with
 * {@code (cd mlops-core/src/test/node && npm ci)}.
 */
class ArrowJsInteropTest extends AllocatorSupport {
  private static final Path NODE_DIR = Path.of("src", "test", "node");
  private static final Pattern TENSOR = Pattern.compile("FixedSizeList\\[(\\d+)]<Float32>");
  private static final ObjectMapper JSON = new ObjectMapper();

  @TempDir
  Path dir;

  @BeforeAll
  static void nodeAndArrowJsAreInstalled() throws InterruptedException {
    Assumptions.assumeTrue(Files.isRegularFile(NODE_DIR.resolve("node_modules/apache-arrow/package.json")),
        "Arrow JS is not installed in " + NODE_DIR.toAbsolutePath() + "; run (cd mlops-core/src/test/node && npm ci)");
    try {
      Process p = new ProcessBuilder("node", "--version").redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      Assumptions.assumeTrue(p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0, "node --version failed");
    } catch (IOException e) {
      Assumptions.abort("node is not on the PATH (" + e.getMessage() + "); install Node.js 18 or later");
    }
  }

  /** Runs the Node side and returns what it printed, failing with its error output when it fails. */
  private JsonNode node(String... args) throws IOException, InterruptedException {
    List<String> command = new ArrayList<>(List.of("node", "arrow-interop.mjs"));
    command.addAll(List.of(args));
    Path errors = Files.createTempFile(dir, "node", ".err");
    Process p = new ProcessBuilder(command).directory(NODE_DIR.toFile())
        .redirectError(errors.toFile()).start();
    byte[] out;
    try (InputStream in = p.getInputStream()) {
      out = in.readAllBytes();
    }
    boolean done = p.waitFor(120, TimeUnit.SECONDS);
    if (!done) {
      p.destroyForcibly();
    }
    assertThat(done && p.exitValue() == 0).as("node %s: %s", command, Files.readString(errors)).isTrue();
    return out.length == 0 ? JSON.nullNode() : JSON.readTree(out);
  }

  @ParameterizedTest(name = "file={0}")
  @ValueSource(booleans = {true, false})
  void arrowJsReadsWhatTheLibraryWritesWithEqualValues(boolean file) throws IOException, InterruptedException {
    List<Row> rows = ArrowSamples.rows(23, 12);
    Path out = dir.resolve(file ? "mlops.arrow" : "mlops.arrows");
    try (Batch b = Batch.fromRows(allocator, ArrowSamples.SCHEMA, rows)) {
      List<Batch> parts = List.of(b.slice(0, 10), b.slice(10, 0), b.slice(10, 13));
      if (file) {
        ArrowIpc.writeFile(out, ArrowSamples.SCHEMA, parts);
      } else {
        try (var stream = Files.newOutputStream(out)) {
          ArrowIpc.writeStream(stream, ArrowSamples.SCHEMA, parts);
        }
      }
    }
    JsonNode read = node("read", out.toAbsolutePath().toString(), file ? "file" : "stream");

    Schema schema = schemaOf(read.get("columns"));
    assertThat(schema).as("the schema Arrow JS reads, roles from the field metadata")
        .isEqualTo(ArrowSamples.SCHEMA);
    List<List<Row>> batches = batchesOf(schema, read.get("batches"));
    assertThat(batches).extracting(List::size).containsExactly(10, 0, 13);
    List<Row> all = new ArrayList<>();
    batches.forEach(all::addAll);
    assertThat(all).isEqualTo(rows);
  }

  @Test
  void theLibraryReadsWhatArrowJsWritesWithEqualValues() throws IOException, InterruptedException {
    node("write", dir.toAbsolutePath().toString());
    JsonNode expected = JSON.readTree(dir.resolve("expected.json").toFile());
    List<String> names = new ArrayList<>();
    expected.fieldNames().forEachRemaining(names::add);
    assertThat(names).contains("types.arrow", "types.arrows", "dictionaries.arrow", "dictionaries.arrows");
    for (String name : names) {
      Path p = dir.resolve(name);
      JsonNode want = expected.get(name);
      Schema schema = schemaOf(want.get("columns"));
      List<List<Row>> wantBatches = batchesOf(schema, want.get("batches"));
      List<List<Row>> got = new ArrayList<>();
      boolean isFile = name.endsWith(".arrow");
      try (ArrowIpcReader r = isFile ? ArrowIpc.openFile(p, allocator)
          : ArrowIpc.openStream(new FileInputStream(p.toFile()), name, allocator)) {
        assertThat(r.schema()).as("schema of %s", name).isEqualTo(schema);
        for (Batch b = r.nextBatch(); b != null; b = r.nextBatch()) {
          got.add(ArrowSamples.readAndUse(List.of(b)));
        }
      }
      assertThat(got).as("batches of %s", name).isEqualTo(wantBatches);
    }
  }

  /** The mlops schema of columns Arrow JS describes; dictionary columns are their value type. */
  private static Schema schemaOf(JsonNode columns) {
    List<Field> fields = new ArrayList<>();
    for (JsonNode c : columns) {
      JsonNode role = c.path("metadata").path("mlops.role");
      fields.add(new Field(c.get("name").asText(), typeOf(c.get("type").asText()), c.get("nullable").asBoolean(),
          role.isMissingNode() ? Role.FEATURE : Role.valueOf(role.asText().toUpperCase(Locale.ROOT))));
    }
    return Schema.of(fields);
  }

  private static DataType typeOf(String arrowJs) {
    if (arrowJs.startsWith("Dictionary<")) {
      return typeOf(arrowJs.substring(arrowJs.indexOf(", ") + 2, arrowJs.length() - 1));
    }
    Matcher tensor = TENSOR.matcher(arrowJs);
    if (tensor.matches()) {
      return DataType.floatTensor(Integer.parseInt(tensor.group(1)));
    }
    return switch (arrowJs) {
      case "Bool" -> DataType.BOOLEAN;
      case "Int64" -> DataType.INT64;
      case "Float32" -> DataType.FLOAT32;
      case "Float64" -> DataType.FLOAT64;
      case "Utf8" -> DataType.STRING;
      case "Timestamp<MICROSECOND, UTC>" -> DataType.TIMESTAMP;
      default -> throw new AssertionError("Arrow JS type " + arrowJs + " has no mlops equivalent");
    };
  }

  private static List<List<Row>> batchesOf(Schema schema, JsonNode batches) {
    List<List<Row>> out = new ArrayList<>();
    for (JsonNode batch : batches) {
      List<Row> rows = new ArrayList<>();
      for (JsonNode row : batch) {
        @Nullable Object[] values = new Object[schema.size()];
        for (int c = 0; c < values.length; c++) {
          values[c] = valueOf(schema.field(c).type(), row.get(c));
        }
        rows.add(Row.of(schema, values));
      }
      out.add(rows);
    }
    return out;
  }

  private static @Nullable Object valueOf(DataType type, JsonNode v) {
    if (v.isNull()) {
      return null;
    }
    return switch (type.kind()) {
      case BOOLEAN -> v.asBoolean();
      case INT64 -> Long.parseLong(v.asText());
      case FLOAT32 -> (float) Double.parseDouble(v.asText());
      case FLOAT64 -> Double.parseDouble(v.asText());
      case STRING -> v.asText();
      case TIMESTAMP -> {
        long micros = Long.parseLong(v.asText());
        yield Instant.ofEpochSecond(Math.floorDiv(micros, 1_000_000L), Math.floorMod(micros, 1_000_000L) * 1000L);
      }
      case FLOAT_TENSOR -> {
        float[] t = new float[v.size()];
        for (int k = 0; k < t.length; k++) {
          t[k] = (float) Double.parseDouble(v.get(k).asText());
        }
        yield t;
      }
    };
  }
}
