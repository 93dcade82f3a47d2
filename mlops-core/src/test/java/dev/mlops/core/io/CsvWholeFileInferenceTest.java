package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.AllocatorSupport;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link CsvReader#inferSchemaFromWholeFile}: types from every row, for the batch-job report's cases
 * (a float column whose first 5,000 values are whole numbers; {@code 326.0} in what the sample takes
 * for an int64 column).
 */
class CsvWholeFileInferenceTest extends AllocatorSupport {
  @TempDir
  Path dir;

  private Path file(String name, String content) throws IOException {
    Path p = dir.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  /** 5,000 whole prices, then 326.5 and 326.0; a flag column that turns textual late; a late timestamp. */
  private Path lateFloats() throws IOException {
    StringBuilder sb = new StringBuilder("id,price,flag,when\n");
    for (int i = 0; i < 5000; i++) {
      sb.append(i).append(',').append(100 + i % 50).append(",true,\n");
    }
    sb.append("5000,326.5,false,2026-12-01T10:00:00Z\n");
    sb.append("5001,326.0,maybe,\n");
    return file("late.csv", sb.toString());
  }

  @Test
  void aFloatAfterFiveThousandWholeNumbersMakesTheColumnFloat64() throws IOException {
    Path p = lateFloats();
    Schema sampled = CsvReader.inferSchema(p, CsvOptions.defaults());
    assertThat(sampled.field("price").type()).as("from the first 1,000 rows").isEqualTo(DataType.INT64);
    Schema whole = CsvReader.inferSchemaFromWholeFile(p, CsvOptions.defaults());
    assertThat(whole).isEqualTo(Schema.of(Field.of("id", DataType.INT64), Field.of("price", DataType.FLOAT64),
        Field.of("flag", DataType.STRING), Field.of("when", DataType.TIMESTAMP)));
    // Under the sample's schema the late values are bad lines; under the whole file's, every row reads.
    assertThatThrownBy(() -> CsvReader.readAll(p, CsvOptions.defaults(), allocator).close())
        .isInstanceOf(DataFormatException.class).hasMessageContaining("late.csv:5002");
    try (Batch b = CsvReader.readAll(p, CsvOptions.builder().schema(whole).build(), allocator)) {
      assertThat(b.rowCount()).isEqualTo(5002);
      assertThat(b.getDouble(1, 5000)).isEqualTo(326.5);
      assertThat(b.getDouble(1, 5001)).isEqualTo(326.0);
      assertThat(b.getDouble(1, 4999)).isEqualTo(149.0);
      assertThat(b.getString(2, 5001)).isEqualTo("maybe");
    }
  }

  @Test
  void blocksOfRowsVoteAsOneBlockOfEveryRowWould() throws IOException {
    Path p = lateFloats();
    // Blocks of 7 rows, of 1, of more rows than the file has: the same schema.
    Schema expected = CsvReader.inferSchema(p, CsvOptions.builder().inferenceRows(Integer.MAX_VALUE).build());
    for (int block : new int[] {1, 7, 1000, 1_000_000}) {
      assertThat(CsvReader.inferSchemaFromWholeFile(p, CsvOptions.builder().inferenceRows(block).build()))
          .as("blocks of %d rows", block).isEqualTo(expected);
    }
  }

  @Test
  void integersBeyondTwoToThe53StayInt64OrStringAndEmptyColumnsAreStrings() throws IOException {
    Path p = file("ids.csv", "id,big,none\n1,9007199254740993,\n2,2.5,\n3,,\n");
    Schema s = CsvReader.inferSchemaFromWholeFile(p, CsvOptions.defaults());
    // 9007199254740993 is not a float64 exactly, and 2.5 is not an int64: neither type holds both.
    assertThat(s.field("big").type()).isEqualTo(DataType.STRING);
    assertThat(s.field("none").type()).isEqualTo(DataType.STRING);
    assertThat(s.field("id").type()).isEqualTo(DataType.INT64);
  }

  @Test
  void badLinesFailTheVoteUnderFailAndAreLeftOutUnderSkip() throws IOException {
    Path p = file("ragged.csv", "a,b\n1,2\n3\n4,5.5\n");
    assertThatThrownBy(() -> CsvReader.inferSchemaFromWholeFile(p, CsvOptions.defaults()))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("ragged.csv:3");
    Schema s = CsvReader.inferSchemaFromWholeFile(p, CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).build());
    assertThat(s.field("b").type()).isEqualTo(DataType.FLOAT64);
  }

  @Test
  void refusesOptionsThatAlreadyGiveASchema() throws IOException {
    Path p = file("a.csv", "a\n1\n");
    CsvOptions given = CsvOptions.builder().schema(Schema.of(Field.of("a", DataType.INT64))).build();
    assertThatThrownBy(() -> CsvReader.inferSchemaFromWholeFile(p, given))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("nothing to infer");
  }
}
