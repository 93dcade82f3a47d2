package dev.mlops.monitoring;

/**
 * Receives the result of each window a {@link Monitor} closes. Called on the monitor's own delivery
 * thread (a daemon named {@code mlops-monitor-<name>-listeners}), never on the thread that recorded
 * or flushed, so a slow listener delays no request; it may record into, tick or flush the calling
 * monitor. Windows are reported one at a time, in window order; a listener slower than windows close
 * loses the oldest waiting results (counted by {@link Monitor#droppedResults()}), so the indices it
 * sees may skip. An exception thrown by a listener is logged and does not reach the other listeners.
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
