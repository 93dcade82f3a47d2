package dev.mlops.serving.onnx;

import dev.mlops.serving.Device;
/** What to do when the requested accelerator cannot be used. */
public enum FallbackPolicy {
  /** Fail the load with a {@link dev.mlops.core.ModelLoadException} naming the missing provider. */
  FAIL,
  /**
   * Load on the CPU instead, log a warning, count it in the {@code mlops.serving.fallbacks} meter and
   * report {@link Device#cpu()} as the device actually used.
   */
  FALLBACK_TO_CPU
}
