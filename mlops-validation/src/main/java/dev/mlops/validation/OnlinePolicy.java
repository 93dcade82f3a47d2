package dev.mlops.validation;

/** What the request path does with a row that breaks its contract (see {@link Validator#enforce}). */
public enum OnlinePolicy {
  /**
   * Throw a {@link RowContractViolationException} listing every failed rule of the row when at least
   * one ERROR rule failed or the row's schema drifted; WARN failures alone are returned, not thrown.
   */
  REJECT,
  /** Never throw; return the row's result so the caller can log it or attach it to the response. */
  FLAG,
  /** Do not check at all (a kill switch for roll-outs); always returns the shared passing result. */
  PASS
}
