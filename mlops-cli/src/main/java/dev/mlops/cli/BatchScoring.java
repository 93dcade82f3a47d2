package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.ArrowIpcReader;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.io.CsvWriter;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.serving.NonFinitePolicy;
import dev.mlops.serving.Prediction;
import dev.mlops.serving.Predictor;
import dev.mlops.serving.PredictorBuilder;
import dev.mlops.serving.ServingTags;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.validation.CsvValidation;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.RowResult;
import dev.mlops.validation.Validator;
import dev.mlops.validation.Violation;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.NoSuchElementException;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Batch scoring of a whole file with a verified model, streaming: each input batch is scored in one
 * model call and written out with the prediction columns appended before the next is read. Rows the
 * model cannot score are never dropped: each output row says {@code _status} ({@code ok},
 * {@code rejected} by the contract guard, {@code non_finite} scores, {@code error}) and
 * {@code _reason}, and only {@code ok} rows carry a prediction.
 */
final class BatchScoring {
  /** The status column of the output. */
  static final String STATUS = "_status";
  /** Why a row has no prediction. */
  static final String REASON = "_reason";

  private BatchScoring() {}

  /** A file read batch by batch. */
  private interface Source extends AutoCloseable {
    Schema schema();

    @Nullable Batch next();

    long bytesRead();

    long unreadable();

    @Override
    void close();
  }

  static Gates.Result predict(Path repository, String ref, List<Path> trustedKeys, Path input, Path output,
      @Nullable Path contractFile, CsvValidation.Progress progress) {
    if (!Files.isDirectory(repository)) {
      throw new CliException(Mlops.BAD_INPUT, "no such repository directory: " + repository);
    }
    Gates.requireFile(input, "input");
    List<PublicKey> keys = new ArrayList<>();
    for (Path k : trustedKeys) {
      Gates.requireFile(k, "public key");
      keys.add(Ed25519Keys.readPublicKey(k));
    }
    ModelRepository repo = keys.isEmpty() ? ModelRepository.open(repository) : ModelRepository.open(repository, keys);
    VerifiedModel model = repo.load(ModelRef.parse(ref));
    String task = model.manifest().tags().getOrDefault(ServingTags.TASK, "raw");
    List<String> labels = labels(model, task);
    PredictorBuilder b = Predictor.builder(model).nonFiniteOutputs(NonFinitePolicy.FLAG);
    // The guard checks each row of the file, all its columns, before the model sees the row's features.
    DataContract contract = null;
    if (contractFile != null) {
      Gates.requireFile(contractFile, "contract");
      contract = DataContract.read(contractFile);
    }
    Validator guard = contract == null ? null : Validator.compile(contract);
    long[] counts = new long[4]; // ok, rejected, non-finite, error
    long unreadable;
    long rows = 0;
    try (Predictor predictor = b.build(); BufferAllocator allocator = new RootAllocator();
        Source source = open(input, predictor.inputSchema(), contract == null ? null : contract.readSchema(),
            allocator)) {
      Schema in = source.schema();
      Schema modelSchema = predictor.inputSchema();
      int[] modelColumns = new int[modelSchema.size()];
      for (int i = 0; i < modelColumns.length; i++) {
        String name = modelSchema.fields().get(i).name();
        if (in.findField(name).isEmpty()) {
          throw new CliException(Mlops.BAD_INPUT, input + " has no column '" + name + "', an input of " + model
              + " (its inputs: " + modelSchema.fields().stream().map(Field::name).toList() + ")");
        }
        modelColumns[i] = in.indexOf(name);
      }
      Schema out = outputSchema(in, task, labels, model);
      Iterable<Batch> scored = () -> new Iterator<>() {
        private @Nullable Batch pending;
        private @Nullable Batch written;
        private boolean done;

        @Override
        public boolean hasNext() {
          if (written != null) {
            written.close();
            written = null;
          }
          if (pending == null && !done) {
            Batch next = source.next();
            if (next == null) {
              done = true;
            } else {
              try (Batch batch = next) {
                pending = score(batch, predictor, guard, modelSchema, modelColumns, out, task, labels, counts,
                    allocator);
              }
              long n = counts[0] + counts[1] + counts[2] + counts[3];
              progress.read(n, source.bytesRead());
            }
          }
          return pending != null;
        }

        @Override
        public Batch next() {
          if (!hasNext()) {
            throw new NoSuchElementException();
          }
          written = pending;
          pending = null;
          return written;
        }
      };
      if (output.toString().endsWith(".arrow")) {
        ArrowIpc.writeFile(output, out, scored);
      } else {
        CsvWriter.write(output, out, scored, CsvOptions.defaults());
      }
      unreadable = source.unreadable();
      rows = counts[0] + counts[1] + counts[2] + counts[3];
    }
    boolean ok = counts[1] + counts[2] + counts[3] + unreadable == 0;
    ObjectNode json = CliJson.MAPPER.createObjectNode();
    json.put("command", "predict");
    json.put("model", model.name() + "/" + model.version());
    json.put("manifestDigest", model.manifest().digest());
    json.put("contract", contract == null ? null : contract.name());
    json.put("output", output.toString());
    json.put("rows", rows);
    json.put("scored", counts[0]);
    json.put("rejected", counts[1]);
    json.put("nonFinite", counts[2]);
    json.put("errors", counts[3]);
    json.put("unreadableLines", unreadable);
    String text = String.format(Locale.ROOT, "%s/%s scored %,d of %,d rows into %s", model.name(), model.version(),
        counts[0], rows, output) + (ok ? "" : String.format(Locale.ROOT, "; without a prediction: %,d rejected by"
            + " the contract, %,d with non-finite scores, %,d errors (see %s and %s); %,d unreadable lines", counts[1],
            counts[2], counts[3], STATUS, REASON, unreadable));
    return new Gates.Result(ok ? Mlops.OK : Mlops.CHECK_FAILED, json, text, null);
  }

  private static List<String> labels(VerifiedModel model, String task) {
    if (task.equals("classification")) {
      String text = model.manifest().tags().get(ServingTags.LABELS);
      List<String> out = new ArrayList<>();
      try {
        for (JsonNode n : CliJson.MAPPER.readTree(text == null ? "[]" : text)) {
          out.add(n.asText());
        }
      } catch (IOException e) {
        throw new CliException(Mlops.BAD_INPUT, "the manifest of " + model + " has unreadable labels: " + text);
      }
      return out;
    }
    if (!task.equals("regression")) {
      throw new CliException(Mlops.BAD_INPUT, "predict writes classification and regression outputs; " + model
          + " is a '" + task + "' model (tag " + ServingTags.TASK + "); score it through the Java API");
    }
    return List.of();
  }

  private static Schema outputSchema(Schema in, String task, List<String> labels, VerifiedModel model) {
    List<Field> fields = new ArrayList<>(in.fields());
    if (task.equals("classification")) {
      fields.add(Field.of("prediction", DataType.STRING));
      for (String l : labels) {
        fields.add(Field.of("score_" + l, DataType.FLOAT64));
      }
    } else {
      fields.add(Field.of("prediction", DataType.FLOAT64));
    }
    fields.add(Field.of(STATUS, DataType.STRING));
    fields.add(Field.of(REASON, DataType.STRING));
    Set<String> seen = new HashSet<>();
    for (Field f : fields) {
      if (!seen.add(f.name())) {
        throw new CliException(Mlops.BAD_INPUT, "the input already has a column '" + f.name() + "', which predict"
            + " adds for " + model + "; rename it");
      }
    }
    return Schema.of(fields);
  }

  private static Batch score(Batch batch, Predictor predictor, @Nullable Validator guard, Schema modelSchema,
      int[] modelColumns, Schema out, String task, List<String> labels, long[] counts, BufferAllocator allocator) {
    int n = batch.rowCount();
    Object[] outcome = new Object[n];
    List<Row> inputs = new ArrayList<>(n);
    List<Integer> scoredRows = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      if (guard != null) {
        RowResult check = guard.validate(batch.row(r));
        if (check.hasErrors()) {
          outcome[r] = check;
          continue;
        }
      }
      Object[] v = new Object[modelColumns.length];
      for (int c = 0; c < v.length; c++) {
        v[c] = batch.get(modelColumns[c], r);
      }
      inputs.add(Row.of(modelSchema, v));
      scoredRows.add(r);
    }
    List<Object> predictions = new ArrayList<>(inputs.size());
    if (!inputs.isEmpty()) {
      try (Batch modelInput = Batch.fromRows(allocator, modelSchema, inputs)) {
        predictions.addAll(predictor.predict(modelInput));
      } catch (MlopsException e) {
        // One row the model cannot take fails the whole call: score row by row to find it, keep the rest.
        for (Row r : inputs) {
          try {
            predictions.add(predictor.predict(r));
          } catch (MlopsException rowError) {
            predictions.add(rowError);
          }
        }
      }
    }
    for (int i = 0; i < scoredRows.size(); i++) {
      outcome[scoredRows.get(i)] = predictions.get(i);
    }
    int inCols = batch.schema().size();
    List<Row> rows = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      Object[] v = new Object[out.size()];
      for (int c = 0; c < inCols; c++) {
        v[c] = batch.get(c, r);
      }
      fill(v, inCols, outcome[r], task, labels, counts);
      rows.add(Row.of(out, v));
    }
    return Batch.fromRows(allocator, out, rows);
  }

  private static void fill(Object[] v, int at, Object p, String task, List<String> labels, long[] counts) {
    int status = v.length - 2;
    if (p instanceof MlopsException e) {
      v[status] = "error";
      v[status + 1] = e.getMessage();
      counts[3]++;
      return;
    }
    if (p instanceof RowResult contract) {
      v[status] = "rejected";
      v[status + 1] = reason(contract);
      counts[1]++;
      return;
    }
    Prediction pred = (Prediction) p;
    if (!pred.finite()) {
      v[status] = "non_finite";
      v[status + 1] = "the model's outputs are not all finite; no prediction is served";
      counts[2]++;
      return;
    }
    if (task.equals("classification")) {
      Prediction.Classification c = pred.asClassification();
      v[at] = c.requireLabel();
      for (int i = 0; i < labels.size(); i++) {
        v[at + 1 + i] = c.scores().get(labels.get(i));
      }
    } else {
      v[at] = pred.asRegression().values()[0];
    }
    v[status] = "ok";
    counts[0]++;
  }

  private static String reason(RowResult r) {
    List<String> parts = new ArrayList<>();
    for (Violation x : r.violations()) {
      parts.add(x.message());
    }
    r.schemaIssues().forEach(s -> parts.add(s.toString()));
    return String.join("; ", parts);
  }

  private static Source open(Path input, Schema modelSchema, @Nullable Schema contractSchema,
      BufferAllocator allocator) {
    if (input.toString().endsWith(".arrow")) {
      ArrowIpcReader r = ArrowIpc.openFile(input, allocator);
      long size = size(input);
      return new Source() {
        private boolean finished;

        @Override
        public Schema schema() {
          return r.schema();
        }

        @Override
        public @Nullable Batch next() {
          Batch b = r.nextBatch();
          finished = b == null;
          return b;
        }

        @Override
        public long bytesRead() {
          return finished ? size : 0;
        }

        @Override
        public long unreadable() {
          return 0;
        }

        @Override
        public void close() {
          r.close();
        }
      };
    }
    // The model's columns are read with the model's types, the contract's with the contract's; every other
    // column passes through as text.
    Schema header = CsvReader.inferSchema(input, CsvOptions.builder().badLinePolicy(BadLinePolicy.SKIP).build());
    List<Field> fields = new ArrayList<>();
    for (Field f : header.fields()) {
      Field chosen = modelSchema.findField(f.name()).orElse(contractSchema == null ? null
          : contractSchema.findField(f.name()).orElse(null));
      fields.add(chosen != null ? chosen : Field.of(f.name(), DataType.STRING));
    }
    CsvReader r = CsvReader.open(input, CsvOptions.builder().schema(Schema.of(fields))
        .badLinePolicy(BadLinePolicy.SKIP).build(), allocator);
    return new Source() {
      @Override
      public Schema schema() {
        return r.schema();
      }

      @Override
      public @Nullable Batch next() {
        return r.nextBatch();
      }

      @Override
      public long bytesRead() {
        return r.bytesRead();
      }

      @Override
      public long unreadable() {
        return r.report().rowsSkipped();
      }

      @Override
      public void close() {
        r.close();
      }
    };
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (IOException e) {
      return 0;
    }
  }
}
