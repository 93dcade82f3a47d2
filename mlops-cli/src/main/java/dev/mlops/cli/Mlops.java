package dev.mlops.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
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
    description = "Data contracts, profiles and drift for pipelines, without writing Java.",
    subcommands = {Mlops.Validate.class, Mlops.Profile.class, Mlops.Drift.class, Mlops.SchemaCommand.class,
        Mlops.ContractCommand.class, ManifestCommands.Manifest.class, ManifestCommands.Keys.class,
        RepositoryCommands.Publish.class, RepositoryCommands.Alias.class, RepositoryCommands.Audit.class},
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

  private static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

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

  static int exitCodeOf(Throwable ex) {
    if (ex instanceof CliException c) {
      return c.exitCode();
    }
    if (ex instanceof MlopsException || ex instanceof IllegalArgumentException) {
      return BAD_INPUT; // what the user gave was refused, with a message that names it
    }
    if (ex instanceof UncheckedIOException) {
      return BAD_INPUT; // a file that cannot be read or written: the message names it
    }
    return INTERNAL;
  }

  static String messageOf(Throwable ex) {
    if (ex instanceof UncheckedIOException u && u.getCause() instanceof NoSuchFileException n) {
      return "no such file: " + n.getFile();
    }
    String m = ex.getMessage();
    return m == null ? ex.getClass().getName() : m;
  }

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "name a command: validate, profile, drift, schema"
        + " infer, contract infer, manifest, keys, publish, alias or audit (mlops --help lists them)");
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

    @Option(names = {"-q", "--quiet"}, description = "no progress lines on stderr")
    boolean quiet;
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

  static String pretty(JsonNode n) {
    try {
      return JSON.writeValueAsString(n);
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
      Gates.Result r = Gates.validate(contract, files, quarantine, line -> {
        if (!common.quiet) {
          root.err.println(line);
        }
      });
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
      description = "Compares current data with a reference (each a CSV file or a saved profile). Exit 1 on"
          + " dataset drift; columns the sketches cannot decide are reported as INCONCLUSIVE.")
  static final class Drift implements Callable<Integer> {
    @ParentCommand
    @Nullable Mlops root;

    @Mixin
    Common common = new Common();

    @Option(names = {"-r", "--reference"}, required = true, description = "reference data or profile")
    @Nullable Path reference;

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
      DatasetProfile ref = Gates.profileOf(reference, null);
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
}
