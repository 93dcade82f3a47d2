package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import org.apache.arrow.memory.RootAllocator;

/** Runs a contract over rows on the batch path and the row path and checks that they agree. */
final class Runs {
  private Runs() {}

  /** Rows of a schema from value arrays. */
  static List<Row> rows(Schema schema, Object[]... values) {
    List<Row> out = new ArrayList<>();
    for (Object[] v : values) {
      out.add(Row.of(schema, v));
    }
    return out;
  }

  /** One-column rows. */
  static List<Row> column(Schema schema, Object... values) {
    List<Row> out = new ArrayList<>();
    for (Object v : values) {
      out.add(Row.of(schema, new Object[] {v}));
    }
    return out;
  }

  static ValidationReport report(DataContract contract, List<Row> rows) {
    return report(Validator.compile(contract), contract.schema(), rows);
  }

  static ValidationReport report(DataContract contract, Map<String, Predicate<Row>> predicates, List<Row> rows) {
    return report(Validator.compile(contract, predicates), contract.schema(), rows);
  }

  /**
   * The batch report, after asserting that the same rows as a slice of a larger batch and a session
   * fed the same rows give equal reports, and that
   * each row check's failing count equals the number of rows whose {@code validate(Row)} lists it.
   */
  static ValidationReport report(Validator validator, Schema schema, List<Row> rows) {
    ValidationReport batchReport;
    try (RootAllocator allocator = new RootAllocator()) {
      try (Batch batch = Batch.fromRows(allocator, schema, rows)) {
        batchReport = validator.validate(batch);
      }
      if (!rows.isEmpty()) {
        List<Row> shifted = new ArrayList<>(rows);
        shifted.add(0, rows.get(rows.size() - 1));
        try (Batch whole = Batch.fromRows(allocator, schema, shifted)) {
          assertThat(validator.validate(whole.slice(1, rows.size()))).as("report of a slice").isEqualTo(batchReport);
        }
      }
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
    ValidationSession session = validator.newSession(schema);
    rows.forEach(session::accumulate);
    assertThat(session.report()).isEqualTo(batchReport);
    for (ConstraintResult r : batchReport.results()) {
      if (r.constraint().scope() == Scope.ROW && r.status() != ConstraintResult.Status.NOT_EVALUATED) {
        long rowFailures = rows.stream()
            .filter(row -> validator.validate(row).violations().stream().anyMatch(v -> v.constraint().equals(r.constraint())))
            .count();
        assertThat(rowFailures).as("rows failing %s on validate(Row)", r.id()).isEqualTo(r.failingCount());
      }
    }
    return batchReport;
  }

  /** The single constraint's result of a one-constraint contract. */
  static ConstraintResult one(Schema schema, Constraint c, List<Row> rows) {
    return report(DataContract.of("test", schema, c), rows).results().get(0);
  }

  static List<Long> exampleRows(ConstraintResult r) {
    return r.examples().stream().map(FailingExample::row).toList();
  }

  static Object[] arr(Object... v) {
    return Arrays.copyOf(v, v.length);
  }
}
