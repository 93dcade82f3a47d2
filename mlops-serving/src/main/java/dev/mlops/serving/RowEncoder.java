package dev.mlops.serving;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import dev.mlops.core.manifest.FeatureEncoding;
import java.nio.FloatBuffer;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Encodes rows and batches of one schema into row-major float vectors with a manifest's feature
 * encoding, slot by slot with {@link FeatureEncoding#encode(Object)} (the reference definition), so
 * serving builds exactly the vector training built. Immutable and thread-safe.
 */
final class RowEncoder {
  private final Schema schema;
  private final List<FeatureEncoding> slots;
  private final int[] column;
  private final boolean[] oneHotOnString;
  private final boolean[] plainNumber;
  /** The last schema instance found equal to {@link #schema}: rows of it skip the field-by-field check. */
  private volatile Schema accepted;

  RowEncoder(Schema schema, List<FeatureEncoding> slots) {
    if (slots.isEmpty()) {
      throw new IllegalArgumentException("A row encoder needs at least one slot");
    }
    this.schema = schema;
    this.accepted = schema;
    this.slots = List.copyOf(slots);
    this.column = new int[slots.size()];
    this.oneHotOnString = new boolean[slots.size()];
    this.plainNumber = new boolean[slots.size()];
    for (int i = 0; i < slots.size(); i++) {
      FeatureEncoding s = slots.get(i);
      if (!schema.contains(s.column())) {
        throw new SchemaMismatchException("Feature encoding slot " + i + " (" + s.kind() + ") reads column '"
            + s.column() + "', which is not in the input schema " + schema.names()
            + "; serve with the schema the model was trained on");
      }
      column[i] = schema.indexOf(s.column());
      DataType.Kind kind = schema.field(column[i]).type().kind();
      if (kind == DataType.Kind.FLOAT_TENSOR || kind == DataType.Kind.TIMESTAMP) {
        throw new SchemaMismatchException("Feature encoding slot " + i + " (" + s.kind() + ") reads column '"
            + s.column() + "' of type " + kind.name().toLowerCase(Locale.ROOT)
            + ", which no slot encodes; feed tensors as model inputs without an encoding");
      }
      oneHotOnString[i] = s instanceof FeatureEncoding.OneHot && kind == DataType.Kind.STRING;
      plainNumber[i] = s instanceof FeatureEncoding.Numeric && schema.field(column[i]).type().isNumeric();
    }
  }

  Schema schema() {
    return schema;
  }

  int width() {
    return slots.size();
  }

  List<FeatureEncoding> slots() {
    return slots;
  }

  private void checkSchema(Schema s) {
    if (s == accepted) {
      return;
    }
    if (s != schema && !s.equals(schema)) {
      throw new SchemaMismatchException("Input schema " + s + " differs from the model's input schema " + schema
          + "; build rows with the model's input schema");
    }
    accepted = s;
  }

  private float slot(int i, @Nullable Object value) {
    if (plainNumber[i] && value != null) {
      return ((Number) value).floatValue();
    }
    if (oneHotOnString[i]) {
      return value != null && ((FeatureEncoding.OneHot) slots.get(i)).category().equals(value) ? 1f : 0f;
    }
    return (float) slots.get(i).encode(value);
  }

  /**
   * Writes one row at the buffer's position, advancing it by {@link #width()}.
   *
   * @param row a row of the encoder's schema
   * @param out where to write
   */
  void encode(Row row, FloatBuffer out) {
    checkSchema(row.schema());
    for (int i = 0; i < column.length; i++) {
      out.put(slot(i, row.get(column[i])));
    }
  }

  /**
   * Writes every row of a batch at the buffer's position, advancing it by {@code rows * width()}.
   *
   * @param batch a batch of the encoder's schema
   * @param out where to write
   */
  void encode(Batch batch, FloatBuffer out) {
    checkSchema(batch.schema());
    int base = out.position();
    int n = batch.rowCount();
    int w = column.length;
    for (int i = 0; i < w; i++) {
      int c = column[i];
      for (int r = 0; r < n; r++) {
        out.put(base + r * w + i, slot(i, batch.get(c, r)));
      }
    }
    out.position(base + n * w);
  }

  /**
   * The encoded vector of one row, as doubles, for backends that take named features.
   *
   * @param row a row of the encoder's schema
   * @param out at least {@link #width()} doubles
   */
  void encode(Row row, double[] out) {
    checkSchema(row.schema());
    for (int i = 0; i < column.length; i++) {
      out[i] = slots.get(i).encode(row.get(column[i]));
    }
  }
}
