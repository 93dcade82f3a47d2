package dev.mlops.monitoring.fuzz;

import dev.mlops.core.fuzz.Verdicts;
import dev.mlops.core.fuzz.BoundedFuzzTest;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DriftDetector;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.zip.CRC32;
import org.jspecify.annotations.Nullable;

/**
 * Fuzzes the binary profile reader, {@link DatasetProfile#fromBytes}, with each input as given and again
 * with its length and CRC-32 fixed up ({@link #withValidFrame}). Each either is refused with
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
    check(input);
    byte[] framed = withValidFrame(input);
    if (framed != null) {
      check(framed);
    }
  }

  /**
   * The input with its length field and CRC-32 made to match its payload, so that mutations reach the
   * decoder instead of stopping at the checksum (the C6 profile is such a CRC-valid mutation); null when
   * the input is too short to hold a frame or already matches.
   */
  static byte @Nullable [] withValidFrame(byte[] input) {
    if (input.length < 14) {
      return null;
    }
    byte[] out = input.clone();
    int payload = out.length - 14;
    ByteBuffer b = ByteBuffer.wrap(out);
    b.putInt(6, payload);
    CRC32 crc = new CRC32();
    crc.update(out, 10, payload);
    b.putInt(10 + payload, (int) crc.getValue());
    return Arrays.equals(out, input) ? null : out;
  }

  private static void check(byte[] input) {
    long heapBefore = Verdicts.heapAllocated();
    DatasetProfile p = Verdicts.parse("DatasetProfile.fromBytes", () -> DatasetProfile.fromBytes(input));
    long heap = Verdicts.heapAllocated() - heapBefore;
    if (heap > Verdicts.BASE_BUDGET + Verdicts.HEAP_PER_INPUT_BYTE * input.length) {
      heap = Math.min(heap, Verdicts.heapOfRerun(() -> DatasetProfile.fromBytes(input)));
    }
    Verdicts.withinBudget("DatasetProfile.fromBytes", "heap", heap, input.length, Verdicts.HEAP_PER_INPUT_BYTE);
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
