package dev.mlops.spark;

import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.ScoredRows;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Validator;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.spark.api.java.JavaRDD;
import org.apache.spark.api.java.function.FlatMapFunction;
import org.apache.spark.sql.Dataset;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;
import org.jspecify.annotations.Nullable;

/**
 * Scores a Spark {@code Dataset<Row>} with a model from a {@link ModelRepository} on a path every
 * executor can read (a shared file system). Each executor JVM loads the model once, verifying its
 * digests (and, with trusted keys, its signature) there before a byte reaches the model runtime, and
 * keeps one thread-safe {@link Predictor} for all its tasks; each partition is scored in batches
 * ({@link ScoredRows}: one model call per batch, the contract guard first, no row dropped), and the
 * prediction columns, {@code _status} and {@code _reason} are appended to the input's columns.
 *
 * <pre>{@code
 * Dataset<Row> scored = SparkScoring.builder("/shared/models", "credit-risk@champion")
 *     .trustedKeyPem(Files.readString(Path.of("release.pub")))
 *     .contract(Files.readString(Path.of("credit-g.yaml")))
 *     .build()
 *     .score(spark.read().parquet("incoming/"));
 * }</pre>
 */
public final class SparkScoring {
  /** Loaded models per executor JVM, by repository, reference, keys and contract. */
  private static final Map<String, Loaded> LOADED = new ConcurrentHashMap<>();
  private static final AtomicInteger LOADS = new AtomicInteger();

  private final String repository;
  private final String ref;
  private final List<String> trustedKeyPems;
  private final @Nullable String contractYaml;
  private final int batchRows;

  private SparkScoring(Builder b) {
    this.repository = b.repository;
    this.ref = b.ref;
    this.trustedKeyPems = List.copyOf(b.keys);
    this.contractYaml = b.contract;
    this.batchRows = b.batchRows;
  }

  /**
   * A builder.
   *
   * @param repository the repository directory, as every executor sees it
   * @param ref the model: {@code name/version} or {@code name@alias} (resolved on each executor: pin
   *     a version for a job whose executors must all score with the same one)
   * @return the builder
   */
  public static Builder builder(String repository, String ref) {
    return new Builder(repository, ref);
  }

  /** Options of a scoring. */
  public static final class Builder {
    private final String repository;
    private final String ref;
    private final List<String> keys = new ArrayList<>();
    private @Nullable String contract;
    private int batchRows = 1024;

    private Builder(String repository, String ref) {
      this.repository = Objects.requireNonNull(repository, "repository");
      this.ref = Objects.requireNonNull(ref, "ref");
      ModelRef.parse(ref);
    }

    /**
     * Requires a manifest signature by this Ed25519 public key (PEM text; repeatable).
     *
     * @param pem the key
     * @return this builder
     */
    public Builder trustedKeyPem(String pem) {
      Ed25519Keys.publicKey(pem);
      keys.add(pem);
      return this;
    }

    /**
     * Guards scoring with a data contract (its YAML or JSON text): rows that break it are not scored.
     *
     * @param text the contract's text
     * @return this builder
     */
    public Builder contract(String text) {
      DataContract.fromYaml(text, "the scoring contract");
      this.contract = text;
      return this;
    }

    /**
     * Rows per model call (default 1024).
     *
     * @param rows at least 1
     * @return this builder
     */
    public Builder batchRows(int rows) {
      if (rows < 1) {
        throw new IllegalArgumentException("batchRows must be at least 1, got " + rows);
      }
      this.batchRows = rows;
      return this;
    }

    /**
     * The scoring.
     *
     * @return it
     */
    public SparkScoring build() {
      return new SparkScoring(this);
    }
  }

  /** One executor JVM's verified model, predictor and guard. */
  private record Loaded(VerifiedModel model, Predictor predictor, ScoredRows columns, @Nullable Validator guard) {}

  private static Loaded load(String repository, String ref, List<String> pems, @Nullable String contract) {
    String key = repository + "\n" + ref + "\n" + String.join("\n", pems) + "\n" + contract;
    return LOADED.computeIfAbsent(key, k -> {
      List<PublicKey> keys = new ArrayList<>();
      for (String pem : pems) {
        keys.add(Ed25519Keys.publicKey(pem));
      }
      ModelRepository repo = keys.isEmpty() ? ModelRepository.open(Path.of(repository))
          : ModelRepository.open(Path.of(repository), keys);
      VerifiedModel model = repo.load(ModelRef.parse(ref));
      Predictor predictor = Predictor.builder(model).build();
      LOADS.incrementAndGet();
      Runtime.getRuntime().addShutdownHook(new Thread(predictor::close));
      Validator guard = contract == null ? null
          : Validator.compile(DataContract.fromYaml(contract, "the scoring contract"));
      return new Loaded(model, predictor, ScoredRows.of(model), guard);
    });
  }

  /**
   * How many models this JVM has loaded for scoring (tests: one per executor, whatever the tasks).
   *
   * @return the count
   */
  static int loadsInThisJvm() {
    return LOADS.get();
  }

  /**
   * Scores a dataset.
   *
   * @param data the rows; they hold the model's input columns (others pass through)
   * @return the rows with the prediction columns, {@code _status} and {@code _reason} appended
   * @throws dev.mlops.core.ModelLoadException or {@link dev.mlops.core.IntegrityException} when the
   *     model cannot be loaded or verified (on the driver, before any task runs)
   * @throws dev.mlops.core.SchemaMismatchException when a model input is missing or has no mlops type
   */
  public Dataset<org.apache.spark.sql.Row> score(Dataset<org.apache.spark.sql.Row> data) {
    Loaded driverSide = load(repository, ref, trustedKeyPems, contractYaml);
    Schema in = SparkSchemas.toSchema(data.schema());
    Schema modelSchema = driverSide.predictor().inputSchema();
    for (Field f : modelSchema.fields()) {
      if (in.findField(f.name()).isEmpty()) {
        throw new dev.mlops.core.SchemaMismatchException("the dataset has no column '" + f.name() + "', an input of "
            + driverSide.model() + "; its columns are " + in.names());
      }
    }
    List<StructField> out = new ArrayList<>(List.of(data.schema().fields()));
    for (StructField f : SparkSchemas.toStructType(Schema.of(driverSide.columns().fields())).fields()) {
      if (in.findField(f.name()).isPresent()) {
        throw new dev.mlops.core.SchemaMismatchException("the dataset already has a column '" + f.name()
            + "', which scoring appends; rename it");
      }
      out.add(f);
    }
    StructType outType = new StructType(out.toArray(new StructField[0]));
    JavaRDD<org.apache.spark.sql.Row> scored = data.javaRDD().mapPartitions(new ScorePartition(repository, ref,
        trustedKeyPems, contractYaml, in.toJson(), batchRows));
    return data.sparkSession().createDataFrame(scored, outType);
  }

  /** Scores one partition on its executor. */
  static final class ScorePartition implements FlatMapFunction<Iterator<org.apache.spark.sql.Row>,
      org.apache.spark.sql.Row> {
    private static final long serialVersionUID = 1L;
    /** The repository path. */
    private final String repository;
    /** The model reference. */
    private final String ref;
    /** Trusted keys, PEM. */
    private final ArrayList<String> pems;
    /** The contract's text, or null. */
    private final @Nullable String contract;
    /** The input's library schema, JSON. */
    private final String inputSchemaJson;
    /** Rows per model call. */
    private final int batchRows;

    ScorePartition(String repository, String ref, List<String> pems, @Nullable String contract,
        String inputSchemaJson, int batchRows) {
      this.repository = repository;
      this.ref = ref;
      this.pems = new ArrayList<>(pems);
      this.contract = contract;
      this.inputSchemaJson = inputSchemaJson;
      this.batchRows = batchRows;
    }

    @Override
    public Iterator<org.apache.spark.sql.Row> call(Iterator<org.apache.spark.sql.Row> rows) {
      Loaded m = load(repository, ref, pems, contract);
      Schema in = Schema.fromJson(inputSchemaJson);
      Schema modelSchema = m.predictor().inputSchema();
      int[] modelColumns = new int[modelSchema.size()];
      for (int i = 0; i < modelColumns.length; i++) {
        modelColumns[i] = in.indexOf(modelSchema.fields().get(i).name());
      }
      int appended = m.columns().fields().size();
      return new Iterator<>() {
        private final List<org.apache.spark.sql.Row> ready = new ArrayList<>();
        private int next;

        @Override
        public boolean hasNext() {
          if (next < ready.size()) {
            return true;
          }
          ready.clear();
          next = 0;
          List<org.apache.spark.sql.Row> chunk = new ArrayList<>(batchRows);
          while (chunk.size() < batchRows && rows.hasNext()) {
            chunk.add(rows.next());
          }
          if (chunk.isEmpty()) {
            return false;
          }
          List<Row> full = new ArrayList<>(chunk.size());
          List<Row> inputs = new ArrayList<>(chunk.size());
          dev.mlops.core.DataType[] types = SparkSchemas.types(in);
          for (org.apache.spark.sql.Row r : chunk) {
            Row fullRow = SparkSchemas.row(in, types, r);
            full.add(fullRow);
            Object[] mv = new Object[modelColumns.length];
            for (int c = 0; c < mv.length; c++) {
              mv[c] = fullRow.get(modelColumns[c]);
            }
            inputs.add(Row.of(modelSchema, mv));
          }
          List<Object> outcomes;
          try (BufferAllocator allocator = new RootAllocator()) {
            outcomes = ScoredRows.score(m.predictor(), m.guard(), full, inputs, allocator);
          }
          for (int i = 0; i < chunk.size(); i++) {
            org.apache.spark.sql.Row r = chunk.get(i);
            Object[] v = new Object[r.size() + appended];
            for (int c = 0; c < r.size(); c++) {
              v[c] = r.get(c);
            }
            m.columns().fill(v, r.size(), outcomes.get(i));
            ready.add(RowFactory.create(v));
          }
          return true;
        }

        @Override
        public org.apache.spark.sql.Row next() {
          if (!hasNext()) {
            throw new java.util.NoSuchElementException();
          }
          return ready.get(next++);
        }
      };
    }
  }
}
