package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ManifestDiff;
import dev.mlops.core.manifest.ManifestSignature;
import dev.mlops.core.manifest.ManifestSigner;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.ArrayList;
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

/** {@code mlops manifest create|verify|sign|diff} and {@code mlops keys generate}. */
final class ManifestCommands {

  private ManifestCommands() {}

  static Mlops root(CommandLine.Model.CommandSpec spec) {
    CommandLine.Model.CommandSpec s = spec;
    while (s.parent() != null) {
      s = s.parent();
    }
    return (Mlops) s.userObject();
  }

  static void requireDir(@Nullable Path dir) {
    if (dir == null || !Files.isDirectory(dir)) {
      throw new CliException(Mlops.BAD_INPUT, "no such model directory: " + dir);
    }
  }

  /** What {@code manifest create} and {@code publish} both say of a model: who it is and what it scored. */
  static final class Fields {
    @Option(names = "--name", required = true, description = "the model's name")
    @Nullable String name;

    @Option(names = "--version", required = true, description = "the model's version (a published one is immutable)")
    @Nullable String version;

    @Option(names = "--format", required = true, description = "the model's format (onnx, tribuo, ...)")
    @Nullable String format;

    @Option(names = "--metric", description = "an evaluation metric, name=value (repeatable)")
    Map<String, Double> metrics = new LinkedHashMap<>();

    @Option(names = "--tag", description = "a tag, name=value (repeatable)")
    Map<String, String> tags = new LinkedHashMap<>();

    /** A manifest builder with the format, metrics and tags given (name and version are the caller's). */
    ModelManifestBuilder builder() {
      ModelManifestBuilder b = ModelManifest.builder().format(format);
      metrics.forEach(b::metric);
      tags.forEach(b::tag);
      return b;
    }
  }

  /** {@code mlops manifest}. */
  @Command(name = "manifest", mixinStandardHelpOptions = true, description = "Model manifests: what a model is,"
      + " which files make it, which data and code produced it.",
      subcommands = {Create.class, Verify.class, Sign.class, Diff.class})
  static final class Manifest extends Mlops.Group {
  }

  /** {@code mlops manifest create}. */
  @Command(name = "create", description = "Writes manifest.json for a model"
      + " directory: every file in it hashed (SHA-256), name, version, format, metrics and tags.")
  static final class Create implements Callable<Integer> {
    // Not mixinStandardHelpOptions: its --version would clash with the model's --version.
    @Option(names = {"-h", "--help"}, usageHelp = true, description = "show this help and exit")
    boolean help;

    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Mixin
    Fields fields = new Fields();

    @Parameters(paramLabel = "MODEL_DIR", description = "the directory of the model's files")
    @Nullable Path dir;

    @Override
    public Integer call() {
      requireDir(dir);
      ModelManifest m = fields.builder().name(fields.name).version(fields.version).addArtifacts(dir).build();
      Path written = m.write(dir);
      ObjectNode json = (ObjectNode) Gates.parse(m.toJson());
      return root(spec).print(common, new Gates.Result(Mlops.OK, json, "wrote " + written + " (" + m.artifacts().size()
          + " artifacts, digest " + m.digest() + ")", null));
    }
  }

  /** {@code mlops manifest verify}. */
  @Command(name = "verify", mixinStandardHelpOptions = true, description = "Checks a model directory against its"
      + " manifest: every file's size and digest, nothing missing or added, and, with --trust, its signature."
      + " Exit 1 when anything is wrong.")
  static final class Verify implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Option(names = "--trust", description = "a trusted Ed25519 public key (PEM); repeatable")
    List<Path> trusted = new ArrayList<>();

    @Option(names = "--require-signature", description = "fail when the manifest is not signed by a trusted key")
    boolean requireSignature;

    @Parameters(paramLabel = "MODEL_DIR", description = "the model directory")
    @Nullable Path dir;

    @Override
    public Integer call() {
      return root(spec).print(common, Gates.verifyManifest(dir, trusted, requireSignature));
    }
  }

  /** {@code mlops manifest sign}. */
  @Command(name = "sign", mixinStandardHelpOptions = true, description = "Signs a model directory's manifest with"
      + " an Ed25519 key: writes manifest.sig beside it.")
  static final class Sign implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Option(names = "--key", required = true, description = "the private key (PEM)")
    @Nullable Path key;

    @Option(names = "--public-key", required = true, description = "its public key (PEM)")
    @Nullable Path publicKey;

    @Parameters(paramLabel = "MODEL_DIR", description = "the model directory")
    @Nullable Path dir;

    @Override
    public Integer call() {
      requireDir(dir);
      Gates.requireFile(key, "private key");
      Gates.requireFile(publicKey, "public key");
      ModelManifest m = ModelManifest.read(dir.resolve(ModelManifest.FILE_NAME));
      KeyPair pair = new KeyPair(Ed25519Keys.readPublicKey(publicKey), Ed25519Keys.readPrivateKey(key));
      ManifestSignature sig = ManifestSigner.writeSigned(m, dir, pair);
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("command", "manifest sign");
      json.put("keyId", sig.keyId());
      json.put("manifestDigest", sig.manifestDigest());
      return root(spec).print(common, new Gates.Result(Mlops.OK, json, "signed " + dir + " with key " + sig.keyId(),
          null));
    }
  }

  /** {@code mlops manifest diff}. */
  @Command(name = "diff", mixinStandardHelpOptions = true, description = "What differs between two manifests"
      + " (files or model directories). Exit 1 when they differ, as diff does.")
  static final class Diff implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Parameters(index = "0", paramLabel = "LEFT")
    @Nullable Path left;

    @Parameters(index = "1", paramLabel = "RIGHT")
    @Nullable Path right;

    @Override
    public Integer call() {
      ManifestDiff d = ManifestDiff.between(read(left), read(right));
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("command", "manifest diff");
      json.put("same", d.differences().isEmpty());
      ArrayNode diffs = json.putArray("differences");
      StringBuilder text = new StringBuilder(d.differences().isEmpty() ? "the manifests are the same" : "");
      for (ManifestDiff.Difference x : d.differences()) {
        ObjectNode o = diffs.addObject();
        o.put("path", x.path());
        o.put("left", x.left());
        o.put("right", x.right());
        text.append(text.length() == 0 ? "" : "\n").append(x);
      }
      return root(spec).print(common, new Gates.Result(d.differences().isEmpty() ? Mlops.OK : Mlops.CHECK_FAILED, json,
          text.toString(), null));
    }

    private static ModelManifest read(@Nullable Path p) {
      Path file = p != null && Files.isDirectory(p) ? p.resolve(ModelManifest.FILE_NAME) : p;
      Gates.requireFile(file, "manifest");
      return ModelManifest.read(file);
    }
  }

  /** {@code mlops keys}. */
  @Command(name = "keys", mixinStandardHelpOptions = true, description = "Ed25519 signing keys.",
      subcommands = Generate.class)
  static final class Keys extends Mlops.Group {
  }

  /** {@code mlops keys generate}. */
  @Command(name = "generate", mixinStandardHelpOptions = true, description = "Writes a new Ed25519 key pair:"
      + " NAME.key (private, keep it secret) and NAME.pub (public, give it to verifiers).")
  static final class Generate implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Option(names = {"-o", "--out"}, required = true, description = "the path of the pair without extension")
    @Nullable Path out;

    @Override
    public Integer call() {
      Path pub = Path.of(out + ".pub");
      Path priv = Path.of(out + ".key");
      if (Files.exists(pub) || Files.exists(priv)) {
        throw new CliException(Mlops.BAD_INPUT, priv + " or " + pub + " exists already; keys are never overwritten"
            + " (a lost private key cannot be recovered): choose another name or delete them first");
      }
      KeyPair pair = Ed25519Keys.generate();
      Ed25519Keys.write(priv, pair.getPrivate());
      Ed25519Keys.write(pub, pair.getPublic());
      ObjectNode json = CliJson.MAPPER.createObjectNode();
      json.put("command", "keys generate");
      json.put("keyId", Ed25519Keys.keyId(pair.getPublic()));
      json.put("publicKey", pub.toString());
      json.put("privateKey", priv.toString());
      return root(spec).print(common, new Gates.Result(Mlops.OK, json, "wrote " + priv + " and " + pub + " (key id "
          + Ed25519Keys.keyId(pair.getPublic()) + ")", null));
    }
  }
}
