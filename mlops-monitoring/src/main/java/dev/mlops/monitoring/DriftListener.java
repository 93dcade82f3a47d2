package dev.mlops.monitoring;

/**
 * Receives the result of each window a {@link Monitor} closes. Called on the thread that closed the
 * window (the recording thread that filled it, or the caller of {@link Monitor#tick()} /
 * {@link Monitor#flush()}); keep it short or hand the work off, and do not record into, tick or flush
 * the calling monitor from it. Windows are reported one at a time, in window order. An exception thrown
 * by a listener is logged and does not reach the recording thread or the other listeners.
 */
@FunctionalInterface
public interface DriftListener {
  /**
   * Called once per closed window.
   *
   * @param result the window's profiles and drift results
   */
  void onWindow(WindowResult result);
}
