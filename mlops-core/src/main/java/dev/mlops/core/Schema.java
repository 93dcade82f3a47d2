package dev.mlops.core;

import dev.mlops.core.internal.ArrowTypes;
import dev.mlops.core.internal.CanonicalJson;
import dev.mlops.core.internal.Digests;
import dev.mlops.core.internal.Json;
import dev.mlops.core.internal.SchemaJson;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import org.jspecify.annotations.Nullable;

/**
 * An ordered list of uniquely named {@link Field fields}. Immutable and thread-safe.
 *
 * <p>Two schemas are equal when their fields are equal in the same order. The {@link #fingerprint()}
 * is the SHA-256 of the canonical JSON form, stable across JVMs and releases of this library that
 * keep {@link #FORMAT_VERSION}.
 */
public final class Schema {
  /** Version of the JSON form written by {@link #toJson()}. */
  public static final int FORMAT_VERSION = 1;

  private final List<Field> fields;
  private final Map<String, Integer> index;
  private @Nullable String fingerprint;

  private Schema(List<Field> fields) {
    this.fields = List.copyOf(fields);
    Map<String, Integer> idx = new HashMap<>(fields.size() * 2);
    for (int i = 0; i < this.fields.size(); i++) {
      Integer prev = idx.put(this.fields.get(i).name(), i);
      if (prev != null) {
        throw new SchemaMismatchException("Duplicate column name '" + this.fields.get(i).name()
            + "' at positions " + prev + " and " + i + "; column names must be unique: rename one");
      }
    }
    this.index = Collections.unmodifiableMap(idx);
  }

  /**
   * A schema of the given fields, in order.
   *
   * @param fields the fields; names must be unique
   * @return the schema
   * @throws SchemaMismatchException when two fields share a name
   */
  public static Schema of(Field... fields) {
    return new Schema(List.of(fields));
  }

  /**
   * A schema of the given fields, in order.
   *
   * @param fields the fields; names must be unique
   * @return the schema
   * @throws SchemaMismatchException when two fields share a name
   */
  public static Schema of(List<Field> fields) {
    return new Schema(fields);
  }

  /**
   * The fields in order.
   *
   * @return an unmodifiable list
   */
  public List<Field> fields() {
    return fields;
  }

  /**
   * Number of fields.
   *
   * @return the count
   */
  public int size() {
    return fields.size();
  }

  /**
   * The field at a position.
   *
   * @param i 0-based position
   * @return the field
   */
  public Field field(int i) {
    return fields.get(i);
  }

  /**
   * The field with a name.
   *
   * @param name the column name
   * @return the field
   * @throws SchemaMismatchException naming the available columns when absent
   */
  public Field field(String name) {
    return fields.get(indexOf(name));
  }

  /**
   * The field with a name, if present.
   *
   * @param name the column name
   * @return the field, or empty
   */
  public Optional<Field> findField(String name) {
    Integer i = index.get(name);
    return i == null ? Optional.empty() : Optional.of(fields.get(i));
  }

  /**
   * Position of a column.
   *
   * @param name the column name
   * @return the 0-based position
   * @throws SchemaMismatchException naming the available columns when absent
   */
  public int indexOf(String name) {
    Integer i = index.get(name);
    if (i == null) {
      throw new SchemaMismatchException("No column '" + name + "' in schema; columns are " + names());
    }
    return i;
  }

  /**
   * Whether a column exists.
   *
   * @param name the column name
   * @return true when present
   */
  public boolean contains(String name) {
    return index.containsKey(name);
  }

  /**
   * Column names in order.
   *
   * @return the names
   */
  public List<String> names() {
    return fields.stream().map(Field::name).toList();
  }

  /**
   * The fields with a role, in order.
   *
   * @param role the role
   * @return matching fields
   */
  public List<Field> fieldsWithRole(Role role) {
    return fields.stream().filter(f -> f.role() == role).toList();
  }

  /**
   * A schema with some fields replaced by name (type, role or nullability changes).
   *
   * @param replacements fields whose names exist in this schema
   * @return the new schema
   */
  public Schema with(Field... replacements) {
    List<Field> copy = new ArrayList<>(fields);
    for (Field f : replacements) {
      copy.set(indexOf(f.name()), f);
    }
    return new Schema(copy);
  }

  /**
   * Indented JSON text: {@code {"formatVersion":1,"fields":[{"name":..,"type":..,"nullable":..,"role":..}]}}.
   *
   * @return the JSON
   */
  public String toJson() {
    return Json.pretty(SchemaJson.toTree(this));
  }

  /**
   * Parses the form written by {@link #toJson()}.
   *
   * @param json the JSON text
   * @return the schema
   * @throws DataFormatException naming the field and path when the JSON is not a valid schema
   */
  public static Schema fromJson(String json) {
    return SchemaJson.fromTree(Json.parse(json, "schema JSON"));
  }

  /**
   * SHA-256 (hex) of the canonical JSON form: equal schemas have equal fingerprints on every JVM.
   *
   * @return 64 hex characters
   */
  public String fingerprint() {
    String fp = fingerprint;
    if (fp == null) {
      fp = Digests.sha256Hex(CanonicalJson.bytes(SchemaJson.toTree(this)));
      fingerprint = fp;
    }
    return fp;
  }

  /**
   * The equivalent Arrow schema; roles and tensor shapes travel as field metadata.
   *
   * @return the Arrow schema
   */
  public org.apache.arrow.vector.types.pojo.Schema toArrow() {
    return ArrowTypes.toArrow(this);
  }

  /**
   * Reads an Arrow schema, using field metadata written by {@link #toArrow()} where present and the
   * Arrow type otherwise.
   *
   * @param arrow the Arrow schema
   * @return the schema
   * @throws SchemaMismatchException naming the field when an Arrow type has no equivalent here
   */
  public static Schema fromArrow(org.apache.arrow.vector.types.pojo.Schema arrow) {
    return ArrowTypes.fromArrow(arrow);
  }

  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof Schema s && fields.equals(s.fields);
  }

  @Override
  public int hashCode() {
    return fields.hashCode();
  }

  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Schema[");
    for (int i = 0; i < fields.size(); i++) {
      Field f = fields.get(i);
      sb.append(i == 0 ? "" : ", ").append(f.name()).append(':').append(f.type());
      if (!f.nullable()) {
        sb.append(" not null");
      }
      if (f.role() != Role.FEATURE) {
        sb.append(" (").append(f.role().name().toLowerCase(Locale.ROOT)).append(')');
      }
    }
    return sb.append(']').toString();
  }
}
