package dev.mlops.validation;

/** What a validation does with data columns the contract's schema does not name. */
public enum ExtraColumns {
  /** An extra column is a schema drift that fails the validation. */
  ERROR,
  /** An extra column is reported and makes the verdict at worst WARN (the default). */
  WARN,
  /** Extra columns are allowed and not reported. */
  IGNORE
}
