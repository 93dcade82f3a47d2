package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SchemaTest {

  private static final Schema CREDIT = Schema.of(
      Field.of("id", DataType.INT64, false, Role.ID),
      Field.of("duration", DataType.FLOAT64),
      Field.of("purpose", DataType.STRING),
      Field.of("applied_at", DataType.TIMESTAMP, true, Role.TIMESTAMP),
      Field.of("embedding", DataType.floatTensor(2, 3)),
      Field.of("class", DataType.STRING, false, Role.LABEL));

  @Test
  void jsonRoundTripKeepsEveryAttribute() {
    Schema back = Schema.fromJson(CREDIT.toJson());
    assertThat(back).isEqualTo(CREDIT);
    assertThat(back.field("embedding").type().shape()).containsExactly(2, 3);
    assertThat(back.field("class").role()).isEqualTo(Role.LABEL);
    assertThat(back.fingerprint()).isEqualTo(CREDIT.fingerprint());
  }

  @Test
  void fingerprintIsStableAcrossReleasesOfFormatVersion1() {
    // Golden value: if this changes, every stored manifest's schema hash changes. Bump FORMAT_VERSION instead.
    Schema s = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.STRING, false, Role.LABEL));
    assertThat(s.fingerprint()).isEqualTo(
        dev.mlops.core.internal.Digests.sha256Hex(
            ("{\"fields\":[{\"name\":\"x\",\"nullable\":true,\"role\":\"feature\",\"type\":\"float64\"},"
                + "{\"name\":\"y\",\"nullable\":false,\"role\":\"label\",\"type\":\"string\"}],\"formatVersion\":1}")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)));
  }

  @Test
  void fingerprintDiffersWhenAnythingDiffers() {
    assertThat(CREDIT.with(Field.of("purpose", DataType.STRING, false, Role.FEATURE)).fingerprint())
        .isNotEqualTo(CREDIT.fingerprint());
    assertThat(CREDIT.with(CREDIT.field("duration").withRole(Role.ID)).fingerprint())
        .isNotEqualTo(CREDIT.fingerprint());
  }

  @Test
  void rejectsDuplicateColumnNames() {
    assertThatThrownBy(() -> Schema.of(Field.of("a", DataType.INT64), Field.of("a", DataType.STRING)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("Duplicate column name 'a' at positions 0 and 1");
  }

  @Test
  void unknownColumnNamesTheAvailableOnes() {
    assertThatThrownBy(() -> CREDIT.indexOf("amount"))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("No column 'amount'")
        .hasMessageContaining("[id, duration, purpose, applied_at, embedding, class]");
  }

  @Test
  void badJsonNamesThePath() {
    assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[{\"name\":\"a\",\"type\":\"float128\"}]}"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("fields[0].type")
        .hasMessageContaining("Unknown data type 'float128'");
    assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[{\"type\":\"int64\"}]}"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("fields[0].name");
    assertThatThrownBy(() -> Schema.fromJson("{\"formatVersion\":9,\"fields\":[]}"))
        .hasMessageContaining("formatVersion 9 is newer");
    assertThatThrownBy(() -> Schema.fromJson("{\"fields\":[ oops"))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining("schema JSON:1");
  }

  @Test
  void arrowRoundTripKeepsRolesAndTensorShapes() {
    Schema back = Schema.fromArrow(CREDIT.toArrow());
    assertThat(back).isEqualTo(CREDIT);
  }

  @Test
  void dataTypeNamesParseBack() {
    for (DataType t : new DataType[] {DataType.BOOLEAN, DataType.INT64, DataType.FLOAT32, DataType.FLOAT64,
        DataType.STRING, DataType.TIMESTAMP, DataType.floatTensor(4), DataType.floatTensor(1, 28, 28)}) {
      assertThat(DataType.parse(t.toString())).isEqualTo(t);
    }
    assertThatThrownBy(() -> DataType.floatTensor(0, 3)).hasMessageContaining("positive");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "{\"formatVersion\":1.9,\"fields\":[]}|schema formatVersion 1.9 is not a version",
      "{\"formatVersion\":0,\"fields\":[]}|schema formatVersion 0 is not a version",
      "{\"formatVersion\":\"1\",\"fields\":[]}|schema formatVersion \"1\" is not a version",
      "{\"formatVersion\":2,\"fields\":[]}|newer than this library supports",
      "{\"fields\":[],\"fields\":[]}|Duplicate field 'fields'",
      "{\"fields\":[]} {}|content after the end of the JSON document"})
  void refusesSchemaJsonThatIsNotExactlyOneDocumentOfAKnownVersion(String json, String message) {
    assertThatThrownBy(() -> Schema.fromJson(json))
        .isInstanceOf(DataFormatException.class)
        .hasMessageContaining(message);
  }
}
