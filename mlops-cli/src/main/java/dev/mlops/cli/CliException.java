package dev.mlops.cli;

/** A failure the command line reports with its own exit code and message (no stack trace). */
public final class CliException extends RuntimeException {
  /** Serialization version. */
  private static final long serialVersionUID = 1L;

  /** The process exit code. */
  private final int exitCode;

  /**
   * A failure.
   *
   * @param exitCode the process exit code ({@link Mlops#BAD_INPUT} for bad input)
   * @param message what was wrong and what to do
   */
  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  /**
   * The exit code.
   *
   * @return the code
   */
  public int exitCode() {
    return exitCode;
  }
}
