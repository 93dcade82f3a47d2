package dev.mlops.cli;

import static dev.mlops.cli.MlopsCliTest.mlops;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.mlops.serving.repository.AuditLog;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code approve}, {@code promote} and {@code rollback} on credit-g, through the command line only:
 * a champion and a candidate published with their training profile, data fingerprint and commit,
 * a policy beside them; refusals exit 1 and leave the alias, passes move it, every decision is in the
 * audit log.
 */
class PromotionCommandsTest {
  private static final String COMMIT = "89abcdef0123456789abcdef0123456789abcdef";

  @TempDir
  Path dir;

  private Path repo;

  private static MlopsCliTest.Run ok(String... args) {
    MlopsCliTest.Run r = mlops(args);
    assertThat(r.code()).as(String.join(" ", args) + "\n" + r.err()).isZero();
    return r;
  }

  private String p(String name) {
    return dir.resolve(name).toString();
  }

  @BeforeEach
  void setUp() throws IOException {
    List<String> lines = Files.readAllLines(MlopsCliTest.CREDIT_G, StandardCharsets.UTF_8);
    List<String> train = new ArrayList<>(lines.subList(0, 701));
    List<String> holdout = new ArrayList<>();
    holdout.add(lines.get(0));
    holdout.addAll(lines.subList(701, lines.size()));
    Files.write(dir.resolve("train.csv"), train);
    Files.write(dir.resolve("holdout.csv"), holdout);
    Files.writeString(dir.resolve("model.onnx"), "model bytes");
    Files.createDirectories(dir.resolve("keys"));
    for (String k : List.of("release", "alice", "bob")) {
      ok("keys", "generate", "-o", p("keys/" + k));
    }
    ok("contract", "infer", "--name", "credit-g", "-o", p("contract.yaml"), MlopsCliTest.CREDIT_G.toString());
    ok("profile", "-q", "-o", p("training-profile.bin"), p("train.csv"));
    repo = dir.resolve("repo");
    publish("1", "0.80");
    ok("alias", "set", "--repository", repo.toString(), "credit", "champion", "1");
    Files.writeString(dir.resolve("policy.yaml"), """
        policy: credit-champion
        require:
          tags: [owner, risk_tier]
          training_data: train
          metrics: [auc]
          signature:
            trusted_keys: [keys/release.pub]
          code_commit: true
          clean_work_tree: true
        metrics:
          auc: {min: 0.70, max_drop_vs_champion: 0.01}
        holdout:
          data: holdout.csv
          contract: contract.yaml
        drift:
          training_profile: training-profile.bin
          drift_share: 0.3
        approvals:
          required: 2
          approvers:
            alice: keys/alice.pub
            bob: keys/bob.pub
        """);
  }

  private void publish(String version, String auc) {
    ok("publish", "-q", "--repository", repo.toString(), "--actor", "ci", "--name", "credit", "--version", version,
        "--format", "onnx", "--metric", "auc=" + auc, "--tag", "owner=risk-team", "--tag", "risk_tier=high",
        "--dataset", "train=" + p("train.csv"), "--commit", COMMIT, "--work-tree", "CLEAN", "--with",
        p("training-profile.bin"), "--key", p("keys/release.key"), "--public-key", p("keys/release.pub"),
        p("model.onnx"));
  }

  private String champion() {
    return ok("alias", "get", "--repository", repo.toString(), "credit", "champion").out().trim();
  }

  private MlopsCliTest.Run promote(String version, String... more) {
    List<String> args = new ArrayList<>(List.of("promote", "--json", "--repository", repo.toString(), "--actor",
        "release-bot", "--to", "champion", "--policy", p("policy.yaml"), "credit/" + version));
    args.addAll(List.of(more));
    return mlops(args.toArray(new String[0]));
  }

  private static JsonNode rule(JsonNode decision, String id) {
    for (JsonNode r : decision.get("rules")) {
      if (r.get("rule").asText().equals(id)) {
        return r;
      }
    }
    throw new AssertionError("no rule " + id + " in " + decision);
  }

  @Test
  void aRefusalExitsOneAndLeavesTheAliasThenApprovalsLetThePromotionPass() throws IOException {
    publish("2", "0.795");
    MlopsCliTest.Run refused = promote("2");
    assertThat(refused.code()).as(refused.err()).isEqualTo(Mlops.CHECK_FAILED);
    JsonNode j = refused.json();
    assertThat(j.get("passed").asBoolean()).isFalse();
    assertThat(j.get("promoted").asBoolean()).isFalse();
    assertThat(rule(j, "approvals").get("detail").asText()).startsWith("0 of 2 required approvals");
    assertThat(rule(j, "metrics.auc.max_drop_vs_champion").get("passed").asBoolean()).isTrue();
    assertThat(rule(j, "drift").get("passed").asBoolean()).isTrue();
    assertThat(rule(j, "holdout.contract").get("passed").asBoolean()).isTrue();
    assertThat(rule(j, "require.clean_work_tree").get("passed").asBoolean()).isTrue();
    assertThat(refused.err()).isEmpty();
    assertThat(champion()).isEqualTo("1");
    MlopsCliTest.Run text = mlops("promote", "--repository", repo.toString(), "--to", "champion", "--policy",
        p("policy.yaml"), "credit/2");
    assertThat(text.out()).contains("  FAIL  approvals: 0 of 2 required approvals")
        .contains("  PASS  require.signature: signed by a trusted key")
        .contains("refused: credit/2 stays off champion, which stays at 1");

    MlopsCliTest.Run a = ok("approve", "--json", "--repository", repo.toString(), "--approver", "alice", "--key",
        p("keys/alice.key"), "--public-key", p("keys/alice.pub"), "credit/2");
    assertThat(a.json().get("approver").asText()).isEqualTo("alice");
    ok("approve", "--repository", repo.toString(), "--approver", "bob", "--key", p("keys/bob.key"), "--public-key",
        p("keys/bob.pub"), "credit/2");

    MlopsCliTest.Run dry = ok("promote", "--json", "--dry-run", "--repository", repo.toString(), "--to", "champion",
        "--policy", p("policy.yaml"), "credit/2");
    assertThat(dry.json().get("passed").asBoolean()).isTrue();
    assertThat(dry.json().get("promoted").asBoolean()).isFalse();
    assertThat(champion()).isEqualTo("1");

    MlopsCliTest.Run passed = promote("2");
    assertThat(passed.code()).as(passed.out()).isZero();
    assertThat(passed.json().get("promoted").asBoolean()).isTrue();
    assertThat(champion()).isEqualTo("2");

    MlopsCliTest.Run back = ok("rollback", "--json", "--repository", repo.toString(), "--actor", "oncall", "credit",
        "champion");
    assertThat(back.json().get("from").asText()).isEqualTo("2");
    assertThat(back.json().get("to").asText()).isEqualTo("1");
    assertThat(champion()).isEqualTo("1");

    List<AuditLog.Entry> log = AuditLog.of(repo).read();
    assertThat(log).extracting(AuditLog.Entry::action).containsExactly("publish", "alias", "publish", "promote",
        "promote", "approve", "approve", "promote", "rollback");
    assertThat(log.get(3).details()).containsEntry("outcome", "refused");
    assertThat(log.get(3).actor()).isEqualTo("release-bot");
    assertThat(log.get(7).details()).containsEntry("outcome", "promoted");
    assertThat(log.get(7).details().get("policyDigest")).hasSize(64);
    assertThat(log.get(8).actor()).isEqualTo("oncall");
    MlopsCliTest.Run verify = ok("audit", "verify", "--json", "--repository", repo.toString());
    assertThat(verify.json().get("records").asInt()).isEqualTo(9);
  }

  @Test
  void aRegressionAgainstTheChampionIsRefused() throws IOException {
    publish("2", "0.75");
    for (String who : List.of("alice", "bob")) {
      ok("approve", "--repository", repo.toString(), "--approver", who, "--key", p("keys/" + who + ".key"),
          "--public-key", p("keys/" + who + ".pub"), "credit/2");
    }
    MlopsCliTest.Run r = promote("2");
    assertThat(r.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(rule(r.json(), "metrics.auc.max_drop_vs_champion").get("detail").asText())
        .isEqualTo("auc 0.750000 < champion 1's 0.800000 - 0.0100000 = 0.790000");
    assertThat(champion()).isEqualTo("1");
  }

  @Test
  void badInputExitsTwoWithTheFileLineAndPath() throws IOException {
    publish("2", "0.81");
    Files.writeString(dir.resolve("bad.yaml"), "policy: p\nmetrics:\n  auc: {minimum: 0.7}\n");
    MlopsCliTest.Run bad = mlops("promote", "--repository", repo.toString(), "--to", "champion", "--policy",
        p("bad.yaml"), "credit/2");
    assertThat(bad.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(bad.err()).startsWith("mlops promote: " + p("bad.yaml") + ":3: metrics.auc.minimum: unknown key"
        + " 'minimum'; allowed: max, max_drop_vs_champion, max_rise_vs_champion, min");
    assertThat(bad.out()).isEmpty();

    MlopsCliTest.Run noPolicy = mlops("promote", "--repository", repo.toString(), "--to", "champion", "--policy",
        p("nope.yaml"), "credit/2");
    assertThat(noPolicy.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noPolicy.err()).contains("no such policy file: ").contains("nope.yaml");

    MlopsCliTest.Run noVersion = mlops("promote", "--repository", repo.toString(), "--to", "champion", "--policy",
        p("policy.yaml"), "credit/9");
    assertThat(noVersion.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noVersion.err()).contains("no version credit/9 in ");

    MlopsCliTest.Run alias = mlops("promote", "--repository", repo.toString(), "--to", "champion", "--policy",
        p("policy.yaml"), "credit@champion");
    assertThat(alias.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(alias.err()).contains("name a version (model/version), not an alias: credit@champion");

    MlopsCliTest.Run wrongKey = mlops("approve", "--repository", repo.toString(), "--approver", "alice", "--key",
        p("keys/alice.key"), "--public-key", p("keys/bob.pub"), "credit/2");
    assertThat(wrongKey.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(wrongKey.err()).contains("is not the half of public key");

    MlopsCliTest.Run noRollback = mlops("rollback", "--repository", repo.toString(), "credit", "champion");
    assertThat(noRollback.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noRollback.err()).contains("holds no version of credit@champion before 1");
    assertThat(champion()).isEqualTo("1");
  }
}
