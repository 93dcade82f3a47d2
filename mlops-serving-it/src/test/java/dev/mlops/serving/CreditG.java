package dev.mlops.serving;

import de.siegmar.fastcsv.reader.CsvReader;
import de.siegmar.fastcsv.reader.CsvRecord;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import dev.mlops.core.manifest.FeatureEncoding;
import org.tribuo.Model;
import java.util.Set;
import org.tribuo.MutableDataset;
import org.tribuo.classification.Label;
import org.tribuo.classification.LabelFactory;
import org.tribuo.classification.sgd.linear.LinearSGDModel;
import org.tribuo.classification.sgd.linear.LinearSGDTrainer;
import org.tribuo.classification.sgd.objectives.LogMulticlass;
import org.tribuo.datasource.ListDataSource;
import org.tribuo.impl.ArrayExample;
import org.tribuo.math.optimisers.AdaGrad;
import org.tribuo.provenance.SimpleDataSourceProvenance;
import dev.mlops.serving.tribuo.TribuoModels;

/** The credit-g data set (../data/credit-g.csv, 1,000 rows) as rows, and a Tribuo classifier trained on it. */
final class CreditG {
  static final Path CSV = Path.of("../data/credit-g.csv");
  static final Set<String> NUMERIC = Set.of("duration", "credit_amount", "installment_commitment", "residence_since",
      "age", "existing_credits", "num_dependents");

  /** Input schema (features only), the rows with their labels, and each numeric column's mean and sd. */
  record Data(Schema schema, List<Row> rows, List<String> labels, Map<String, double[]> moments) {}

  private CreditG() {}

  static Data load() {
    try (CsvReader<CsvRecord> csv = CsvReader.builder().ofCsvRecord(CSV)) {
      List<CsvRecord> records = csv.stream().toList();
      List<String> header = records.get(0).getFields();
      List<Field> fields = new ArrayList<>();
      for (String h : header.subList(0, header.size() - 1)) {
        fields.add(Field.of(h, NUMERIC.contains(h) ? DataType.FLOAT64 : DataType.STRING));
      }
      Schema schema = Schema.of(fields);
      List<Row> rows = new ArrayList<>();
      List<String> labels = new ArrayList<>();
      for (CsvRecord r : records.subList(1, records.size())) {
        Object[] values = new Object[fields.size()];
        for (int i = 0; i < fields.size(); i++) {
          String v = r.getField(i);
          values[i] = fields.get(i).type() == DataType.FLOAT64 ? (Object) Double.parseDouble(v) : v;
        }
        rows.add(Row.of(schema, values));
        labels.add(r.getField(header.size() - 1));
      }
      Map<String, double[]> moments = new HashMap<>();
      for (String c : NUMERIC) {
        double[] xs = rows.stream().mapToDouble(r -> r.getDouble(c)).toArray();
        double mean = Arrays.stream(xs).average().orElseThrow();
        double sd = Math.sqrt(Arrays.stream(xs).map(x -> (x - mean) * (x - mean)).sum() / (xs.length - 1));
        moments.put(c, new double[] {mean, sd});
      }
      return new Data(schema, rows, labels, moments);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * Tribuo features: numeric columns standardized, by name; categoricals one-hot as {@code column@value}.
   */
  static ArrayExample<Label> example(Data data, Row row, String label) {
    Schema schema = data.schema();
    List<String> names = new ArrayList<>();
    List<Double> values = new ArrayList<>();
    for (int i = 0; i < schema.size(); i++) {
      Field f = schema.field(i);
      if (f.type() == DataType.STRING) {
        names.add(f.name() + "@" + row.getString(i));
        values.add(1.0);
      } else {
        names.add(f.name());
        double[] m = data.moments().get(f.name());
        values.add((row.getDouble(i) - m[0]) / m[1]);
      }
    }
    return new ArrayExample<>(new Label(label), names.toArray(new String[0]),
        values.stream().mapToDouble(Double::doubleValue).toArray());
  }

  /** The model's feature encoding: its Tribuo features, numeric ones standardized as in training. */
  static List<FeatureEncoding> encoding(Model<?> model, Data data) {
    return TribuoModels.encoding(model, data.schema()).stream().map(s -> {
      double[] m = data.moments().get(s.column());
      return s instanceof FeatureEncoding.Numeric ? FeatureEncoding.standardized(s.column(), m[0], m[1]) : s;
    }).toList();
  }

  /** Logistic regression (linear SGD, log loss, AdaGrad), 5 epochs, seed 42. */
  static LinearSGDModel train(Data data) {
    LabelFactory factory = new LabelFactory();
    List<org.tribuo.Example<Label>> examples = new ArrayList<>();
    for (int i = 0; i < data.rows().size(); i++) {
      examples.add(example(data, data.rows().get(i), data.labels().get(i)));
    }
    MutableDataset<Label> ds = new MutableDataset<>(new ListDataSource<>(examples, factory,
        new SimpleDataSourceProvenance("credit-g", factory)));
    LinearSGDTrainer trainer = new LinearSGDTrainer(new LogMulticlass(), new AdaGrad(0.1, 0.1), 5, 1000, 1, 42L);
    return trainer.train(ds);
  }
}
