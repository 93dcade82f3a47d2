package dev.mlops.validation.internal;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import dev.mlops.validation.Constraint;
import java.util.List;
import java.util.Optional;

/** Which constraints apply to which column types; shared by the contract and the file reader. */
public final class ContractRules {
  private ContractRules() {}

  /**
   * Whether a constraint is written under a column (not in the table section) of a contract file.
   *
   * @param c the constraint
   * @return true for single-column kinds
   */
  public static boolean isColumnConstraint(Constraint c) {
    if (c instanceof Constraint.When w) {
      return isColumnConstraint(w.rule());
    }
    return !(c instanceof Constraint.RowCount || c instanceof Constraint.Compare || c instanceof Constraint.Custom
        || c instanceof Constraint.CompoundUnique);
  }

  /**
   * Whether two constraints would be written under the same key of the same column of a contract
   * file, where a column holds one rule of each kind (quantiles and shares are lists, and each
   * entry has its own id).
   *
   * @param a one constraint
   * @param b another
   * @return true when they would collide
   */
  public static boolean sameFileSlot(Constraint a, Constraint b) {
    if (!isColumnConstraint(a) || !isColumnConstraint(b) || !a.kind().equals(b.kind())
        || a.kind().equals("quantile") || a.kind().equals("share")) {
      return false;
    }
    return a.columns().get(0).equals(b.columns().get(0));
  }

  /**
   * Sort key grouping constraints as a file lists them: by column position, then the table section.
   *
   * @param schema the contract's schema
   * @param c the constraint
   * @return the group
   */
  public static int group(Schema schema, Constraint c) {
    if (!isColumnConstraint(c)) {
      return Integer.MAX_VALUE;
    }
    String col = c.columns().get(0);
    return schema.contains(col) ? schema.indexOf(col) : Integer.MAX_VALUE - 1;
  }

  /**
   * Checks that a constraint fits a schema.
   *
   * @param schema the schema
   * @param c the constraint
   * @throws ConstraintArgumentException naming the property and the fix
   */
  public static void check(Schema schema, Constraint c) {
    if (c instanceof Constraint.When w) {
      check(schema, w.rule());
      Field f = field(schema, w.column(), "when");
      DataType.Kind k = f.type().kind();
      if (k != DataType.Kind.STRING && k != DataType.Kind.INT64 && k != DataType.Kind.BOOLEAN) {
        throw new ConstraintArgumentException("when", "when needs a string, int64 or boolean column to select"
            + " rows by, but '" + f.name() + "' is " + f.type());
      }
    } else if (c instanceof Constraint.NotNull n) {
      field(schema, n.column(), "column");
    } else if (c instanceof Constraint.Range || c instanceof Constraint.Mean || c instanceof Constraint.Stddev
        || c instanceof Constraint.Quantile) {
      numeric(schema, c.columns().get(0));
    } else if (c instanceof Constraint.Regex || c instanceof Constraint.Length || c instanceof Constraint.Format) {
      string(schema, c.columns().get(0), c.kind());
    } else if (c instanceof Constraint.Share sh) {
      Field f = field(schema, sh.column(), "column");
      DataType.Kind k = f.type().kind();
      if (k != DataType.Kind.STRING && k != DataType.Kind.INT64 && k != DataType.Kind.BOOLEAN) {
        throw new ConstraintArgumentException("column", "a share needs a string, int64 or boolean column, but '"
            + f.name() + "' is " + f.type());
      }
    } else if (c instanceof Constraint.Freshness fr) {
      Field f = field(schema, fr.column(), "column");
      if (f.type().kind() != DataType.Kind.TIMESTAMP) {
        throw new ConstraintArgumentException("column", "freshness needs a timestamp column, but '" + f.name()
            + "' is " + f.type());
      }
    } else if (c instanceof Constraint.AllowedValues a) {
      allowed(schema, a);
    } else if (c instanceof Constraint.Unique || c instanceof Constraint.DistinctCount) {
      Field f = field(schema, c.columns().get(0), "column");
      if (f.type().kind() == DataType.Kind.FLOAT_TENSOR) {
        throw new ConstraintArgumentException("column", c.kind() + " does not apply to tensor column '"
            + f.name() + "'; use it on scalar columns");
      }
    } else if (c instanceof Constraint.Compare cmp) {
      Field l = field(schema, cmp.left(), "left");
      Field r = field(schema, cmp.right(), "right");
      if (!comparable(l.type(), r.type())) {
        throw new ConstraintArgumentException("right", "compare cannot order '" + l.name() + "' (" + l.type()
            + ") against '" + r.name() + "' (" + r.type() + "); compare two numeric, two string or two"
            + " timestamp columns");
      }
    } else if (c instanceof Constraint.CompoundUnique cu) {
      for (String col : cu.columns()) {
        Field f = field(schema, col, "columns");
        if (f.type().kind() == DataType.Kind.FLOAT_TENSOR) {
          throw new ConstraintArgumentException("columns", "compound_unique does not apply to tensor column '"
              + f.name() + "'; use scalar columns for a key");
        }
      }
    } else if (c instanceof Constraint.Custom cu) {
      for (String col : cu.columns()) {
        field(schema, col, "columns");
      }
    }
  }

  /**
   * Whether {@link Constraint.Compare} can order two column types.
   *
   * @param l the left type
   * @param r the right type
   * @return true for two numeric, two string or two timestamp types
   */
  public static boolean comparable(DataType l, DataType r) {
    return (l.isNumeric() && r.isNumeric())
        || (l.kind() == r.kind() && (l.kind() == DataType.Kind.STRING || l.kind() == DataType.Kind.TIMESTAMP));
  }

  /**
   * The kind of value a constraint compares for a column of a type, or empty when it does not apply.
   *
   * @param type the column type
   * @return the kind, for allowed_values: STRING, INT64 or BOOLEAN
   */
  static Optional<DataType.Kind> allowedKind(DataType type) {
    DataType.Kind k = type.kind();
    return k == DataType.Kind.STRING || k == DataType.Kind.INT64 || k == DataType.Kind.BOOLEAN
        ? Optional.of(k) : Optional.empty();
  }

  private static void allowed(Schema schema, Constraint.AllowedValues a) {
    Field f = field(schema, a.column(), "column");
    DataType.Kind k = allowedKind(f.type()).orElseThrow(() -> new ConstraintArgumentException("column",
        "allowed_values does not apply to column '" + f.name() + "' of type " + f.type()
            + "; use it on string, int64 or boolean columns (range for floats)"));
    List<String> values = a.values();
    for (int i = 0; i < values.size(); i++) {
      String v = values.get(i);
      if (k == DataType.Kind.INT64) {
        try {
          Long.parseLong(v.trim());
        } catch (NumberFormatException e) {
          throw new ConstraintArgumentException("values[" + i + "]", "'" + v + "' is not an int64, but column '"
              + f.name() + "' is int64; write whole numbers", e);
        }
      } else if (k == DataType.Kind.BOOLEAN && !v.equals("true") && !v.equals("false")) {
        throw new ConstraintArgumentException("values[" + i + "]", "'" + v + "' is not a boolean, but column '"
            + f.name() + "' is boolean; write true or false");
      }
    }
  }

  private static Field numeric(Schema schema, String column) {
    Field f = field(schema, column, "column");
    if (!f.type().isNumeric()) {
      throw new ConstraintArgumentException("column", "column '" + column + "' is " + f.type()
          + ", not numeric; numeric constraints (range, mean, stddev, quantile) need int64, float32 or float64");
    }
    return f;
  }

  private static Field string(Schema schema, String column, String kind) {
    Field f = field(schema, column, "column");
    if (f.type().kind() != DataType.Kind.STRING) {
      throw new ConstraintArgumentException("column", kind + " needs a string column, but '" + column + "' is "
          + f.type());
    }
    return f;
  }

  private static Field field(Schema schema, String column, String property) {
    return schema.findField(column).orElseThrow(() -> new ConstraintArgumentException(property,
        "column '" + column + "' is not in the contract's schema " + schema.names()
            + "; add it to columns or fix the name"));
  }
}
