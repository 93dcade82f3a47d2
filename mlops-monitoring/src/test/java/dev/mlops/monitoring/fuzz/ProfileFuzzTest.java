package dev.mlops.monitoring.fuzz;

import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DriftDetector;

/**
 * Fuzzes the binary profile reader, {@link DatasetProfile#fromBytes}. Each input either is refused with
 * an {@code MlopsException} (a {@code DataFormatException}), or decodes, within a memory budget
 * proportional to its size, to a profile that is usable: it renders as JSON, writes back to bytes that
 * decode to the same profile, merges with itself, and compares with itself and with its merge
 * under {@link DriftDetector} in bounded time (the known bug is a NaN sketch item that makes
 * {@code compare} spin forever), throwing nothing but an {@code MlopsException}.
 */
class ProfileFuzzTest {
  private static final DriftDetector DRIFT = DriftDetector.withDefaults();

  @BoundedFuzzTest
  void decodeAndCompare(byte[] input) {
    long heapBefore = Verdicts.heapAllocated();
    DatasetProfile p = Verdicts.parse("DatasetProfile.fromBytes", () -> DatasetProfile.fromBytes(input));
    Verdicts.withinBudget("DatasetProfile.fromBytes", "heap", Verdicts.heapAllocated() - heapBefore, input.length,
        Verdicts.HEAP_PER_INPUT_BYTE);
    if (p == null) {
      return;
    }
    // Compared through the JSON summary, not byte for byte: DataSketches re-serializes a heapified HLL
    // sketch with other bytes for the same content.
    String json = Verdicts.accepted("DatasetProfile.toJson", p::toJson);
    byte[] written = Verdicts.accepted("DatasetProfile.toBytes", p::toBytes);
    String again = Verdicts.accepted("DatasetProfile.fromBytes of toBytes", () ->
        DatasetProfile.fromBytes(written).toJson());
    if (!json.equals(again)) {
      throw new AssertionError("a decoded profile written with toBytes reads back as another profile:\n" + json
          + "\nversus\n" + again);
    }
    Verdicts.parse("DriftDetector.compare(profile, itself)", () -> DRIFT.compare(p, p));
    DatasetProfile merged = Verdicts.parse("DatasetProfile.merge(itself)", () -> p.merge(p));
    if (merged != null) {
      Verdicts.parse("DriftDetector.compare(profile, merge with itself)", () -> DRIFT.compare(p, merged));
      Verdicts.parse("DriftDetector.compare(merge with itself, profile)", () -> DRIFT.compare(merged, p));
    }
  }
}
