package dev.mlops.spark;

import dev.mlops.core.Batch;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.StructType;

/** The bundled credit-g data as library rows and as a Spark dataset with chosen partition sizes. */
final class CreditG {
  static final Path CSV = Path.of("../data/credit-g.csv");

  final Schema schema;
  final List<dev.mlops.core.Row> rows;
  final StructType struct;

  private CreditG(Schema schema, List<dev.mlops.core.Row> rows, StructType struct) {
    this.schema = schema;
    this.rows = rows;
    this.struct = struct;
  }

  static CreditG load() {
    Schema csv = CsvReader.inferSchemaFromWholeFile(CSV, CsvOptions.defaults());
    StructType struct = SparkSchemas.toStructType(csv);
    Schema schema = SparkSchemas.toSchema(struct);
    List<dev.mlops.core.Row> rows = new ArrayList<>();
    try (BufferAllocator a = new RootAllocator();
        Batch b = CsvReader.readAll(CSV, CsvOptions.builder().schema(csv).build(), a)) {
      for (dev.mlops.core.Row r : b.toRows()) {
        Object[] v = new Object[schema.size()];
        for (int i = 0; i < v.length; i++) {
          v[i] = r.get(i);
        }
        rows.add(dev.mlops.core.Row.of(schema, v));
      }
    }
    return new CreditG(schema, rows, struct);
  }

  /** 16 partition sizes over the 1,000 rows: five of one row, ten of 60, the rest in the last. */
  static int[] smallPartitions() {
    int[] sizes = new int[16];
    int left = 1000;
    for (int i = 0; i < 15; i++) {
      sizes[i] = i % 3 == 0 ? 1 : 60;
      left -= sizes[i];
    }
    sizes[15] = left;
    return sizes;
  }

  /**
   * The rows as a dataset whose partitions hold the given numbers of rows, in order.
   *
   * @param sizes rows per partition; they sum to at most the row count; a 0 makes an empty partition
   */
  Dataset<Row> dataset(SparkSession spark, List<dev.mlops.core.Row> source, int... sizes) {
    List<List<Row>> parts = new ArrayList<>();
    int at = 0;
    for (int n : sizes) {
      List<Row> part = new ArrayList<>();
      for (int i = at; i < at + n; i++) {
        dev.mlops.core.Row r = source.get(i);
        Object[] v = new Object[r.size()];
        for (int c = 0; c < v.length; c++) {
          v[c] = r.get(c);
        }
        part.add(RowFactory.create(v));
      }
      at += n;
      parts.add(part);
    }
    JavaRDD<Row> rdd = JavaSparkContext.fromSparkContext(spark.sparkContext()).parallelize(parts, parts.size())
        .flatMap(List::iterator);
    return spark.createDataFrame(rdd, struct);
  }
}
