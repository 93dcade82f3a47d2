package dev.mlops.spark;

import dev.mlops.core.DataType;
import dev.mlops.core.Schema;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.Constraint;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Quarantine;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Severity;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.Validator;
import dev.mlops.validation.Violation;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.apache.spark.Partitioner;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaPairRDD;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;
import scala.Tuple2;

/**
 * Validation of a Spark {@code Dataset<Row>} against a {@link DataContract}: the report local
 * validation of the same rows gives (rows taken partition after partition), with dataset rules judged
 * on the whole dataset, and a quarantine {@code Dataset<Row>} of the rows an ERROR rule rejects.
 *
 * <p>How it runs: one Spark job validates every partition on its executor into a
 * {@link ValidationSession}, opened at row {@code partition * 2^40} so that row indices sort as
 * (partition, offset) before anyone knows the partitions' sizes; the sessions travel as their checked
 * bytes ({@link ValidationSession#toBytes()}, a few hundred bytes plus the column statistics of
 * mean, stddev and quantile rules) and merge with Spark's {@code treeReduce}. The keys of
 * {@code unique}, {@code compound_unique} and {@code distinct_count} are not kept there
 * ({@link ValidationSession#leaveKeysToCaller()}): a second job sends every non-null key through
 * Spark's shuffle, which counts each key's occurrences and keeps its six lowest rows (its first and
 * the repeats that can be examples), so uniqueness is exact across all partitions and a key's memory
 * is Spark's, spilled to disk as Spark spills, not one JVM's. The driver brings the counts into the
 * merged session and renumbers it to the indices of one pass; no row is collected to the driver.
 * A retried task's partial state is dropped by Spark with its failed attempt, so nothing counts twice.
 *
 * <p>The quarantine is lazy: reading it runs a job that checks each row's row rules on its
 * executor and, with ERROR key rules, sends the keys through the shuffle once more to mark every
 * repeat (each occurrence but the first), then joins those marks to their partitions without moving
 * a row. Each quarantined row keeps its columns and gains {@code _violations} (every rule it broke,
 * ERROR and WARN, worded as the local quarantine words them), {@code _partition} and
 * {@code _offset} (its position in the validated dataset). Cache the input when it is expensive to
 * compute, since the report and the quarantine each read it.
 *
 * <p>The row order within a partition must be the same on each read (true of files and of
 * deterministic transformations), as for any Spark job that reads its input twice. Custom Java
 * constraints cannot run here (a predicate does not travel to executors); the contract is refused
 * with their names.
 *
 * <pre>{@code
 * SparkValidation.Result r = SparkValidation.validate(spark.read().parquet("loans/"), contract);
 * if (r.report().verdict() == Verdict.FAIL) {
 *   r.quarantine().write().parquet("quarantine/");
 * }
 * }</pre>
 */
public final class SparkValidation {
  /** Bits of a partition's first row index left to its offsets: 2^40 rows per partition. */
  static final int OFFSET_BITS = 40;
  /** Column of the quarantine naming the row's partition. */
  public static final String PARTITION_COLUMN = "_partition";
  /** Column of the quarantine giving the row's offset in its partition. */
  public static final String OFFSET_COLUMN = "_offset";
  /** Lowest rows kept per key: its first and the five repeats that can be examples. */
  private static final int KEPT = ValidationReport.MAX_EXAMPLES + 1;
  /** Rows per batch a partition is validated in. */
  private static final int BATCH_ROWS = 8192;

  private SparkValidation() {}

  /**
   * The outcome of validating a dataset.
   *
   * @param report the report, as local validation of the same rows gives it
   * @param quarantine the rejected rows with their violations, partition and offset (lazy)
   * @param profile the profile of every column gathered in the same pass, or null when not asked for
   */
  public record Result(ValidationReport report, Dataset<Row> quarantine, @Nullable DatasetProfile profile) {}

  /**
   * Validates a dataset.
   *
   * @param data the rows
   * @param contract the contract
   * @return the report and the (lazy) quarantine
   * @throws IllegalArgumentException when the contract has custom constraints
   * @throws dev.mlops.core.SchemaMismatchException naming the columns whose Spark type has no mlops
   *     type
   */
  public static Result validate(Dataset<Row> data, DataContract contract) {
    return run(data, contract, null);
  }

  /**
   * Validates a dataset and profiles it in the same pass: the profile is the one
   * {@link SparkProfiles#profile(Dataset, ProfileOptions)} gives, and the contract's mean, stddev and
   * quantile rules read its statistics.
   *
   * @param data the rows
   * @param contract the contract
   * @param options the sketch sizes of the profile
   * @return the report, the (lazy) quarantine and the profile
   */
  public static Result validateAndProfile(Dataset<Row> data, DataContract contract, ProfileOptions options) {
    return run(data, contract, Objects.requireNonNull(options, "options"));
  }

  private static Result run(Dataset<Row> data, DataContract contract, @Nullable ProfileOptions options) {
    List<String> custom = new ArrayList<>();
    for (Constraint c : contract.constraints()) {
      if ((c instanceof Constraint.When w ? w.rule() : c) instanceof Constraint.Custom) {
        custom.add(c.id());
      }
    }
    if (!custom.isEmpty()) {
      throw new IllegalArgumentException("contract '" + contract.name() + "' has custom constraints " + custom
          + ", whose Java predicates cannot run on Spark executors; express them as built-in rules, or validate"
          + " those rules with Validator.compile(contract, predicates) on the rows");
    }
    Schema schema = SparkSchemas.toSchema(data.schema());
    Spec spec = new Spec(contract.toJson(), schema.toJson(), options == null ? null : new int[] {options.kllK(),
        options.hllLgK(), options.frequentItemsMaxMapSize(), options.maxTrackedValues()});
    Validator validator = spec.validator();
    JavaRDD<Row> rows = data.javaRDD();
    int partitions = rows.getNumPartitions();
    if (partitions >= 1 << (63 - OFFSET_BITS)) {
      throw new IllegalArgumentException("the dataset has " + partitions + " partitions; at most 2^23 can be"
          + " numbered apart; coalesce it");
    }
    ValidationSession session;
    if (partitions == 0) {
      session = spec.session(0);
    } else {
      byte[] merged = rows.mapPartitionsWithIndex((p, it) -> List.of(spec.validatePartition(p, it)).iterator(),
          false).treeReduce((a, b) -> spec.merge(a, b), 2);
      session = validator.sessionFromBytes(merged);
    }
    List<Integer> keyRules = session.keyRules();
    JavaPairRDD<Key, Long> keys = null;
    JavaPairRDD<Key, long[]> combined = null;
    if (!keyRules.isEmpty() && partitions > 0) {
      int[] rules = keyRules.stream().mapToInt(Integer::intValue).toArray();
      keys = JavaPairRDD.fromJavaRDD(rows.mapPartitionsWithIndex((p, it) -> spec.keys(rules, p, it), false));
      combined = keys.combineByKey(SparkValidation::firstRows, SparkValidation::addRow, SparkValidation::mergeRows);
      KeyTotals totals = combined.treeAggregate(new KeyTotals(rules), KeyTotals::add, KeyTotals::merge, 2);
      for (int k = 0; k < rules.length; k++) {
        session.reportKeys(rules[k], totals.distinct[k], totals.repeats[k], totals.lowest(k));
      }
    } else {
      for (int rule : keyRules) {
        session.reportKeys(rule, 0, 0, List.of());
      }
    }
    session.renumber(0);
    ValidationReport report = session.report();
    DatasetProfile profile = options == null ? null : DatasetProfile.of(session.statistics());
    return new Result(report, quarantine(data, spec, keys, combined, keyRules), profile);
  }

  /** The rejected rows, lazily: row rules per row, key repeats marked by a second shuffle. */
  private static Dataset<Row> quarantine(Dataset<Row> data, Spec spec, @Nullable JavaPairRDD<Key, Long> keys,
      @Nullable JavaPairRDD<Key, long[]> combined, List<Integer> keyRules) {
    StructType out = data.schema().add(Quarantine.VIOLATIONS_COLUMN, DataTypes.StringType, false)
        .add(PARTITION_COLUMN, DataTypes.IntegerType, false).add(OFFSET_COLUMN, DataTypes.LongType, false);
    SparkSession spark = data.sparkSession();
    JavaRDD<Row> rows = data.javaRDD();
    int partitions = rows.getNumPartitions();
    boolean repeatsReject = keyRules.stream().anyMatch(r -> !(spec.constraint(r) instanceof Constraint.DistinctCount));
    JavaRDD<Row> rejected;
    if (keys == null || combined == null || partitions == 0 || !repeatsReject) {
      rejected = rows.mapPartitionsWithIndex((p, it) -> spec.rejectRows(p, it, List.<Mark>of().iterator()), false);
    } else {
      // Every occurrence of a key but its first, sent to its own partition.
      JavaRDD<Mark> marks = keys.join(combined.mapValues(c -> c[1]))
          .filter(t -> !(spec.constraint(t._1().rule()) instanceof Constraint.DistinctCount)
              && t._2()._1().longValue() != t._2()._2().longValue())
          .mapToPair(t -> {
            long row = t._2()._1();
            return new Tuple2<>((int) (row >>> OFFSET_BITS), new Mark(row & ((1L << OFFSET_BITS) - 1),
                t._1().rule(), t._1().value()));
          })
          .partitionBy(new ByPartition(partitions)).values();
      rejected = rows.zipPartitions(marks, (it, m) -> {
        List<Mark> sorted = new ArrayList<>();
        m.forEachRemaining(sorted::add);
        sorted.sort(Comparator.comparingLong(Mark::offset).thenComparingInt(Mark::rule));
        return spec.rejectRows(TaskContext.getPartitionId(), it, sorted.iterator());
      });
    }
    return spark.createDataFrame(rejected, out);
  }

  /** A key of one rule: the rule's contract index and the key (a value, or a list for compound keys). */
  record Key(int rule, Object value) implements Serializable {}

  /** A repeat of a key at one offset of a partition. */
  record Mark(long offset, int rule, Object key) implements Serializable {}

  /** A repeat of a key at a (sparse) row index. */
  record Repeat(long row, Object key) implements Serializable {}

  /** {count, then the lowest rows, ascending, up to KEPT}. */
  private static long[] firstRows(long row) {
    return new long[] {1, row};
  }

  private static long[] addRow(long[] c, long row) {
    return mergeRows(c, new long[] {1, row});
  }

  private static long[] mergeRows(long[] a, long[] b) {
    int n = Math.min(KEPT, a.length - 1 + b.length - 1);
    long[] out = new long[n + 1];
    out[0] = a[0] + b[0];
    int i = 1;
    int j = 1;
    for (int k = 1; k <= n; k++) {
      out[k] = j >= b.length || i < a.length && a[i] <= b[j] ? a[i++] : b[j++];
    }
    return out;
  }

  /** Per key rule: distinct keys, repeats, and the repeats of the lowest rows. */
  static final class KeyTotals implements Serializable {
    private static final long serialVersionUID = 1L;
    final int[] rules;
    final long[] distinct;
    final long[] repeats;
    final List<List<Repeat>> lowest;

    KeyTotals(int[] rules) {
      this.rules = rules;
      this.distinct = new long[rules.length];
      this.repeats = new long[rules.length];
      this.lowest = new ArrayList<>();
      for (int k = 0; k < rules.length; k++) {
        lowest.add(new ArrayList<>());
      }
    }

    private int slot(int rule) {
      for (int k = 0; k < rules.length; k++) {
        if (rules[k] == rule) {
          return k;
        }
      }
      throw new IllegalStateException("rule " + rule + " is not a key rule");
    }

    KeyTotals add(Tuple2<Key, long[]> key) {
      int k = slot(key._1().rule());
      long[] c = key._2();
      distinct[k]++;
      repeats[k] += c[0] - 1;
      for (int i = 2; i < c.length; i++) {
        lowest.get(k).add(new Repeat(c[i], key._1().value()));
      }
      trim(k);
      return this;
    }

    KeyTotals merge(KeyTotals other) {
      for (int k = 0; k < rules.length; k++) {
        distinct[k] += other.distinct[k];
        repeats[k] += other.repeats[k];
        lowest.get(k).addAll(other.lowest.get(k));
        trim(k);
      }
      return this;
    }

    private void trim(int k) {
      List<Repeat> l = lowest.get(k);
      l.sort(Comparator.comparingLong(Repeat::row));
      while (l.size() > ValidationReport.MAX_EXAMPLES) {
        l.remove(l.size() - 1);
      }
    }

    List<ValidationSession.RepeatedKey> lowest(int k) {
      return lowest.get(k).stream().map(r -> new ValidationSession.RepeatedKey(r.row(), r.key())).toList();
    }
  }

  /** Sends each partition's marks to the partition of the same index. */
  static final class ByPartition extends Partitioner {
    private static final long serialVersionUID = 1L;
    private final int partitions;

    ByPartition(int partitions) {
      this.partitions = partitions;
    }

    @Override
    public int numPartitions() {
      return partitions;
    }

    @Override
    public int getPartition(Object key) {
      return (Integer) key;
    }
  }

  /** What executors need: the contract, the schema and the profile's sketch sizes, as text and numbers. */
  static final class Spec implements Serializable {
    private static final long serialVersionUID = 1L;
    private final String contractJson;
    private final String schemaJson;
    private final int @Nullable [] profile;
    private transient @Nullable Validator validator;
    private transient @Nullable Schema schema;

    Spec(String contractJson, String schemaJson, int @Nullable [] profile) {
      this.contractJson = contractJson;
      this.schemaJson = schemaJson;
      this.profile = profile;
    }

    Validator validator() {
      Validator v = validator;
      if (v == null) {
        v = Validator.compile(DataContract.fromJson(contractJson, "the contract shipped to this executor"));
        validator = v;
      }
      return v;
    }

    Schema schema() {
      Schema s = schema;
      if (s == null) {
        s = Schema.fromJson(schemaJson);
        schema = s;
      }
      return s;
    }

    Constraint constraint(int rule) {
      return validator().contract().constraints().get(rule);
    }

    ValidationSession session(long first) {
      ValidationSession s = validator().newSession(schema(), first).leaveKeysToCaller();
      int[] o = profile;
      if (o != null) {
        s.profileWith(new ProfileOptions(o[0], o[1], o[2], o[3]));
      }
      return s;
    }

    byte[] validatePartition(int partition, Iterator<Row> rows) {
      ValidationSession s = session((long) partition << OFFSET_BITS);
      // The batch path: the same report as row by row, each check run column-wise over a batch.
      SparkSchemas.batches(schema(), rows, BATCH_ROWS, s::accumulate);
      return s.toBytes();
    }

    byte[] merge(byte[] a, byte[] b) {
      Validator v = validator();
      return v.sessionFromBytes(a).merge(v.sessionFromBytes(b)).toBytes();
    }

    /** Every non-null key of every key rule in a partition, with its sparse row index. */
    Iterator<Tuple2<Key, Long>> keys(int[] rules, int partition, Iterator<Row> rows) {
      Schema sc = schema();
      DataType[] types = SparkSchemas.types(sc);
      int[][] columns = new int[rules.length][];
      for (int k = 0; k < rules.length; k++) {
        columns[k] = constraint(rules[k]).columns().stream().mapToInt(sc::indexOf).toArray();
      }
      boolean[] compound = new boolean[rules.length];
      for (int k = 0; k < rules.length; k++) {
        compound[k] = constraint(rules[k]) instanceof Constraint.CompoundUnique;
      }
      long base = (long) partition << OFFSET_BITS;
      return new Iterator<>() {
        private final List<Tuple2<Key, Long>> pending = new ArrayList<>();
        private int at;
        private long offset;

        @Override
        public boolean hasNext() {
          while (at == pending.size() && rows.hasNext()) {
            pending.clear();
            at = 0;
            dev.mlops.core.Row r = SparkSchemas.row(sc, types, rows.next());
            long row = base + offset++;
            for (int k = 0; k < rules.length; k++) {
              Object key = key(r, columns[k], compound[k]);
              if (key != null) {
                pending.add(new Tuple2<>(new Key(rules[k], key), row));
              }
            }
          }
          return at < pending.size();
        }

        @Override
        public Tuple2<Key, Long> next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return pending.get(at++);
        }
      };
    }

    /** The key as the rule reads it, or null when a key column is null. */
    private static @Nullable Object key(dev.mlops.core.Row r, int[] columns, boolean compound) {
      if (!compound) {
        return r.get(columns[0]);
      }
      Object[] parts = new Object[columns.length];
      for (int j = 0; j < columns.length; j++) {
        parts[j] = r.get(columns[j]);
        if (parts[j] == null) {
          return null;
        }
      }
      return new ArrayList<>(Arrays.asList(parts));
    }

    /** The rows of a partition an ERROR rule rejects, with every violation, partition and offset. */
    Iterator<Row> rejectRows(int partition, Iterator<Row> rows, Iterator<Mark> marks) {
      Validator v = validator();
      Schema sc = schema();
      DataType[] types = SparkSchemas.types(sc);
      ValidationSession words = v.newSession(sc);
      Map<Constraint, Integer> index = new HashMap<>();
      List<Constraint> cs = v.contract().constraints();
      for (int k = cs.size() - 1; k >= 0; k--) {
        index.put(cs.get(k), k);
      }
      return new Iterator<>() {
        private @Nullable Row ready;
        private long offset;
        private @Nullable Mark mark = marks.hasNext() ? marks.next() : null;

        @Override
        public boolean hasNext() {
          while (ready == null && rows.hasNext()) {
            Row spark = rows.next();
            long at = offset++;
            RowResult result = v.validate(SparkSchemas.row(sc, types, spark));
            boolean reject = false;
            // Reasons in contract order, as the local quarantine lists them.
            List<Map.Entry<Integer, String>> reasons = new ArrayList<>();
            for (Violation x : result.violations()) {
              reject |= x.constraint().severity() == Severity.ERROR;
              reasons.add(Map.entry(index.get(x.constraint()), x.message()));
            }
            while (mark != null && mark.offset() == at) {
              Violation x = words.repeatedKey(mark.rule(), mark.key());
              reject |= x.constraint().severity() == Severity.ERROR;
              reasons.add(Map.entry(mark.rule(), x.message()));
              mark = marks.hasNext() ? marks.next() : null;
            }
            if (reject) {
              reasons.sort(Map.Entry.comparingByKey());
              Object[] values = new Object[spark.size() + 3];
              for (int i = 0; i < spark.size(); i++) {
                values[i] = spark.get(i);
              }
              StringBuilder text = new StringBuilder();
              for (Map.Entry<Integer, String> r : reasons) {
                text.append(text.length() == 0 ? "" : "; ").append(r.getValue());
              }
              values[spark.size()] = text.toString();
              values[spark.size() + 1] = partition;
              values[spark.size() + 2] = at;
              ready = RowFactory.create(values);
            }
          }
          return ready != null;
        }

        @Override
        public Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          Row r = ready;
          ready = null;
          return r;
        }
      };
    }
  }
}
