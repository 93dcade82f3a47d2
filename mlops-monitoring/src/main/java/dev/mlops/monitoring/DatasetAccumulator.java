package dev.mlops.monitoring;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.SchemaMismatchException;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.TimeStampVector;
import org.apache.arrow.vector.VarCharVector;

/** Mutable per-column accumulators of one schema. Not thread-safe. */
final class DatasetAccumulator {
  final Schema schema;
  final ProfileOptions options;
  final ColumnAccumulator[] cols;
  long rows;
  private final StringCounter strings = new StringCounter();

  DatasetAccumulator(Schema schema, ProfileOptions options) {
    this.schema = schema;
    this.options = options;
    this.cols = new ColumnAccumulator[schema.size()];
    for (int i = 0; i < cols.length; i++) {
      cols[i] = new ColumnAccumulator(schema.field(i), options);
    }
  }

  void add(Row row) {
    if (row.schema() != schema && !row.schema().equals(schema)) {
      throw new SchemaMismatchException("Row schema " + row.schema() + " differs from the profiled schema "
          + schema + "; profile rows of one schema per profiler");
    }
    rows++;
    for (int c = 0; c < cols.length; c++) {
      cols[c].add(row.get(c));
    }
  }

  void add(Batch batch) {
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

  private void addColumn(ColumnAccumulator acc, FieldVector v, int from, int to) {
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

  void merge(DatasetProfile p) {
    if (!p.schema().equals(schema)) {
      throw new SchemaMismatchException("Cannot merge a profile of " + p.schema() + " into one of " + schema
          + "; merge profiles of the same schema only");
    }
    if (!p.options().equals(options)) {
      throw new IllegalArgumentException("Cannot merge profiles built with " + p.options() + " and " + options
          + "; build both with the same ProfileOptions");
    }
    rows += p.rowCount();
    for (int c = 0; c < cols.length; c++) {
      cols[c].merge(p.column(c));
    }
  }

  DatasetProfile snapshot() {
    List<ColumnProfile> out = new ArrayList<>(cols.length);
    for (ColumnAccumulator a : cols) {
      out.add(a.snapshot());
    }
    return new DatasetProfile(schema, options, rows, out);
  }
}
