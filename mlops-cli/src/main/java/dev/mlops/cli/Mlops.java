package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.monitoring.report.ProfileReport;
import dev.mlops.validation.ContractInference;
import dev.mlops.validation.DataContract;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine;

/**
 * The {@code mlops} command line. Every command prints one JSON document on stdout with
 * {@code --json}, text for people otherwise, and diagnostics (progress, errors) on stderr only; and
 * exits with a code a pipeline can gate on, the same for every command.
 */
@Command(name = "mlops", mixinStandardHelpOptions = true, version = "mlops 0.1.0",
    description = "Data contracts, profiles, drift, model manifests, promotion policies and batch scoring for"
        + " pipelines, without writing Java.",
    subcommands = {Mlops.Validate.class, Mlops.Profile.class, Mlops.Drift.class, Mlops.SchemaCommand.class,
        Mlops.ContractCommand.class, ManifestCommands.Manifest.class, ManifestCommands.Keys.class,
        RepositoryCommands.Publish.class, RepositoryCommands.Alias.class, PromotionCommands.Approve.class,
        PromotionCommands.Promote.class, PromotionCommands.Rollback.class, Mlops.Predict.class, Mlops.Report.class,
        RepositoryCommands.Audit.class},
    footerHeading = "%nExit codes (every command):%n",
    footer = {"  0  ok", "  1  a policy or check failed (the data fails its contract, drift, ...)",
        "  2  bad input or usage (a missing file, a malformed contract or CSV, an unknown option)",
        "  3  internal error (a bug: please report it with the stack trace printed on stderr)"})
public final class Mlops implements Runnable {
  /** Exit code: ok. */
  public static final int OK = 0;
  /** Exit code: a policy or check failed. */
  public static final int CHECK_FAILED = 1;
  /** Exit code: bad input or usage. */
  public static final int BAD_INPUT = 2;
  /** Exit code: internal error. */
  public static final int INTERNAL = 3;


  @CommandLine.Spec
  CommandLine.Model.@Nullable CommandSpec spec;

  private PrintStream out = System.out;
  private PrintStream err = System.err;

  /**
   * Runs the command line and exits the JVM with its exit code.
   *
   * @param args the arguments
   */
  public static void main(String[] args) {
    System.exit(run(System.out, System.err, args));
  }

  /**
   * Runs the command line in this JVM (tests, a build plugin).
   *
   * @param out standard output
   * @param err standard error
   * @param args the arguments
   * @return the exit code
   */
  public static int run(PrintStream out, PrintStream err, String... args) {
    Mlops root = new Mlops();
    root.out = out;
    root.err = err;
    CommandLine cl = new CommandLine(root);
    cl.setOut(new PrintWriter(out, true, StandardCharsets.UTF_8));
    cl.setErr(new PrintWriter(err, true, StandardCharsets.UTF_8));
    cl.setExecutionExceptionHandler((ex, cmd, parsed) -> {
      int code = exitCodeOf(ex);
      err.println("mlops " + cmd.getCommandName() + ": " + (code == INTERNAL ? "internal error: " : "")
          + messageOf(ex));
      if (code == INTERNAL) {
        ex.printStackTrace(err);
      }
      return code;
    });
    cl.setParameterExceptionHandler((ex, a) -> {
      err.println("mlops: " + ex.getMessage());
      ex.getCommandLine().usage(err);
      return BAD_INPUT;
    });
    return cl.execute(args);
  }

  /**
   * The exit code of a failure: {@link #BAD_INPUT} for refused input, {@link #CHECK_FAILED} for a
   * digest or signature that did not verify, {@link #INTERNAL} otherwise.
   *
   * @param ex the failure
   * @return the code
   */
  public static int exitCodeOf(Throwable ex) {
    if (ex instanceof CliException c) {
      return c.exitCode();
    }
    if (ex instanceof dev.mlops.core.IntegrityException) {
      return CHECK_FAILED; // a digest or signature did not verify: the check failed, the input was readable
    }
    if (ex instanceof MlopsException || ex instanceof IllegalArgumentException) {
      return BAD_INPUT; // what the user gave was refused, with a message that names it
    }
    if (ex instanceof UncheckedIOException) {
      return BAD_INPUT; // a file that cannot be read or written: the message names it
    }
    return INTERNAL;
  }

  /**
   * The message a failure is reported with, as the command line prints it after the command name.
   *
   * @param ex the failure
   * @return the message
   */
  public static String messageOf(Throwable ex) {
    if (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    String m = ex.getMessage();
    return m == null ? ex.getClass().getName() : m;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate, profile, drift, schema"
        + " infer, contract infer, manifest, keys, publish, alias, approve, promote, rollback, predict, report or audit"
        + " (mlops --help lists them)");
  }

  /** A command that only groups subcommands: run alone, it names them. */
  abstract static class Group implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Override
    public void run() {
      throw new CommandLine.ParameterException(spec.commandLine(), "name a subcommand: "
          + String.join(", ", spec.subcommands().keySet()));
    }
  }

  /** Options every command takes. */
  static final class Common {
    @Option(names = "--json", description = "print one JSON document on stdout instead of text")
    boolean json;

    @Option(names = {"-q", "--quiet"}, description = "no progress on stderr")
    boolean quiet;

    @Option(names = "--progress", description = "how progress shows on stderr: AUTO (a bar on a terminal, plain"
        + " lines every 5 s otherwise), BAR, LINES or NONE", defaultValue = "AUTO")
    ProgressReporter.Mode progress = ProgressReporter.Mode.AUTO;

    ProgressReporter progress(PrintStream err, String task, long totalBytes) {
      return new ProgressReporter(task, totalBytes, quiet ? ProgressReporter.Mode.NONE : progress, err,
          5_000_000_000L, System::nanoTime);
    }
  }

  int print(Common common, Gates.Result r) {
    return print(out, common, r);
  }

  static int print(PrintStream out, Common common, Gates.Result r) {
    if (common.json) {
      out.println(pretty(r.json()));
    } else {
      out.println(r.text());
    }
    return r.exitCode();
  }

  /**
   * A JSON document as a command prints it with {@code --json}: indented.
   *
   * @param n the document
   * @return the text
   */
  public static String pretty(JsonNode n) {
    try {
      return CliJson.PRETTY.writeValueAsString(n);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }

  static void writeText(Path file, String what, String text) {
    AtomicFiles.write(file, what, o -> o.write(text.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code mlops validate}. */
  @Command(name = "validate", mixinStandardHelpOptions = true,
      description = "Validates CSV files (files, directories of *.csv, globs) against a data contract in one"
          + " session: dataset rules on all rows, unreadable lines counted. Exit 1 when the data fails.")
  static final class Validate implements Callable<Integer> {
    @ParentCommand
    @Nullable Mlops root;

    @Mixin
    Common common = new Common();

    @Option(names = {"-c", "--contract"}, required = true, description = "the contract (YAML or JSON)")
    @Nullable Path contract;

    @Option(names = "--quarantine", description = "write rejected rows and unreadable lines here (.csv or .arrow)")
    @Nullable Path quarantine;

    @Option(names = "--html", description = "write the report as an HTML page")
    @Nullable Path html;

    @Option(names = "--report", description = "write the report as JSON")
    @Nullable Path report;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "CSV files, directories or globs")
    List<String> inputs = List.of();

    @Override
    public Integer call() {
      List<Path> files = Gates.expand(inputs);
      Gates.Result r;
      try (ProgressReporter progress = common.progress(root.err, "validate", Gates.totalBytes(files))) {
        r = Gates.validate(contract, files, quarantine, progress);
      }
      if (report != null) {
        writeText(report, "validation report", pretty(r.json().get("report")));
      }
      if (html != null) {
        writeText(html, "validation report", r.html());
      }
      return root.print(common, r);
    }
  }

  /** {@code mlops profile}. */
  @Command(name = "profile", mixinStandardHelpOptions = true,
      description = "Profiles CSV files into one mergeable profile (binary), with an optional HTML report.")
  static final class Profile implements Callable<Integer> {
    @ParentCommand
    @Nullable Mlops root;

    @Mixin
    Common common = new Common();

    @Option(names = {"-o", "--out"}, description = "write the profile (binary, for mlops drift) here")
    @Nullable Path outFile;

    @Option(names = "--html", description = "write the profile as an HTML page")
    @Nullable Path html;

    @Parameters(arity = "1..*", paramLabel = "INPUT", description = "CSV files, directories or globs")
    List<String> inputs = List.of();

    @Override
    public Integer call() throws Exception {
      DatasetProfile p = Gates.profile(Gates.expand(inputs), null);
      if (outFile != null) {
        AtomicFiles.write(outFile, "profile", o -> o.write(p.toBytes()));
      }
      if (html != null) {
        ProfileReport.of(p).writeHtml(html);
      }
      JsonNode json = Gates.parse(p.toJson());
      String text = "profile: " + p.rowCount() + " rows, " + p.columns().size() + " columns"
          + (outFile == null ? "" : "; written to " + outFile);
      return root.print(common, new Gates.Result(OK, json, text, null));
    }
  }

  /** {@code mlops drift}. */
  @Command(name = "drift", mixinStandardHelpOptions = true,
      description = "Compares current data with a reference (each a CSV file or a saved profile, or the reference"
          + " a model's published training profile). Exit 1 on dataset drift; columns the sketches cannot decide are"
          + " reported as INCONCLUSIVE.")
  static final class Drift implements Callable<Integer> {
    @ParentCommand
    @Nullable Mlops root;

    @Mixin
    Common common = new Common();

    @Option(names = {"-r", "--reference"}, description = "reference data or profile")
    @Nullable Path reference;

    @Option(names = {"-m", "--model"}, description = "instead of --reference: the training profile published with"
        + " this model (name/version or name@alias; digests verified), from --repository")
    @Nullable String model;

    @Option(names = "--repository", description = "the model repository directory, with --model")
    @Nullable Path repository;

    @Option(names = "--training-profile", defaultValue = "training-profile.bin", description = "the model's"
        + " artifact holding its training profile (default training-profile.bin)")
    String trainingProfile = "training-profile.bin";

    @Option(names = {"-c", "--current"}, required = true, description = "current data or profile")
    @Nullable Path current;

    @Option(names = "--exclude", split = ",", description = "columns left out of the comparison")
    List<String> exclude = List.of();

    @Option(names = "--share", description = "the dataset drifts when at least this share of the compared"
        + " columns drifts (default 0.5)")
    @Nullable Double share;

    @Option(names = "--html", description = "write the drift report as an HTML page")
    @Nullable Path html;

    @Override
    public Integer call() {
      DriftOptions.Builder b = DriftOptions.builder();
      if (!exclude.isEmpty()) {
        b.exclude(exclude.toArray(new String[0]));
      }
      if (share != null) {
        b.driftShare(share);
      }
      if ((reference == null) == (model == null)) {
        throw new CliException(BAD_INPUT, "give the reference as --reference FILE or as --model REF --repository DIR"
            + " (one of them)");
      }
      DatasetProfile ref = model != null ? Gates.trainingProfile(repository, model, trainingProfile)
          : Gates.profileOf(reference, null);
      DatasetProfile cur = Gates.profileOf(current, ref.schema());
      DriftReport report = DriftReport.compare(ref, cur, b.build());
      if (html != null) {
        report.writeHtml(html);
      }
      return root.print(common, Gates.driftResult(report));
    }
  }

  /** {@code mlops schema}. */
  @Command(name = "schema", mixinStandardHelpOptions = true, description = "Schemas of data files.",
      subcommands = SchemaCommand.Infer.class)
  static final class SchemaCommand extends Mlops.Group {
    /** {@code mlops schema infer}. */
    @Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Infers a CSV file's schema from every row (not a sample) and prints or writes it as JSON.")
    static final class Infer implements Callable<Integer> {
      @ParentCommand
      @Nullable SchemaCommand parent;

      @Mixin
      Common common = new Common();

      @Option(names = {"-o", "--out"}, description = "write the schema here")
      @Nullable Path outFile;

      @Parameters(paramLabel = "FILE", description = "the CSV file")
      @Nullable Path file;

      @Override
      public Integer call() {
        Gates.requireFile(file, "data");
        Schema s = CsvReader.inferSchemaFromWholeFile(file, CsvOptions.defaults());
        if (outFile != null) {
          writeText(outFile, "schema", s.toJson());
        }
        Mlops root = (Mlops) parent.spec.parent().userObject();
        return root.print(common, new Gates.Result(OK, Gates.parse(s.toJson()), s.toJson(), null));
      }
    }
  }

  /** {@code mlops contract}. */
  @Command(name = "contract", mixinStandardHelpOptions = true, description = "Data contracts.",
      subcommands = ContractCommand.Infer.class)
  static final class ContractCommand extends Mlops.Group {
    /** {@code mlops contract infer}. */
    @Command(name = "infer", mixinStandardHelpOptions = true,
        description = "Suggests a contract from reference data (review it before you commit it); it passes on"
            + " that data. Prints YAML, or writes it (.yaml) or JSON (.json).")
    static final class Infer implements Callable<Integer> {
      @ParentCommand
      @Nullable ContractCommand parent;

      @Mixin
      Common common = new Common();

      @Option(names = {"-n", "--name"}, required = true, description = "the contract's name")
      @Nullable String name;

      @Option(names = {"-o", "--out"}, description = "write the contract here")
      @Nullable Path outFile;

      @Parameters(paramLabel = "FILE", description = "the reference CSV file")
      @Nullable Path file;

      @Override
      public Integer call() {
        Gates.requireFile(file, "data");
        Schema s = CsvReader.inferSchemaFromWholeFile(file, CsvOptions.defaults());
        DataContract c;
        try (BufferAllocator allocator = new RootAllocator();
            dev.mlops.core.Batch all = CsvReader.readAll(file, CsvOptions.builder().schema(s).build(), allocator)) {
          c = ContractInference.defaults().infer(name, all);
        }
        if (outFile != null) {
          c.write(outFile);
        }
        Mlops root = (Mlops) parent.spec.parent().userObject();
        return root.print(common, new Gates.Result(OK, Gates.parse(c.toJson()), c.toYaml(), null));
      }
    }
  }

  /** {@code mlops predict}. */
  @Command(name = "predict", mixinStandardHelpOptions = true, description = "Scores a CSV or Arrow file with a"
      + " verified model from a repository, streaming batch by batch, into an output file (.csv or .arrow): the input"
      + " columns, the prediction columns, _status and _reason. With --contract, rows that break it get no"
      + " prediction (_status rejected). Exit 1 when any row has no prediction.")
  static final class Predict implements Callable<Integer> {
    @ParentCommand
    @Nullable Mlops root;

    @Mixin
    Common common = new Common();

    @Option(names = "--repository", required = true, description = "the model repository directory")
    @Nullable Path repository;

    @Option(names = {"-m", "--model"}, required = true, description = "the model: name/version or name@alias")
    @Nullable String model;

    @Option(names = "--trust-key", description = "require a manifest signature by this public key (repeatable)")
    List<Path> trustKeys = new java.util.ArrayList<>();

    @Option(names = {"-c", "--contract"}, description = "the contract guard: rows that break it are not scored")
    @Nullable Path contract;

    @Option(names = {"-o", "--out"}, required = true, description = "the output file (.csv or .arrow)")
    @Nullable Path outFile;

    @Parameters(paramLabel = "INPUT", description = "the CSV or Arrow (.arrow) file to score")
    @Nullable Path input;

    @Override
    public Integer call() {
      Gates.Result r;
      try (ProgressReporter progress = common.progress(root.err, "predict", Gates.totalBytes(List.of(input)))) {
        r = BatchScoring.predict(repository, model, trustKeys, input, outFile, contract, progress);
      }
      return root.print(common, r);
    }
  }

  /** {@code mlops report}. */
  @Command(name = "report", mixinStandardHelpOptions = true, description = "Writes one self-contained HTML page"
      + " about a model version: manifest and artifacts, lineage, metrics, tags, its audit records, and with --data"
      + " the contract's verdict and drift against the version's training profile.")
  static final class Report implements Callable<Integer> {
    @ParentCommand
    @Nullable Mlops root;

    @Mixin
    Common common = new Common();

    @Option(names = "--repository", required = true, description = "the model repository directory")
    @Nullable Path repository;

    @Option(names = {"-c", "--contract"}, description = "the model's data contract")
    @Nullable Path contract;

    @Option(names = "--data", description = "data to check against the contract and the training profile")
    @Nullable Path data;

    @Option(names = "--training-profile", description = "the artifact holding the training profile (default"
        + " training-profile.bin)", defaultValue = "training-profile.bin")
    String trainingProfile = "training-profile.bin";

    @Option(names = {"-o", "--out"}, required = true, description = "the HTML file")
    @Nullable Path outFile;

    @Parameters(paramLabel = "MODEL", description = "the version: name/version or name@alias")
    @Nullable String model;

    @Override
    public Integer call() {
      Gates.Result r = ModelReport.create(repository, model, contract, data, trainingProfile);
      writeText(outFile, "model report", r.html());
      return root.print(common, r);
    }
  }
}
