package dev.mlops.validation.internal;

import org.jspecify.annotations.Nullable;

/** Argument checks and text helpers shared by the constraint records. */
public final class Args {
  private Args() {}

  /**
   * Rejects a blank column name.
   *
   * @param name the name
   * @param property the property that holds it
   */
  public static void column(String name, String property) {
    if (name.isBlank()) {
      throw new ConstraintArgumentException(property, "a column name must not be blank");
    }
  }

  /**
   * Rejects a {@code mostly} outside (0, 1].
   *
   * @param mostly the fraction
   */
  public static void mostly(double mostly) {
    if (!(mostly > 0 && mostly <= 1)) {
      throw new ConstraintArgumentException("mostly", "mostly " + mostly
          + " is outside (0, 1]; it is the share of values that must pass, e.g. 0.95");
    }
  }

  /**
   * Rejects NaN bounds, infinite ones where not allowed, and {@code min > max}.
   *
   * @param min lower bound or null
   * @param max upper bound or null
   * @param allowInfinite whether infinite bounds are allowed
   */
  public static void bounds(@Nullable Double min, @Nullable Double max, boolean allowInfinite) {
    if (min != null && (Double.isNaN(min) || (!allowInfinite && Double.isInfinite(min)))) {
      throw new ConstraintArgumentException("min", "min " + min + " is not a usable bound; give a finite number or omit it");
    }
    if (max != null && (Double.isNaN(max) || (!allowInfinite && Double.isInfinite(max)))) {
      throw new ConstraintArgumentException("max", "max " + max + " is not a usable bound; give a finite number or omit it");
    }
    if (min != null && max != null && min > max) {
      throw new ConstraintArgumentException("min", "min " + min + " > max " + max + "; swap them or fix one");
    }
  }

  /**
   * The " (mostly 0.9)" suffix of descriptions; empty for 1.0.
   *
   * @param mostly the fraction
   * @return the suffix
   */
  public static String mostlyText(double mostly) {
    return mostly >= 1.0 ? "" : " (mostly " + mostly + ")";
  }

  /**
   * A closed interval as text, open ends as infinities.
   *
   * @param min lower bound or null
   * @param max upper bound or null
   * @return e.g. {@code [0.0, +inf]}
   */
  public static String interval(@Nullable Double min, @Nullable Double max) {
    return "[" + (min == null ? "-inf" : min) + ", " + (max == null ? "+inf" : max) + "]";
  }
}
