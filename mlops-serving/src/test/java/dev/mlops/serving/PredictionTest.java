package dev.mlops.serving;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PredictionTest {

  @Test
  void classificationBecomesARowOfLabelAndScores() {
    Map<String, Double> scores = new LinkedHashMap<>();
    scores.put("bad", 0.2);
    scores.put("good", 0.8);
    Prediction p = Prediction.classification("3", "good", scores);
    Schema out = Schema.of(Field.of("label", DataType.STRING, false, Role.PREDICTION),
        Field.of("good", DataType.FLOAT64), Field.of("other", DataType.FLOAT64));
    Row r = p.toRow(out);
    assertThat(r.getString("label")).isEqualTo("good");
    assertThat(r.getDouble("good")).isEqualTo(0.8);
    assertThat(r.isNull("other")).isTrue();
    assertThat(p.agreesWith(Prediction.classification("4", "good", Map.of("good", 0.6)), 0)).isTrue();
    assertThatThrownBy(p::value).isInstanceOf(IllegalStateException.class)
        .hasMessage("This is a CLASSIFICATION prediction, not a regression; check kind() first");
  }

  @Test
  void regressionAndRawBecomeRows() {
    Row r = Prediction.regression("1", 2.5, 7).toRow(Schema.of(Field.of("value", DataType.FLOAT32)));
    assertThat(r.getFloat(0)).isEqualTo(2.5f);
    Prediction raw = Prediction.raw("1", List.of(RawTensor.of("y", "float", new long[] {1, 2}, new double[] {1, 2})));
    assertThat(raw.toRow(Schema.of(Field.of("y", DataType.floatTensor(2)))).getTensor(0)).containsExactly(1f, 2f);
    assertThatThrownBy(() -> raw.toRow(Schema.of(Field.of("y", DataType.floatTensor(3)))))
        .isInstanceOf(SchemaMismatchException.class);
    assertThatThrownBy(() -> raw.label()).isInstanceOf(IllegalStateException.class);
  }

  @Test
  void rawTensorChecksItsShape() {
    assertThatThrownBy(() -> RawTensor.of("t", "float", new long[] {2, 2}, new double[3]))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("Tensor 't' of shape [2, 2] needs 4 values but got 3");
  }
}
