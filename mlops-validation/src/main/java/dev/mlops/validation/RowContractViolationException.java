package dev.mlops.validation;

import dev.mlops.core.ContractViolationException;
import dev.mlops.core.internal.Printable;

/**
 * A row was rejected by {@link OnlinePolicy#REJECT}: carries the structured {@link RowResult} besides
 * the message that lists every failed rule.
 */
public final class RowContractViolationException extends ContractViolationException {
  private static final long serialVersionUID = 1L;

  private final transient RowResult result;

  /**
   * Creates the exception.
   *
   * @param contract the contract's name
   * @param result the row's result, with at least one error
   */
  public RowContractViolationException(String contract, RowResult result) {
    super("row (contract '" + Printable.of(contract) + "')", result.messages());
    this.result = result;
  }

  /**
   * The row's result.
   *
   * @return every violation and schema issue of the row
   */
  public RowResult result() {
    return result;
  }
}
