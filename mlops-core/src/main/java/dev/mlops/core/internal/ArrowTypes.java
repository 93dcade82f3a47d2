package dev.mlops.core.internal;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.arrow.vector.dictionary.Dictionary;
import org.apache.arrow.vector.dictionary.DictionaryProvider;
import org.apache.arrow.vector.types.FloatingPointPrecision;
import org.apache.arrow.vector.types.TimeUnit;
import org.apache.arrow.vector.types.pojo.ArrowType;
import org.apache.arrow.vector.types.pojo.DictionaryEncoding;
import org.apache.arrow.vector.types.pojo.FieldType;

/** Mapping between the library's {@link Schema} and Arrow's schema. */
public final class ArrowTypes {
  /** Field metadata key holding the role. */
  public static final String ROLE_KEY = "mlops.role";
  /** Field metadata key holding the canonical type name. */
  public static final String TYPE_KEY = "mlops.type";
  /** Timezone of timestamp vectors. */
  public static final String UTC = "UTC";

  private ArrowTypes() {}

  /**
   * Arrow form of a schema.
   *
   * @param schema the schema
   * @return the Arrow schema
   */
  public static org.apache.arrow.vector.types.pojo.Schema toArrow(Schema schema) {
    List<org.apache.arrow.vector.types.pojo.Field> out = new ArrayList<>(schema.size());
    for (Field f : schema.fields()) {
      out.add(toArrow(f));
    }
    return new org.apache.arrow.vector.types.pojo.Schema(out);
  }

  /**
   * Arrow form of a field.
   *
   * @param f the field
   * @return the Arrow field, with role and type in its metadata
   */
  public static org.apache.arrow.vector.types.pojo.Field toArrow(Field f) {
    Map<String, String> meta = new HashMap<>();
    meta.put(ROLE_KEY, f.role().name().toLowerCase(Locale.ROOT));
    meta.put(TYPE_KEY, f.type().toString());
    DataType t = f.type();
    if (t.kind() == DataType.Kind.FLOAT_TENSOR) {
      org.apache.arrow.vector.types.pojo.Field child = new org.apache.arrow.vector.types.pojo.Field(
          "element", FieldType.notNullable(new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE)), null);
      return new org.apache.arrow.vector.types.pojo.Field(f.name(),
          new FieldType(f.nullable(), new ArrowType.FixedSizeList(t.elementCount()), null, meta), List.of(child));
    }
    return new org.apache.arrow.vector.types.pojo.Field(f.name(),
        new FieldType(f.nullable(), scalarArrowType(t.kind()), null, meta), null);
  }

  private static ArrowType scalarArrowType(DataType.Kind kind) {
    return switch (kind) {
      case BOOLEAN -> ArrowType.Bool.INSTANCE;
      case INT64 -> new ArrowType.Int(64, true);
      case FLOAT32 -> new ArrowType.FloatingPoint(FloatingPointPrecision.SINGLE);
      case FLOAT64 -> new ArrowType.FloatingPoint(FloatingPointPrecision.DOUBLE);
      case STRING -> ArrowType.Utf8.INSTANCE;
      case TIMESTAMP -> new ArrowType.Timestamp(TimeUnit.MICROSECOND, UTC);
      case FLOAT_TENSOR -> throw new IllegalArgumentException("tensor is not scalar");
    };
  }

  /**
   * Schema of an Arrow schema.
   *
   * @param arrow the Arrow schema
   * @return the schema
   */
  public static Schema fromArrow(org.apache.arrow.vector.types.pojo.Schema arrow) {
    List<Field> out = new ArrayList<>();
    for (org.apache.arrow.vector.types.pojo.Field af : arrow.getFields()) {
      out.add(fromArrow(af));
    }
    return Schema.of(out);
  }

  /**
   * The field a dictionary-encoded column becomes once decoded: its name, nullability and metadata,
   * with its dictionary's value type. Other fields are returned as they are.
   *
   * @param af a field in Arrow's memory format (a dictionary-encoded column typed as its indices)
   * @param dictionaries where the dictionaries are
   * @return the decoded field
   * @throws SchemaMismatchException naming the column when its dictionary is not defined, its indices
   *     are not integers, or its values are not a scalar type mlops maps
   */
  public static org.apache.arrow.vector.types.pojo.Field decodedField(org.apache.arrow.vector.types.pojo.Field af,
      DictionaryProvider dictionaries) {
    DictionaryEncoding enc = af.getDictionary();
    if (enc == null) {
      return af;
    }
    if (!(af.getType() instanceof ArrowType.Int i) || i.getBitWidth() % 8 != 0 || i.getBitWidth() > 64
        || i.getBitWidth() == 0) {
      throw new SchemaMismatchException("Arrow field '" + af.getName() + "' is dictionary-encoded with indices of"
          + " type " + af.getType() + "; dictionary indices are 8 to 64-bit integers. The file is corrupt");
    }
    Dictionary d = dictionaries.lookup(enc.getId());
    if (d == null) {
      throw new SchemaMismatchException("Arrow field '" + af.getName() + "' uses dictionary " + enc.getId()
          + ", which the source does not define. The file is corrupt");
    }
    org.apache.arrow.vector.types.pojo.Field values = d.getVector().getField();
    if (values.getDictionary() != null || !values.getChildren().isEmpty()) {
      throw new SchemaMismatchException("Arrow field '" + af.getName() + "' is dictionary-encoded with values of type "
          + values.getType() + "; mlops decodes dictionaries of scalar values only. Write the column without"
          + " dictionary encoding (pyarrow: column.dictionary_decode(); Arrow JS: a plain vector)");
    }
    return new org.apache.arrow.vector.types.pojo.Field(af.getName(),
        new FieldType(af.isNullable(), values.getType(), null, af.getMetadata()), null);
  }

  private static Field fromArrow(org.apache.arrow.vector.types.pojo.Field af) {
    Map<String, String> meta = af.getMetadata() == null ? Map.of() : af.getMetadata();
    Role role = Role.FEATURE;
    String roleText = meta.get(ROLE_KEY);
    if (roleText != null) {
      try {
        role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new SchemaMismatchException("Arrow field '" + af.getName() + "' has unknown role '" + roleText
            + "' in metadata " + ROLE_KEY + "; use feature, label, id, timestamp or prediction", e);
      }
    }
    DataType type = typeOf(af);
    String declared = meta.get(TYPE_KEY);
    if (declared != null && !declared.equals(type.toString())) {
      try {
        DataType d = DataType.parse(declared);
        if (d.kind() == DataType.Kind.FLOAT_TENSOR && type.kind() == DataType.Kind.FLOAT_TENSOR
            && d.elementCount() == type.elementCount()) {
          type = d;
        } else {
          throw new SchemaMismatchException("Arrow field '" + af.getName() + "' declares type " + declared
              + " in metadata but holds " + af.getType() + "; rewrite the file with matching metadata");
        }
      } catch (IllegalArgumentException e) {
        throw new SchemaMismatchException("Arrow field '" + af.getName() + "': " + e.getMessage(), e);
      }
    }
    return new Field(af.getName(), type, af.isNullable(), role);
  }

  private static DataType typeOf(org.apache.arrow.vector.types.pojo.Field af) {
    ArrowType t = af.getType();
    if (af.getDictionary() != null) {
      throw new SchemaMismatchException("Arrow field '" + af.getName() + "' is dictionary-encoded (dictionary "
          + af.getDictionary().getId() + ", indices " + t + "); ArrowIpc decodes such columns when it reads them."
          + " Decode an in-memory vector first (Arrow's DictionaryEncoder.decode)");
    }
    for (org.apache.arrow.vector.types.pojo.Field child : af.getChildren()) {
      if (child.getDictionary() != null) {
        throw new SchemaMismatchException("Arrow field '" + af.getName() + "' has a dictionary-encoded child '"
            + child.getName() + "'; mlops decodes top-level dictionary columns only. Write the column without"
            + " dictionary encoding");
      }
    }
    if (t instanceof ArrowType.Bool) {
      return DataType.BOOLEAN;
    }
    if (t instanceof ArrowType.Int i && i.getBitWidth() == 64 && i.getIsSigned()) {
      return DataType.INT64;
    }
    if (t instanceof ArrowType.FloatingPoint fp) {
      if (fp.getPrecision() == FloatingPointPrecision.SINGLE) {
        return DataType.FLOAT32;
      }
      if (fp.getPrecision() == FloatingPointPrecision.DOUBLE) {
        return DataType.FLOAT64;
      }
    }
    if (t instanceof ArrowType.Utf8) {
      return DataType.STRING;
    }
    if (t instanceof ArrowType.Timestamp ts && ts.getUnit() == TimeUnit.MICROSECOND
        && UTC.equals(ts.getTimezone())) {
      return DataType.TIMESTAMP;
    }
    if (t instanceof ArrowType.FixedSizeList fsl && fsl.getListSize() > 0 && af.getChildren().size() == 1
        && af.getChildren().get(0).getType() instanceof ArrowType.FloatingPoint cfp
        && cfp.getPrecision() == FloatingPointPrecision.SINGLE) {
      return DataType.floatTensor(fsl.getListSize());
    }
    throw new SchemaMismatchException("Arrow field '" + af.getName() + "' has type " + t
        + ", which mlops does not map; convert it to bool, int64, float32, float64, utf8,"
        + " timestamp[us, UTC] or fixed_size_list<float32>");
  }
}
