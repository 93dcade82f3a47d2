package dev.mlops.stats;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.util.List;
import java.util.Objects;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/**
 * The mergeable {@link ColumnStatistics} of every column of one schema, and the row count: the state
 * of one pass over a dataset. Rows and Arrow batches may be mixed; the batch path reads the Arrow
 * buffers directly. States of disjoint parts {@link #merge merge} into the state of the whole, which
 * is how validation's dataset rules, profiles and a Spark job's partitions agree. Not thread-safe.
 */
public final class DatasetStatistics {
  private final Schema schema;
  private final ProfileOptions options;
  private final ColumnStatistics[] cols;
  private long rows;
  private final StringCounter strings = new StringCounter();

  private DatasetStatistics(Schema schema, ProfileOptions options) {
    this.schema = Objects.requireNonNull(schema, "schema");
    this.options = Objects.requireNonNull(options, "options");
    this.cols = new ColumnStatistics[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = ColumnStatistics.of(schema.field(i), options);
    }
  }

  /**
   * Empty statistics of a schema.
   *
   * @param schema the columns
   * @param options the sketch sizes
   * @return the statistics
   */
  public static DatasetStatistics of(Schema schema, ProfileOptions options) {
    return new DatasetStatistics(schema, options);
  }

  /**
   * Statistics assembled from column statistics already made (for example, read from a stored
   * profile); the columns are taken over, not copied.
   *
   * @param schema the columns
   * @param options the sketch sizes every column was built with
   * @param rowCount rows summarised; each column must have counted as many
   * @param columns one per field, in schema order
   * @return the statistics
   * @throws IllegalArgumentException when the columns do not match the schema, options or row count
   */
  public static DatasetStatistics ofColumns(Schema schema, ProfileOptions options, long rowCount,
      List<ColumnStatistics> columns) {
    if (columns.size() != schema.size()) {
      throw new IllegalArgumentException("expected " + schema.size() + " column statistics for " + schema + ", got "
          + columns.size());
    }
    DatasetStatistics d = new DatasetStatistics(schema, options);
    for (int i = 0; i < columns.size(); i++) {
      ColumnStatistics c = columns.get(i);
      if (!c.field().equals(schema.field(i)) || !c.options().equals(options) || c.count() != rowCount) {
        throw new IllegalArgumentException("column statistics " + i + " (" + c + ") do not belong to field "
            + schema.field(i) + " of " + rowCount + " rows built with " + options);
      }
      d.cols[i] = c;
    }
    d.rows = rowCount;
    return d;
  }

  /**
   * Adds a row.
   *
   * @param row a row of this schema
   * @throws SchemaMismatchException when the row's schema differs
   */
  public void add(Row row) {
    if (row.schema() != schema && !row.schema().equals(schema)) {
      throw new SchemaMismatchException("Row schema " + row.schema() + " differs from the profiled schema "
          + schema + "; profile rows of one schema per profiler");
    }
    rows++;
    for (int c = 0; c < cols.length; c++) {
      cols[c].add(row.get(c));
    }
  }

  /**
   * Adds every row of a batch.
   *
   * @param batch a batch of this schema
   * @throws SchemaMismatchException when the batch's schema differs
   */
  public void add(Batch batch) {
    if (!batch.schema().equals(schema)) {
      throw new SchemaMismatchException("Batch schema " + batch.schema() + " differs from the profiled schema "
          + schema + "; profile batches of one schema per profiler");
    }
    int from = batch.offset();
    int to = from + batch.rowCount();
    rows += batch.rowCount();
    for (int c = 0; c < cols.length; c++) {
      addColumn(cols[c], batch.vector(c), from, to);
    }
  }

  /**
   * Adds the rows of a batch to one column's statistics only (the caller counts the rows).
   *
   * @param column the column's position
   * @param batch a batch of this schema
   */
  public void addColumn(int column, Batch batch) {
    int from = batch.offset();
    addColumn(cols[column], batch.vector(column), from, from + batch.rowCount());
  }

  private void addColumn(ColumnStatistics acc, FieldVector v, int from, int to) {
    if (v instanceof Float8Vector f && f.getNullCount() == 0) {
      ArrowBuf data = f.getDataBuffer();
      for (int i = from; i < to; i++) {
        acc.addDouble(data.getDouble((long) i * Float8Vector.TYPE_WIDTH));
      }
    } else if (v instanceof BigIntVector b && b.getNullCount() == 0) {
      ArrowBuf data = b.getDataBuffer();
      for (int i = from; i < to; i++) {
        acc.addDouble(data.getLong((long) i * BigIntVector.TYPE_WIDTH));
      }
    } else if (v instanceof Float8Vector f) {
      for (int i = from; i < to; i++) {
        if (f.isNull(i)) {
          acc.addNull();
        } else {
          acc.addDouble(f.get(i));
        }
      }
    } else if (v instanceof BigIntVector b) {
      for (int i = from; i < to; i++) {
        if (b.isNull(i)) {
          acc.addNull();
        } else {
          acc.addDouble(b.get(i));
        }
      }
    } else if (v instanceof Float4Vector f) {
      for (int i = from; i < to; i++) {
        if (f.isNull(i)) {
          acc.addNull();
        } else {
          acc.addDouble(f.get(i));
        }
      }
    } else if (v instanceof TimeStampVector t) {
      for (int i = from; i < to; i++) {
        if (t.isNull(i)) {
          acc.addNull();
        } else {
          acc.addDouble(t.get(i) / 1e6);
        }
      }
    } else if (v instanceof VarCharVector s) {
      strings.count(acc, s, from, to);
    } else if (v instanceof BitVector b) {
      long trues = 0;
      long falses = 0;
      for (int i = from; i < to; i++) {
        if (b.isNull(i)) {
          acc.addNull();
        } else if (b.get(i) != 0) {
          trues++;
        } else {
          falses++;
        }
      }
      if (trues > 0) {
        acc.addString("true", trues);
      }
      if (falses > 0) {
        acc.addString("false", falses);
      }
    } else {
      for (int i = from; i < to; i++) {
        if (v.isNull(i)) {
          acc.addNull();
        } else {
          acc.addOther();
        }
      }
    }
  }

  /**
   * Folds in the statistics of a disjoint set of rows of the same schema; {@code other} is not
   * changed.
   *
   * @param other statistics of an equal schema built with the same options
   * @throws SchemaMismatchException when the schemas differ
   * @throws IllegalArgumentException when the options differ
   */
  public void merge(DatasetStatistics other) {
    if (!other.schema.equals(schema)) {
      throw new SchemaMismatchException("Cannot merge a profile of " + other.schema + " into one of " + schema
          + "; merge profiles of the same schema only");
    }
    if (!other.options.equals(options)) {
      throw new IllegalArgumentException("Cannot merge profiles built with " + other.options + " and " + options
          + "; build both with the same ProfileOptions");
    }
    rows += other.rows;
    for (int c = 0; c < cols.length; c++) {
      cols[c].merge(other.cols[c]);
    }
  }

  /**
   * Folds in a stored summary of a disjoint set of rows column by column, reading its parts without
   * copying them first ({@link ColumnStatistics#mergeSummary}).
   *
   * @param rowCount the summary's rows
   * @param summaryOptions the sketch sizes it was built with
   * @param mergeColumn merges the summary's column {@code i} into the statistics it is given
   * @throws IllegalArgumentException when the options differ (nothing merged), or a column did not
   *     take exactly {@code rowCount} rows (the statistics are then partly merged: discard them)
   */
  public void mergeSummary(long rowCount, ProfileOptions summaryOptions,
      java.util.function.ObjIntConsumer<ColumnStatistics> mergeColumn) {
    if (!summaryOptions.equals(options)) {
      throw new IllegalArgumentException("Cannot merge profiles built with " + summaryOptions + " and " + options
          + "; build both with the same ProfileOptions");
    }
    for (int c = 0; c < cols.length; c++) {
      long before = cols[c].count();
      mergeColumn.accept(cols[c], c);
      if (cols[c].count() - before != rowCount) {
        throw new IllegalArgumentException("column " + schema.field(c).name() + " took " + (cols[c].count() - before)
            + " rows from a summary of " + rowCount);
      }
    }
    rows += rowCount;
  }

  /**
   * A deep copy.
   *
   * @return statistics equal to these that change independently
   */
  public DatasetStatistics copy() {
    DatasetStatistics d = new DatasetStatistics(schema, options);
    d.merge(this);
    return d;
  }

  /**
   * The schema.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The sketch sizes.
   *
   * @return the options
   */
  public ProfileOptions options() {
    return options;
  }

  /**
   * Rows seen.
   *
   * @return the count
   */
  public long rowCount() {
    return rows;
  }

  /**
   * The statistics of a column, live (they change as rows are added).
   *
   * @param i the column's position
   * @return the statistics
   */
  public ColumnStatistics column(int i) {
    return cols[i];
  }

  /**
   * The statistics of a column by name.
   *
   * @param name the column name
   * @return the statistics
   * @throws SchemaMismatchException naming the columns when there is no such column
   */
  public ColumnStatistics column(String name) {
    return cols[schema.indexOf(name)];
  }

  @Override
  public String toString() {
    return "DatasetStatistics[rows=" + rows + ", columns=" + cols.length + ", " + options + "]";
  }
}
