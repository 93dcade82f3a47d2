package dev.mlops.monitoring;

import dev.mlops.monitoring.drift.DatasetDrift;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link Monitor} saw in one closed window and how it compares with the reference.
 *
 * @param monitor the monitor's name
 * @param index 0-based number of the window
 * @param start when the window opened (clock time)
 * @param end when it closed (clock time; for time windows, the scheduled end)
 * @param inputs profile of the inputs recorded in the window
 * @param outputs profile of the outputs, or null when the monitor has no output reference
 * @param inputDrift inputs compared with the input reference
 * @param outputDrift outputs compared with the output reference, or null
 */
public record WindowResult(String monitor, long index, Instant start, Instant end, DatasetProfile inputs,
    @Nullable DatasetProfile outputs, DatasetDrift inputDrift, @Nullable DatasetDrift outputDrift) {

  /**
   * Whether inputs or outputs drifted at the dataset level.
   *
   * @return true when either verdict is drift
   */
  public boolean drifted() {
    return inputDrift.drifted() || outputDrift != null && outputDrift.drifted();
  }
}
