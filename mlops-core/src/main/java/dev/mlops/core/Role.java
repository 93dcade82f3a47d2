package dev.mlops.core;

/** What a field means to a model: an input, the target, a key, an event time or a model output. */
public enum Role {
  /** A model input. */
  FEATURE,
  /** The training target. */
  LABEL,
  /** A record identifier; never a model input. */
  ID,
  /** The time an event happened; used for windows and time splits. */
  TIMESTAMP,
  /** A model output. */
  PREDICTION
}
