package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.serving.repository.AuditLog;
import dev.mlops.serving.repository.ModelRepository;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code mlops publish}, {@code mlops alias set|get} and {@code mlops audit verify}, over a model repository. */
final class RepositoryCommands {

  private RepositoryCommands() {}

  /** Options naming the repository and who acts on it. */
  static final class Repo {
    @Option(names = "--repository", required = true, description = "the model repository directory")
    @Nullable Path root;

    @Option(names = "--actor", description = "who makes the change, for the audit log (default: the OS user)")
    @Nullable String actor;

    ModelRepository open() {
      ModelRepository r = ModelRepository.open(root);
      return actor == null ? r : r.withActor(actor);
    }
  }

  /** {@code mlops publish}. */
  @Command(name = "publish", description = "Publishes a model file as a new, immutable version: copied into the"
      + " repository with its manifest (optionally signed), recorded in the audit log.")
  static final class Publish implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    // Not mixinStandardHelpOptions: its --version would clash with the model's --version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Mixin
    Repo repo = new Repo();

    @Mixin
    ManifestCommands.Fields fields = new ManifestCommands.Fields();

    @Option(names = "--key", description = "sign the manifest with this private key (PEM); needs --public-key")
    @Nullable Path key;

    @Option(names = "--public-key", description = "the signing key's public half (PEM)")
    @Nullable Path publicKey;

    @Option(names = "--dataset", description = "fingerprint a CSV file the model was trained or evaluated on,"
        + " name=file (repeatable; e.g. train=data/train.csv)")
    Map<String, Path> datasets = new LinkedHashMap<>();

    @Option(names = "--code", description = "record the git commit (and whether the work tree was clean) of the"
        + " checkout holding this directory")
    @Nullable Path code;

    @Option(names = "--commit", description = "record this git commit (40 or 64 hex digits), when --code cannot"
        + " read the checkout")
    @Nullable String commit;

    @Option(names = "--work-tree", description = "with --commit: CLEAN or DIRTY (default UNKNOWN)")
    dev.mlops.core.manifest.CodeVersion.@Nullable Dirty workTree;

    @Option(names = "--with", description = "another file published and verified with the model (its training"
        + " profile, contract, ...), repeatable")
    List<Path> with = new java.util.ArrayList<>();

    @Parameters(paramLabel = "MODEL_FILE", description = "the model file")
    @Nullable Path file;

    @Override
    public Integer call() {
      Gates.requireFile(file, "model");
      for (Path w : with) {
        Gates.requireFile(w, "--with");
      }
      String name = fields.name;
      String version = fields.version;
      ModelManifestBuilder b = fields.builder();
      datasets.forEach((n, f) -> b.addDataset(n, Gates.fingerprint(f)));
      if (code != null && commit != null) {
        throw new CliException(Mlops.BAD_INPUT, "give --code or --commit, not both");
      }
      if (code != null) {
        b.codeVersion(dev.mlops.core.manifest.CodeVersion.detect(code).orElseThrow(() -> new CliException(
            Mlops.BAD_INPUT, "--code " + code + " is not inside a git checkout with a commit; give --commit")));
      } else if (commit != null) {
        b.codeVersion(new dev.mlops.core.manifest.CodeVersion(commit, null, workTree == null
            ? dev.mlops.core.manifest.CodeVersion.Dirty.UNKNOWN : workTree));
      } else if (workTree != null) {
        throw new CliException(Mlops.BAD_INPUT, "--work-tree needs --commit");
      }
      KeyPair signer = null;
      if ((key == null) != (publicKey == null)) {
        throw new CliException(Mlops.BAD_INPUT, "signing needs both --key and --public-key");
      }
      if (key != null) {
        Gates.requireFile(key, "private key");
        Gates.requireFile(publicKey, "public key");
        signer = new KeyPair(Ed25519Keys.readPublicKey(publicKey), Ed25519Keys.readPrivateKey(key));
      }
      ModelRepository r = repo.open();
      if (r.exists(name, version)) {
        throw new CliException(Mlops.BAD_INPUT, "version " + name + "/" + version + " already exists in " + repo.root
            + "; versions are immutable, publish a new version");
      }
      List<Path> files = new java.util.ArrayList<>();
      files.add(file);
      files.addAll(with);
      ModelManifest m = r.publish(name, version, files, b, signer);
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("command", "publish");
      json.put("model", name);
      json.put("version", version);
      json.put("manifestDigest", m.digest());
      json.put("signed", signer != null);
      return ManifestCommands.root(spec).print(common, new Gates.Result(Mlops.OK, json, "published " + name + "/"
          + version + " (manifest " + m.digest() + (signer != null ? ", signed" : "") + ")", null));
    }
  }

  /** {@code mlops alias}. */
  @Command(name = "alias", mixinStandardHelpOptions = true, description = "Aliases of a model's versions"
      + " (champion, canary, ...).", subcommands = {AliasSet.class, AliasGet.class})
  static final class Alias extends Mlops.Group {
  }

  /** {@code mlops alias set}. */
  @Command(name = "set", mixinStandardHelpOptions = true, description = "Points an alias at a published version"
      + " (atomically), recorded in the audit log with the version it pointed at before.")
  static final class AliasSet implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Mixin
    Repo repo = new Repo();

    @Parameters(index = "0", paramLabel = "MODEL")
    @Nullable String model;

    @Parameters(index = "1", paramLabel = "ALIAS")
    @Nullable String alias;

    @Parameters(index = "2", paramLabel = "VERSION")
    @Nullable String version;

    @Override
    public Integer call() {
      ModelRepository r = repo.open();
      String before = r.aliases(model).get(alias);
      r.setAlias(model, alias, version);
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("command", "alias set");
      json.put("model", model);
      json.put("alias", alias);
      json.put("from", before);
      json.put("to", version);
      return ManifestCommands.root(spec).print(common, new Gates.Result(Mlops.OK, json, model + "@" + alias + ": "
          + (before == null ? "(none)" : before) + " -> " + version, null));
    }
  }

  /** {@code mlops alias get}. */
  @Command(name = "get", mixinStandardHelpOptions = true, description = "The version an alias points at.")
  static final class AliasGet implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Option(names = "--repository", required = true, description = "the model repository directory")
    @Nullable Path root;

    @Parameters(index = "0", paramLabel = "MODEL")
    @Nullable String model;

    @Parameters(index = "1", paramLabel = "ALIAS")
    @Nullable String alias;

    @Override
    public Integer call() {
      String v = ModelRepository.open(root).aliases(model).get(alias);
      if (v == null) {
        throw new CliException(Mlops.BAD_INPUT, "model " + model + " has no alias '" + alias + "' in " + root);
      }
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("model", model);
      json.put("alias", alias);
      json.put("version", v);
      return ManifestCommands.root(spec).print(common, new Gates.Result(Mlops.OK, json, v, null));
    }
  }

  /** {@code mlops audit}. */
  @Command(name = "audit", mixinStandardHelpOptions = true, description = "The repository's audit log.",
      subcommands = AuditVerify.class)
  static final class Audit extends Mlops.Group {
  }

  /** {@code mlops audit verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Checks the audit log's hash chain:"
      + " an edited, removed, inserted or reordered record, or a cut-off end, is named. Exit 1 when any is found.")
  static final class AuditVerify implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Option(names = "--repository", required = true, description = "the model repository directory")
    @Nullable Path root;

    @Override
    public Integer call() {
      if (!java.nio.file.Files.isDirectory(root)) {
        throw new CliException(Mlops.BAD_INPUT, "no such repository directory: " + root);
      }
      AuditLog log = AuditLog.of(root);
      List<AuditLog.Problem> problems = log.verify();
      int records = problems.isEmpty() ? log.read().size() : -1;
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("command", "audit verify");
      json.put("ok", problems.isEmpty());
      if (records >= 0) {
        json.put("records", records);
      }
      ArrayNode ps = json.putArray("problems");
      StringBuilder text = new StringBuilder(problems.isEmpty() ? "ok: " + records + " records, chain intact" : "");
      for (AuditLog.Problem p : problems) {
        ObjectNode o = ps.addObject();
        o.put("line", p.line());
        o.put("message", p.message());
        text.append(text.length() == 0 ? "" : "\n").append(p.line() == 0 ? "head" : "line " + p.line()).append(": ")
            .append(p.message());
      }
      return ManifestCommands.root(spec).print(common, new Gates.Result(problems.isEmpty() ? Mlops.OK
          : Mlops.CHECK_FAILED, json, text.toString(), null));
    }
  }
}
