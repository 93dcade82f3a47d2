package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.internal.Digests;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class FingerprintTest {
  private static final Schema SCHEMA = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("s", DataType.STRING));
  private static final List<Row> ROWS = List.of(
      Row.of(SCHEMA, 1.5, "ab"), Row.of(SCHEMA, null, "c"), Row.of(SCHEMA, 2.0, null));

  @Test
  void followsTheDocumentedEncoding() {
    // Recomputes the digest from the encoding written in Fingerprinter's javadoc, byte by byte.
    byte[] valuesX = ByteBuffer.allocate(16).order(ByteOrder.LITTLE_ENDIAN).putDouble(1.5).putDouble(2.0).array();
    byte[] nullsX = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(1).array();
    byte[] valuesS = "abc".getBytes(StandardCharsets.UTF_8);
    byte[] nullsS = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(2).array();
    byte[] lengthsS = {2, 1};
    MessageDigest total = Digests.sha256();
    for (byte[] stream : new byte[][] {valuesX, nullsX, new byte[0], valuesS, nullsS, lengthsS}) {
      total.update(Digests.sha256().digest(stream));
    }
    String expected = HexFormat.of().formatHex(total.digest());

    Fingerprinter f = DatasetFingerprint.builder(SCHEMA);
    ROWS.forEach(f::update);
    assertThat(f.build()).isEqualTo(new DatasetFingerprint(SCHEMA.fingerprint(), 3, expected));
    try (BufferAllocator allocator = new RootAllocator(); Batch b = Batch.fromRows(allocator, SCHEMA, ROWS)) {
      assertThat(DatasetFingerprint.of(b).contentDigest()).isEqualTo(expected);
    }
  }

  @Test
  void stringBoundariesArePartOfTheDigest() {
    Fingerprinter a = DatasetFingerprint.builder(SCHEMA);
    a.update(Row.of(SCHEMA, 1.0, "ab")).update(Row.of(SCHEMA, 1.0, "c"));
    Fingerprinter b = DatasetFingerprint.builder(SCHEMA);
    b.update(Row.of(SCHEMA, 1.0, "a")).update(Row.of(SCHEMA, 1.0, "bc"));
    assertThat(a.build().contentDigest()).isNotEqualTo(b.build().contentDigest());
  }

  @Test
  void rejectsDataOfAnotherSchema() {
    Schema other = Schema.of(Field.of("x", DataType.FLOAT64));
    assertThatThrownBy(() -> DatasetFingerprint.builder(SCHEMA).update(Row.of(other, 1.0)))
        .isInstanceOf(SchemaMismatchException.class)
        .hasMessageContaining("fingerprint each schema separately");
  }

  @Test
  void nullStringSlotsThatKeepBytesDoNotChangeTheDigest() {
    // Arrow lets a null slot keep the bytes of a value set before it was nulled.
    Schema s = Schema.of(Field.of("s", DataType.STRING));
    try (BufferAllocator allocator = new RootAllocator()) {
      DatasetFingerprint fromBatch;
      try (BatchBuilder b = Batch.builder(allocator, s)) {
        b.setString(0, "abc").discardRow().endRow();
        b.setString(0, "de").endRow();
        try (Batch batch = b.build()) {
          assertThat(batch.isNull(0, 0)).isTrue();
          fromBatch = DatasetFingerprint.of(batch);
        }
      }
      Fingerprinter rows = DatasetFingerprint.builder(s);
      rows.update(Row.of(s, (Object) null)).update(Row.of(s, "de"));
      assertThat(fromBatch).isEqualTo(rows.build());
    }
  }
}
