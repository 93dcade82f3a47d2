package dev.mlops.serving.spi;

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
 *
 * <p>Every value is checked as it is encoded, so nothing the model cannot score reaches it: a null
 * feeds no slot unless the encoding has a {@code missing_indicator} slot for its column (then the
 * column's other slots must encode a missing value finitely too: one-hot slots do, numeric ones do
 * not), and every slot value must be a finite float32, the input type of the ONNX backend, which the
 * Tribuo backend applies too so that both accept the same rows. NaN, infinities and magnitudes beyond
 * {@value Float#MAX_VALUE} are refused with a {@link SchemaMismatchException} naming the field and
 * the model.
 */
public final class RowEncoder {
  private final Schema schema;
  private final String source;
  private final List<FeatureEncoding> slots;
  private final int[] column;
  private final boolean[] oneHotOnString;
  private final boolean[] plainNumber;
  /** Per slot: whether its column has a missing-indicator slot, the encoding's only rule for nulls. */
  private final boolean[] missingHandled;
  private final InputSchemaCheck schemaCheck;

  /**
   * An encoder of rows of {@code schema} by the slots of a manifest's feature encoding.
   *
   * @param schema the model's input schema
   * @param slots the feature encoding, one slot per model input float, in order
   * @param source the model, as named in errors (e.g. {@code credit-risk/3})
   * @throws SchemaMismatchException when a slot reads a column the schema lacks or cannot encode
   * @throws IllegalArgumentException when there are no slots
   */
  public RowEncoder(Schema schema, List<FeatureEncoding> slots, String source) {
    if (slots.isEmpty()) {
      throw new IllegalArgumentException("A row encoder needs at least one slot");
    }
    this.schema = schema;
    this.source = source;
    this.schemaCheck = new InputSchemaCheck(schema, source);
    this.slots = List.copyOf(slots);
    this.column = new int[slots.size()];
    this.oneHotOnString = new boolean[slots.size()];
    this.plainNumber = new boolean[slots.size()];
    this.missingHandled = new boolean[slots.size()];
    java.util.Set<String> indicated = new java.util.HashSet<>();
    for (FeatureEncoding s : slots) {
      if (s instanceof FeatureEncoding.MissingIndicator) {
        indicated.add(s.column());
      }
    }
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
      if ((s instanceof FeatureEncoding.Numeric || s instanceof FeatureEncoding.Standardized)
          && kind == DataType.Kind.STRING) {
        throw new SchemaMismatchException("Feature encoding slot " + i + " (" + s.kind() + ") reads column '"
            + s.column() + "' of type string, which a " + s.kind() + " slot cannot encode; encode it one_hot, or"
            + " declare the column numeric");
      }
      oneHotOnString[i] = s instanceof FeatureEncoding.OneHot && kind == DataType.Kind.STRING;
      plainNumber[i] = s instanceof FeatureEncoding.Numeric && schema.field(column[i]).type().isNumeric();
      missingHandled[i] = indicated.contains(s.column());
    }
  }

  /**
   * The schema of the rows it encodes.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The floats one row encodes to.
   *
   * @return the number of slots
   */
  public int width() {
    return slots.size();
  }

  /**
   * The encoding's slots, in order.
   *
   * @return the slots
   */
  public List<FeatureEncoding> slots() {
    return slots;
  }

  private void checkSchema(Schema s) {
    schemaCheck.check(s);
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

  /** The float the model sees for one value of slot {@code i}, refused when it cannot be scored. */
  private float checked(int i, @Nullable Object value, int row) {
    if (value == null && !missingHandled[i]) {
      throw missing(i, row);
    }
    float f = slot(i, value);
    if (!Float.isFinite(f)) {
      // The reference encoding in double precision: what the slot made of the value, before float32.
      throw notFinite(i, value, slots.get(i).encode(value), row);
    }
    return f;
  }

  private SchemaMismatchException missing(int i, int row) {
    String c = slots.get(i).column();
    return new SchemaMismatchException(where(row, c) + " is missing (null), and the model's feature encoding has"
        + " no rule for missing values (no missing_indicator slot for '" + c + "'); send a value, or impute it"
        + " before predicting");
  }

  private SchemaMismatchException notFinite(int i, @Nullable Object value, double encoded, int row) {
    FeatureEncoding s = slots.get(i);
    String what;
    if (value == null) {
      what = " is missing (null), which its " + s.kind() + " slot cannot encode (it would feed NaN to the model)";
    } else if (value instanceof Number n && !Double.isFinite(n.doubleValue())) {
      what = " is " + value + ", which the model cannot score";
    } else if (value instanceof Number n && n.doubleValue() == encoded) {
      what = " is " + value + ", beyond float32's range (+-" + Float.MAX_VALUE + ") that the model is fed";
    } else {
      what = " is " + value + ", which its " + s.kind() + " slot encodes as " + encoded + ", beyond float32's range"
          + " (+-" + Float.MAX_VALUE + ") that the model is fed";
    }
    return new SchemaMismatchException(where(row, s.column()) + what + "; send a finite value within float32's"
        + " range, or impute it before predicting");
  }

  private String where(int row, String column) {
    return row < 0 ? "Feature '" + column + "' of model " + source
        : "Row " + row + " of the batch: feature '" + column + "' of model " + source;
  }

  /**
   * Checks that every slot of a row can be encoded and scored, without encoding it: the check the
   * batching path runs on the caller's thread, so one bad row never fails the batch it would join.
   *
   * @param row a row of the encoder's schema
   * @throws SchemaMismatchException naming the field and the model
   */
  public void check(Row row) {
    check(row, -1);
  }

  /**
   * Like {@link #check(Row)} for one row of a batch.
   *
   * @param row a row of the encoder's schema
   * @param rowIndex its index in the batch, named in errors, or -1 for a single row
   */
  public void check(Row row, int rowIndex) {
    checkSchema(row.schema());
    for (int i = 0; i < column.length; i++) {
      checked(i, row.get(column[i]), rowIndex);
    }
  }

  /**
   * Writes one row at the buffer's position, advancing it by {@link #width()}.
   *
   * @param row a row of the encoder's schema
   * @param out where to write
   * @throws SchemaMismatchException naming the field when a value cannot be scored
   */
  public void encode(Row row, FloatBuffer out) {
    checkSchema(row.schema());
    for (int i = 0; i < column.length; i++) {
      out.put(checked(i, row.get(column[i]), -1));
    }
  }

  /**
   * Writes every row of a batch at the buffer's position, advancing it by {@code rows * width()}.
   *
   * @param batch a batch of the encoder's schema
   * @param out where to write
   * @throws SchemaMismatchException naming the first row and field whose value cannot be scored
   */
  public void encode(Batch batch, FloatBuffer out) {
    checkSchema(batch.schema());
    int base = out.position();
    int n = batch.rowCount();
    int w = column.length;
    for (int i = 0; i < w; i++) {
      int c = column[i];
      for (int r = 0; r < n; r++) {
        @Nullable Object v = batch.get(c, r);
        float f = v == null && !missingHandled[i] ? Float.NaN : slot(i, v);
        if (!Float.isFinite(f)) {
          throw firstBadRow(batch);
        }
        out.put(base + r * w + i, f);
      }
    }
    out.position(base + n * w);
  }

  /** The error for the lowest bad row: the columnar loop above meets bad values column by column. */
  private SchemaMismatchException firstBadRow(Batch batch) {
    for (int r = 0; r < batch.rowCount(); r++) {
      for (int i = 0; i < column.length; i++) {
        try {
          checked(i, batch.get(column[i], r), r);
        } catch (SchemaMismatchException e) {
          return e;
        }
      }
    }
    throw new IllegalStateException("a value failed the columnar check but no row fails the row check");
  }

  /**
   * The encoded vector of one row, as doubles, for backends that take named features. Values are
   * checked as for the float path, so every backend accepts the same rows.
   *
   * @param row a row of the encoder's schema
   * @param out at least {@link #width()} doubles
   * @param rowIndex the row's index in its batch, or -1 for a single row (named in errors)
   * @throws SchemaMismatchException naming the field when a value cannot be scored
   */
  public void encode(Row row, double[] out, int rowIndex) {
    checkSchema(row.schema());
    for (int i = 0; i < column.length; i++) {
      @Nullable Object v = row.get(column[i]);
      if (v == null && !missingHandled[i]) {
        throw missing(i, rowIndex);
      }
      double d = slots.get(i).encode(v);
      if (!Float.isFinite((float) d)) {
        throw notFinite(i, v, d, rowIndex);
      }
      out[i] = d;
    }
  }
}
