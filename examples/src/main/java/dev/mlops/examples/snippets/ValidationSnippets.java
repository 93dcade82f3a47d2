package dev.mlops.examples.snippets;

import static dev.mlops.validation.assertions.DataContractAssertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.OnlinePolicy;
import dev.mlops.validation.Quarantine;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.ValidationSplit;
import dev.mlops.validation.Validator;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/** The snippets of docs/validation.md, in the order they appear there. */
public final class ValidationSnippets {
  private ValidationSnippets() {}

  /**
   * Step 1: suggests a contract from reference data and writes it for review.
   *
   * @param creditG the reference data, {@code data/credit-g.csv}
   * @param contractFile where the contract goes, such as {@code contracts/credit-g.yaml}
   * @return the suggested contract
   */
  public static DataContract suggestContract(Path creditG, Path contractFile) {
    try (BufferAllocator allocator = new RootAllocator();
         Batch credit = CsvReader.readAll(creditG, CsvOptions.defaults(), allocator)) {
      DataContract contract = ContractInference.defaults().infer("credit-g", credit);
      contract.write(contractFile);   // .yaml/.yml: YAML, otherwise JSON
      return contract;
    }
  }

  /**
   * Step 2: validates a batch against the committed contract and prints the report.
   *
   * @param contractFile the contract written by {@link #suggestContract}
   * @param batch the data to check
   * @return the report
   */
  public static ValidationReport validateBatch(Path contractFile, Batch batch) {
    Validator validator = Validator.compile(DataContract.read(contractFile));
    ValidationReport report = validator.validate(batch);
    System.out.println(report.toText());
    return report;
  }

  /**
   * Step 3: splits a batch into valid rows (written as Arrow IPC) and quarantined rows with their
   * reasons (written as CSV).
   *
   * @param validator the compiled contract
   * @param batch the data to split
   * @param allocator allocates the two halves, released when the split closes
   * @param validFile where the valid rows go
   * @param quarantineFile where the quarantined rows go
   * @return the report of the split
   */
  public static ValidationReport quarantine(Validator validator, Batch batch, BufferAllocator allocator,
      Path validFile, Path quarantineFile) {
    try (ValidationSplit split = validator.split(batch, allocator)) {
      ArrowIpc.writeFile(validFile, split.valid());                                // 992 rows, the input schema
      CsvWriter.write(quarantineFile, split.quarantine(), CsvOptions.defaults());  // 8 rows, the input schema + "_violations"
      return split.report();
    }
  }

  /**
   * Step 3b: a dataset of several CSV files validated in one session, so that its dataset rules
   * ({@code unique}, {@code row_count}, statistics) are judged on every file together.
   *
   * @param validator the compiled contract
   * @param csvFiles the dataset's files, in order
   * @param allocator where each batch's memory comes from while it is validated
   * @return the report over all files
   */
  public static ValidationReport validateFiles(Validator validator, List<Path> csvFiles, BufferAllocator allocator) {
    ValidationSession session = validator.newSession(validator.contract().readSchema());
    CsvOptions options = CsvOptions.builder().schema(validator.contract().readSchema()).build();  // nulls reach not_null
    for (Path file : csvFiles) {
      try (CsvReader reader = CsvReader.open(file, options, allocator)) {
        Batch next;
        while ((next = reader.nextBatch()) != null) {
          try (Batch batch = next) {
            session.accumulate(batch);  // rows numbered across files: the second file's first row follows the first file's last
          }
        }
      }
    }
    return session.report();
  }

  /**
   * Step 3c: the same files validated apart (one thread, task or machine each) and merged.
   *
   * @param validator the compiled contract
   * @param fileRowCounts rows per file, which fix each file's first global row index
   * @param perFile validates one file into the session it is given
   * @return the report over all files, equal to {@link #validateFiles}'s
   */
  public static ValidationReport mergeFileSessions(Validator validator, long[] fileRowCounts,
      java.util.function.BiConsumer<Integer, ValidationSession> perFile) {
    ValidationSession whole = validator.newSession(validator.contract().readSchema());
    long firstRow = 0;
    for (int i = 0; i < fileRowCounts.length; i++) {
      ValidationSession part = validator.newSession(validator.contract().readSchema(), firstRow);
      perFile.accept(i, part);
      whole.merge(part);  // any grouping, any order
      firstRow += fileRowCounts[i];
    }
    return whole.report();
  }

  /** A report and the profile of the same rows, from one pass. */
  public record ValidatedProfile(ValidationReport report, DatasetProfile profile) {}

  /**
   * Step 3e: validates and profiles a file in one pass; the contract's statistics rules and the
   * profile read the same column states.
   *
   * @param validator the compiled contract
   * @param csvFile the data
   * @param allocator where each batch's memory comes from
   * @return the report and the profile
   */
  public static ValidatedProfile validateAndProfile(Validator validator, Path csvFile, BufferAllocator allocator) {
    CsvOptions options = CsvOptions.builder().schema(validator.contract().readSchema()).build();
    ValidationSession session = validator.newSession(validator.contract().readSchema())
        .profileWith(ProfileOptions.defaults());  // the rules' statistics and the profile: one set of states
    try (CsvReader reader = CsvReader.open(csvFile, options, allocator)) {
      Batch next;
      while ((next = reader.nextBatch()) != null) {
        try (Batch batch = next) {
          session.accumulate(batch);
        }
      }
    }
    DatasetProfile profile = DatasetProfile.of(session.statistics());  // the same rows, read once
    return new ValidatedProfile(session.report(), profile);
  }

  /**
   * Step 3d: the batch job. Validates every CSV file of a directory in one session, writes every
   * bad row and every unreadable line to one quarantine with its file, line and reason, prints the
   * counts, and returns the exit code: 0 when the data passes, 1 when it fails.
   *
   * @param validator the compiled contract
   * @param inputDir the directory of CSV files
   * @param quarantineFile where the quarantine goes (CSV)
   * @param allocator where batch memory comes from
   * @return the process exit code
   * @throws IOException when the directory cannot be listed
   */
  public static int batchJob(Validator validator, Path inputDir, Path quarantineFile, BufferAllocator allocator)
      throws IOException {
    Schema schema = validator.contract().readSchema();
    CsvOptions options = CsvOptions.builder().schema(schema).badLinePolicy(BadLinePolicy.SKIP).build();
    List<Path> files;
    try (Stream<Path> listed = Files.list(inputDir)) {
      files = listed.filter(f -> f.toString().endsWith(".csv")).sorted().toList();
    }
    ValidationSession session = validator.newSession(schema);
    long records = 0;
    try (Quarantine quarantine = Quarantine.open(quarantineFile, Quarantine.Format.CSV, schema, allocator)) {
      session.quarantineTo(quarantine);
      for (Path file : files) {
        String source = file.getFileName().toString();
        try (CsvReader reader = CsvReader.open(file, options, allocator)) {
          Batch next;
          do {
            next = reader.nextBatch();
            quarantine.addMalformed(source, reader.badLinesOfLastBatch());  // unreadable lines, with their reason
            if (next != null) {
              try (Batch batch = next) {
                session.accumulate(batch, source, reader::lineOf);
              }
            }
          } while (next != null);
          records += reader.report().rowsRead() + reader.report().rowsSkipped();
        }
      }
      ValidationReport report = session.report();
      long valid = report.rowCount() - quarantine.ruleFailures();
      System.out.println(report.toText());
      System.out.printf("%d records: %d valid, %d quarantined for their rules, %d unreadable%n", records, valid,
          quarantine.ruleFailures(), quarantine.malformedLines());
      return report.passed() ? 0 : 1;
    }
  }

  /**
   * Step 4: the contract on the request path.
   *
   * @param contract the contract
   * @param row the request's row
   * @return the row's result, when it has no ERROR violation
   * @throws dev.mlops.validation.RowContractViolationException when it has one
   */
  public static RowResult enforceOnRequest(DataContract contract, Row row) {
    Validator validator = Validator.compile(contract);            // once, shared by all threads
    RowResult r = validator.enforce(row, OnlinePolicy.REJECT);   // throws on ERROR violations
    return r;
  }

  /**
   * Step 5: the contract in a unit test, with the AssertJ assertions of mlops-validation.
   *
   * @param contract the contract
   * @param batch data that satisfies it
   * @param corrupted data that breaks {@code credit_amount.range} on 3 rows
   * @param row a row that satisfies it
   * @throws AssertionError when one of the four assertions fails
   */
  public static void assertInATest(DataContract contract, Batch batch, Batch corrupted, Row row) {
    assertThat(batch).satisfies(contract);            // WARN failures allowed
    assertThat(batch).satisfiesStrictly(contract);    // WARN failures fail too
    assertThat(corrupted).violates(contract).hasFailure("credit_amount.range", 3);
    assertThat(row).satisfies(contract);               // the row checks, as OnlinePolicy.REJECT
  }

  /**
   * Constraints: binds the Java predicate of a {@code custom} constraint named {@code adult}.
   *
   * @param contract a contract with a custom constraint {@code adult} over {@code age}
   * @return the compiled contract
   */
  public static Validator compileWithCustomRule(DataContract contract) {
    Validator v = Validator.compile(contract, Map.of("adult", row -> row.isNull("age") || row.getDouble("age") >= 18));
    return v;
  }
}
