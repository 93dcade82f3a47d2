package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.Batch;
import dev.mlops.core.Schema;
import dev.mlops.core.io.BadLinePolicy;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.ProfileFiles;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.Quarantine;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.ValidationSession;
import dev.mlops.validation.Validator;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * The checks a pipeline gates on, as one small API that the command line (and a build plugin) call:
 * each returns a {@link Result} holding the exit code, a machine-readable JSON document and a text
 * for people, and never prints.
 */
public final class Gates {
  private static final ObjectMapper JSON = new ObjectMapper();

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
   * @param progress receives a line now and then while rows are read
   * @return the result; its JSON has the report under {@code report}
   */
  public static Result validate(Path contractFile, List<Path> files, @Nullable Path quarantineFile,
      Consumer<String> progress) {
    requireFile(contractFile, "contract");
    DataContract contract = DataContract.read(contractFile);
    Validator validator = Validator.compile(contract);
    Schema schema = contract.readSchema();
    CsvOptions options = CsvOptions.builder().schema(schema).badLinePolicy(BadLinePolicy.SKIP).build();
    long malformed = 0;
    long quarantined = 0;
    ValidationReport report;
    Progress p = new Progress("validate", progress);
    try (BufferAllocator allocator = new RootAllocator()) {
      Quarantine q = quarantineFile == null ? null : Quarantine.open(quarantineFile,
          quarantineFile.toString().endsWith(".arrow") ? Quarantine.Format.ARROW : Quarantine.Format.CSV, schema,
          allocator);
      try {
        ValidationSession session = validator.newSession(schema);
        if (q != null) {
          session.quarantineTo(q);
        }
        for (Path file : files) {
          String name = file.toString();
          try (CsvReader reader = CsvReader.open(file, options, allocator)) {
            while (true) {
              Batch next = reader.nextBatch();
              if (q != null) {
                q.addMalformed(name, reader.badLinesOfLastBatch());
              }
              if (next == null) {
                break;
              }
              try (Batch batch = next) {
                session.accumulate(batch, name, reader::lineOf);
                p.rows(batch.rowCount());
              }
            }
            malformed += reader.report().rowsSkipped();
          }
        }
        report = session.report();
        quarantined = q == null ? 0 : q.ruleFailures() + q.malformedLines();
      } finally {
        if (q != null) {
          q.close();
        }
      }
    }
    boolean ok = report.passed() && malformed == 0;
    ObjectNode json = JSON.createObjectNode();
    json.put("command", "validate");
    json.put("passed", ok);
    json.put("verdict", report.verdict().name());
    json.put("files", files.size());
    json.put("rows", report.rowCount());
    json.put("malformedLines", malformed);
    json.put("quarantined", quarantined);
    json.set("report", parse(report.toJson()));
    String text = report.toText() + (malformed == 0 ? "" : "\n" + String.format(Locale.ROOT,
        "%,d line(s) could not be read%s", malformed, quarantineFile == null ? "; pass --quarantine FILE to keep them"
            : " and are in " + quarantineFile));
    return new Result(ok ? Mlops.OK : Mlops.CHECK_FAILED, json, text, report.toHtml());
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

  static Result driftResult(DriftReport report) {
    var d = report.drift();
    ObjectNode json = JSON.createObjectNode();
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

  static void requireFile(Path p, String what) {
    if (!Files.isRegularFile(p)) {
      throw new CliException(Mlops.BAD_INPUT, "no such " + what + " file: " + p);
    }
  }

  static JsonNode parse(String json) {
    try {
      return JSON.readTree(json);
    } catch (IOException e) {
      throw new IllegalStateException("a report's own JSON did not parse", e);
    }
  }

  /** Plain progress lines, at most one every two seconds. */
  private static final class Progress {
    private final String what;
    private final Consumer<String> sink;
    private final long start = System.nanoTime();
    private long last = start;
    private long rows;

    Progress(String what, Consumer<String> sink) {
      this.what = what;
      this.sink = sink;
    }

    void rows(long n) {
      rows += n;
      long now = System.nanoTime();
      if (now - last >= 2_000_000_000L) {
        last = now;
        double s = (now - start) / 1e9;
        sink.accept(String.format(Locale.ROOT, "%s: %,d rows, %,.0f rows/s", what, rows, rows / s));
      }
    }
  }
}
