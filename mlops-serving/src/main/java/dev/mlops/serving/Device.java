package dev.mlops.serving;

/**
 * Where a model runs: the CPU, or a CUDA GPU by index.
 *
 * @param kind CPU or CUDA
 * @param id the GPU index for CUDA, 0 for CPU
 */
public record Device(Kind kind, int id) {

  /** Device kinds. */
  public enum Kind {
    /** The host CPU. */
    CPU,
    /** An NVIDIA GPU through the CUDA execution provider. */
    CUDA
  }

  /**
   * Validates the components.
   *
   * @param kind the kind
   * @param id the GPU index
   */
  public Device {
    if (id < 0 || (kind == Kind.CPU && id != 0)) {
      throw new IllegalArgumentException("Invalid device id " + id + " for " + kind + "; use cpu() or cuda(n >= 0)");
    }
  }

  /**
   * The CPU.
   *
   * @return the device
   */
  public static Device cpu() {
    return new Device(Kind.CPU, 0);
  }

  /**
   * A CUDA GPU.
   *
   * @param id the GPU index (0 for the first)
   * @return the device
   */
  public static Device cuda(int id) {
    return new Device(Kind.CUDA, id);
  }

  /** {@code cpu} or {@code cuda:N}, as used in meter tags and logs. */
  @Override
  public String toString() {
    return kind == Kind.CPU ? "cpu" : "cuda:" + id;
  }
}
