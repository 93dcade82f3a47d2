package dev.mlops.cli;

import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.serving.promotion.Approval;
import dev.mlops.serving.promotion.Approvals;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine;

/** {@code mlops approve}, {@code mlops promote} and {@code mlops rollback}: policy-as-code promotion. */
final class PromotionCommands {
  private PromotionCommands() {}

  private static ModelRef version(String text) {
    ModelRef ref = ModelRef.parse(text);
    if (ref.isAlias()) {
      throw new CliException(Mlops.BAD_INPUT, "name a version (model/version), not an alias: " + text);
    }
    return ref;
  }

  private static void requireRepository(@Nullable Path root) {
    if (root == null || !Files.isDirectory(root)) {
      throw new CliException(Mlops.BAD_INPUT, "no such repository directory: " + root);
    }
  }

  /** {@code mlops approve}. */
  @Command(name = "approve", mixinStandardHelpOptions = true, description = "Signs an approval of a published"
      + " version (over its manifest digest) with an approver's Ed25519 key and stores it beside the version,"
      + " recorded in the audit log. A promotion policy counts approvals that verify with the keys it names.")
  static final class Approve implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Mixin
    RepositoryCommands.Repo repo = new RepositoryCommands.Repo();

    @Option(names = "--approver", required = true, description = "the approver's name, as the policy lists it")
    @Nullable String approver;

    @Option(names = "--key", required = true, description = "the approver's private key (PEM)")
    @Nullable Path key;

    @Option(names = "--public-key", required = true, description = "the approver's public key (PEM)")
    @Nullable Path publicKey;

    @Parameters(paramLabel = "MODEL/VERSION", description = "the version approved")
    @Nullable String candidate;

    @Override
    public Integer call() {
      requireRepository(repo.root);
      Gates.requireFile(key, "private key");
      Gates.requireFile(publicKey, "public key");
      ModelRef ref = version(candidate);
      ModelRepository r = repo.open();
      if (!r.exists(ref.name(), ref.version())) {
        throw new CliException(Mlops.BAD_INPUT, "no version " + candidate + " in " + repo.root);
      }
      KeyPair keys = new KeyPair(Ed25519Keys.readPublicKey(publicKey), Ed25519Keys.readPrivateKey(key));
      ModelManifest m = ModelManifest.read(r.directory(ref));
      Approval a = Approval.sign(approver, m, keys, Instant.now());
      if (!a.verifies(keys.getPublic())) {
        throw new CliException(Mlops.BAD_INPUT, "the private key " + key + " is not the half of public key "
            + publicKey + "; give the approver's own pair");
      }
      Approvals.store(r, a);
      ObjectNode json = Gates.parse(a.toJson()).deepCopy();
      json.put("command", "approve");
      return ManifestCommands.root(spec).print(common, new Gates.Result(Mlops.OK, json, approver + " approved "
          + candidate + " (manifest " + m.digest() + ")", null));
    }
  }

  /** {@code mlops promote}. */
  @Command(name = "promote", mixinStandardHelpOptions = true, description = "Moves an alias to a version only if"
      + " every rule of a promotion policy passes; prints every rule's outcome and records the decision (passed"
      + " or refused) in the audit log. Exit 1 when refused; the alias is then unchanged.")
  static final class Promote implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Mixin
    RepositoryCommands.Repo repo = new RepositoryCommands.Repo();

    @Option(names = "--to", required = true, description = "the alias to move (champion, ...)")
    @Nullable String alias;

    @Option(names = "--policy", required = true, description = "the promotion policy (YAML)")
    @Nullable Path policy;

    @Option(names = "--dry-run", description = "evaluate the policy only: move nothing, record nothing")
    boolean dryRun;

    @Parameters(paramLabel = "MODEL/VERSION", description = "the candidate version")
    @Nullable String candidate;

    @Override
    public Integer call() {
      version(candidate);
      return ManifestCommands.root(spec).print(common, Gates.promote(repo.root, repo.actor, candidate, alias, policy,
          dryRun));
    }
  }

  /** {@code mlops rollback}. */
  @Command(name = "rollback", mixinStandardHelpOptions = true, description = "Points an alias back at the version"
      + " it pointed at before its last change (successive rollbacks walk further back), recorded in the audit"
      + " log.")
  static final class Rollback implements Callable<Integer> {
    @CommandLine.Spec
    CommandLine.Model.@Nullable CommandSpec spec;

    @Mixin
    Mlops.Common common = new Mlops.Common();

    @Mixin
    RepositoryCommands.Repo repo = new RepositoryCommands.Repo();

    @Parameters(index = "0", paramLabel = "MODEL")
    @Nullable String model;

    @Parameters(index = "1", paramLabel = "ALIAS")
    @Nullable String alias;

    @Override
    public Integer call() {
      requireRepository(repo.root);
      ModelRepository r = repo.open();
      String before = r.aliases(model).get(alias);
      String now;
      try {
        now = r.rollback(model, alias);
      } catch (IllegalStateException e) {
        throw new CliException(Mlops.BAD_INPUT, e.getMessage());
      }
      ObjectNode json = Gates.parse("{}").deepCopy();
      json.put("command", "rollback");
      json.put("model", model);
      json.put("alias", alias);
      json.put("from", before);
      json.put("to", now);
      return ManifestCommands.root(spec).print(common, new Gates.Result(Mlops.OK, json, model + "@" + alias + ": "
          + before + " -> " + now + " (rolled back)", null));
    }
  }
}
