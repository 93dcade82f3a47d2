package dev.mlops.validation.internal;

import dev.mlops.core.internal.Printable;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Json;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ExtraColumns;
import dev.mlops.validation.Severity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * The contract file format (JSON and YAML share one tree):
 *
 * <pre>{@code
 * formatVersion: 1
 * name: credit-g
 * extra_columns: warn            # error | warn | ignore
 * columns:
 * - name: credit_amount
 *   type: float64
 *   nullable: false
 *   role: feature
 *   not_null: {}
 *   range: {min: 0, max: 20000, severity: warn, mostly: 0.99}
 *   quantiles:
 *   - {q: 0.5, min: 1500, max: 3000}
 * table:
 *   row_count: {min: 1}
 *   compare:
 *   - {left: start, op: "<=", right: end}
 *   custom:
 *   - {name: adult, columns: [age], description: "age >= 18"}
 * }</pre>
 *
 * Errors name the source, the line and the path of the offending value.
 */
public final class ContractCodec {
  private static final JsonNodeFactory NODES = JsonNodeFactory.instance;
  /**
   * Every string value is written double-quoted: a plain scalar such as {@code 1e3}, {@code 0x1F},
   * {@code .nan}, {@code no} or {@code ~} is a number, boolean or null to some YAML 1.1 or 1.2
   * reader, and a string that means one thing to every reader is the only safe plain string. Lines
   * are not split, so a long pattern or value stays on one line as written.
   */
  private static final YAMLMapper YAML = new YAMLMapper(YAMLFactory.builder()
      .loaderOptions(LocatedTree.loaderOptions())
      .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
      .disable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
      .disable(YAMLGenerator.Feature.SPLIT_LINES)
      .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR)
      .build());
  /** Without the source in locations: a parse error's message stays one line, free of the file's text. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();

  private static final Set<String> ROOT_KEYS = Set.of("formatVersion", "name", "extra_columns", "columns", "table");
  private static final Set<String> FIELD_KEYS = Set.of("name", "type", "nullable", "role");
  private static final List<String> COLUMN_KINDS = List.of("not_null", "range", "allowed_values", "regex", "length",
      "unique", "mean", "stddev", "quantiles");
  private static final List<String> TABLE_KINDS = List.of("row_count", "compare", "custom");

  private ContractCodec() {}

  // ------------------------------------------------------------------------------------------ write

  /**
   * The JSON text of a contract.
   *
   * @param c the contract
   * @return indented JSON
   */
  public static String toJson(DataContract c) {
    return Json.pretty(toTree(c));
  }

  /**
   * The YAML text of a contract.
   *
   * @param c the contract
   * @return YAML
   */
  public static String toYaml(DataContract c) {
    try {
      return YAML.writeValueAsString(toTree(c));
    } catch (JsonProcessingException e) {
      throw new IllegalStateException("a contract tree could not be written as YAML", e);
    }
  }

  static ObjectNode toTree(DataContract c) {
    ObjectNode root = NODES.objectNode();
    root.put("formatVersion", DataContract.FORMAT_VERSION);
    root.put("name", c.name());
    root.put("extra_columns", c.extraColumns().name().toLowerCase(Locale.ROOT));
    ArrayNode cols = root.putArray("columns");
    Map<String, ObjectNode> byName = new HashMap<>();
    for (Field f : c.schema().fields()) {
      ObjectNode o = cols.addObject();
      o.put("name", f.name());
      o.put("type", f.type().toString());
      o.put("nullable", f.nullable());
      o.put("role", f.role().name().toLowerCase(Locale.ROOT));
      byName.put(f.name(), o);
    }
    ObjectNode table = NODES.objectNode();
    for (Constraint k : c.constraints()) {
      ObjectNode body = NODES.objectNode();
      if (k instanceof Constraint.NotNull) {
        byName.get(k.columns().get(0)).set("not_null", body);
      } else if (k instanceof Constraint.Range r) {
        putBound(body, "min", r.min());
        putBound(body, "max", r.max());
        if (r.minExclusive()) {
          body.put("min_exclusive", true);
        }
        if (r.maxExclusive()) {
          body.put("max_exclusive", true);
        }
        byName.get(r.column()).set("range", body);
      } else if (k instanceof Constraint.AllowedValues a) {
        ArrayNode vs = body.putArray("values");
        a.values().forEach(vs::add);
        byName.get(a.column()).set("allowed_values", body);
      } else if (k instanceof Constraint.Regex r) {
        body.put("pattern", r.regex());
        byName.get(r.column()).set("regex", body);
      } else if (k instanceof Constraint.Length l) {
        if (l.min() != null) {
          body.put("min", l.min());
        }
        if (l.max() != null) {
          body.put("max", l.max());
        }
        byName.get(l.column()).set("length", body);
      } else if (k instanceof Constraint.Unique u) {
        byName.get(u.column()).set("unique", body);
      } else if (k instanceof Constraint.Mean m) {
        putBound(body, "min", m.min());
        putBound(body, "max", m.max());
        byName.get(m.column()).set("mean", body);
      } else if (k instanceof Constraint.Stddev s) {
        putBound(body, "min", s.min());
        putBound(body, "max", s.max());
        byName.get(s.column()).set("stddev", body);
      } else if (k instanceof Constraint.Quantile q) {
        body.put("q", q.q());
        putBound(body, "min", q.min());
        putBound(body, "max", q.max());
        ObjectNode col = byName.get(q.column());
        (col.has("quantiles") ? (ArrayNode) col.get("quantiles") : col.putArray("quantiles")).add(body);
      } else if (k instanceof Constraint.RowCount rc) {
        if (rc.min() != null) {
          body.put("min", rc.min());
        }
        if (rc.max() != null) {
          body.put("max", rc.max());
        }
        table.set("row_count", body);
      } else if (k instanceof Constraint.Compare cmp) {
        body.put("left", cmp.left());
        body.put("op", cmp.op().symbol());
        body.put("right", cmp.right());
        (table.has("compare") ? (ArrayNode) table.get("compare") : table.putArray("compare")).add(body);
      } else if (k instanceof Constraint.Custom cu) {
        body.put("name", cu.name());
        ArrayNode cs = body.putArray("columns");
        cu.columns().forEach(cs::add);
        if (!cu.description().isEmpty()) {
          body.put("description", cu.description());
        }
        (table.has("custom") ? (ArrayNode) table.get("custom") : table.putArray("custom")).add(body);
      }
      if (k.mostly() < 1.0) {
        body.put("mostly", k.mostly());
      }
      if (k.severity() != Severity.ERROR) {
        body.put("severity", k.severity().name().toLowerCase(Locale.ROOT));
      }
    }
    if (!table.isEmpty()) {
      root.set("table", table);
    }
    return root;
  }

  private static void putBound(ObjectNode body, String key, @Nullable Double v) {
    if (v != null) {
      boolean negativeZero = Double.doubleToRawLongBits(v) == Double.doubleToRawLongBits(-0.0);
      if (v == Math.rint(v) && Math.abs(v) < 1e15 && !negativeZero) {
        body.put(key, v.longValue());
      } else {
        body.put(key, v);
      }
    }
  }

  // ------------------------------------------------------------------------------------------- read

  /**
   * Parses a contract.
   *
   * @param text the file content
   * @param source the file name, for messages
   * @param yaml whether the text is YAML (else JSON)
   * @return the contract
   * @throws DataFormatException naming source, line and path
   */
  public static DataContract read(String text, String source, boolean yaml) {
    LocatedTree t = LocatedTree.parse(yaml ? YAML.getFactory() : JSON, text, source);
    return new Reader(t).contract();
  }

  /**
   * Reads a contract file: a regular file (a FIFO or device would block or never end) of at most
   * {@link DataContract#MAX_TEXT_LENGTH} bytes of UTF-8.
   *
   * @param file the file
   * @param yaml whether the file is YAML (else JSON)
   * @return the contract
   * @throws DataFormatException naming the file when it is too large, not UTF-8 or not a valid contract
   * @throws MlopsException when the file cannot be read
   */
  public static DataContract read(Path file, boolean yaml) {
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new MlopsException("Cannot read data contract " + file + ": not a regular file; give the path of a"
            + " contract file");
      }
      if (attributes.size() > DataContract.MAX_TEXT_LENGTH) {
        throw LocatedTree.tooLong(attributes.size() + " bytes", file.toString());
      }
      try (InputStream in = Files.newInputStream(file)) {
        // bounded even when the file grew since its size was read
        bytes = in.readNBytes(DataContract.MAX_TEXT_LENGTH + 1);
      }
    } catch (IOException e) {
      throw new MlopsException("Cannot read data contract " + file + ": " + e.getMessage()
          + "; check the path and permissions", e);
    }
    if (bytes.length > DataContract.MAX_TEXT_LENGTH) {
      throw LocatedTree.tooLong("more than " + DataContract.MAX_TEXT_LENGTH + " bytes", file.toString());
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new DataFormatException("the contract file is not valid UTF-8; save it as UTF-8", file.toString(), -1,
          null, e);
    }
    return read(text, file.toString(), yaml);
  }

  /**
   * The UTF-8 bytes of a contract's text, refused rather than replaced by {@code ?} when the text
   * holds an unpaired surrogate.
   *
   * @param text the text
   * @param file the file it is for, for messages
   * @return the bytes
   * @throws MlopsException naming the file and the character
   */
  public static byte[] utf8(String text, Path file) {
    try {
      ByteBuffer b = StandardCharsets.UTF_8.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).encode(CharBuffer.wrap(text));
      byte[] out = new byte[b.remaining()];
      b.get(out);
      return out;
    } catch (CharacterCodingException e) {
      String bad = "";
      for (int i = 0; i < text.length() && bad.isEmpty(); i++) {
        char c = text.charAt(i);
        boolean paired = Character.isHighSurrogate(c) ? i + 1 < text.length()
            && Character.isLowSurrogate(text.charAt(i + 1)) : i > 0 && Character.isHighSurrogate(text.charAt(i - 1));
        if (Character.isSurrogate(c) && !paired) {
          bad = " (" + Printable.of(String.valueOf(c)) + ")";
        }
      }
      throw new MlopsException("Cannot write data contract " + file + ": its text holds an unpaired surrogate" + bad
          + ", which UTF-8 cannot encode; fix the string it comes from", e);
    }
  }

  /** One read of one document. */
  private static final class Reader {
    private final LocatedTree t;

    Reader(LocatedTree t) {
      this.t = t;
    }

    DataContract contract() {
      ObjectNode root = object(t.root(), "");
      keys(root, "", ROOT_KEYS, "top-level key");
      JsonNode v = root.get("formatVersion");
      if (v != null) {
        // 1.9 is not version 1: a fractional or textual version is refused, not truncated
        if (!v.isIntegralNumber()) {
          throw t.error("formatVersion", "expected a whole number such as 1, got " + describe(v));
        }
        if (!v.canConvertToInt() || v.intValue() > DataContract.FORMAT_VERSION || v.intValue() < 1) {
          throw t.error("formatVersion", "format version " + v.asText() + " is not supported (this library reads "
              + "1 to " + DataContract.FORMAT_VERSION + "); upgrade mlops-validation");
        }
      }
      String name = text(root, "name", "", true);
      if (name.isBlank()) {
        throw t.error("name", "the contract name is blank; name the dataset or model input it guards");
      }
      ExtraColumns extra = ExtraColumns.WARN;
      String extraText = text(root, "extra_columns", "", false);
      if (extraText != null) {
        try {
          extra = ExtraColumns.valueOf(extraText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw t.error("extra_columns", "unknown policy '" + extraText + "'; use error, warn or ignore", e);
        }
      }
      JsonNode cols = root.get("columns");
      if (cols == null || !cols.isArray()) {
        throw t.error(cols == null ? "" : "columns", "expected an array 'columns' with one entry per column");
      }
      List<Field> fields = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      for (int i = 0; i < cols.size(); i++) {
        String path = "columns[" + i + "]";
        ObjectNode col = object(cols.get(i), path);
        Field f = field(col, path);
        Integer prev = seen.put(f.name(), i);
        if (prev != null) {
          throw t.error(path + ".name", "duplicate column name '" + f.name() + "' (also columns[" + prev
              + "]); column names must be unique: rename or remove one");
        }
        fields.add(f);
      }
      Schema schema = Schema.of(fields);
      List<Constraint> constraints = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < cols.size(); i++) {
        String path = "columns[" + i + "]";
        ObjectNode col = (ObjectNode) cols.get(i);
        Field field = fields.get(i);
        String column = field.name();
        for (Iterator<String> it = col.fieldNames(); it.hasNext(); ) {
          String key = it.next();
          if (FIELD_KEYS.contains(key)) {
            continue;
          }
          String kpath = path + "." + key;
          if (!COLUMN_KINDS.contains(key)) {
            throw t.error(kpath, "unknown constraint kind '" + key + "'; a column takes name, type, nullable,"
                + " role and the constraints " + String.join(", ", COLUMN_KINDS)
                + (TABLE_KINDS.contains(key) ? " (" + key + " belongs under table:)" : ""));
          }
          if (key.equals("quantiles")) {
            JsonNode arr = col.get(key);
            if (!arr.isArray()) {
              throw t.error(kpath, "expected an array of {q, min, max}, got " + describe(arr));
            }
            for (int j = 0; j < arr.size(); j++) {
              String qpath = kpath + "[" + j + "]";
              add(constraints, ids, schema, qpath, columnConstraint("quantile", field, object(arr.get(j), qpath), qpath));
            }
          } else {
            add(constraints, ids, schema, kpath, columnConstraint(key, field, object(col.get(key), kpath), kpath));
          }
        }
      }
      JsonNode tableNode = root.get("table");
      if (tableNode != null) {
        ObjectNode table = object(tableNode, "table");
        keys(table, "table", Set.copyOf(TABLE_KINDS), "table constraint kind");
        if (table.has("row_count")) {
          String p = "table.row_count";
          ObjectNode o = object(table.get("row_count"), p);
          keys(o, p, Set.of("min", "max", "severity"), "row_count property");
          add(constraints, ids, schema, p, build(p, () -> new Constraint.RowCount(longValue(o, "min", p),
              longValue(o, "max", p), severity(o, p))));
        }
        for (String kind : List.of("compare", "custom")) {
          JsonNode arr = table.get(kind);
          if (arr == null) {
            continue;
          }
          if (!arr.isArray()) {
            throw t.error("table." + kind, "expected an array, got " + describe(arr));
          }
          for (int j = 0; j < arr.size(); j++) {
            String p = "table." + kind + "[" + j + "]";
            add(constraints, ids, schema, p, tableConstraint(kind, object(arr.get(j), p), p));
          }
        }
      }
      try {
        return new DataContract(name, schema, constraints, extra);
      } catch (IllegalArgumentException e) {
        throw t.error("", e.getMessage(), e);
      }
    }

    private Field field(ObjectNode col, String path) {
      String name = text(col, "name", path, true);
      String typeText = text(col, "type", path, true);
      DataType type;
      try {
        type = DataType.parse(typeText);
      } catch (IllegalArgumentException e) {
        throw t.error(path + ".type", e.getMessage(), e);
      }
      boolean nullable = bool(col, "nullable", path, true);
      String roleText = text(col, "role", path, false);
      Role role = Role.FEATURE;
      if (roleText != null) {
        try {
          role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw t.error(path + ".role", "unknown role '" + roleText
              + "'; use feature, label, id, timestamp or prediction", e);
        }
      }
      try {
        return new Field(name, type, nullable, role);
      } catch (IllegalArgumentException e) {
        throw t.error(path + ".name", e.getMessage(), e);
      }
    }

    private Constraint columnConstraint(String kind, Field field, ObjectNode o, String p) {
      String column = field.name();
      switch (kind) {
        case "not_null":
          keys(o, p, Set.of("mostly", "severity"), "not_null property");
          return build(p, () -> new Constraint.NotNull(column, mostly(o, p), severity(o, p)));
        case "range":
          keys(o, p, Set.of("min", "max", "min_exclusive", "max_exclusive", "mostly", "severity"), "range property");
          return build(p, () -> new Constraint.Range(column, number(o, "min", p), number(o, "max", p),
              bool(o, "min_exclusive", p, false), bool(o, "max_exclusive", p, false), mostly(o, p), severity(o, p)));
        case "allowed_values": {
          keys(o, p, Set.of("values", "mostly", "severity"), "allowed_values property");
          JsonNode vs = o.get("values");
          if (vs == null || !vs.isArray()) {
            throw t.error(p + ".values", "expected an array of allowed values");
          }
          List<String> values = new ArrayList<>();
          for (int i = 0; i < vs.size(); i++) {
            JsonNode v = vs.get(i);
            if (!v.isValueNode() || v.isNull()) {
              throw t.error(p + ".values[" + i + "]", "expected a string, number or boolean, got " + describe(v));
            }
            if (!v.isTextual() && field.type().kind() == DataType.Kind.STRING) {
              // An unquoted 1e3, 0x1F or 1.50 has been read as a number: its text as written is lost.
              throw t.error(p + ".values[" + i + "]", "expected a string, got " + describe(v) + "; column '"
                  + column + "' is string: quote the value as it appears in the data, e.g. \"1e3\"");
            }
            values.add(v.asText());
          }
          return build(p, () -> new Constraint.AllowedValues(column, values, mostly(o, p), severity(o, p)));
        }
        case "regex":
          keys(o, p, Set.of("pattern", "mostly", "severity"), "regex property");
          return build(p, () -> new Constraint.Regex(column, text(o, "pattern", p, true), mostly(o, p), severity(o, p)));
        case "length":
          keys(o, p, Set.of("min", "max", "mostly", "severity"), "length property");
          return build(p, () -> new Constraint.Length(column, intValue(o, "min", p), intValue(o, "max", p),
              mostly(o, p), severity(o, p)));
        case "unique":
          keys(o, p, Set.of("mostly", "severity"), "unique property");
          return build(p, () -> new Constraint.Unique(column, mostly(o, p), severity(o, p)));
        case "mean":
          keys(o, p, Set.of("min", "max", "severity"), "mean property");
          return build(p, () -> new Constraint.Mean(column, number(o, "min", p), number(o, "max", p), severity(o, p)));
        case "stddev":
          keys(o, p, Set.of("min", "max", "severity"), "stddev property");
          return build(p, () -> new Constraint.Stddev(column, number(o, "min", p), number(o, "max", p), severity(o, p)));
        case "quantile": {
          keys(o, p, Set.of("q", "min", "max", "severity"), "quantile property");
          Double q = number(o, "q", p);
          if (q == null) {
            throw t.error(p, "a quantile needs q, the probability in [0, 1]");
          }
          return build(p, () -> new Constraint.Quantile(column, q, number(o, "min", p), number(o, "max", p),
              severity(o, p)));
        }
        default:
          throw new IllegalStateException("unhandled kind " + kind);
      }
    }

    private Constraint tableConstraint(String kind, ObjectNode o, String p) {
      if (kind.equals("compare")) {
        keys(o, p, Set.of("left", "op", "right", "mostly", "severity"), "compare property");
        String left = text(o, "left", p, true);
        String op = text(o, "op", p, true);
        String right = text(o, "right", p, true);
        return build(p, () -> new Constraint.Compare(left, Constraint.Op.parse(op), right, mostly(o, p), severity(o, p)));
      }
      keys(o, p, Set.of("name", "columns", "description", "mostly", "severity"), "custom property");
      String name = text(o, "name", p, true);
      List<String> columns = new ArrayList<>();
      JsonNode cs = o.get("columns");
      if (cs != null) {
        if (!cs.isArray()) {
          throw t.error(p + ".columns", "expected an array of column names, got " + describe(cs));
        }
        for (int i = 0; i < cs.size(); i++) {
          if (!cs.get(i).isTextual()) {
            throw t.error(p + ".columns[" + i + "]", "expected a column name, got " + describe(cs.get(i)));
          }
          columns.add(cs.get(i).textValue());
        }
      }
      String description = text(o, "description", p, false);
      return build(p, () -> new Constraint.Custom(name, columns, description == null ? "" : description,
          mostly(o, p), severity(o, p)));
    }

    private void add(List<Constraint> out, Set<String> ids, Schema schema, String path, Constraint c) {
      try {
        ContractRules.check(schema, c);
      } catch (ConstraintArgumentException e) {
        String prop = e.property();
        boolean own = ContractRules.isColumnConstraint(c) && prop.equals("column");
        throw t.error(own ? path : path + "." + prop, e.getMessage(), e);
      }
      if (!ids.add(c.id())) {
        throw t.error(path, "constraint " + c.id() + " is given twice; keep one");
      }
      out.add(c);
    }

    private interface ConstraintFactory {
      Constraint make();
    }

    private Constraint build(String path, ConstraintFactory f) {
      try {
        return f.make();
      } catch (ConstraintArgumentException e) {
        throw t.error(path + "." + e.property(), e.getMessage(), e);
      }
    }

    // ----------------------------------------------------------------------------- typed accessors

    private ObjectNode object(JsonNode n, String path) {
      if (n.isNull() && !path.isEmpty()) {
        return NODES.objectNode();
      }
      if (!(n instanceof ObjectNode o)) {
        throw t.error(path, "expected an object" + (path.isEmpty() ? "" : " ({} for defaults)") + ", got "
            + describe(n));
      }
      return o;
    }

    private void keys(ObjectNode o, String path, Set<String> allowed, String what) {
      for (Iterator<String> it = o.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          String p = path.isEmpty() ? k : path + "." + k;
          throw t.error(p, "unknown " + what + " '" + k + "'; allowed: " + String.join(", ", allowed.stream().sorted()
              .toList()));
        }
      }
    }

    private @Nullable String text(ObjectNode o, String key, String path, boolean required) {
      JsonNode v = o.get(key);
      String p = path.isEmpty() ? key : path + "." + key;
      if (v == null || v.isNull()) {
        if (required) {
          throw t.error(p, "'" + key + "' is required");
        }
        return null;
      }
      if (!v.isTextual()) {
        throw t.error(p, "expected a string, got " + describe(v));
      }
      return v.textValue();
    }

    private boolean bool(ObjectNode o, String key, String path, boolean dflt) {
      JsonNode v = o.get(key);
      if (v == null || v.isNull()) {
        return dflt;
      }
      if (!v.isBoolean()) {
        throw t.error(path + "." + key, "expected true or false, got " + describe(v));
      }
      return v.booleanValue();
    }

    private @Nullable Double number(ObjectNode o, String key, String path) {
      JsonNode v = o.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isNumber()) {
        throw t.error(path + "." + key, "expected a number, got " + describe(v));
      }
      return v.doubleValue();
    }

    private @Nullable Long longValue(ObjectNode o, String key, String path) {
      JsonNode v = o.get(key);
      if (v == null || v.isNull()) {
        return null;
      }
      if (!v.isIntegralNumber()) {
        throw t.error(path + "." + key, "expected a whole number, got " + describe(v));
      }
      if (!v.canConvertToLong()) {
        throw t.error(path + "." + key, "whole number " + v.asText() + " is outside the int64 range");
      }
      return v.longValue();
    }

    private @Nullable Integer intValue(ObjectNode o, String key, String path) {
      Long l = longValue(o, key, path);
      if (l != null && (l > Integer.MAX_VALUE || l < Integer.MIN_VALUE)) {
        throw t.error(path + "." + key, "value " + l + " is out of the int range");
      }
      return l == null ? null : l.intValue();
    }

    private double mostly(ObjectNode o, String path) {
      Double d = number(o, "mostly", path);
      return d == null ? 1.0 : d;
    }

    private Severity severity(ObjectNode o, String path) {
      String s = text(o, "severity", path, false);
      if (s == null) {
        return Severity.ERROR;
      }
      try {
        return Severity.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw t.error(path + ".severity", "unknown severity '" + s + "'; use error or warn", e);
      }
    }

    private static String describe(JsonNode v) {
      String type = switch (v.getNodeType()) {
        case STRING -> "string";
        case NUMBER -> "number";
        case BOOLEAN -> "boolean";
        case ARRAY -> "array";
        case OBJECT -> "object";
        case NULL -> "null";
        default -> v.getNodeType().name().toLowerCase(Locale.ROOT);
      };
      String shown = v.isContainerNode() ? "" : " " + v.toString();
      return type + shown;
    }
  }
}
