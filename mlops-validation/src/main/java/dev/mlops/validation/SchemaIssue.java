package dev.mlops.validation;

import dev.mlops.core.internal.Printable;
import org.jspecify.annotations.Nullable;

/**
 * A difference between the data's schema and the contract's: schema drift, reported as a result
 * rather than thrown. Constraints that read a missing or mistyped column are not evaluated.
 *
 * @param kind what differs
 * @param column the column
 * @param expected the contract's type, or null for an extra column
 * @param actual the data's type, or null for a missing column
 * @param severity ERROR for missing and mistyped columns; for extra ones as the contract's
 *     {@link ExtraColumns} policy says
 */
public record SchemaIssue(Kind kind, String column, @Nullable String expected, @Nullable String actual,
    Severity severity) {

  /** Kinds of schema drift. */
  public enum Kind {
    /** The contract names a column the data lacks. */
    MISSING_COLUMN,
    /** The data has a column the contract does not name. */
    EXTRA_COLUMN,
    /** The column exists with another type. */
    WRONG_TYPE
  }

  /**
   * One line for people, with control characters in column names escaped.
   *
   * @return e.g. {@code column 'age' is missing (contract expects float64); add it to the data or remove it from the contract}
   */
  public String message() {
    return Printable.of(switch (kind) {
      case MISSING_COLUMN -> "column '" + column + "' is missing (contract expects " + expected
          + "); add it to the data or remove it from the contract";
      case EXTRA_COLUMN -> "column '" + column + "' (" + actual + ") is not in the contract; add it to the contract"
          + " or drop it from the data";
      case WRONG_TYPE -> "column '" + column + "' is " + actual + " but the contract expects " + expected
          + "; convert the column or update the contract";
    });
  }
}
