package dev.mlops.core;

import static dev.mlops.core.Generators.chars;
import static dev.mlops.core.Generators.integers;
import static dev.mlops.core.Generators.lists;
import static dev.mlops.core.Generators.pick;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.quicktheories.core.Gen;
import org.quicktheories.generators.Generate;

class SchemaProperties {

  @Test
  void jsonRoundTripIsLossless() {
    qt().withFixedSeed(0x5C7E_0001L).withExamples(300).forAll(schemas()).checkAssert(schema -> {
      Schema back = Schema.fromJson(schema.toJson());
      assertThat(back).isEqualTo(schema);
      assertThat(back.fingerprint()).isEqualTo(schema.fingerprint());
      assertThat(Schema.fromArrow(schema.toArrow())).isEqualTo(schema);
    });
  }

  static Gen<Schema> schemas() {
    return lists(fields(), 0, 12).map(fs -> {
      List<Field> unique = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Field f = fs.get(i);
        unique.add(new Field(f.name() + "_" + i, f.type(), f.nullable(), f.role()));
      }
      return Schema.of(unique);
    });
  }

  /** Every scalar type, and float tensors of one to three dimensions of 1 to 5 each. */
  static Gen<DataType> types() {
    Gen<DataType> tensor = lists(integers(1, 5), 1, 3)
        .map(l -> DataType.floatTensor(l.stream().mapToInt(Integer::intValue).toArray()));
    return Generate.oneOf(pick(DataType.BOOLEAN, DataType.INT64, DataType.FLOAT32,
        DataType.FLOAT64, DataType.STRING, DataType.TIMESTAMP), tensor);
  }

  /** Fields with names of 1 to 10 chars, accents, CJK, spaces, quotes and backslashes among them. */
  static Gen<Field> fields() {
    Gen<String> names = Generators.strings(chars('a', 'z', 'é', '名', ' ', '"', '\\'), 1, 10);
    return names.zip(types(), Generate.booleans(), Generate.enumValues(Role.class), Field::new);
  }
}
