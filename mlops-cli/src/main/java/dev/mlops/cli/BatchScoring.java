package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Batch;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
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
import dev.mlops.serving.Predictor;
import dev.mlops.serving.PredictorBuilder;
import dev.mlops.serving.ScoredRows;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.validation.CsvValidation;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Validator;
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
 * Batch scoring of a whole file with a verified model, streaming: each input batch is scored
 * ({@link ScoredRows}: one model call, no row dropped, a status per row) and written out with the
 * prediction columns appended before the next is read.
 */
final class BatchScoring {

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
    ScoredRows scoredRows;
    try {
      scoredRows = ScoredRows.of(model);
    } catch (IllegalArgumentException e) {
      throw new CliException(Mlops.BAD_INPUT, e.getMessage());
    }
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
      Schema out = outputSchema(in, scoredRows, model);
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
                pending = score(batch, predictor, guard, modelSchema, modelColumns, out, scoredRows, counts,
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
            counts[2], counts[3], ScoredRows.STATUS, ScoredRows.REASON, unreadable));
    return new Gates.Result(ok ? Mlops.OK : Mlops.CHECK_FAILED, json, text, null);
  }

  private static Schema outputSchema(Schema in, ScoredRows scored, VerifiedModel model) {
    List<Field> fields = new ArrayList<>(in.fields());
    fields.addAll(scored.fields());
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
      int[] modelColumns, Schema out, ScoredRows scored, long[] counts, BufferAllocator allocator) {
    int n = batch.rowCount();
    List<Row> full = batch.toRows();
    List<Row> inputs = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      Object[] v = new Object[modelColumns.length];
      for (int c = 0; c < v.length; c++) {
        v[c] = batch.get(modelColumns[c], r);
      }
      inputs.add(Row.of(modelSchema, v));
    }
    List<Object> outcomes = ScoredRows.score(predictor, guard, full, inputs, allocator);
    int inCols = batch.schema().size();
    List<Row> rows = new ArrayList<>(n);
    for (int r = 0; r < n; r++) {
      Object[] v = new Object[out.size()];
      for (int c = 0; c < inCols; c++) {
        v[c] = batch.get(c, r);
      }
      counts[scored.fill(v, inCols, outcomes.get(r)).ordinal()]++;
      rows.add(Row.of(out, v));
    }
    return Batch.fromRows(allocator, out, rows);
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
