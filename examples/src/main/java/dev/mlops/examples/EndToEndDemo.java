package dev.mlops.examples;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Schema;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.manifest.CodeVersion;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ManifestSigner;
import dev.mlops.core.manifest.ManifestVerifier;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.VerificationReport;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DriftDetector;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSplit;
import dev.mlops.validation.Validator;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The README's main job, on the bundled German credit data: read the CSV with schema inference,
 * fingerprint it, store it as Arrow IPC; infer a data contract from the first 700 rows (the
 * "training" data) and validate incoming data against it, quarantining bad rows; profile both and
 * test for drift, writing JSON and HTML reports; train a model on the training rows, publish it signed
 * to a model repository and serve the incoming rows through a predictor guarded by the contract and a
 * drift monitor; write a signed reproducibility manifest over the data, contract and reference
 * profile, verify it, and show that tampering is caught.
 *
 * <p>Usage: {@code EndToEndDemo <data dir> <output dir>}.
 */
public final class EndToEndDemo {
  /** Rows 0..699 play the training data; rows 700..999 the data that arrives later. */
  static final int TRAINING_ROWS = 700;
  /**
   * Tribuo reports training progress through java.util.logging; the demo prints its own summary. Held
   * in a field because java.util.logging keeps only weak references to loggers.
   */
  private static final java.util.logging.Logger TRIBUO_LOG = java.util.logging.Logger.getLogger("org.tribuo");

  private final Path dataDir;
  private final Path outDir;
  private final PrintStream out;

  EndToEndDemo(Path dataDir, Path outDir, PrintStream out) {
    this.dataDir = dataDir;
    this.outDir = outDir;
    this.out = out;
  }

  /**
   * Runs the demo.
   *
   * @param args data directory and output directory
   * @throws IOException when the output cannot be written
   */
  public static void main(String[] args) throws IOException {
    if (args.length != 2) {
      System.err.println("usage: EndToEndDemo <data dir> <output dir>");
      System.exit(2);
    }
    TRIBUO_LOG.setLevel(java.util.logging.Level.WARNING);
    new EndToEndDemo(Path.of(args[0]), Path.of(args[1]), System.out).run();
  }

  /**
   * Runs every step, printing what it does.
   *
   * @return the verification report of the untouched data set
   * @throws IOException when the output cannot be written
   */
  VerificationReport run() throws IOException {
    Path csv = dataDir.resolve("credit-g.csv");
    Path datasetDir = outDir.resolve("credit-g").resolve("1");
    Files.createDirectories(datasetDir);
    KeyPair keys = Ed25519Keys.generate();
    try (BufferAllocator allocator = new RootAllocator()) {
      step("1. Read " + csv.getFileName() + " with schema inference");
      Schema schema;
      DatasetFingerprint fingerprint;
      try (CsvReader reader = CsvReader.open(csv, CsvOptions.defaults(), allocator);
          Batch data = readAll(reader)) {
        schema = reader.schema();
        schema.fields().forEach(f -> out.printf("  %-24s %s%n", f.name(), f.type()));
        out.println("rows read: " + reader.report().rowsRead() + ", skipped: " + reader.report().rowsSkipped());

        step("2. Fingerprint the data set");
        fingerprint = DatasetFingerprint.of(data);
        out.println("schema hash:    " + fingerprint.schemaHash());
        out.println("row count:      " + fingerprint.rowCount());
        out.println("content digest: " + fingerprint.contentDigest());

        step("3. Store it as Arrow IPC beside the original CSV");
        ArrowIpc.writeFile(datasetDir.resolve("credit-g.arrow"), data);
        Files.copy(csv, datasetDir.resolve("credit-g.csv"), StandardCopyOption.REPLACE_EXISTING);
        try (Batch back = ArrowIpc.readFile(datasetDir.resolve("credit-g.arrow"), allocator).get(0)) {
          out.println("Arrow IPC round trip has the same fingerprint: "
              + DatasetFingerprint.of(back).equals(fingerprint));
        }

        Batch reference = data.slice(0, TRAINING_ROWS);
        List<Row> incomingRows = data.slice(TRAINING_ROWS, data.rowCount() - TRAINING_ROWS).toRows();
        List<Row> corrupted = validate(reference, incomingRows, datasetDir, allocator);
        drift(reference, incomingRows, datasetDir, allocator);

        step("6. Train, publish and serve the credit-risk model behind the contract and a monitor");
        new CreditRiskServing(schema, out).run(reference.toRows(), incomingRows, corrupted, outDir, keys, allocator);
      }

      step("7. Write and sign the reproducibility manifest of data, contract and reference profile");
      ModelManifest manifest = ModelManifest.builder()
          .name("credit-g")
          .version("1")
          .format("dataset")
          .addArtifacts(datasetDir)
          .addDataset("credit-g", fingerprint)
          .codeVersion(CodeVersion.detect(Path.of("").toAbsolutePath()).orElse(CodeVersion.unknown()))
          .tag("source", "UCI Statlog German Credit (CC BY 4.0), via Weka")
          .build();
      ManifestSigner.writeSigned(manifest, datasetDir, keys);
      Ed25519Keys.write(outDir.resolve("signing-key.pub.pem"), keys.getPublic());
      out.println(manifest.toJson());
      out.println("manifest digest: " + manifest.digest());
      out.println("signed by key:   " + Ed25519Keys.keyId(keys.getPublic()));

      step("8. Verify every digest and the signature");
      ManifestVerifier verifier = ManifestVerifier.builder().trust(keys.getPublic()).requireSignature(true).build();
      VerificationReport report = verifier.verify(datasetDir);
      out.println(report);

      step("9. Tamper with a copy: flip one byte of the CSV and add a stray file");
      Path tampered = outDir.resolve("credit-g-tampered");
      copyDir(datasetDir, tampered);
      byte[] bytes = Files.readAllBytes(tampered.resolve("credit-g.csv"));
      bytes[bytes.length / 2] ^= 1;
      Files.write(tampered.resolve("credit-g.csv"), bytes);
      Files.writeString(tampered.resolve("notes.txt"), "not in the manifest", StandardCharsets.UTF_8);
      out.println(verifier.verify(tampered));

      if (allocator.getAllocatedMemory() != 0) {
        throw new IllegalStateException(allocator.getAllocatedMemory() + " bytes of Arrow memory leaked");
      }
      step("Done. Output in " + outDir.toAbsolutePath());
      return report;
    }
  }

  private List<Row> validate(Batch reference, List<Row> incomingRows, Path datasetDir, BufferAllocator allocator) {
    step("4. Infer a data contract from the training rows, then validate incoming data against it");
    DataContract contract = ContractInference.defaults().infer("credit-g", reference);
    contract.write(datasetDir.resolve("contract.yaml"));
    out.println("contract.yaml: " + contract.constraints().size() + " constraints on "
        + contract.schema().size() + " columns (review it like code)");
    Validator validator = Validator.compile(contract);
    out.println("training rows: " + validator.validate(reference).verdict());

    // Incoming data with three kinds of defects a real feed produces.
    List<Row> bad = new ArrayList<>(incomingRows);
    corrupt(bad, 5, Map.of("credit_amount", -250.0));
    corrupt(bad, 17, Map.of("purpose", "crypto"));
    corrupt(bad, 42, Map.of("purpose", "crypto", "duration", 400.0));
    try (Batch incoming = Batch.fromRows(allocator, reference.schema(), bad);
        ValidationSplit split = validator.split(incoming, allocator)) {
      ValidationReport report = split.report();
      out.println(report.toText());
      out.println("valid rows: " + split.valid().rowCount() + ", quarantined: " + split.quarantine().rowCount());
      for (int i = 0; i < split.quarantine().rowCount(); i++) {
        int reasons = split.quarantine().schema().indexOf(ValidationSplit.VIOLATIONS_COLUMN);
        out.println("  quarantined: " + split.quarantine().getString(reasons, i));
      }
    }
    return bad;
  }

  private void drift(Batch reference, List<Row> incomingRows, Path datasetDir, BufferAllocator allocator) {
    step("5. Profile training and incoming data and test for drift");
    DatasetProfile referenceProfile = DatasetProfile.of(reference);
    DatasetProfile incomingProfile = DatasetProfile.of(reference.schema(), incomingRows);
    DriftDetector detector = DriftDetector.withDefaults();
    out.println("incoming (rows 700-999) vs training: " + summary(detector.compare(referenceProfile, incomingProfile)));

    // The same applicants a year later: larger loans, longer terms, older applicants.
    List<Row> shifted = new ArrayList<>();
    for (Row r : incomingRows) {
      Map<String, Object> m = new java.util.LinkedHashMap<>(r.toMap());
      m.put("credit_amount", r.getDouble("credit_amount") * 1.6);
      m.put("duration", r.getDouble("duration") + 12);
      m.put("age", r.getDouble("age") + 8);
      shifted.add(Row.fromMap(r.schema(), m));
    }
    DatasetProfile shiftedProfile = DatasetProfile.of(reference.schema(), shifted);
    DriftReport report = DriftReport.of(referenceProfile, shiftedProfile,
        detector.compare(referenceProfile, shiftedProfile)).withTitle("credit-g: training vs shifted incoming");
    out.println("shifted incoming vs training:      " + summary(report.drift()));
    report.drift().byScore().stream().limit(4).forEach(c -> out.printf(java.util.Locale.ROOT,
        "  %-16s %-20s statistic=%.4f p=%s threshold=%.4f -> %s%n", c.column(), c.test(), c.statistic(),
        Double.isNaN(c.pValue()) ? "n/a" : String.format(java.util.Locale.ROOT, "%.3g", c.pValue()),
        c.threshold(), c.drifted() ? "DRIFT" : "ok"));
    report.writeJson(outDir.resolve("drift-report.json"));
    report.writeHtml(outDir.resolve("drift-report.html"));
    out.println("reports: drift-report.json, drift-report.html");
    dev.mlops.monitoring.ProfileFiles.writeProfile(referenceProfile, datasetDir.resolve("reference-profile.bin"));
  }

  private static String summary(dev.mlops.monitoring.drift.DatasetDrift d) {
    return "dataset verdict " + (d.drifted() ? "DRIFT" : "no drift") + ", " + d.driftedColumns() + " of "
        + d.testedColumns() + " columns drifted";
  }

  private static void corrupt(List<Row> rows, int index, Map<String, Object> changes) {
    Row r = rows.get(index);
    Map<String, Object> m = new java.util.LinkedHashMap<>(r.toMap());
    m.putAll(changes);
    rows.set(index, Row.fromMap(r.schema(), m));
  }

  private static Batch readAll(CsvReader reader) {
    Batch b = reader.nextBatch();
    if (b == null) {
      throw new IllegalStateException("credit-g.csv has no rows");
    }
    return b;
  }

  private void step(String title) {
    out.println();
    out.println("== " + title);
  }

  private static void copyDir(Path from, Path to) throws IOException {
    Files.createDirectories(to);
    try (var files = Files.list(from)) {
      for (Path f : (Iterable<Path>) files::iterator) {
        Files.copy(f, to.resolve(f.getFileName()), StandardCopyOption.REPLACE_EXISTING);
      }
    }
  }
}
