package dev.mlops.serving;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.nio.FloatBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The ordered slots of a tabular model's float input vector, recorded in the model signature at
 * training time and replayed at serving time, so training and serving cannot skew.
 *
 * <p>Slot kinds: a numeric column (int64, float32, float64, or boolean as 1/0) fills one slot; a
 * categorical (string) column fills one one-hot slot per known category; a fixed-shape float tensor
 * column fills as many slots as it has elements. A missing value encodes as 0, as does a category not
 * seen in training (all its one-hot slots stay 0) — the convention of sparse learners such as Tribuo,
 * where an absent feature is zero.
 *
 * @param slots the slots in input-vector order
 */
public record FeatureEncoding(List<Slot> slots) {

  /** What fills a slot. */
  public enum Kind {
    /** The numeric value of a column. */
    NUMERIC,
    /** 1 when a string column equals a category, else 0. */
    ONE_HOT,
    /** The elements of a float tensor column, row-major. */
    TENSOR
  }

  /**
   * One slot (or, for {@link Kind#TENSOR}, a run of slots).
   *
   * @param kind what fills it
   * @param column the source column
   * @param category the category for {@link Kind#ONE_HOT}, else {@code null}
   * @param size number of slots: 1, or the tensor's element count
   */
  public record Slot(Kind kind, String column, @Nullable String category, int size) {
    /**
     * Validates the components.
     *
     * @param kind what fills it
     * @param column the source column
     * @param category the category for one-hot slots
     * @param size number of slots
     */
    public Slot {
      Objects.requireNonNull(kind, "kind");
      Objects.requireNonNull(column, "column");
      if ((kind == Kind.ONE_HOT) != (category != null)) {
        throw new IllegalArgumentException("Slot for column '" + column + "': a category is required for one-hot slots"
            + " and not allowed otherwise");
      }
      if (size < 1 || (kind != Kind.TENSOR && size != 1)) {
        throw new IllegalArgumentException("Slot for column '" + column + "' has size " + size
            + "; numeric and one-hot slots have size 1, tensor slots their element count");
      }
    }

    /**
     * A numeric slot.
     *
     * @param column the column
     * @return the slot
     */
    public static Slot numeric(String column) {
      return new Slot(Kind.NUMERIC, column, null, 1);
    }

    /**
     * A one-hot slot.
     *
     * @param column the string column
     * @param category the category that sets it to 1
     * @return the slot
     */
    public static Slot oneHot(String column, String category) {
      return new Slot(Kind.ONE_HOT, column, category, 1);
    }

    /**
     * A run of slots holding a float tensor column.
     *
     * @param column the tensor column
     * @param elements its element count
     * @return the slot
     */
    public static Slot tensor(String column, int elements) {
      return new Slot(Kind.TENSOR, column, null, elements);
    }
  }

  /**
   * Validates the components.
   *
   * @param slots the slots in order
   */
  public FeatureEncoding {
    slots = List.copyOf(slots);
    if (slots.isEmpty()) {
      throw new IllegalArgumentException("A feature encoding needs at least one slot");
    }
  }

  /**
   * An encoding from slots.
   *
   * @param slots the slots in order
   * @return the encoding
   */
  public static FeatureEncoding of(Slot... slots) {
    return new FeatureEncoding(List.of(slots));
  }

  /**
   * The encoding for learners that name features {@code column} for numeric columns and
   * {@code column + separator + category} for one-hot categories (Tribuo's convention, with
   * {@code "@"}), in the learner's feature order.
   *
   * @param schema the input schema
   * @param featureNames the learner's feature names in input-vector order
   * @param separator what joins a column and its category
   * @return the encoding
   * @throws SchemaMismatchException naming the feature when it matches no numeric or string column
   */
  public static FeatureEncoding fromFeatureNames(Schema schema, List<String> featureNames, String separator) {
    List<Slot> out = new ArrayList<>(featureNames.size());
    for (String f : featureNames) {
      Field field = schema.findField(f).orElse(null);
      if (field != null && (field.type().isNumeric() || field.type().kind() == DataType.Kind.BOOLEAN)) {
        out.add(Slot.numeric(f));
        continue;
      }
      int cut = f.indexOf(separator);
      while (cut >= 0) {
        String col = f.substring(0, cut);
        Field cf = schema.findField(col).orElse(null);
        if (cf != null && cf.type().kind() == DataType.Kind.STRING) {
          out.add(Slot.oneHot(col, f.substring(cut + separator.length())));
          break;
        }
        cut = f.indexOf(separator, cut + 1);
      }
      if (cut < 0) {
        throw new SchemaMismatchException("Feature '" + f + "' matches no numeric column and no string column followed"
            + " by '" + separator + "' in " + schema.names() + "; train and serve with the same schema");
      }
    }
    return new FeatureEncoding(out);
  }

  /**
   * The feature name of a slot under the naming convention of
   * {@link #fromFeatureNames(Schema, List, String)}.
   *
   * @param slot a numeric or one-hot slot
   * @param separator what joins a column and its category
   * @return the name
   */
  public static String featureName(Slot slot, String separator) {
    return slot.kind() == Kind.ONE_HOT ? slot.column() + separator + slot.category() : slot.column();
  }

  /**
   * Width of the encoded vector.
   *
   * @return the number of floats per row
   */
  public int width() {
    int w = 0;
    for (Slot s : slots) {
      w += s.size();
    }
    return w;
  }

  /**
   * An encoder of rows and batches of one schema. Compile once per schema; encoders are immutable and
   * thread-safe.
   *
   * @param schema the schema of the rows and batches to encode
   * @return the encoder
   * @throws SchemaMismatchException naming the column when a slot's column is absent or of an
   *     unsuitable type
   */
  public Encoder encoder(Schema schema) {
    return new Encoder(this, schema);
  }

  /**
   * The JSON tree form.
   *
   * @return the tree: an array of {@code {"kind","column"[,"category"][,"size"]}}
   */
  public ArrayNode toJsonNode() {
    ArrayNode arr = JsonNodeFactory.instance.arrayNode();
    for (Slot s : slots) {
      ObjectNode o = arr.addObject();
      o.put("kind", s.kind().name().toLowerCase(Locale.ROOT));
      o.put("column", s.column());
      if (s.category() != null) {
        o.put("category", s.category());
      }
      if (s.kind() == Kind.TENSOR) {
        o.put("size", s.size());
      }
    }
    return arr;
  }

  /**
   * Reads the form written by {@link #toJsonNode()}.
   *
   * @param node the tree
   * @param path where the tree sits, for messages
   * @return the encoding
   * @throws DataFormatException naming the path of a bad entry
   */
  public static FeatureEncoding fromJsonNode(JsonNode node, String path) {
    if (!node.isArray()) {
      throw new DataFormatException(path + " must be an array of slots");
    }
    List<Slot> out = new ArrayList<>(node.size());
    for (int i = 0; i < node.size(); i++) {
      JsonNode s = node.get(i);
      String p = path + "[" + i + "]";
      String kind = s.path("kind").asText("");
      String column = s.path("column").asText("");
      try {
        Kind k = Kind.valueOf(kind.toUpperCase(Locale.ROOT));
        JsonNode cat = s.get("category");
        out.add(new Slot(k, column, cat == null || cat.isNull() ? null : cat.asText(), s.path("size").asInt(1)));
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(p + ": bad slot " + s + " (" + e.getMessage()
            + "); kinds are numeric, one_hot, tensor", e);
      }
    }
    return new FeatureEncoding(out);
  }

  /** Encodes rows and batches of one schema into row-major float vectors; immutable and thread-safe. */
  public static final class Encoder {
    private final int width;
    private final int[] numericColumn;
    private final int[] numericOffset;
    private final int[] tensorColumn;
    private final int[] tensorOffset;
    private final int[] tensorSize;
    private final int[] categoricalColumn;
    private final List<Map<String, Integer>> categoryOffset;
    private final Schema schema;

    Encoder(FeatureEncoding encoding, Schema schema) {
      this.schema = schema;
      List<int[]> numeric = new ArrayList<>();
      List<int[]> tensors = new ArrayList<>();
      Map<Integer, Map<String, Integer>> cats = new HashMap<>();
      List<Integer> catOrder = new ArrayList<>();
      int off = 0;
      for (Slot s : encoding.slots()) {
        int col = schema.indexOf(s.column());
        DataType t = schema.field(col).type();
        switch (s.kind()) {
          case NUMERIC -> {
            if (!t.isNumeric() && t.kind() != DataType.Kind.BOOLEAN) {
              throw mismatch(s, t, "a numeric or boolean");
            }
            numeric.add(new int[] {col, off});
          }
          case ONE_HOT -> {
            if (t.kind() != DataType.Kind.STRING) {
              throw mismatch(s, t, "a string");
            }
            if (!cats.containsKey(col)) {
              catOrder.add(col);
            }
            cats.computeIfAbsent(col, c -> new HashMap<>()).put(s.category(), off);
          }
          case TENSOR -> {
            if (t.kind() != DataType.Kind.FLOAT_TENSOR || t.elementCount() != s.size()) {
              throw mismatch(s, t, "a float tensor with " + s.size() + " elements");
            }
            tensors.add(new int[] {col, off, s.size()});
          }
          default -> throw new IllegalStateException("unknown slot kind " + s.kind());
        }
        off += s.size();
      }
      width = off;
      numericColumn = numeric.stream().mapToInt(a -> a[0]).toArray();
      numericOffset = numeric.stream().mapToInt(a -> a[1]).toArray();
      tensorColumn = tensors.stream().mapToInt(a -> a[0]).toArray();
      tensorOffset = tensors.stream().mapToInt(a -> a[1]).toArray();
      tensorSize = tensors.stream().mapToInt(a -> a[2]).toArray();
      categoricalColumn = catOrder.stream().mapToInt(Integer::intValue).toArray();
      categoryOffset = catOrder.stream().map(c -> Map.copyOf(cats.get(c))).toList();
    }

    private SchemaMismatchException mismatch(Slot s, DataType t, String want) {
      return new SchemaMismatchException("Feature encoding slot " + s.kind().name().toLowerCase(Locale.ROOT)
          + " of column '" + s.column() + "' needs " + want + " column but the schema has " + t
          + "; serve with the schema the model was trained on");
    }

    /**
     * The schema this encoder reads.
     *
     * @return the schema
     */
    public Schema schema() {
      return schema;
    }

    /**
     * Floats per row.
     *
     * @return the width
     */
    public int width() {
      return width;
    }

    /**
     * Writes one row at the buffer's position, advancing it by {@link #width()}.
     *
     * @param row a row of this encoder's schema
     * @param out where to write
     * @throws SchemaMismatchException when the row has another schema
     */
    public void encode(Row row, FloatBuffer out) {
      if (row.schema() != schema && !row.schema().equals(schema)) {
        throw new SchemaMismatchException("Row schema " + row.schema() + " differs from the encoder's " + schema
            + "; build rows with the model's input schema");
      }
      int base = out.position();
      for (int i = 0; i < width; i++) {
        out.put(base + i, 0f);
      }
      for (int i = 0; i < numericColumn.length; i++) {
        Object v = row.get(numericColumn[i]);
        out.put(base + numericOffset[i], toFloat(v));
      }
      for (int i = 0; i < categoricalColumn.length; i++) {
        Object v = row.get(categoricalColumn[i]);
        if (v != null) {
          Integer o = categoryOffset.get(i).get((String) v);
          if (o != null) {
            out.put(base + o, 1f);
          }
        }
      }
      for (int i = 0; i < tensorColumn.length; i++) {
        float[] t = row.getTensor(tensorColumn[i]);
        if (t != null) {
          for (int j = 0; j < tensorSize[i]; j++) {
            out.put(base + tensorOffset[i] + j, t[j]);
          }
        }
      }
      out.position(base + width);
    }

    /**
     * Writes every row of a batch, column by column, at the buffer's position, advancing it by
     * {@code rowCount * width()}.
     *
     * @param batch a batch of this encoder's schema
     * @param out where to write
     * @throws SchemaMismatchException when the batch has another schema
     */
    public void encode(Batch batch, FloatBuffer out) {
      if (!batch.schema().equals(schema)) {
        throw new SchemaMismatchException("Batch schema " + batch.schema() + " differs from the encoder's " + schema
            + "; build batches with the model's input schema");
      }
      int base = out.position();
      int n = batch.rowCount();
      for (int i = 0; i < n * width; i++) {
        out.put(base + i, 0f);
      }
      for (int i = 0; i < numericColumn.length; i++) {
        int col = numericColumn[i];
        boolean bool = schema.field(col).type().kind() == DataType.Kind.BOOLEAN;
        for (int r = 0; r < n; r++) {
          if (!batch.isNull(col, r)) {
            float v = bool ? (batch.getBoolean(col, r) ? 1f : 0f) : (float) batch.getDouble(col, r);
            out.put(base + r * width + numericOffset[i], v);
          }
        }
      }
      for (int i = 0; i < categoricalColumn.length; i++) {
        int col = categoricalColumn[i];
        Map<String, Integer> offsets = categoryOffset.get(i);
        for (int r = 0; r < n; r++) {
          String v = batch.getString(col, r);
          if (v != null) {
            Integer o = offsets.get(v);
            if (o != null) {
              out.put(base + r * width + o, 1f);
            }
          }
        }
      }
      for (int i = 0; i < tensorColumn.length; i++) {
        for (int r = 0; r < n; r++) {
          float[] t = batch.getTensor(tensorColumn[i], r);
          if (t != null) {
            for (int j = 0; j < tensorSize[i]; j++) {
              out.put(base + r * width + tensorOffset[i] + j, t[j]);
            }
          }
        }
      }
      out.position(base + n * width);
    }

    private static float toFloat(@Nullable Object v) {
      if (v == null) {
        return 0f;
      }
      if (v instanceof Boolean b) {
        return b ? 1f : 0f;
      }
      return ((Number) v).floatValue();
    }
  }
}
