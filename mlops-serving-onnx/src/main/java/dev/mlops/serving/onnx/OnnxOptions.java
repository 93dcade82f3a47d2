package dev.mlops.serving.onnx;

import dev.mlops.serving.Device;
import dev.mlops.serving.spi.BackendOptions;
import java.util.Objects;
import dev.mlops.serving.PredictorBuilder;

/**
 * ONNX Runtime session options, passed with {@code PredictorBuilder.backendOptions(...)}. Immutable;
 * build with {@link #builder()}.
 *
 * @param intraOpThreads threads inside one operator; 0 lets ONNX Runtime choose
 * @param interOpThreads threads across operators; 0 lets ONNX Runtime choose
 * @param optimization graph optimization level
 * @param device the requested device
 * @param fallback what to do when the requested device cannot be used
 * @param warmUp whether to run one all-zero row at load so the first request does not pay for lazy
 *     initialization
 */
public record OnnxOptions(int intraOpThreads, int interOpThreads, Optimization optimization, Device device,
    FallbackPolicy fallback, boolean warmUp) implements BackendOptions {

  /** Graph optimization levels, as ONNX Runtime defines them. */
  public enum Optimization {
    /** No graph optimization. */
    NONE,
    /** Redundant node removal, constant folding. */
    BASIC,
    /** Basic plus node fusions. */
    EXTENDED,
    /** Everything, including layout optimizations. */
    ALL
  }

  /**
   * Validates the components.
   *
   * @param intraOpThreads threads inside one operator
   * @param interOpThreads threads across operators
   * @param optimization optimization level
   * @param device the device
   * @param fallback the fallback policy
   * @param warmUp whether to warm up
   */
  public OnnxOptions {
    Objects.requireNonNull(optimization, "optimization");
    Objects.requireNonNull(device, "device");
    Objects.requireNonNull(fallback, "fallback");
    if (intraOpThreads < 0 || interOpThreads < 0) {
      throw new IllegalArgumentException("Thread counts must be >= 0 (0 = ONNX Runtime's default), got intra="
          + intraOpThreads + " inter=" + interOpThreads);
    }
  }

  /**
   * CPU, default threads, all optimizations, warm-up on.
   *
   * @return the defaults
   */
  public static OnnxOptions defaults() {
    return builder().build();
  }

  /**
   * A builder starting from {@link #defaults()}.
   *
   * @return the builder
   */
  public static Builder builder() {
    return new Builder();
  }

  /** Builds {@link OnnxOptions}; each setter validates its argument at once. */
  public static final class Builder {
    private int intra;
    private int inter;
    private Optimization optimization = Optimization.ALL;
    private Device device = Device.cpu();
    private FallbackPolicy fallback = FallbackPolicy.FAIL;
    private boolean warmUp = true;

    private Builder() {}

    /**
     * Threads inside one operator.
     *
     * @param n 0 for ONNX Runtime's default, else positive
     * @return this builder
     */
    public Builder intraOpThreads(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("intraOpThreads must be >= 0, got " + n);
      }
      this.intra = n;
      return this;
    }

    /**
     * Threads across operators.
     *
     * @param n 0 for ONNX Runtime's default, else positive
     * @return this builder
     */
    public Builder interOpThreads(int n) {
      if (n < 0) {
        throw new IllegalArgumentException("interOpThreads must be >= 0, got " + n);
      }
      this.inter = n;
      return this;
    }

    /**
     * Graph optimization level.
     *
     * @param level the level
     * @return this builder
     */
    public Builder optimization(Optimization level) {
      this.optimization = Objects.requireNonNull(level, "optimization");
      return this;
    }

    /**
     * The requested device and the policy when it is unavailable.
     *
     * @param requested the device
     * @param policy FAIL or FALLBACK_TO_CPU
     * @return this builder
     */
    public Builder device(Device requested, FallbackPolicy policy) {
      this.device = Objects.requireNonNull(requested, "device");
      this.fallback = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /**
     * Whether to warm up at load.
     *
     * @param on true to run one all-zero row at load
     * @return this builder
     */
    public Builder warmUp(boolean on) {
      this.warmUp = on;
      return this;
    }

    /**
     * The options.
     *
     * @return the immutable options
     */
    public OnnxOptions build() {
      return new OnnxOptions(intra, inter, optimization, device, fallback, warmUp);
    }
  }
}
