package dev.mlops.serving;

/**
 * What a predictor does with a prediction whose scores (classification) or values (regression) are
 * not all finite, e.g. NaN from a model fed values it was never trained on. Either way it is counted
 * ({@code mlops.serving.nonfinite}) and never served as a label.
 */
public enum NonFinitePolicy {
  /** Fail the request with a {@link NonFiniteOutputException} (the default). */
  FAIL,
  /**
   * Serve the prediction flagged: {@link Prediction#finite()} is false and a classification has no
   * label ({@link Prediction.Classification#label()} is empty). For callers that must answer every
   * request and check the flag themselves.
   */
  FLAG
}
