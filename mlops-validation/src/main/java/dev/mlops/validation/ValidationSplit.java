package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Role;
import dev.mlops.core.Schema;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.jspecify.annotations.Nullable;

/**
 * A batch split by {@link Validator#split}: the {@link #valid()} rows, the {@link #quarantine()}
 * rows with the reasons they failed, and the {@link #report()} of the whole batch.
 * {@code valid().rowCount() + quarantine().rowCount()} equals the input's row count, and both keep
 * the input's row order. Owns both batches: close it.
 */
public final class ValidationSplit implements AutoCloseable {
  /** Name of the string column of the quarantine batch that lists the broken rules of each row. */
  public static final String VIOLATIONS_COLUMN = "_violations";

  private final Batch valid;
  private final Batch quarantine;
  private final ValidationReport report;

  private ValidationSplit(Batch valid, Batch quarantine, ValidationReport report) {
    this.valid = valid;
    this.quarantine = quarantine;
    this.report = report;
  }

  static ValidationSplit of(Validator validator, Batch batch, BufferAllocator allocator) {
    Schema in = batch.schema();
    if (in.contains(VIOLATIONS_COLUMN)) {
      throw new IllegalArgumentException("The batch already has a column '" + VIOLATIONS_COLUMN
          + "', the name of the quarantine's reason column; rename it before splitting");
    }
    int n = batch.rowCount();
    Rejections rejections = new Rejections(0, n);
    ValidationReport report = validator.run(batch, rejections);
    int bad = rejections.rejectedCount();
    int[] validRows = new int[n - bad];
    int[] badRows = new int[bad];
    String[] badReasons = new String[bad];
    int v = 0;
    int q = 0;
    for (int i = 0; i < n; i++) {
      if (rejections.rejected(i)) {
        badReasons[q] = rejections.reasons(i);
        badRows[q++] = i;
      } else {
        validRows[v++] = i;
      }
    }
    List<Field> qFields = new ArrayList<>(in.fields());
    qFields.add(new Field(VIOLATIONS_COLUMN, DataType.STRING, false, Role.FEATURE));
    Batch validBatch = copy(batch, in, validRows, null, allocator);
    try {
      Batch quarantineBatch = copy(batch, Schema.of(qFields), badRows, badReasons, allocator);
      return new ValidationSplit(validBatch, quarantineBatch, report);
    } catch (RuntimeException e) {
      validBatch.close();
      throw e;
    }
  }

  private static Batch copy(Batch src, Schema schema, int[] rows, String @Nullable [] reasons,
      BufferAllocator allocator) {
    VectorSchemaRoot root = VectorSchemaRoot.create(schema.toArrow(), allocator);
    try {
      int count = rows.length;
      int base = src.offset();
      for (int c = 0; c < src.schema().size(); c++) {
        FieldVector to = root.getVector(c);
        to.setInitialCapacity(Math.max(count, 1));
        to.allocateNew();
        FieldVector from = src.vector(c);
        for (int j = 0; j < count; j++) {
          to.copyFromSafe(base + rows[j], j, from);
        }
        to.setValueCount(count);
      }
      if (reasons != null) {
        VarCharVector why = (VarCharVector) root.getVector(schema.size() - 1);
        why.allocateNew(Math.max(count, 1));
        for (int j = 0; j < count; j++) {
          why.setSafe(j, reasons[j].getBytes(StandardCharsets.UTF_8));
        }
        why.setValueCount(count);
      }
      root.setRowCount(count);
      return Batch.adopt(root);
    } catch (RuntimeException e) {
      root.close();
      throw e;
    }
  }

  /**
   * Rows that passed every ERROR row check, with the input's schema.
   *
   * @return the batch, owned by this split
   */
  public Batch valid() {
    return valid;
  }

  /**
   * Rows that failed, with the input's schema plus {@value #VIOLATIONS_COLUMN}.
   *
   * @return the batch, owned by this split
   */
  public Batch quarantine() {
    return quarantine;
  }

  /**
   * The report of the whole input batch.
   *
   * @return the report
   */
  public ValidationReport report() {
    return report;
  }

  /** Frees both batches; idempotent. */
  @Override
  public void close() {
    try {
      valid.close();
    } finally {
      quarantine.close();
    }
  }
}
