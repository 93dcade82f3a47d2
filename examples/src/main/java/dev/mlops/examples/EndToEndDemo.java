package dev.mlops.examples;

import dev.mlops.core.Batch;
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
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

/**
 * The README's main job, on the bundled German credit data: read the CSV with schema inference,
 * fingerprint it, store it as Arrow IPC, write a signed reproducibility manifest for the data set,
 * verify it, then show that tampering is caught.
 *
 * <p>Usage: {@code EndToEndDemo <data dir> <output dir>}.
 */
public final class EndToEndDemo {
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
      }

      step("4. Write and sign the reproducibility manifest");
      ModelManifest manifest = ModelManifest.builder()
          .name("credit-g")
          .version("1")
          .format("dataset")
          .addArtifacts(datasetDir)
          .addDataset("credit-g", fingerprint)
          .codeVersion(CodeVersion.detect(Path.of("").toAbsolutePath()).orElse(CodeVersion.unknown()))
          .tag("source", "UCI Statlog German Credit (CC BY 4.0), via Weka")
          .build();
      KeyPair keys = Ed25519Keys.generate();
      ManifestSigner.writeSigned(manifest, datasetDir, keys);
      Ed25519Keys.write(outDir.resolve("signing-key.pub.pem"), keys.getPublic());
      out.println(manifest.toJson());
      out.println("manifest digest: " + manifest.digest());
      out.println("signed by key:   " + Ed25519Keys.keyId(keys.getPublic()));

      step("5. Verify every digest and the signature");
      ManifestVerifier verifier = ManifestVerifier.builder().trust(keys.getPublic()).requireSignature(true).build();
      VerificationReport report = verifier.verify(datasetDir);
      out.println(report);

      step("6. Tamper with a copy: flip one byte of the CSV and add a stray file");
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
