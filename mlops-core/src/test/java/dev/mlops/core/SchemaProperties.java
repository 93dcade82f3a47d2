package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

class SchemaProperties {

  @Property(tries = 300)
  void jsonRoundTripIsLossless(@ForAll("schemas") Schema schema) {
    Schema back = Schema.fromJson(schema.toJson());
    assertThat(back).isEqualTo(schema);
    assertThat(back.fingerprint()).isEqualTo(schema.fingerprint());
    assertThat(Schema.fromArrow(schema.toArrow())).isEqualTo(schema);
  }

  @Provide
  Arbitrary<Schema> schemas() {
    return fields().list().ofMinSize(0).ofMaxSize(12).map(fs -> {
      List<Field> unique = new ArrayList<>();
      for (int i = 0; i < fs.size(); i++) {
        Field f = fs.get(i);
        unique.add(new Field(f.name() + "_" + i, f.type(), f.nullable(), f.role()));
      }
      return Schema.of(unique);
    });
  }

  static Arbitrary<DataType> types() {
    Arbitrary<DataType> tensor = Arbitraries.integers().between(1, 5).list().ofMinSize(1).ofMaxSize(3)
        .map(l -> DataType.floatTensor(l.stream().mapToInt(Integer::intValue).toArray()));
    return Arbitraries.oneOf(Arbitraries.of(DataType.BOOLEAN, DataType.INT64, DataType.FLOAT32,
        DataType.FLOAT64, DataType.STRING, DataType.TIMESTAMP), tensor);
  }

  static Arbitrary<Field> fields() {
    Arbitrary<String> names = Arbitraries.strings().withCharRange('a', 'z').withChars('é', '名', ' ', '"', '\\')
        .ofMinLength(1).ofMaxLength(10);
    return Combinators.combine(names, types(), Arbitraries.of(true, false), Arbitraries.of(Role.class))
        .as(Field::new);
  }
}
