package dev.mlops.validation.internal;

import static dev.mlops.validation.internal.ContractWording.describe;

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
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.core.internal.Printable;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ExtraColumns;
import dev.mlops.validation.Severity;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
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
      .loaderOptions(ContractParser.loaderOptions())
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
  private static final List<String> COLUMN_KINDS = List.of("not_null", "range", "allowed_values", "regex", "format",
      "length", "distinct_count", "shares", "unique", "freshness", "mean", "stddev", "quantiles");
  private static final List<String> TABLE_KINDS = List.of("row_count", "compare", "compound_unique", "custom");

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
    for (Constraint each : c.constraints()) {
      ObjectNode body = NODES.objectNode();
      Constraint k = each instanceof Constraint.When w ? w.rule() : each;
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
      } else if (k instanceof Constraint.Format fm) {
        body.put("name", fm.format());
        byName.get(fm.column()).set("format", body);
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
      } else if (k instanceof Constraint.Share sh) {
        body.put("value", sh.value());
        putBound(body, "min", sh.min());
        putBound(body, "max", sh.max());
        ObjectNode col = byName.get(sh.column());
        (col.has("shares") ? (ArrayNode) col.get("shares") : col.putArray("shares")).add(body);
      } else if (k instanceof Constraint.Freshness fr) {
        body.put("max_age", fr.maxAge().toString());
        byName.get(fr.column()).set("freshness", body);
      } else if (k instanceof Constraint.DistinctCount d) {
        if (d.min() != null) {
          body.put("min", d.min());
        }
        if (d.max() != null) {
          body.put("max", d.max());
        }
        byName.get(d.column()).set("distinct_count", body);
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
      } else if (k instanceof Constraint.CompoundUnique cu) {
        ArrayNode cs = body.putArray("columns");
        cu.columns().forEach(cs::add);
        (table.has("compound_unique") ? (ArrayNode) table.get("compound_unique")
            : table.putArray("compound_unique")).add(body);
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
      if (each instanceof Constraint.When w) {
        ObjectNode cond = body.putObject("when");
        cond.put("column", w.column());
        ArrayNode in = cond.putArray("in");
        w.in().forEach(in::add);
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
    return Reader.contract(ContractParser.parse(yaml ? YAML.getFactory() : JSON, text, source));
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
    return Reader.contract(LocatedDocuments.read(file, yaml, LocatedDocuments.CONTRACT));
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

  /** One read of one document; every error names the path and line of the value it is about. */
  private static final class Reader {
    private Reader() {}

    static DataContract contract(LocatedJson root) {
      if (!root.node().isObject()) {
        throw root.error("expected an object, got " + describe(root.node()));
      }
      root.only("top-level key", ROOT_KEYS);
      LocatedJson v = root.at("formatVersion");
      if (!v.node().isMissingNode()) {
        // 1.9 is not version 1: a fractional or textual version is refused, not truncated
        JsonNode n = v.node();
        if (!n.isIntegralNumber()) {
          throw v.error("expected a whole number such as 1, got " + describe(n));
        }
        if (!n.canConvertToInt() || n.intValue() > DataContract.FORMAT_VERSION || n.intValue() < 1) {
          throw v.error("format version " + n.asText() + " is not supported (this library reads "
              + "1 to " + DataContract.FORMAT_VERSION + "); upgrade mlops-validation");
        }
      }
      // Every error of the file is reported at once, each with its line and path: only an unreadable
      // version stops the reading at the first.
      List<DataFormatException> errors = new ArrayList<>();
      String name = attempt(errors, () -> {
        String n = root.string("name");
        if (n.isBlank()) {
          throw root.at("name").error("the contract name is blank; name the dataset or model input it guards");
        }
        return n;
      });
      ExtraColumns extra = attempt(errors, () -> {
        String extraText = root.optString("extra_columns");
        if (extraText == null) {
          return ExtraColumns.WARN;
        }
        try {
          return ExtraColumns.valueOf(extraText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw root.at("extra_columns").error("unknown policy '" + extraText + "'; use error, warn or ignore", e);
        }
      });
      LocatedJson cols = root.at("columns");
      if (!cols.node().isArray()) {
        errors.add((cols.node().isMissingNode() ? root : cols).error("expected an array 'columns' with one entry per"
            + " column"));
        throw collected(errors);
      }
      List<LocatedJson> columns = new ArrayList<>();
      List<Field> fields = new ArrayList<>();
      Map<String, Integer> seen = new HashMap<>();
      boolean fieldsFailed = false;
      int index = 0;
      for (LocatedJson element : cols.elements()) {
        int at = index++;
        LocatedJson col = element.asObjectOrEmpty();
        Field f = attempt(errors, () -> field(col));
        if (f == null) {
          fieldsFailed = true;
          continue;
        }
        Integer prev = seen.put(f.name(), at);
        if (prev != null) {
          errors.add(col.at("name").error("duplicate column name '" + f.name() + "' (also columns[" + prev
              + "]); column names must be unique: rename or remove one"));
          fieldsFailed = true;
          continue;
        }
        columns.add(col);
        fields.add(f);
      }
      Schema schema = Schema.of(fields);
      List<Constraint> constraints = new ArrayList<>();
      Set<String> ids = new HashSet<>();
      for (int i = 0; i < columns.size(); i++) {
        Field field = fields.get(i);
        for (Map.Entry<String, LocatedJson> member : columns.get(i).members().entrySet()) {
          String key = member.getKey();
          LocatedJson k = member.getValue();
          if (FIELD_KEYS.contains(key)) {
            continue;
          }
          if (!COLUMN_KINDS.contains(key)) {
            errors.add(k.error("unknown constraint kind '" + key + "'; a column takes name, type, nullable,"
                + " role and the constraints " + String.join(", ", COLUMN_KINDS)
                + (TABLE_KINDS.contains(key) ? " (" + key + " belongs under table:)" : "")));
            continue;
          }
          if (key.equals("quantiles") || key.equals("shares")) {
            String one = key.equals("quantiles") ? "quantile" : "share";
            if (!k.node().isArray()) {
              errors.add(k.error("expected an array of " + (one.equals("quantile") ? "{q, min, max}"
                  : "{value, min, max}") + ", got " + describe(k.node())));
              continue;
            }
            for (LocatedJson q : k.elements()) {
              LocatedJson o = q.asObjectOrEmpty();
              attempt(errors, () -> add(constraints, ids, schema, o, when(o, columnConstraint(one, field, o))));
            }
          } else {
            LocatedJson o = k.asObjectOrEmpty();
            attempt(errors, () -> add(constraints, ids, schema, o, when(o, columnConstraint(key, field, o))));
          }
        }
      }
      LocatedJson tableAt = root.at("table");
      // Table rules name columns; with a column unreadable they would report it missing a second time.
      if (!tableAt.node().isMissingNode() && !fieldsFailed) {
        LocatedJson table = tableAt.asObjectOrEmpty();
        attempt(errors, () -> {
          table.only("table constraint kind", TABLE_KINDS);
          return null;
        });
        LocatedJson rowCount = table.at("row_count");
        if (!rowCount.node().isMissingNode()) {
          LocatedJson o = rowCount.asObjectOrEmpty();
          attempt(errors, () -> {
            o.only("row_count property", "min", "max", "severity");
            return add(constraints, ids, schema, o, build(o, () -> new Constraint.RowCount(o.optWholeNumber("min"),
                o.optWholeNumber("max"), severity(o))));
          });
        }
        for (String kind : List.of("compare", "compound_unique", "custom")) {
          LocatedJson arr = table.at(kind);
          if (arr.node().isMissingNode()) {
            continue;
          }
          for (LocatedJson e : arr.elements()) {
            LocatedJson o = e.asObjectOrEmpty();
            attempt(errors, () -> add(constraints, ids, schema, o, when(o, tableConstraint(kind, o))));
          }
        }
      }
      if (!errors.isEmpty()) {
        throw collected(errors);
      }
      ExtraColumns policy = extra;
      return root.build(() -> new DataContract(name, schema, constraints, policy));
    }

    private static Field field(LocatedJson col) {
      String name = col.string("name");
      String typeText = col.string("type");
      DataType type;
      try {
        type = DataType.parse(typeText);
      } catch (IllegalArgumentException e) {
        throw col.at("type").error(String.valueOf(e.getMessage()), e);
      }
      boolean nullable = col.bool("nullable", true);
      String roleText = col.optString("role");
      Role role = Role.FEATURE;
      if (roleText != null) {
        try {
          role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
          throw col.at("role").error("unknown role '" + roleText
              + "'; use feature, label, id, timestamp or prediction", e);
        }
      }
      Role r = role;
      return col.at("name").build(() -> new Field(name, type, nullable, r));
    }

    private static Constraint columnConstraint(String kind, Field field, LocatedJson o) {
      String column = field.name();
      switch (kind) {
        case "not_null":
          o.only("not_null property", "mostly", "severity", "when");
          return build(o, () -> new Constraint.NotNull(column, mostly(o), severity(o)));
        case "range":
          o.only("range property", "min", "max", "min_exclusive", "max_exclusive", "mostly", "severity", "when");
          return build(o, () -> new Constraint.Range(column, o.optNumber("min"), o.optNumber("max"),
              o.bool("min_exclusive", false), o.bool("max_exclusive", false), mostly(o), severity(o)));
        case "allowed_values": {
          o.only("allowed_values property", "values", "mostly", "severity", "when");
          LocatedJson vs = o.at("values");
          if (!vs.node().isArray()) {
            throw vs.error("expected an array of allowed values");
          }
          List<String> values = new ArrayList<>();
          for (LocatedJson e : vs.elements()) {
            JsonNode v = e.node();
            if (!v.isValueNode() || v.isNull()) {
              throw e.error("expected a string, number or boolean, got " + describe(v));
            }
            if (!v.isTextual() && field.type().kind() == DataType.Kind.STRING) {
              // An unquoted 1e3, 0x1F or 1.50 has been read as a number: its text as written is lost.
              throw e.error("expected a string, got " + describe(v) + "; column '" + column
                  + "' is string: quote the value as it appears in the data, e.g. \"1e3\"");
            }
            values.add(v.asText());
          }
          return build(o, () -> new Constraint.AllowedValues(column, values, mostly(o), severity(o)));
        }
        case "regex":
          o.only("regex property", "pattern", "mostly", "severity", "when");
          return build(o, () -> new Constraint.Regex(column, o.string("pattern"), mostly(o), severity(o)));
        case "format":
          o.only("format property", "name", "mostly", "severity", "when");
          return build(o, () -> new Constraint.Format(column, o.string("name"), mostly(o), severity(o)));
        case "length":
          o.only("length property", "min", "max", "mostly", "severity", "when");
          return build(o, () -> new Constraint.Length(column, o.optInt("min"), o.optInt("max"), mostly(o),
              severity(o)));
        case "unique":
          o.only("unique property", "mostly", "severity");
          return build(o, () -> new Constraint.Unique(column, mostly(o), severity(o)));
        case "share": {
          o.only("share property", "value", "min", "max", "severity");
          JsonNode v = o.at("value").node();
          if (!v.isValueNode() || v.isNull()) {
            throw o.at("value").error("expected the category as a string, number or boolean, got " + describe(v));
          }
          if (!v.isTextual() && field.type().kind() == DataType.Kind.STRING) {
            throw o.at("value").error("expected a string, got " + describe(v) + "; column '" + column
                + "' is string: quote the value as it appears in the data");
          }
          return build(o, () -> new Constraint.Share(column, v.asText(), o.optNumber("min"), o.optNumber("max"),
              severity(o)));
        }
        case "freshness": {
          o.only("freshness property", "max_age", "severity");
          String text = o.string("max_age");
          java.time.Duration age;
          try {
            age = java.time.Duration.parse(text);
          } catch (java.time.format.DateTimeParseException e) {
            throw o.at("max_age").error("expected an ISO 8601 duration such as PT24H or P7D, got '" + text + "'", e);
          }
          return build(o, () -> new Constraint.Freshness(column, age, severity(o)));
        }
        case "distinct_count":
          o.only("distinct_count property", "min", "max", "severity");
          return build(o, () -> new Constraint.DistinctCount(column, o.optWholeNumber("min"), o.optWholeNumber("max"),
              severity(o)));
        case "mean":
          o.only("mean property", "min", "max", "severity");
          return build(o, () -> new Constraint.Mean(column, o.optNumber("min"), o.optNumber("max"), severity(o)));
        case "stddev":
          o.only("stddev property", "min", "max", "severity");
          return build(o, () -> new Constraint.Stddev(column, o.optNumber("min"), o.optNumber("max"), severity(o)));
        case "quantile": {
          o.only("quantile property", "q", "min", "max", "severity");
          Double q = o.optNumber("q");
          if (q == null) {
            throw o.error("a quantile needs q, the probability in [0, 1]");
          }
          return build(o, () -> new Constraint.Quantile(column, q, o.optNumber("min"), o.optNumber("max"),
              severity(o)));
        }
        default:
          throw new IllegalStateException("unhandled kind " + kind);
      }
    }

    private static Constraint tableConstraint(String kind, LocatedJson o) {
      if (kind.equals("compare")) {
        o.only("compare property", "left", "op", "right", "mostly", "severity", "when");
        String left = o.string("left");
        String op = o.string("op");
        String right = o.string("right");
        return build(o, () -> new Constraint.Compare(left, Constraint.Op.parse(op), right, mostly(o), severity(o)));
      }
      if (kind.equals("compound_unique")) {
        o.only("compound_unique property", "columns", "mostly", "severity");
        List<String> columns = columnNames(o.at("columns"));
        return build(o, () -> new Constraint.CompoundUnique(columns, mostly(o), severity(o)));
      }
      o.only("custom property", "name", "columns", "description", "mostly", "severity", "when");
      String name = o.string("name");
      LocatedJson cs = o.at("columns");
      List<String> columns = cs.node().isMissingNode() ? List.of() : columnNames(cs);
      String description = o.optString("description");
      return build(o, () -> new Constraint.Custom(name, columns, description == null ? "" : description,
          mostly(o), severity(o)));
    }

    /** The rule, or the rule under its {@code when: {column, in}} condition. */
    private static Constraint when(LocatedJson o, Constraint rule) {
      LocatedJson w = o.at("when");
      if (w.node().isMissingNode()) {
        return rule;
      }
      LocatedJson cond = w.asObjectOrEmpty();
      cond.only("when property", "column", "in");
      String column = cond.string("column");
      LocatedJson in = cond.at("in");
      if (!in.node().isArray()) {
        throw (in.node().isMissingNode() ? cond : in).error("expected 'in', an array of the values that select a"
            + " row, got " + describe(in.node()));
      }
      List<String> values = new ArrayList<>();
      for (LocatedJson e : in.elements()) {
        JsonNode v = e.node();
        if (!v.isValueNode() || v.isNull()) {
          throw e.error("expected a string, number or boolean, got " + describe(v));
        }
        values.add(v.asText());
      }
      return build(w, () -> new Constraint.When(rule, column, values));
    }

    private static List<String> columnNames(LocatedJson cs) {
      if (!cs.node().isArray()) {
        throw cs.error("expected an array of column names, got " + describe(cs.node()));
      }
      List<String> columns = new ArrayList<>();
      for (LocatedJson c : cs.elements()) {
        if (!c.node().isTextual()) {
          throw c.error("expected a column name, got " + describe(c.node()));
        }
        columns.add(c.node().textValue());
      }
      return columns;
    }

    private static Constraint add(List<Constraint> out, Set<String> ids, Schema schema, LocatedJson at,
        Constraint c) {
      try {
        ContractRules.check(schema, c);
      } catch (ConstraintArgumentException e) {
        String prop = e.property();
        boolean own = ContractRules.isColumnConstraint(c) && prop.equals("column");
        throw (own ? at : at.at(prop)).error(String.valueOf(e.getMessage()), e);
      }
      if (!ids.add(c.id())) {
        throw at.error("constraint " + c.id() + " is given twice; keep one");
      }
      out.add(c);
      return c;
    }

    /** Runs one part of the reading; its error joins the others instead of ending the reading. */
    private static <T> @Nullable T attempt(List<DataFormatException> errors, java.util.function.Supplier<T> part) {
      try {
        return part.get();
      } catch (DataFormatException e) {
        errors.add(e);
        return null;
      }
    }

    /**
     * One error as it is; several as one exception located at the first, whose message lists every
     * error in line order (each with its own line and path) and whose suppressed exceptions are the
     * errors, in the same order.
     */
    private static DataFormatException collected(List<DataFormatException> errors) {
      if (errors.size() == 1) {
        return errors.get(0);
      }
      errors.sort(java.util.Comparator.comparingLong(DataFormatException::line));
      DataFormatException first = errors.get(0);
      StringBuilder sb = new StringBuilder().append(errors.size()).append(" errors in the contract; fix each:");
      for (DataFormatException e : errors) {
        sb.append("\n  ").append(e.getMessage());
      }
      DataFormatException all = new DataFormatException(sb.toString(), first.source(), first.line(), null);
      errors.forEach(all::addSuppressed);
      return all;
    }

    private interface ConstraintFactory {
      Constraint make();
    }

    private static Constraint build(LocatedJson at, ConstraintFactory f) {
      try {
        return f.make();
      } catch (ConstraintArgumentException e) {
        throw at.at(e.property()).error(String.valueOf(e.getMessage()), e);
      }
    }

    private static double mostly(LocatedJson o) {
      Double d = o.optNumber("mostly");
      return d == null ? 1.0 : d;
    }

    private static Severity severity(LocatedJson o) {
      String s = o.optString("severity");
      if (s == null) {
        return Severity.ERROR;
      }
      try {
        return Severity.valueOf(s.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw o.at("severity").error("unknown severity '" + s + "'; use error or warn", e);
      }
    }
  }
}
