package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class DataContractFormatTest {
  static final Schema SCHEMA = Schema.of(
      Field.of("id", DataType.INT64, false, Role.ID),
      Field.of("amount", DataType.FLOAT64),
      Field.of("purpose", DataType.STRING),
      Field.of("start", DataType.TIMESTAMP),
      Field.of("end", DataType.TIMESTAMP),
      Field.of("label", DataType.BOOLEAN, false, Role.LABEL));

  /** One of every constraint kind, with non-default options. */
  static DataContract everyKind() {
    return DataContract.of("loans", SCHEMA, List.of(
        Constraint.unique("id"),
        Constraint.notNull("id"),
        new Constraint.NotNull("amount", 0.95, Severity.WARN),
        new Constraint.Range("amount", 0.0, 20000.5, true, false, 0.99, Severity.ERROR),
        new Constraint.Mean("amount", 1000.0, 5000.0, Severity.WARN),
        new Constraint.Stddev("amount", 0.0, 3000.0, Severity.ERROR),
        new Constraint.Quantile("amount", 0.5, 1500.0, 3000.0, Severity.ERROR),
        new Constraint.Quantile("amount", 0.99, null, 18000.0, Severity.WARN),
        Constraint.allowedValues("purpose", "car", "radio/tv", "yes", "no", "null", ">=7", "<0"),
        Constraint.regex("purpose", "[a-z/ ]+"),
        new Constraint.Length("purpose", 1, 40, 1.0, Severity.ERROR),
        Constraint.allowedValues("label", "true", "false"),
        new Constraint.RowCount(1L, 1_000_000L, Severity.ERROR),
        Constraint.compare("start", "<=", "end"),
        new Constraint.Custom("weekday", List.of("start"), "starts on a weekday", 0.9, Severity.WARN)))
        .withExtraColumns(ExtraColumns.ERROR);
  }

  @Test
  void aLoneSurrogateEscapeIsRefusedInJsonAndYamlContracts() {
    // fuzz finding: "rep\ud8011airs" in allowed_values read, then came back from toYaml as another string
    String json = "{\"name\": \"c\", \"columns\": [{\"name\": \"purpose\", \"type\": \"string\","
        + " \"allowed_values\": [\"rep\\ud8011airs\"]}]}";
    assertThatThrownBy(() -> DataContract.fromJson(json, "c.json")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("lone surrogate U+D801");
    assertThatThrownBy(() -> DataContract.fromYaml("name: \"c\\ud801\"\n", "c.yaml"))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("surrogate");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {"{ \"\\u", "name: \"a\\x\"", "name: \"\\U00\""})
  void aMalformedEscapeInAQuotedYamlStringIsADataFormatError(String yaml) {
    // fuzz finding: SnakeYAML's scanner let a NumberFormatException out of an escape without hex digits
    assertThatThrownBy(() -> DataContract.fromYaml(yaml, "c.yaml")).isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("c.yaml").hasMessageContaining("not valid YAML");
  }

  @Test
  void yamlAndJsonRoundTripEveryConstraintKind() {
    DataContract c = everyKind();
    assertThat(DataContract.fromYaml(c.toYaml(), "c.yaml")).isEqualTo(c);
    assertThat(DataContract.fromJson(c.toJson(), "c.json")).isEqualTo(c);
  }

  /**
   * Files written by format version 1 must keep reading to the same contract: the first writer
   * quoted only what it judged ambiguous ({@code contract-v1.yaml}), the current one quotes every
   * string ({@code contract-v1-all-quoted.yaml}).
   */
  @Test
  void readsTheGoldenVersion1Files() {
    assertThat(DataContract.read(Path.of("src/test/resources/golden/contract-v1.yaml"))).isEqualTo(everyKind());
    assertThat(DataContract.read(Path.of("src/test/resources/golden/contract-v1-all-quoted.yaml")))
        .isEqualTo(everyKind());
  }

  /** Writing must not drift. */
  @Test
  void writesTheGoldenVersion1File() throws Exception {
    assertThat(everyKind().toYaml())
        .isEqualTo(Files.readString(Path.of("src/test/resources/golden/contract-v1-all-quoted.yaml")));
  }

  @Test
  void writesReadableYamlGroupedByColumnWithEveryStringQuoted() {
    String yaml = everyKind().toYaml();
    assertThat(yaml).startsWith("formatVersion: 1\nname: \"loans\"\nextra_columns: \"error\"\ncolumns:\n"
        + "  - name: \"id\"\n    type: \"int64\"\n");
    assertThat(yaml).contains("    range:\n      min: 0\n      max: 20000.5\n      min_exclusive: true\n");
    assertThat(yaml).contains("- \"yes\"\n").contains("- \"null\"\n").contains("- \"<0\"\n");
  }

  @Test
  void readsAndWritesFilesByExtension(@TempDir Path dir) throws Exception {
    DataContract c = everyKind();
    Path yaml = dir.resolve("c.yml");
    Path json = dir.resolve("c.json");
    c.write(yaml);
    c.write(json);
    assertThat(Files.readString(json)).startsWith("{");
    assertThat(DataContract.read(yaml)).isEqualTo(c);
    assertThat(DataContract.read(json)).isEqualTo(c);
  }

  @Test
  void ordersConstraintsAsTheFileDoes() {
    DataContract c = everyKind();
    assertThat(c.constraints()).extracting(Constraint::id).startsWith("id.not_null", "id.unique",
        "amount.not_null", "amount.range", "amount.mean", "amount.stddev", "amount.quantile[0.5]",
        "amount.quantile[0.99]");
    assertThat(c.constraints()).extracting(Constraint::id).endsWith("row_count", "compare[start<=end]",
        "custom[weekday]");
  }

  static final String GOOD = """
      formatVersion: 1
      name: loans
      columns:
        - name: id
          type: int64
          unique: {}
        - name: amount
          type: float64
          range: {min: 0, max: 100}
        - name: purpose
          type: string
          allowed_values: {values: [car, tv]}
      """;

  @Test
  void readsHandWrittenYamlWithDefaults() {
    DataContract c = DataContract.fromYaml(GOOD, "good.yaml");
    assertThat(c.extraColumns()).isEqualTo(ExtraColumns.WARN);
    assertThat(c.schema().field("id").nullable()).isTrue();
    assertThat(c.constraints()).containsExactly(Constraint.unique("id"), Constraint.range("amount", 0.0, 100.0),
        Constraint.allowedValues("purpose", "car", "tv"));
  }

  /** Each bad document names file, line and path; the replacement is applied to {@link #GOOD}. */
  @ParameterizedTest(name = "{3}")
  @CsvSource(delimiter = '|', textBlock = """
      'range: {min: 0, max: 100}'  | 'rnage: {min: 0, max: 100}'      | 'bad.yaml:9: columns[1].rnage: unknown constraint kind ''rnage''' | unknown kind
      'range: {min: 0, max: 100}'  | 'range: {min: zero, max: 100}'   | 'bad.yaml:9: columns[1].range.min: expected a number, got string "zero"' | wrong value type
      'range: {min: 0, max: 100}'  | 'range: {min: 200, max: 100}'    | 'bad.yaml:9: columns[1].range.min: min 200.0 > max 100.0; swap them or fix one' | min above max
      'range: {min: 0, max: 100}'  | 'regex: {pattern: "[a-z"}'       | 'bad.yaml:9: columns[1].regex.pattern: regex on column ''amount'': pattern ''[a-z'' does not compile: missing closing ]' | regex does not compile
      'range: {min: 0, max: 100}'  | 'range: {min: 0, mx: 100}'       | 'bad.yaml:9: columns[1].range.mx: unknown range property ''mx''; allowed: max, max_exclusive, min' | unknown property
      'range: {min: 0, max: 100}'  | 'regex: {pattern: "[0-9]+"}'     | 'bad.yaml:9: columns[1].regex: regex needs a string column, but ''amount'' is float64' | constraint on wrong type
      'type: string'               | 'type: strng'                    | 'bad.yaml:11: columns[2].type: Unknown data type ''strng''' | unknown type
      '- name: purpose'            | '- name: amount'                 | 'bad.yaml:10: columns[2].name: duplicate column name ''amount'' (also columns[1])' | duplicate column
      'values: [car, tv]'          | 'values: [car, car]'             | 'bad.yaml:12: columns[2].allowed_values.values: allowed_values lists a value twice' | duplicate value
      'unique: {}'                 | 'unique: {mostly: 1.5}'          | 'bad.yaml:6: columns[0].unique.mostly: mostly 1.5 is outside (0, 1]' | mostly out of range
      'unique: {}'                 | 'unique: {severity: fatal}'      | 'bad.yaml:6: columns[0].unique.severity: unknown severity ''fatal''; use error or warn' | unknown severity
      'unique: {}'                 | 'unique: []'                     | 'bad.yaml:6: columns[0].unique: expected an object ({} for defaults), got array' | body not an object
      'formatVersion: 1'           | 'formatVersion: 9'               | 'bad.yaml:1: formatVersion: format version 9 is not supported' | newer format
      'name: loans'                | 'name: " "'                     | 'bad.yaml:2: name: the contract name is blank' | blank name
      'name: loans'                | 'nme: loans'                     | 'bad.yaml:2: nme: unknown top-level key ''nme''; allowed: columns, extra_columns, formatVersion, name, table' | unknown top-level key
      'unique: {}'                 | 'row_count: {min: 1}'            | 'bad.yaml:6: columns[0].row_count: unknown constraint kind ''row_count''; a column takes name, type, nullable, role and the constraints not_null, range, allowed_values, regex, format, length, distinct_count, shares, unique, freshness, mean, stddev, quantiles (row_count belongs under table:)' | table kind under column
      """)
  void errorsNameFileLineAndPath(String from, String to, String expected, String description) {
    String bad = GOOD.replace(from, to);
    assertThat(bad).isNotEqualTo(GOOD);
    assertThatThrownBy(() -> DataContract.fromYaml(bad, "bad.yaml"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(expected)
        .satisfies(e -> assertThat(((DataFormatException) e).source()).isEqualTo("bad.yaml"));
  }

  @Test
  void tableConstraintOnAColumnTheSchemaLacksNamesItsPath() {
    String bad = GOOD + """
        table:
          row_count: {min: 1}
          compare:
            - {left: amount, op: "<=", right: amont}
        """;
    assertThatThrownBy(() -> DataContract.fromYaml(bad, "bad.yaml"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("bad.yaml:16: table.compare[0].right: column 'amont' is not in the contract's schema"
            + " [id, amount, purpose]; add it to columns or fix the name");
  }

  @Test
  void int64AllowedValuesMustBeWholeNumbers() {
    String bad = GOOD.replace("unique: {}", "allowed_values: {values: [1, 2.5]}");
    assertThatThrownBy(() -> DataContract.fromYaml(bad, "bad.yaml"))
        .hasMessageStartingWith("bad.yaml:6: columns[0].allowed_values.values[1]: '2.5' is not an int64");
  }

  @Test
  void jsonErrorsCarryLinesToo() {
    String json = "{\n  \"name\": \"x\",\n  \"columns\": [\n    {\"name\": \"a\", \"type\": \"float64\",\n"
        + "     \"mean\": {\"min\": 5, \"max\": 1}}\n  ]\n}\n";
    assertThatThrownBy(() -> DataContract.fromJson(json, "c.json"))
        .hasMessageStartingWith("c.json:5: columns[0].mean.min: min 5.0 > max 1.0");
    assertThatThrownBy(() -> DataContract.fromJson("{\"name\": \"x\",\n \"columns\": [}", "c.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith("c.json:2: not valid JSON");
  }

  @Test
  void duplicateKeysAreRejected() {
    String bad = GOOD.replace("range: {min: 0, max: 100}", "range: {min: 0, min: 1}");
    assertThatThrownBy(() -> DataContract.fromYaml(bad, "bad.yaml"))
        .hasMessageContaining("columns[1].range.min: key 'min' appears twice");
  }

  @Test
  void javaApiRejectsConstraintsThatDoNotFitTheSchema() {
    assertThatThrownBy(() -> DataContract.of("c", SCHEMA, Constraint.range("purpose", 0.0, 1.0)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Constraint purpose.range: column 'purpose' is string, not numeric; numeric constraints (range,"
            + " mean, stddev, quantile) need int64, float32 or float64");
    assertThatThrownBy(() -> DataContract.of("c", SCHEMA, Constraint.unique("id"), Constraint.unique("id")))
        .hasMessage("Constraint id.unique is given twice; keep one");
    assertThatThrownBy(() -> Constraint.range("amount", 5.0, 1.0))
        .hasMessage("min 5.0 > max 1.0; swap them or fix one");
  }

  /** So the round trip never has to carry a NaN or an infinity: no bound, mostly or q holds one. */
  @Test
  void contractsCannotHoldNaNOrInfinity() {
    for (double d : new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY}) {
      assertThatThrownBy(() -> Constraint.range("amount", d, null)).as("range min %s", d)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a usable bound");
      assertThatThrownBy(() -> new Constraint.Mean("amount", null, d, Severity.ERROR)).as("mean max %s", d)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is not a usable bound");
      assertThatThrownBy(() -> new Constraint.Quantile("amount", d, null, null, Severity.ERROR)).as("q %s", d)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is outside [0, 1]");
      assertThatThrownBy(() -> new Constraint.NotNull("amount", d, Severity.ERROR)).as("mostly %s", d)
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("is outside (0, 1]");
    }
  }

  @Test
  void readingAMissingFileSaysWhichFile(@TempDir Path dir) {
    assertThatThrownBy(() -> DataContract.read(dir.resolve("nope.yaml")))
        .hasMessageContaining("Cannot read data contract " + dir.resolve("nope.yaml"));
  }

  @Test
  void aContractFileWithSeveralErrorsReportsEveryOneWithItsLine() {
    String yaml = """
        formatVersion: 1
        name: loans
        columns:
          - name: amount
            type: float64
            range: {min: 10, max: 1}
          - name: purpose
            type: strng
          - name: age
            type: int64
            not_nul: {}
            unique: {mostly: 2}
        """;
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataContract.fromYaml(yaml, "loans.yaml"))
        .isInstanceOf(dev.mlops.core.DataFormatException.class)
        .satisfies(e -> {
          dev.mlops.core.DataFormatException d = (dev.mlops.core.DataFormatException) e;
          org.assertj.core.api.Assertions.assertThat(d.getSuppressed()).hasSize(4);
          org.assertj.core.api.Assertions.assertThat(java.util.Arrays.stream(d.getSuppressed())
              .map(x -> ((dev.mlops.core.DataFormatException) x).line()).toList()).containsExactly(6L, 8L, 11L, 12L);
          org.assertj.core.api.Assertions.assertThat(d.line()).isEqualTo(6);
          org.assertj.core.api.Assertions.assertThat(d.getMessage()).startsWith("loans.yaml:6: 4 errors in the"
              + " contract; fix each:\n  loans.yaml:6: ").contains("\n  loans.yaml:8: ", "\n  loans.yaml:11: ",
              "\n  loans.yaml:12: ");
        });
  }

  @Test
  void compoundUniqueIsWrittenUnderTableAndReadBack() {
    String yaml = """
        formatVersion: 1
        name: visits
        columns:
          - name: customer
            type: int64
          - name: day
            type: string
        table:
          compound_unique:
            - columns: [customer, day]
              mostly: 0.99
        """;
    DataContract c = DataContract.fromYaml(yaml, "visits.yaml");
    org.assertj.core.api.Assertions.assertThat(c.constraints()).containsExactly(
        new Constraint.CompoundUnique(java.util.List.of("customer", "day"), 0.99, Severity.ERROR));
    org.assertj.core.api.Assertions.assertThat(c.constraints().get(0).id()).isEqualTo("compound_unique[customer,day]");
    org.assertj.core.api.Assertions.assertThat(DataContract.fromYaml(c.toYaml(), "again.yaml")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThat(DataContract.fromJson(c.toJson(), "again.json")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataContract.fromYaml(
        yaml.replace("[customer, day]", "[customer, dya]"), "bad.yaml"))
        .hasMessageStartingWith("bad.yaml:10: table.compound_unique[0].columns: column 'dya' is not in the contract");
  }

  @Test
  void formatIsWrittenUnderItsColumnAndReadBack() {
    String yaml = """
        formatVersion: 1
        name: users
        columns:
          - name: email
            type: string
            format: {name: email, mostly: 0.99}
            distinct_count: {min: 2, max: 1000000}
        """;
    DataContract c = DataContract.fromYaml(yaml, "users.yaml");
    org.assertj.core.api.Assertions.assertThat(c.constraints()).containsExactly(
        new Constraint.Format("email", "email", 0.99, Severity.ERROR),
        new Constraint.DistinctCount("email", 2L, 1_000_000L, Severity.ERROR));
    org.assertj.core.api.Assertions.assertThat(DataContract.fromYaml(c.toYaml(), "again.yaml")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThat(DataContract.fromJson(c.toJson(), "again.json")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataContract.fromYaml(
        yaml.replace("name: email,", "name: phone,"), "bad.yaml"))
        .hasMessage("bad.yaml:6: columns[0].format.name: unknown format 'phone'; use one of email, uuid, iso_date,"
            + " iso_datetime, url, or a regex");
  }

  @Test
  void freshnessTakesAnIsoDuration() {
    String yaml = """
        formatVersion: 1
        name: events
        columns:
          - name: at
            type: timestamp
            freshness: {max_age: PT36H, severity: warn}
        """;
    DataContract c = DataContract.fromYaml(yaml, "events.yaml");
    org.assertj.core.api.Assertions.assertThat(c.constraints()).containsExactly(
        new Constraint.Freshness("at", java.time.Duration.ofHours(36), Severity.WARN));
    org.assertj.core.api.Assertions.assertThat(DataContract.fromYaml(c.toYaml(), "again.yaml")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThat(DataContract.fromJson(c.toJson(), "again.json")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataContract.fromYaml(yaml.replace("PT36H", "36h"),
        "bad.yaml")).hasMessage("bad.yaml:6: columns[0].freshness.max_age: expected an ISO 8601 duration such as"
        + " PT24H or P7D, got '36h'");
  }

  @Test
  void sharesAreAListOfCategoriesUnderTheColumn() {
    String yaml = """
        formatVersion: 1
        name: loans
        columns:
          - name: purpose
            type: string
            shares:
              - {value: car, max: 0.3}
              - {value: tv, min: 0.05, max: 0.2}
        """;
    DataContract c = DataContract.fromYaml(yaml, "loans.yaml");
    org.assertj.core.api.Assertions.assertThat(c.constraints()).containsExactly(
        new Constraint.Share("purpose", "car", null, 0.3, Severity.ERROR),
        new Constraint.Share("purpose", "tv", 0.05, 0.2, Severity.ERROR));
    org.assertj.core.api.Assertions.assertThat(c.constraints().get(1).id()).isEqualTo("purpose.share[tv]");
    org.assertj.core.api.Assertions.assertThat(DataContract.fromYaml(c.toYaml(), "again.yaml")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThat(DataContract.fromJson(c.toJson(), "again.json")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataContract.fromYaml(yaml.replace("value: car",
        "value: 1e3"), "bad.yaml")).hasMessageStartingWith("bad.yaml:7: columns[0].shares[0].value: expected a string");
  }

  @Test
  void whenIsWrittenInsideTheRuleItConditions() {
    String yaml = """
        formatVersion: 1
        name: loans
        columns:
          - name: country
            type: string
          - name: amount
            type: float64
            range: {min: 0, max: 100, when: {column: country, in: [DE, AT]}}
          - name: amount_cap
            type: float64
        table:
          compare:
            - {left: amount, op: "<=", right: amount_cap, when: {column: country, in: [DE]}}
        """;
    DataContract c = DataContract.fromYaml(yaml, "loans.yaml");
    org.assertj.core.api.Assertions.assertThat(c.constraints()).containsExactly(
        new Constraint.When(Constraint.range("amount", 0.0, 100.0), "country", java.util.List.of("DE", "AT")),
        new Constraint.When(Constraint.compare("amount", "<=", "amount_cap"), "country", java.util.List.of("DE")));
    org.assertj.core.api.Assertions.assertThat(DataContract.fromYaml(c.toYaml(), "again.yaml")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThat(DataContract.fromJson(c.toJson(), "again.json")).isEqualTo(c);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> DataContract.fromYaml(yaml.replace(
        "when: {column: country, in: [DE, AT]}", "when: {column: country, is: DE}"), "bad.yaml"))
        .hasMessageContaining("bad.yaml:8: columns[1].range.when");
    // One range rule per column: with and without a condition they could not both be written.
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> c.with(Constraint.range("amount", 0.0, 1.0)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("which holds one");
  }
}
