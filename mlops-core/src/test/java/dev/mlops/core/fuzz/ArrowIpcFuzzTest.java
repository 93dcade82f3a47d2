package dev.mlops.core.fuzz;

import dev.mlops.core.Batch;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.ArrowIpcReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.complex.FixedSizeListVector;
import org.apache.arrow.vector.util.ValueVectorUtility;

/**
 * Fuzzes the Arrow IPC readers, {@link ArrowIpc#openFile} and {@link ArrowIpc#openStream}, with
 * arbitrary bytes. Each input either is refused with an {@code MlopsException} or yields batches that
 * pass Arrow's own full validation ({@link ValueVectorUtility#validateFull}: lengths, offsets and
 * buffer sizes against the data present), convert to rows, fingerprint, and written back as a stream
 * read back to equal rows. Either way a fresh allocator per input is back at zero afterwards, and memory
 * follows the bytes present: a file may not make the reader allocate more than a budget proportional
 * to its size, a stream no more than {@link #STREAM_BUDGET} plus a share per byte.
 */
class ArrowIpcFuzzTest {
  /** Arrow and heap bytes per input byte: a batch body is read once and may be copied once. */
  private static final long PER_INPUT_BYTE = 32;
  /**
   * What a stream of unknown length may make the reader allocate before its end shows: far above any
   * real message of the seeds, far below the declared lengths of an allocation bomb (the magic 'ARRO'
   * read as 1.33 GB, or 0x7FFFFFF0).
   */
  static final long STREAM_BUDGET = 256L << 20;
  private static final Path FILE = FuzzFiles.file("input.arrow");

  @BoundedFuzzTest
  void readFile(byte[] input) throws Exception {
    Files.write(FILE, input);
    check("ArrowIpc.openFile", input, 0, allocator -> ArrowIpc.openFile(FILE, allocator));
  }

  @BoundedFuzzTest
  void readStream(byte[] input) {
    check("ArrowIpc.openStream", input, STREAM_BUDGET - Verdicts.BASE_BUDGET,
        allocator -> ArrowIpc.openStream(new ByteArrayInputStream(input), "fuzz stream", allocator));
  }

  @FunctionalInterface
  interface Opener {
    ArrowIpcReader open(BufferAllocator allocator) throws Exception;
  }

  private static void check(String what, byte[] input, long extraBudget, Opener opener) {
    List<Batch> batches = new ArrayList<>();
    try (RootAllocator allocator = new RootAllocator()) {
      long heapBefore = Verdicts.heapAllocated();
      Schema schema = Verdicts.parse(what, () -> {
        try (ArrowIpcReader reader = opener.open(allocator)) {
          for (Batch b = reader.nextBatch(); b != null; b = reader.nextBatch()) {
            batches.add(b);
          }
          return reader.schema();
        }
      });
      long heap = Verdicts.heapAllocated() - heapBefore;
      if (heap - extraBudget > Verdicts.BASE_BUDGET + PER_INPUT_BYTE * input.length) {
        heap = Math.min(heap, Verdicts.heapOfRerun(() -> {
          try (RootAllocator again = new RootAllocator(); ArrowIpcReader reader = opener.open(again)) {
            for (Batch b = reader.nextBatch(); b != null; b = reader.nextBatch()) {
              b.close();
            }
          }
          return null;
        }));
      }
      try {
        Verdicts.withinBudget(what, "heap", heap - extraBudget, input.length, PER_INPUT_BYTE);
        Verdicts.withinBudget(what, "Arrow memory", allocator.getPeakMemoryAllocation() - extraBudget, input.length,
            PER_INPUT_BYTE);
        if (schema != null) {
          exercise(what, schema, batches, allocator);
        }
      } finally {
        batches.forEach(Batch::close);
      }
      if (allocator.getAllocatedMemory() != 0) {
        throw new AssertionError(what + " leaked " + allocator.getAllocatedMemory() + " bytes of Arrow memory"
            + (schema == null ? " on the error path" : ""));
      }
    }
  }

  /**
   * Arrow's full validation; a fixed-size list (a tensor column) is checked as a structure plus its
   * element vector, since Arrow 19's data visitor asks it for an offset buffer it does not have.
   */
  static void validateFull(FieldVector v) {
    if (v instanceof FixedSizeListVector list) {
      ValueVectorUtility.validate(list);
      validateFull(list.getDataVector());
    } else {
      ValueVectorUtility.validateFull(v);
    }
  }

  private static void exercise(String what, Schema schema, List<Batch> batches, BufferAllocator allocator) {
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < batches.size(); i++) {
      Batch b = batches.get(i);
      for (FieldVector v : b.arrowRoot().getFieldVectors()) {
        try {
          validateFull(v);
        } catch (RuntimeException e) {
          throw new AssertionError(what + " handed out batch " + i + " whose column '" + v.getName()
              + "' fails Arrow's validation (" + e.getMessage() + "); a batch that lies about its length, offsets"
              + " or buffers must be refused when read", e);
        }
      }
      rows.addAll(Verdicts.accepted(what + " batch " + i + " toRows", b::toRows));
      Verdicts.accepted(what + " batch " + i + " fingerprint", () -> DatasetFingerprint.of(b));
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Verdicts.accepted("ArrowIpc.writeStream of what " + what + " read", () -> {
      ArrowIpc.writeStream(out, schema, batches);
      return null;
    });
    List<Row> back = new ArrayList<>();
    Verdicts.accepted("ArrowIpc.readStream of ArrowIpc.writeStream's output", () -> {
      for (Batch b : ArrowIpc.readStream(new ByteArrayInputStream(out.toByteArray()), "written", allocator)) {
        try (b) {
          back.addAll(b.toRows());
        }
      }
      return null;
    });
    if (!back.equals(rows)) {
      throw new AssertionError(what + ": the batches read, written as a stream and read again, differ");
    }
  }
}
