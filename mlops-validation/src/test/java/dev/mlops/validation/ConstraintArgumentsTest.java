package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mlops.validation.Constraint.Op;
import dev.mlops.validation.internal.ConstraintArgumentException;
import java.util.List;
import java.util.stream.Stream;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * A constraint that cannot mean anything (a blank column, a {@code mostly} outside (0, 1], bounds
 * that are NaN, infinite where a number is needed, or inverted) is refused when it is built, naming
 * the property, so no contract file can carry one; the edge values that do mean something are taken.
 */
class ConstraintArgumentsTest {
  private static final Severity E = Severity.ERROR;
  private static final double INF = Double.POSITIVE_INFINITY;

  static Stream<Arguments> meaningless() {
    return Stream.of(
        row("not_null, blank column", () -> new Constraint.NotNull(" ", 1, E), "column", "must not be blank"),
        row("not_null, mostly 0", () -> new Constraint.NotNull("a", 0, E), "mostly", "outside (0, 1]"),
        row("not_null, mostly above 1", () -> new Constraint.NotNull("a", Math.nextUp(1.0), E), "mostly",
            "outside (0, 1]"),
        row("not_null, mostly NaN", () -> new Constraint.NotNull("a", Double.NaN, E), "mostly", "outside (0, 1]"),
        row("range, blank column", () -> new Constraint.Range("", 0.0, 1.0, false, false, 1, E), "column",
            "must not be blank"),
        row("range, mostly negative", () -> new Constraint.Range("a", 0.0, 1.0, false, false, -0.5, E), "mostly",
            "outside (0, 1]"),
        row("range, min above max", () -> new Constraint.Range("a", 2.0, 1.0, false, false, 1, E), "min",
            "min 2.0 > max 1.0"),
        row("range, NaN min", () -> new Constraint.Range("a", Double.NaN, 1.0, false, false, 1, E), "min",
            "not a usable bound"),
        row("range, NaN max", () -> new Constraint.Range("a", null, Double.NaN, false, false, 1, E), "max",
            "not a usable bound"),
        row("range, infinite max", () -> new Constraint.Range("a", null, INF, false, false, 1, E), "max",
            "not a usable bound"),
        row("range, infinite min", () -> new Constraint.Range("a", -INF, null, false, false, 1, E), "min",
            "not a usable bound"),
        row("allowed_values, blank column", () -> new Constraint.AllowedValues(" ", List.of("x"), 1, E), "column",
            "must not be blank"),
        row("allowed_values, mostly 0", () -> new Constraint.AllowedValues("a", List.of("x"), 0, E), "mostly",
            "outside (0, 1]"),
        row("length, blank column", () -> new Constraint.Length("", 0, 1, 1, E), "column", "must not be blank"),
        row("length, mostly 0", () -> new Constraint.Length("a", 0, 1, 0, E), "mostly", "outside (0, 1]"),
        row("length, min above max", () -> new Constraint.Length("a", 5, 3, 1, E), "min", "min 5.0 > max 3.0"),
        row("length, negative min", () -> new Constraint.Length("a", -1, 3, 1, E), "min", "is negative"),
        row("unique, blank column", () -> new Constraint.Unique("", 1, E), "column", "must not be blank"),
        row("unique, mostly above 1", () -> new Constraint.Unique("a", 2, E), "mostly", "outside (0, 1]"),
        row("row_count, min above max", () -> new Constraint.RowCount(5L, 3L, E), "min", "min 5.0 > max 3.0"),
        row("row_count, negative min", () -> new Constraint.RowCount(-1L, null, E), "min", "is negative"),
        row("mean, blank column", () -> new Constraint.Mean("", 0.0, 1.0, E), "column", "must not be blank"),
        row("mean, min above max", () -> new Constraint.Mean("a", 1.0, 0.0, E), "min", "min 1.0 > max 0.0"),
        row("mean, infinite max", () -> new Constraint.Mean("a", 0.0, INF, E), "max", "not a usable bound"),
        row("stddev, blank column", () -> new Constraint.Stddev(" ", 0.0, 1.0, E), "column", "must not be blank"),
        row("stddev, min above max", () -> new Constraint.Stddev("a", 2.0, 1.0, E), "min", "min 2.0 > max 1.0"),
        row("stddev, negative min", () -> new Constraint.Stddev("a", -1.0, 1.0, E), "min", "is negative"),
        row("quantile, blank column", () -> new Constraint.Quantile("", 0.5, 0.0, 1.0, E), "column",
            "must not be blank"),
        row("quantile, q above 1", () -> new Constraint.Quantile("a", 1.5, 0.0, 1.0, E), "q", "outside [0, 1]"),
        row("quantile, min above max", () -> new Constraint.Quantile("a", 0.5, 1.0, 0.0, E), "min",
            "min 1.0 > max 0.0"),
        row("compare, blank left", () -> new Constraint.Compare(" ", Op.LT, "b", 1, E), "left", "must not be blank"),
        row("compare, blank right", () -> new Constraint.Compare("a", Op.LT, "", 1, E), "right",
            "must not be blank"),
        row("compare, mostly 0", () -> new Constraint.Compare("a", Op.LT, "b", 0, E), "mostly", "outside (0, 1]"),
        row("compare, one column on both sides", () -> new Constraint.Compare("a", Op.LT, "a", 1, E), "right",
            "two different columns"),
        row("custom, blank name", () -> new Constraint.Custom(" ", List.of("a"), "", 1, E), "name",
            "must not be blank"),
        row("custom, blank column", () -> new Constraint.Custom("c", List.of("a", " "), "", 1, E), "columns",
            "must not be blank"),
        row("custom, mostly 0", () -> new Constraint.Custom("c", List.of("a"), "", 0, E), "mostly",
            "outside (0, 1]"));
  }

  private static Arguments row(String name, ThrowingCallable build, String property, String fragment) {
    return Arguments.of(name, build, property, fragment);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("meaningless")
  void refusesAMeaninglessConstraintNamingTheProperty(String name, ThrowingCallable build, String property,
      String fragment) {
    Throwable t = catchThrowable(build);
    assertThat(t).as(name).isInstanceOf(ConstraintArgumentException.class).hasMessageContaining(fragment);
    assertThat(((ConstraintArgumentException) t).property()).isEqualTo(property);
  }

  @Test
  void takesTheEdgeValuesThatMeanSomething() {
    assertThatCode(() -> {
      new Constraint.NotNull("a", 1.0, E);
      new Constraint.NotNull("a", Double.MIN_VALUE, E);
      new Constraint.Range("a", 1.0, 1.0, false, false, 1, E);
      new Constraint.Range("a", -Double.MAX_VALUE, Double.MAX_VALUE, false, false, 1, E);
      new Constraint.Length("a", 0, 0, 1, E);
      new Constraint.Length("a", 3, null, 1, E);
      new Constraint.RowCount(0L, 0L, E);
      new Constraint.Mean("a", -1.0, -1.0, E);
      new Constraint.Stddev("a", 0.0, 0.0, E);
      new Constraint.Quantile("a", 0.0, null, null, E);
      new Constraint.Quantile("a", 1.0, 2.0, 2.0, E);
    }).doesNotThrowAnyException();
  }

  @Test
  void eachOperatorHoldsExactlyForItsSigns() {
    int[] signs = {-1, 0, 1};
    boolean[][] holds = {
      {true, false, false}, // <
      {true, true, false}, // <=
      {false, false, true}, // >
      {false, true, true}, // >=
      {false, true, false}, // ==
      {true, false, true}, // !=
    };
    Op[] ops = {Op.LT, Op.LE, Op.GT, Op.GE, Op.EQ, Op.NE};
    for (int o = 0; o < ops.length; o++) {
      for (int s = 0; s < signs.length; s++) {
        assertThat(ops[o].holds(signs[s])).as("%s for compare() = %d", ops[o].symbol(), signs[s])
            .isEqualTo(holds[o][s]);
        assertThat(ops[o].holds(signs[s] * 7)).as("%s for compare() = %d", ops[o].symbol(), signs[s] * 7)
            .isEqualTo(holds[o][s]);
      }
    }
  }

  @Test
  void descriptionsShowMostlyBelowOneAndOpenBounds() {
    assertThat(new Constraint.NotNull("a", 0.9, E).describe()).isEqualTo("a is not null (mostly 0.9)");
    assertThat(new Constraint.NotNull("a", 1.0, E).describe()).isEqualTo("a is not null");
    assertThat(new Constraint.RowCount(null, 10L, E).describe()).isEqualTo("row count in [0, 10]");
    assertThat(new Constraint.RowCount(5L, null, E).describe()).isEqualTo("row count in [5, +inf]");
    assertThat(new Constraint.Custom("positive", List.of("a"), "a > 0", 0.5, E).describe())
        .isEqualTo("positive: a > 0 (mostly 0.5)");
    assertThat(new Constraint.Custom("positive", List.of("a"), "", 1, E).describe()).isEqualTo("positive");
    assertThat(new Constraint.RowCount(1L, null, E).kind()).isEqualTo("row_count");
  }
}
