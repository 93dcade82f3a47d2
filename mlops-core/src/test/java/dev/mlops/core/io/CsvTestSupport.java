package dev.mlops.core.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Fingerprinter;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;

/** Helpers shared by the io tests. */
final class CsvTestSupport {
  private CsvTestSupport() {}

  /** Everything read from a CSV source: the schema, the rows, the fingerprint and the report. */
  record ReadResult(Schema schema, List<Row> rows, DatasetFingerprint fingerprint, CsvReadReport report,
      int batches) {}

  static ReadResult read(String csv, CsvOptions options, BufferAllocator allocator) {
    return read(csv.getBytes(StandardCharsets.UTF_8), options, allocator);
  }

  static ReadResult read(byte[] csv, CsvOptions options, BufferAllocator allocator) {
    try (CsvReader r = CsvReader.open(new ByteArrayInputStream(csv), "test.csv", options, allocator)) {
      return readAll(r);
    }
  }

  /** Reads every batch, summarizes them and closes them. */
  static ReadResult readAll(CsvReader r) {
    List<Batch> batches = new ArrayList<>();
    try {
      for (Batch b = r.nextBatch(); b != null; b = r.nextBatch()) {
        batches.add(b);
      }
      return summarize(r.schema(), batches, r.report());
    } finally {
      batches.forEach(Batch::close);
    }
  }

  static ReadResult summarize(Schema schema, List<Batch> batches, CsvReadReport report) {
    List<Row> rows = new ArrayList<>();
    Fingerprinter fp = DatasetFingerprint.builder(schema);
    for (Batch b : batches) {
      assertThat(b.schema()).isEqualTo(schema);
      rows.addAll(b.toRows());
      fp.update(b);
    }
    return new ReadResult(schema, rows, fp.build(), report, batches.size());
  }

  static String write(Schema schema, List<Row> rows, CsvOptions options, BufferAllocator allocator) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    try (Batch b = Batch.fromRows(allocator, schema, rows)) {
      CsvWriter.write(out, schema, List.of(b), options);
    }
    return out.toString(StandardCharsets.UTF_8);
  }
}
