package dev.mlops.benchmarks.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.Validator;
import java.nio.file.Path;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The baseline of the CLI's overhead measurement (docs/BENCHMARKS.md, mlops-cli): the same whole-file
 * validation {@code mlops validate} does, written against the library API in a plain {@code main}, so
 * both are timed as whole processes on the same file.
 */
public final class LibraryValidate {
  private LibraryValidate() {}

  /**
   * Validates a CSV file against a contract and prints the report's first line.
   *
   * @param args the contract file, the CSV file
   */
  public static void main(String[] args) {
    DataContract contract = DataContract.read(Path.of(args[0]));
    Validator validator = Validator.compile(contract);
    CsvOptions options = CsvOptions.builder().schema(contract.readSchema()).badLinePolicy(BadLinePolicy.SKIP).build();
    ValidationSession session = validator.newSession(contract.readSchema());
    try (BufferAllocator allocator = new RootAllocator();
        CsvReader reader = CsvReader.open(Path.of(args[1]), options, allocator)) {
      Batch next;
      while ((next = reader.nextBatch()) != null) {
        try (Batch batch = next) {
          session.accumulate(batch, args[1], reader::lineOf);
        }
      }
    }
    ValidationReport report = session.report();
    System.out.println(report.toText().lines().findFirst().orElse(""));
  }
}
