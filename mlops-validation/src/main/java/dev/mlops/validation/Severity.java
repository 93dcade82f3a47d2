package dev.mlops.validation;

/** How much a failed constraint matters. */
public enum Severity {
  /** The data is unusable: the report's verdict is FAIL, a row is rejected or quarantined. */
  ERROR,
  /** Worth a look: the report's verdict is at worst WARN; rows pass and are not quarantined. */
  WARN
}
