package dev.mlops.core;

import java.util.Objects;

/**
 * A named, typed column of a {@link Schema}.
 *
 * @param name the column name, unique within a schema, non-empty
 * @param type the logical type
 * @param nullable whether missing values are allowed
 * @param role what the column means to a model
 */
public record Field(String name, DataType type, boolean nullable, Role role) {

  /**
   * Validates the components.
   *
   * @param name the column name
   * @param type the logical type
   * @param nullable whether missing values are allowed
   * @param role what the column means to a model
   */
  public Field {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(type, "type");
    Objects.requireNonNull(role, "role");
    if (name.isEmpty()) {
      throw new IllegalArgumentException("A field name must not be empty; give every column a name");
    }
  }

  /**
   * A nullable feature field.
   *
   * @param name the column name
   * @param type the logical type
   * @return the field
   */
  public static Field of(String name, DataType type) {
    return new Field(name, type, true, Role.FEATURE);
  }

  /**
   * A field with the given nullability and role.
   *
   * @param name the column name
   * @param type the logical type
   * @param nullable whether missing values are allowed
   * @param role what the column means to a model
   * @return the field
   */
  public static Field of(String name, DataType type, boolean nullable, Role role) {
    return new Field(name, type, nullable, role);
  }

  /**
   * This field with another role.
   *
   * @param newRole the role
   * @return a copy with the role replaced
   */
  public Field withRole(Role newRole) {
    return new Field(name, type, nullable, newRole);
  }

  /**
   * This field with another nullability.
   *
   * @param newNullable whether missing values are allowed
   * @return a copy with the nullability replaced
   */
  public Field withNullable(boolean newNullable) {
    return new Field(name, type, newNullable, role);
  }
}
