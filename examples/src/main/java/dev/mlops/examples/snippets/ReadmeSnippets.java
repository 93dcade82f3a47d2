package dev.mlops.examples.snippets;

import dev.mlops.core.Batch;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Fingerprinter;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The snippets of README.md. */
public final class ReadmeSnippets {
  private ReadmeSnippets() {}

  /**
   * "Using mlops-core": streams a CSV file batch by batch into a fingerprint and prints it.
   *
   * @param csvFile the CSV file, such as {@code data/credit-g.csv}
   * @return the file's fingerprint
   */
  public static DatasetFingerprint fingerprintCsv(Path csvFile) {
    try (BufferAllocator allocator = new RootAllocator();
         CsvReader reader = CsvReader.open(csvFile, CsvOptions.defaults(), allocator)) {
      Fingerprinter fp = DatasetFingerprint.builder(reader.schema());
      Batch next;
      while ((next = reader.nextBatch()) != null) {   // streams: never loads the whole file
        try (Batch batch = next) {
          fp.update(batch);
        }
      }
      DatasetFingerprint fingerprint = fp.build();
      System.out.println(fingerprint + " skipped=" + reader.report().rowsSkipped());
      return fingerprint;
    }
  }
}
