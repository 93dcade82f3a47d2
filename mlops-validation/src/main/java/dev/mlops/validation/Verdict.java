package dev.mlops.validation;

/** Overall outcome of a validation. */
public enum Verdict {
  /** Every constraint passed and the schema matched. */
  PASS,
  /** Only WARN constraints failed (or columns the contract lacks were present, when that only warns). */
  WARN,
  /** At least one ERROR constraint failed or the schema drifted in a way the contract forbids. */
  FAIL
}
