package dev.mlops.validation.assertions;

import dev.mlops.core.Row;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Validator;
import dev.mlops.core.internal.Printable;
import org.assertj.core.api.AbstractAssert;

/** Assertions on one {@link Row}: the contract's row checks (dataset checks need a batch). */
@SuppressWarnings("exports") // AssertJ is optional: module-info requires it static, not transitive
public final class RowAssert extends AbstractAssert<RowAssert, Row> {

  RowAssert(Row actual) {
    super(actual, RowAssert.class);
  }

  /**
   * Asserts that the row breaks no ERROR row check and does not drift from the contract's schema
   * with ERROR severity: what {@link dev.mlops.validation.OnlinePolicy#REJECT} would let through.
   *
   * @param contract the contract (without custom constraints; compile those and use
   *     {@link #satisfies(Validator)})
   * @return this assertion
   */
  public RowAssert satisfies(DataContract contract) {
    return satisfies(Validator.compile(contract));
  }

  /**
   * Asserts that the row breaks no ERROR row check of a compiled contract.
   *
   * @param validator the compiled contract
   * @return this assertion
   */
  public RowAssert satisfies(Validator validator) {
    isNotNull();
    RowResult r = validator.validate(actual);
    if (r.hasErrors()) {
      failWithMessage("Expected %s to satisfy contract '%s' but:%n  - %s", Printable.of(String.valueOf(actual)),
          Printable.of(validator.contract().name()),
          String.join(System.lineSeparator() + "  - ", r.messages()));
    }
    return this;
  }
}
