package dev.mlops.validation.fuzz;

import dev.mlops.core.Batch;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.DataContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;

/**
 * Writes the checked-in seed corpus of {@link DataContractFuzzTest}: contracts the library wrote
 * (inferred from the repository's data sets), its golden file, hand-written contracts using every
 * constraint kind, and under {@code findings/} one reproduction per contract finding of issue 8. Run
 * it on purpose and commit what changed:
 * {@code mvn -o -pl mlops-validation -am test -Dtest=SeedCorpusWriterTest -Dfuzz.seeds.write=true
 * -Dsurefire.failIfNoSpecifiedTests=false}.
 */
@EnabledIfSystemProperty(named = "fuzz.seeds.write", matches = "true",
    disabledReason = "writes src/test/resources; run with -Dfuzz.seeds.write=true to regenerate the fuzz seeds")
class SeedCorpusWriterTest {
  private static final Path RESOURCES = Path.of("src/test/resources/dev/mlops/validation/fuzz");
  private static final Path DATA = Path.of("../data");

  /** Every constraint kind, the example of the file format. */
  static final String EVERY_KIND = """
      formatVersion: 1
      name: every-kind
      extra_columns: warn
      columns:
      - name: id
        type: int64
        nullable: false
        role: id
        not_null: {}
        unique: {mostly: 0.99}
      - name: amount
        type: float64
        range: {min: 0, max: 20000, severity: warn, mostly: 0.99}
        mean: {min: 10, max: 1e4}
        stddev: {max: 5000}
        quantiles:
        - {q: 0.5, min: 1500, max: 3000}
        - {q: 0.9, max: 9000}
      - name: purpose
        type: string
        allowed_values: {values: [car, "radio/tv", "yes", "null", '>=7']}
        regex: {pattern: "^[a-z/ ]+$"}
        length: {min: 1, max: 40}
      - name: start
        type: timestamp
      - name: end
        type: timestamp
        role: timestamp
      - name: ok
        type: boolean
      table:
        row_count: {min: 1, max: 1000000}
        compare:
        - {left: start, op: "<=", right: end}
        custom:
        - {name: adult, columns: [amount], description: "amount >= 18"}
      """;

  @Test
  void writeSeeds() throws IOException {
    String yaml = "DataContractFuzzTestInputs/yamlContract";
    String json = "DataContractFuzzTestInputs/jsonContract";
    write(yaml, "golden-contract-v1.yaml", resource("/golden/contract-v1.yaml"));
    DataContract everyKind = DataContract.fromYaml(EVERY_KIND, "every-kind");
    write(yaml, "every-kind.yaml", EVERY_KIND);
    write(yaml, "every-kind-by-toYaml.yaml", everyKind.toYaml());
    write(json, "every-kind-by-toJson.json", everyKind.toJson());
    write(json, "golden-contract-v1-by-toJson.json",
        DataContract.fromYaml(resource("/golden/contract-v1.yaml"), "golden").toJson());
    for (String data : new String[] {"credit-g", "iris", "wine"}) {
      try (RootAllocator allocator = new RootAllocator();
          Batch b = CsvReader.readAll(DATA.resolve(data + ".csv"), CsvOptions.defaults(), allocator)) {
        DataContract c = ContractInference.defaults().infer(data, b);
        write(yaml, data + "-inferred.yaml", c.toYaml());
        write(json, data + "-inferred.json", c.toJson());
      }
    }
    write(yaml, "flow-style.yaml", "{formatVersion: 1, name: flow, columns: [{name: a, type: int64, "
        + "range: {min: -1.5e3, max: 0x10}}, {name: b, type: string, allowed_values: {values: ['x', \"y\"]}}]}\n");
    write(yaml, "comments-and-block-scalars.yaml", """
        # a contract with comments
        name: >-
          folded
          name
        columns:
        - name: text   # inline comment
          type: string
          regex:
            pattern: |-
              ^[a-z]+$
        """);

    String f = yaml + "/findings";
    write(f, "c3-number-like-strings.yaml", """
        name: c3
        columns:
        - name: code
          type: string
          allowed_values: {values: ["1e3", "0x1F", "+1", "1_000", "0b101"]}
        """);
    write(f, "c3-nan-inf-strings.yaml", """
        name: c3
        columns:
        - name: code
          type: string
          allowed_values: {values: [".nan", ".inf", "-.inf"]}
        """);
    write(f, "c4-alias-read-as-anchor-name.yaml", """
        name: c4
        columns:
        - name: a
          type: string
          regex: {pattern: &p "[a-z]+"}
        - name: b
          type: string
          regex: {pattern: *p}
        """);
    write(f, "c4-numeric-alias.yaml", """
        name: c4
        columns:
        - name: a
          type: float64
          range: {min: &low 5, max: 10}
        - name: b
          type: float64
          range: {min: *low}
        """);
    write(f, "c4-merge-key.yaml", """
        name: c4
        columns:
        - &base
          name: a
          type: int64
          range: {min: 0}
        - <<: *base
          name: b
        """);
    write(f, "low-tag-dropped.yaml", """
        name: !!str tagged
        columns:
        - name: a
          type: !custom int64
        """);
    write(f, "low-second-document-ignored.yaml", """
        name: first
        columns:
        - {name: a, type: int64}
        ---
        name: second
        columns: [{name: b, type: string}]
        """);
    write(f, "low-format-version-1.9.yaml", "formatVersion: 1.9\nname: v\ncolumns:\n- {name: a, type: int64}\n");
    write(json + "/findings", "low-trailing-json.json", everyKind.toJson() + "\n{\"name\": \"ignored\"}\n");
    write(json + "/findings", "low-format-version-1.9.json",
        "{\"formatVersion\": 1.9, \"name\": \"v\", \"columns\": [{\"name\": \"a\", \"type\": \"int64\"}]}\n");
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = Objects.requireNonNull(SeedCorpusWriterTest.class.getResourceAsStream(name), name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static void write(String dir, String name, String text) throws IOException {
    Path d = Files.createDirectories(RESOURCES.resolve(dir));
    Files.writeString(d.resolve(name), text, StandardCharsets.UTF_8);
  }
}
