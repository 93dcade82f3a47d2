package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Batch;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Fingerprinter;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.IntegrityProblem;
import dev.mlops.core.manifest.ManifestVerifier;
import dev.mlops.core.manifest.VerificationReport;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.ProfileFiles;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.serving.promotion.PromotionDecision;
import dev.mlops.serving.promotion.PromotionPolicy;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.CsvValidation;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ValidationReport;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * The checks a pipeline gates on, as one small API that the command line (and a build plugin) call:
 * each returns a {@link Result} holding the exit code, a machine-readable JSON document and a text
 * for people, and never prints.
 */
public final class Gates {

  private Gates() {}

  /**
   * The outcome of a gate.
   *
   * @param exitCode {@link Mlops#OK} or {@link Mlops#CHECK_FAILED}
   * @param json the machine-readable document
   * @param text the same for people
   * @param html the same as a self-contained HTML page, or null where the gate has none
   */
  public record Result(int exitCode, JsonNode json, String text, @Nullable String html) {}

  /**
   * The files named by arguments: files as given, every {@code *.csv} of a directory (sorted), and
   * glob patterns in a file name ({@code data/part-*.csv}).
   *
   * @param args the arguments
   * @return the files, in order
   * @throws CliException when an argument names nothing
   */
  public static List<Path> expand(List<String> args) {
    List<Path> out = new ArrayList<>();
    for (String a : args) {
      if (a.contains("*") || a.contains("?") || a.contains("[")) {
        Path pattern = Path.of(a);
        Path dir = pattern.getParent() == null ? Path.of(".") : pattern.getParent();
        PathMatcher m = FileSystems.getDefault().getPathMatcher("glob:" + pattern.getFileName());
        List<Path> found = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir)) {
          for (Path p : ds) {
            if (Files.isRegularFile(p) && m.matches(p.getFileName())) {
              found.add(p);
            }
          }
        } catch (IOException e) {
          throw new CliException(Mlops.BAD_INPUT, "cannot list " + dir + " for pattern " + a + ": " + e.getMessage());
        }
        if (found.isEmpty()) {
          throw new CliException(Mlops.BAD_INPUT, "no file matches " + a);
        }
        found.sort(null);
        out.addAll(found);
      } else {
        Path p = Path.of(a);
        if (Files.isDirectory(p)) {
          List<Path> found = new ArrayList<>();
          try (DirectoryStream<Path> ds = Files.newDirectoryStream(p, "*.csv")) {
            ds.forEach(found::add);
          } catch (IOException e) {
            throw new CliException(Mlops.BAD_INPUT, "cannot list directory " + p + ": " + e.getMessage());
          }
          if (found.isEmpty()) {
            throw new CliException(Mlops.BAD_INPUT, "directory " + p + " holds no .csv file");
          }
          found.sort(null);
          out.addAll(found);
        } else if (Files.isRegularFile(p)) {
          out.add(p);
        } else {
          throw new CliException(Mlops.BAD_INPUT, "no such file or directory: " + p);
        }
      }
    }
    return out;
  }

  /**
   * Validates CSV files against a contract in one session: dataset rules on all of them together,
   * unreadable lines counted (and quarantined), rows numbered across files. Fails (exit 1) when the
   * report fails or a line could not be read.
   *
   * @param contractFile the contract (YAML or JSON)
   * @param files the data files
   * @param quarantineFile where rejected rows and unreadable lines go ({@code .arrow} for Arrow IPC,
   *     else CSV), or null
   * @param progress told how far the files have been read
   * @return the result; its JSON has the report under {@code report}
   */
  public static Result validate(Path contractFile, List<Path> files, @Nullable Path quarantineFile,
      CsvValidation.Progress progress) {
    requireFile(contractFile, "contract");
    CsvValidation.Outcome o = CsvValidation.validate(DataContract.read(contractFile), files, quarantineFile,
        progress);
    ValidationReport report = o.report();
    ObjectNode json = CliJson.MAPPER.createObjectNode();
    json.put("command", "validate");
    json.put("passed", o.passed());
    json.put("verdict", report.verdict().name());
    json.put("files", files.size());
    json.put("rows", report.rowCount());
    json.put("malformedLines", o.malformedLines());
    json.put("quarantined", o.quarantined());
    json.set("report", parse(report.toJson()));
    return new Result(o.passed() ? Mlops.OK : Mlops.CHECK_FAILED, json, o.toText(), report.toHtml());
  }

  /**
   * Profiles CSV files (one schema, inferred from the whole first file unless given) into one profile.
   *
   * @param files the files
   * @param schema the columns, or null to infer them
   * @return the profile
   */
  public static DatasetProfile profile(List<Path> files, @Nullable Schema schema) {
    Schema s = schema != null ? schema : CsvReader.inferSchemaFromWholeFile(files.get(0), CsvOptions.defaults());
    CsvOptions options = CsvOptions.builder().schema(s).build();
    List<DatasetProfile> parts = new ArrayList<>();
    try (BufferAllocator allocator = new RootAllocator()) {
      for (Path f : files) {
        parts.add(ProfileFiles.ofCsv(f, options, ProfileOptions.defaults(), allocator));
      }
    }
    return DatasetProfile.mergeAll(parts);
  }

  /**
   * A profile from a file: a saved profile (the binary form, magic {@code MLPF}) or a CSV file.
   *
   * @param file the file
   * @param schema the schema for a CSV file, or null to infer it
   * @return the profile
   */
  public static DatasetProfile profileOf(Path file, @Nullable Schema schema) {
    requireFile(file, "data or profile");
    try {
      byte[] head = new byte[4];
      int n;
      try (var in = Files.newInputStream(file)) {
        n = in.readNBytes(head, 0, 4);
      }
      if (n == 4 && head[0] == 'M' && head[1] == 'L' && head[2] == 'P' && head[3] == 'F') {
        return DatasetProfile.fromBytes(Files.readAllBytes(file));
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not read " + file, e);
    }
    return profile(List.of(file), schema);
  }

  /**
   * The training profile published with a model: an artifact of its version, read after every
   * digest of the version was verified.
   *
   * @param repository the repository directory
   * @param model the model, {@code name/version} or {@code name@alias}
   * @param artifact the artifact holding the profile
   * @return the profile
   * @throws CliException when the repository is missing or the version has no such artifact
   */
  public static DatasetProfile trainingProfile(@Nullable Path repository, String model, String artifact) {
    if (repository == null || !Files.isDirectory(repository)) {
      throw new CliException(Mlops.BAD_INPUT, "--model needs --repository, an existing repository directory (got "
          + repository + ")");
    }
    VerifiedModel m = ModelRepository.open(repository).load(ModelRef.parse(model));
    if (m.manifest().artifact(artifact).isEmpty()) {
      throw new CliException(Mlops.BAD_INPUT, m + " has no artifact '" + artifact + "' (its artifacts: "
          + m.manifest().artifacts().stream().map(a -> a.path()).toList() + "); publish the model with --with "
          + artifact);
    }
    return DatasetProfile.fromBytes(m.artifact(artifact));
  }

  /**
   * Compares a reference with current data (each a CSV file or a saved profile). Fails (exit 1) on
   * dataset drift.
   *
   * @param reference the reference
   * @param current the current data
   * @param options the drift options
   * @return the result; its JSON is the drift report's
   */
  public static Result drift(Path reference, Path current, DriftOptions options) {
    DatasetProfile ref = profileOf(reference, null);
    DatasetProfile cur = profileOf(current, ref.schema());
    DriftReport report = DriftReport.compare(ref, cur, options);
    return driftResult(report);
  }

  /**
   * Evaluates a promotion policy for a version and, unless {@code dryRun}, moves the alias when every
   * rule passes (recorded in the repository's audit log either way). Fails (exit 1) when a rule fails.
   *
   * @param repository the repository directory
   * @param actor who promotes, for the audit log, or null for the OS user
   * @param candidate the version, {@code model/version}
   * @param alias the alias to move
   * @param policyFile the policy
   * @param dryRun evaluate only: nothing moves and nothing is recorded
   * @return the result; its JSON is the decision's, with {@code promoted}
   */
  public static Result promote(Path repository, @Nullable String actor, String candidate, String alias,
      Path policyFile, boolean dryRun) {
    requireFile(policyFile, "policy");
    if (!Files.isDirectory(repository)) {
      throw new CliException(Mlops.BAD_INPUT, "no such repository directory: " + repository);
    }
    ModelRef ref = ModelRef.parse(candidate);
    if (ref.isAlias()) {
      throw new CliException(Mlops.BAD_INPUT, "promote names a version (model/version), not an alias: " + candidate);
    }
    PromotionPolicy policy = PromotionPolicy.read(policyFile);
    ModelRepository repo = ModelRepository.open(repository);
    if (actor != null) {
      repo = repo.withActor(actor);
    }
    PromotionDecision d = dryRun ? policy.evaluate(repo, ref.name(), ref.version(), alias)
        : policy.promote(repo, ref.name(), ref.version(), alias);
    ObjectNode json = (ObjectNode) parse(d.toJson());
    json.put("command", dryRun ? "promote --dry-run" : "promote");
    json.put("promoted", !dryRun && d.passed());
    String verdict = d.passed() ? (dryRun ? "would promote " : "promoted ") + ref.name() + "/" + ref.version()
        + " to " + alias : "refused: " + ref.name() + "/" + ref.version() + " stays off " + alias
        + (d.champion() == null ? "" : ", which stays at " + d.champion());
    return new Result(d.passed() ? Mlops.OK : Mlops.CHECK_FAILED, json, d.toText() + "\n" + verdict, null);
  }

  /**
   * Checks a model directory against its manifest: every file's size and digest, nothing missing or
   * added, and with trusted keys (or {@code requireSignature}) a signature by one of them. Fails
   * (exit 1) when anything is wrong.
   *
   * @param dir the model directory
   * @param trusted trusted Ed25519 public keys (PEM files)
   * @param requireSignature fail when the manifest is not signed by a trusted key
   * @return the result; its JSON lists the problems
   */
  public static Result verifyManifest(@Nullable Path dir, List<Path> trusted, boolean requireSignature) {
    ManifestCommands.requireDir(dir);
    ManifestVerifier v;
    if (trusted.isEmpty() && !requireSignature) {
      v = ManifestVerifier.digestsOnly();
    } else {
      List<PublicKey> keys = new ArrayList<>();
      for (Path k : trusted) {
        requireFile(k, "public key");
        keys.add(Ed25519Keys.readPublicKey(k));
      }
      v = ManifestVerifier.builder().trust(keys).requireSignature(requireSignature || !keys.isEmpty()).build();
    }
    VerificationReport r = v.verify(dir);
    ObjectNode json = CliJson.MAPPER.createObjectNode();
    json.put("command", "manifest verify");
    json.put("ok", r.ok());
    json.put("location", r.location());
    json.put("artifactsChecked", r.artifactsChecked());
    ArrayNode problems = json.putArray("problems");
    for (IntegrityProblem p : r.problems()) {
      problems.add(p.message());
    }
    String text = r.ok() ? "ok: " + r.artifactsChecked() + " artifacts match the manifest of " + dir
        + (v == ManifestVerifier.digestsOnly() ? "" : ", signed by a trusted key") : r.toString();
    return new Result(r.ok() ? Mlops.OK : Mlops.CHECK_FAILED, json, text, null);
  }

  static Result driftResult(DriftReport report) {
    var d = report.drift();
    ObjectNode json = CliJson.MAPPER.createObjectNode();
    json.put("command", "drift");
    json.put("drifted", d.drifted());
    json.set("report", parse(report.toJson()));
    StringBuilder text = new StringBuilder();
    text.append(d.drifted() ? "dataset drift" : "no dataset drift").append(String.format(Locale.ROOT,
        ": %d of %d columns drifted (share %.2f, threshold %.2f), %d inconclusive", d.driftedColumns(),
        d.testedColumns(), d.driftShare(), d.shareThreshold(), d.inconclusiveColumns()));
    for (var c : d.byScore()) {
      text.append('\n').append(String.format(Locale.ROOT, "  %-14s %-20s %-22s statistic %.4g", c.drifted() ? "DRIFT"
          : c.inconclusive() ? "INCONCLUSIVE" : c.computed() ? "ok" : "not computed", c.column(), c.test().id(),
          c.statistic()));
    }
    return new Result(d.drifted() ? Mlops.CHECK_FAILED : Mlops.OK, json, text.toString(), report.toHtml());
  }

  /**
   * The fingerprint of a CSV file (schema inferred from every row), read in batches.
   *
   * @param file the file
   * @return its fingerprint
   */
  public static DatasetFingerprint fingerprint(Path file) {
    requireFile(file, "dataset");
    Schema s = CsvReader.inferSchemaFromWholeFile(file, CsvOptions.defaults());
    Fingerprinter f = DatasetFingerprint.builder(s);
    try (BufferAllocator allocator = new RootAllocator();
        CsvReader reader = CsvReader.open(file, CsvOptions.builder().schema(s).build(), allocator)) {
      for (Batch b = reader.nextBatch(); b != null; b = reader.nextBatch()) {
        try (Batch batch = b) {
          f.update(batch);
        }
      }
    }
    return f.build();
  }

  /**
   * The total size of files, for progress.
   *
   * @param files the files
   * @return their bytes
   */
  static long totalBytes(List<Path> files) {
    long n = 0;
    for (Path f : files) {
      try {
        n += Files.size(f);
      } catch (IOException e) {
        // the read that follows names the file
      }
    }
    return n;
  }

  static void requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new CliException(Mlops.BAD_INPUT, "no such " + what + " file: " + p);
    }
  }

  static JsonNode parse(String json) {
    try {
      return CliJson.MAPPER.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("a report's own JSON did not parse", e);
    }
  }
}
