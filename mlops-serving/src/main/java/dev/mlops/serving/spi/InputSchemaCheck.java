package dev.mlops.serving.spi;

import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.util.Objects;

/**
 * The one check that rows and batches have a model's input schema, shared by the predictor (which
 * runs it first on every path) and {@link RowEncoder} (which backends may call directly). It remembers
 * the last schema instance found equal, so rows built from one schema object cost a reference
 * comparison, not a field-by-field one. Thread-safe.
 */
public final class InputSchemaCheck {
  private final Schema expected;
  private final String model;
  /** The last schema instance found equal to {@link #expected}. */
  private volatile Schema accepted;

  /**
   * A check against one model's input schema.
   *
   * @param expected the model's input schema
   * @param model the model as named in errors, e.g. {@code credit-risk/3}
   */
  public InputSchemaCheck(Schema expected, String model) {
    this.expected = Objects.requireNonNull(expected, "expected");
    this.model = Objects.requireNonNull(model, "model");
    this.accepted = expected;
  }

  /**
   * Checks a row's or batch's schema.
   *
   * @param schema the schema of the input
   * @throws SchemaMismatchException naming both schemas and the model when they differ
   */
  public void check(Schema schema) {
    if (schema == accepted) {
      return;
    }
    if (schema != expected && !schema.equals(expected)) {
      throw new SchemaMismatchException("Input schema " + schema + " differs from model " + model + "'s input schema "
          + expected + "; build rows with predictor.inputSchema()");
    }
    accepted = schema;
  }

  /**
   * The schema it checks against.
   *
   * @return the model's input schema
   */
  public Schema expected() {
    return expected;
  }
}
