package dev.mlops.core.internal;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The JSON tree form of a {@link Schema}, format version {@value Schema#FORMAT_VERSION}:
 * {@code {"formatVersion":1,"fields":[{"name":..,"type":..,"nullable":..,"role":..}]}}. The one codec
 * behind {@link Schema#toJson()}, {@link Schema#fromJson(String)}, the schema fingerprint and the
 * manifest's model signature, so the four cannot drift apart.
 */
public final class SchemaJson {
  private SchemaJson() {}

  /**
   * The tree form of a schema.
   *
   * @param schema the schema
   * @return a new tree
   */
  public static ObjectNode toTree(Schema schema) {
    ObjectNode root = JsonNodeFactory.instance.objectNode();
    root.put("formatVersion", Schema.FORMAT_VERSION);
    ArrayNode arr = root.putArray("fields");
    for (Field f : schema.fields()) {
      ObjectNode o = arr.addObject();
      o.put("name", f.name());
      o.put("type", f.type().toString());
      o.put("nullable", f.nullable());
      o.put("role", f.role().name().toLowerCase(Locale.ROOT));
    }
    return root;
  }

  /**
   * Reads the tree form written by {@link #toTree}.
   *
   * @param node the tree
   * @return the schema
   * @throws DataFormatException naming the path when the tree is not a valid schema
   */
  public static Schema fromTree(JsonNode node) {
    JsonNode versionNode = node.get("formatVersion");
    if (versionNode != null && !(versionNode.isIntegralNumber() && versionNode.canConvertToInt())) {
      throw new DataFormatException("schema formatVersion " + Printable.of(versionNode.toString())
          + " is not a version: versions are whole numbers from 1 to " + Schema.FORMAT_VERSION);
    }
    int version = versionNode == null ? Schema.FORMAT_VERSION : versionNode.intValue();
    if (version > Schema.FORMAT_VERSION) {
      throw new DataFormatException("schema formatVersion " + version + " is newer than this library supports ("
          + Schema.FORMAT_VERSION + "); upgrade mlops-core");
    }
    if (version < 1) {
      throw new DataFormatException("schema formatVersion " + version
          + " is not a version: versions are whole numbers from 1 to " + Schema.FORMAT_VERSION);
    }
    JsonNode arr = node.get("fields");
    if (arr == null || !arr.isArray()) {
      throw new DataFormatException("schema JSON needs an array 'fields'");
    }
    List<Field> out = new ArrayList<>(arr.size());
    for (int i = 0; i < arr.size(); i++) {
      JsonNode f = arr.get(i);
      String path = "fields[" + i + "]";
      String name = requiredText(f, "name", path);
      DataType type;
      try {
        type = DataType.parse(requiredText(f, "type", path));
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(path + ".type: " + e.getMessage(), e);
      }
      boolean nullable = f.path("nullable").asBoolean(true);
      Role role;
      String roleText = f.path("role").asText("feature");
      try {
        role = Role.valueOf(roleText.toUpperCase(Locale.ROOT));
      } catch (IllegalArgumentException e) {
        throw new DataFormatException(path + ".role: unknown role '" + roleText
            + "'; use feature, label, id, timestamp or prediction", e);
      }
      out.add(new Field(name, type, nullable, role));
    }
    return Schema.of(out);
  }

  private static String requiredText(JsonNode node, String key, String path) {
    JsonNode v = node.get(key);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new DataFormatException(path + "." + key + " is missing or not a non-empty string");
    }
    return v.textValue();
  }
}
