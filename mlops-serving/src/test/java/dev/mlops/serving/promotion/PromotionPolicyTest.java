package dev.mlops.serving.promotion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.core.manifest.CodeVersion;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.ModelManifestBuilder;
import dev.mlops.monitoring.ProfileFiles;
import dev.mlops.serving.promotion.PromotionDecision.RuleOutcome;
import dev.mlops.serving.repository.AuditLog;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.validation.ContractInference;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Promotion policies on credit-g: a champion (version 1) and candidates published with their
 * training profile; the first 700 rows are the training data, the last 300 the holdout. Every rule
 * kind passes and fails, every refusal leaves the alias where it was, and every decision is in the
 * audit log, whose chain stays intact.
 */
class PromotionPolicyTest {
  private static final Path CREDIT_G = Path.of("../data/credit-g.csv");
  private static final String COMMIT = "0123456789abcdef0123456789abcdef01234567";

  @TempDir
  Path dir;

  private ModelRepository repo;
  private KeyPair release;
  private KeyPair alice;
  private KeyPair bob;
  private KeyPair mallory;
  private Path model;
  private Path profile;
  private DatasetFingerprint trainFingerprint;

  @BeforeEach
  void setUp() throws IOException {
    List<String> lines = Files.readAllLines(CREDIT_G, StandardCharsets.UTF_8);
    String header = lines.get(0);
    write("train.csv", header, lines.subList(1, 701));
    write("holdout.csv", header, lines.subList(701, lines.size()));
    List<String> shifted = new ArrayList<>();
    List<String> cols = List.of(header.split(","));
    int amount = cols.indexOf("credit_amount");
    int duration = cols.indexOf("duration");
    for (String l : lines.subList(701, lines.size())) {
      String[] f = l.split(",", -1);
      f[amount] = Double.toString(Double.parseDouble(f[amount]) * 4 + 5000);
      f[duration] = Double.toString(Double.parseDouble(f[duration]) * 3 + 24);
      shifted.add(String.join(",", f));
    }
    write("drifted.csv", header, shifted);
    List<String> bad = new ArrayList<>(lines.subList(701, lines.size()));
    int age = cols.indexOf("age");
    String[] f = bad.get(3).split(",", -1);
    f[age] = "-4.0";
    bad.set(3, String.join(",", f));
    write("bad-holdout.csv", header, bad);

    Schema schema = CsvReader.inferSchemaFromWholeFile(CREDIT_G, CsvOptions.defaults());
    try (BufferAllocator a = new RootAllocator();
        Batch all = CsvReader.readAll(CREDIT_G, CsvOptions.builder().schema(schema).build(), a);
        Batch train = CsvReader.readAll(dir.resolve("train.csv"), CsvOptions.builder().schema(schema).build(), a)) {
      ContractInference.defaults().infer("credit-g", all).write(dir.resolve("contract.yaml"));
      trainFingerprint = DatasetFingerprint.of(train);
    }
    profile = dir.resolve("training-profile.bin");
    ProfileFiles.writeProfile(ProfileFiles.ofCsv(dir.resolve("train.csv"), CsvOptions.builder().schema(schema)
        .build()), profile);
    model = dir.resolve("model.onnx");
    Files.write(model, new byte[] {8, 7, 18, 4, 't', 'e', 's', 't'});
    Files.createDirectories(dir.resolve("keys"));
    release = keys("release");
    alice = keys("alice");
    bob = keys("bob");
    keys("carol");
    mallory = keys("mallory");
    repo = ModelRepository.open(dir.resolve("repo")).withActor("ci");
    repo.publish("credit", "1", List.of(model, profile), full(0.80, 0.20), release);
    repo.setAlias("credit", "champion", "1");
  }

  private void write(String name, String header, List<String> rows) throws IOException {
    List<String> all = new ArrayList<>();
    all.add(header);
    all.addAll(rows);
    Files.write(dir.resolve(name), all, StandardCharsets.UTF_8);
  }

  private KeyPair keys(String name) {
    KeyPair k = Ed25519Keys.generate();
    Ed25519Keys.write(dir.resolve("keys/" + name + ".pub"), k.getPublic());
    return k;
  }

  private ModelManifestBuilder full(double auc, double brier) {
    return ModelManifest.builder().format("onnx").metric("auc", auc).metric("brier", brier)
        .tag("owner", "risk-team").tag("risk_tier", "high").addDataset("train", trainFingerprint)
        .codeVersion(CodeVersion.of(COMMIT, false));
  }

  private Path policy(String yaml) throws IOException {
    Path p = dir.resolve("policy.yaml");
    Files.writeString(p, yaml, StandardCharsets.UTF_8);
    return p;
  }

  private static final String FULL = """
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
        brier: {max: 0.25, max_rise_vs_champion: 0.02}
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
          carol: keys/carol.pub
      """;

  private void approve(String who, KeyPair k, String version) {
    ModelManifest m = repo.load(ModelRef.ofVersion("credit", version)).manifest();
    Approvals.store(repo, Approval.sign(who, m, k, Instant.parse("2026-12-01T10:00:00Z")));
  }

  private static Map<String, RuleOutcome> byRule(PromotionDecision d) {
    return d.rules().stream().collect(Collectors.toMap(RuleOutcome::rule, r -> r));
  }

  private AuditLog.Entry lastAudit() {
    List<AuditLog.Entry> all = repo.auditLog().read();
    return all.get(all.size() - 1);
  }

  private void assertRefusedAndAudited(PromotionDecision d, String failingRule) {
    assertThat(d.passed()).isFalse();
    assertThat(d.failures()).extracting(RuleOutcome::rule).containsExactly(failingRule);
    assertThat(repo.aliases("credit")).containsEntry("champion", "1");
    AuditLog.Entry e = lastAudit();
    assertThat(e.action()).isEqualTo("promote");
    assertThat(e.details()).containsEntry("outcome", "refused").containsEntry("alias", "champion");
    assertThat(e.details().get("rule." + failingRule)).startsWith("FAIL: ");
    assertThat(e.from()).isEqualTo("1");
    assertThat(e.to()).isEqualTo(d.version());
    assertThat(repo.auditLog().verify()).isEmpty();
  }

  @Test
  void aCandidatePassingEveryRuleIsPromotedAndTheDecisionIsAudited() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.795, 0.21), release);
    approve("alice", alice, "2");
    approve("bob", bob, "2");
    PromotionPolicy policy = PromotionPolicy.read(policy(FULL));
    assertThat(policy.ruleIds()).containsExactly("require.tags.owner", "require.tags.risk_tier",
        "require.training_data", "require.metrics.auc", "require.signature", "require.code_commit",
        "require.clean_work_tree", "metrics.auc.min", "metrics.auc.max_drop_vs_champion", "metrics.brier.max",
        "metrics.brier.max_rise_vs_champion", "holdout.contract", "drift", "approvals");

    PromotionDecision d = policy.promote(repo, "credit", "2", "champion");

    assertThat(d.failures()).isEmpty();
    assertThat(d.passed()).isTrue();
    assertThat(d.champion()).isEqualTo("1");
    assertThat(repo.aliases("credit")).containsEntry("champion", "2");
    Map<String, RuleOutcome> r = byRule(d);
    assertThat(r.get("metrics.auc.max_drop_vs_champion").detail())
        .isEqualTo("auc 0.795000 >= champion 1's 0.800000 - 0.0100000 = 0.790000");
    assertThat(r.get("approvals").detail()).startsWith("2 of 2 required approvals (alice, bob)");
    assertThat(r.get("holdout.contract").detail()).contains("PASS, 300 rows");
    assertThat(r.get("drift").detail()).contains("0 of 21 columns drifted");
    AuditLog.Entry e = lastAudit();
    assertThat(e.action()).isEqualTo("promote");
    assertThat(e.actor()).isEqualTo("ci");
    assertThat(e.from()).isEqualTo("1");
    assertThat(e.to()).isEqualTo("2");
    assertThat(e.details()).containsEntry("outcome", "promoted").containsEntry("policy", "credit-champion")
        .containsEntry("policyDigest", policy.digest()).containsEntry("alias", "champion");
    assertThat(e.details()).hasSize(4 + policy.ruleIds().size() + 1); // + the integrity rule
    assertThat(e.details().values()).filteredOn(v -> v.startsWith("FAIL")).isEmpty();
    assertThat(repo.auditLog().verify()).isEmpty();
    assertThat(d.toJson()).contains("\"passed\" : true");
    assertThat(d.toText()).endsWith("all 15 rules passed");
  }

  @Test
  void aMissingApprovalRefusesThePromotion() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    approve("alice", alice, "2");
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "approvals");
    assertThat(byRule(d).get("approvals").detail())
        .isEqualTo("1 of 2 required approvals (alice); approvers: alice, bob, carol");
  }

  @Test
  void approvalsThatDoNotVerifyAreNotCounted() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    approve("alice", alice, "2");
    approve("bob", mallory, "2");          // mallory signs in bob's name
    approve("mallory", mallory, "2");      // not an approver of the policy
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "approvals");
    assertThat(byRule(d).get("approvals").detail()).isEqualTo("1 of 2 required approvals (alice); not counted:"
        + " bob (signature does not verify with the policy's key for bob), mallory (not an approver of this"
        + " policy); approvers: alice, bob, carol");
  }

  @Test
  void anApprovalIsOfOneManifestAndAnEditedApprovalFileDoesNotCount() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    repo.publish("credit", "3", List.of(model, profile), full(0.82, 0.19), release);
    ModelManifest m2 = repo.load(ModelRef.ofVersion("credit", "2")).manifest();
    Approval forTwo = Approval.sign("alice", m2, alice, Instant.now());
    Approval relabelled = new Approval("alice", "credit", "3", forTwo.manifestDigest(), forTwo.time(),
        forTwo.keyId(), forTwo.signature());
    assertThatThrownBy(() -> Approvals.store(repo, relabelled)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("the approval is of manifest " + m2.digest());

    approve("alice", alice, "3");
    approve("bob", bob, "3");
    Path file = repo.root().resolve("credit/_approvals/3/bob.json");
    Files.writeString(file, Files.readString(file).replace("2026-12-01T10:00:00Z", "2026-12-02T10:00:00Z"));
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "3", "champion");
    assertRefusedAndAudited(d, "approvals");
    assertThat(byRule(d).get("approvals").detail()).contains("bob (signature does not verify");
  }

  @Test
  void aMetricRegressionAgainstTheChampionRefusesThePromotion() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.785, 0.21), release);
    approve("alice", alice, "2");
    approve("bob", bob, "2");
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "metrics.auc.max_drop_vs_champion");
    assertThat(byRule(d).get("metrics.auc.max_drop_vs_champion").detail())
        .isEqualTo("auc 0.785000 < champion 1's 0.800000 - 0.0100000 = 0.790000");
  }

  @Test
  void aLowerIsBetterMetricRisingTooFarRefusesThePromotion() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.2201), release);
    approve("alice", alice, "2");
    approve("bob", bob, "2");
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "metrics.brier.max_rise_vs_champion");
  }

  @Test
  void aFailedHoldoutContractRefusesThePromotion() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    approve("alice", alice, "2");
    approve("bob", bob, "2");
    PromotionDecision d = PromotionPolicy.read(policy(FULL.replace("data: holdout.csv", "data: bad-holdout.csv")))
        .promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "holdout.contract");
    assertThat(byRule(d).get("holdout.contract").detail()).contains("FAIL, 300 rows").contains("age");
  }

  @Test
  void driftOfTheHoldoutAgainstTheTrainingProfileRefusesThePromotion() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    approve("alice", alice, "2");
    approve("bob", bob, "2");
    String yaml = FULL.replace("  drift_share: 0.3", "  data: drifted.csv\n  drift_share: 0.05")
        .replace("holdout:\n  data: holdout.csv\n  contract: contract.yaml\n", "");
    PromotionDecision d = PromotionPolicy.read(policy(yaml)).promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "drift");
    assertThat(byRule(d).get("drift").detail()).contains("drifted: [").contains("credit_amount")
        .contains("duration");
  }

  @Test
  void aVersionWithoutItsTrainingProfileFailsTheDriftRule() throws IOException {
    repo.publish("credit", "2", List.of(model), full(0.81, 0.19), release);
    approve("alice", alice, "2");
    approve("bob", bob, "2");
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "2", "champion");
    assertRefusedAndAudited(d, "drift");
    assertThat(byRule(d).get("drift").detail()).contains("has no artifact 'training-profile.bin'");
  }

  @Test
  void everyRequiredFactFailsOnABareVersion() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), ModelManifest.builder().format("onnx")
        .codeVersion(CodeVersion.of(COMMIT, true)), mallory);
    PromotionDecision d = PromotionPolicy.read(policy("""
        policy: facts
        require:
          tags: [owner, risk_tier]
          training_data: train
          metrics: [auc]
          signature: {trusted_keys: [keys/release.pub]}
          clean_work_tree: true
        metrics:
          auc: {min: 0.5}
        """)).evaluate(repo, "credit", "2", "champion");
    assertThat(d.failures()).extracting(RuleOutcome::rule).containsExactly("require.tags.owner",
        "require.tags.risk_tier", "require.training_data", "require.metrics.auc", "require.signature",
        "require.clean_work_tree", "metrics.auc.min");
    assertThat(byRule(d).get("require.clean_work_tree").detail()).contains("uncommitted changes");
    assertThat(byRule(d).get("require.training_data").detail()).contains("no fingerprint of a dataset named"
        + " 'train'");
    repo.publish("credit", "3", List.of(model, profile), ModelManifest.builder().format("onnx")
        .codeVersion(CodeVersion.unknown()), null);
    PromotionDecision unsigned = PromotionPolicy.read(policy("""
        policy: facts
        require:
          signature: {trusted_keys: [keys/release.pub]}
          code_commit: true
          clean_work_tree: true
        """)).evaluate(repo, "credit", "3", "champion");
    assertThat(unsigned.failures()).extracting(RuleOutcome::rule).containsExactly("require.signature",
        "require.code_commit", "require.clean_work_tree");
    assertThat(repo.aliases("credit")).containsEntry("champion", "1");
  }

  @Test
  void absoluteMetricBoundsPassAndFail() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.69, 0.26), release);
    PromotionDecision d = PromotionPolicy.read(policy("""
        policy: bounds
        metrics:
          auc: {min: 0.70}
          brier: {max: 0.25}
          accuracy: {min: 0.5}
        """)).evaluate(repo, "credit", "2", "champion");
    Map<String, RuleOutcome> r = byRule(d);
    assertThat(r.get("metrics.auc.min").passed()).isFalse();
    assertThat(r.get("metrics.auc.min").detail()).isEqualTo("auc 0.690000 < min 0.700000");
    assertThat(r.get("metrics.brier.max").detail()).isEqualTo("brier 0.260000 > max 0.250000");
    assertThat(r.get("metrics.accuracy.min").detail()).isEqualTo("the manifest has no finite metric 'accuracy'");
    repo.publish("credit", "3", List.of(model, profile), full(0.70, 0.25), release);
    assertThat(PromotionPolicy.read(dir.resolve("policy.yaml")).evaluate(repo, "credit", "3", "champion")
        .failures())
        .extracting(RuleOutcome::rule).containsExactly("metrics.accuracy.min");
  }

  @Test
  void withoutAChampionARelativeRulePassesAndSaysWhy() throws IOException {
    repo.publish("other", "1", List.of(model, profile), full(0.6, 0.3), release);
    PromotionDecision d = PromotionPolicy.read(policy("""
        policy: first
        metrics:
          auc: {max_drop_vs_champion: 0.01}
        """)).promote(repo, "other", "1", "champion");
    assertThat(d.passed()).isTrue();
    assertThat(byRule(d).get("metrics.auc.max_drop_vs_champion").detail())
        .isEqualTo("no version is behind champion yet, so there is no champion to compare auc 0.600000 with");
    assertThat(repo.aliases("other")).containsEntry("champion", "1");
  }

  @Test
  void aTamperedCandidateFailsIntegrityAndNoOtherRuleRuns() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    Files.write(repo.root().resolve("credit/2/model.onnx"), new byte[] {1, 2, 3});
    PromotionDecision d = PromotionPolicy.read(policy(FULL)).promote(repo, "credit", "2", "champion");
    assertThat(d.rules()).extracting(RuleOutcome::rule).containsExactly("integrity");
    assertRefusedAndAudited(d, "integrity");
  }

  @Test
  void rollbackWalksBackThroughTheAliasHistoryAndIsAudited() throws IOException {
    repo.publish("credit", "2", List.of(model, profile), full(0.81, 0.19), release);
    repo.publish("credit", "3", List.of(model, profile), full(0.82, 0.19), release);
    PromotionPolicy.read(policy("policy: p\nmetrics:\n  auc: {min: 0.5}\n")).promote(repo, "credit", "2",
        "champion");
    repo.setAlias("credit", "champion", "3");
    assertThat(repo.rollback("credit", "champion")).isEqualTo("2");
    assertThat(lastAudit().action()).isEqualTo("rollback");
    assertThat(lastAudit().from()).isEqualTo("3");
    assertThat(lastAudit().details()).containsEntry("rolledBack", "3");
    assertThat(repo.rollback("credit", "champion")).isEqualTo("1");
    assertThatThrownBy(() -> repo.rollback("credit", "champion")).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("holds no version of credit@champion before 1");
    assertThat(repo.aliases("credit")).containsEntry("champion", "1");
    assertThat(repo.auditLog().verify()).isEmpty();
  }

  @Test
  void promotingTheChampionOrAMissingVersionIsAUsageError() throws IOException {
    PromotionPolicy p = PromotionPolicy.read(policy("policy: p\nmetrics:\n  auc: {min: 0.5}\n"));
    assertThatThrownBy(() -> p.promote(repo, "credit", "1", "champion")).isInstanceOf(IllegalArgumentException.class)
        .hasMessage("credit/1 is already behind alias champion; nothing to promote");
    assertThatThrownBy(() -> p.promote(repo, "credit", "9", "champion")).isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("no version credit/9 in ");
  }

  // ----------------------------------------------------------------------------- policy errors

  private void assertPolicyError(String yaml, int line, String message) throws IOException {
    Path p = policy(yaml);
    assertThatThrownBy(() -> PromotionPolicy.read(p)).isInstanceOf(DataFormatException.class)
        .hasMessage(p + ":" + line + ": " + message)
        .satisfies(e -> assertThat(((DataFormatException) e).line()).isEqualTo((long) line));
  }

  @Test
  void policyErrorsNameTheFileTheLineAndThePath() throws IOException {
    assertPolicyError("policy: p\nrequire:\n  tags: [owner]\n  owners: 2\n", 4,
        "require.owners: unknown key 'owners'; allowed: clean_work_tree, code_commit, metrics, signature, tags,"
            + " training_data");
    assertPolicyError("policy: p\napprovals:\n  required: 3\n  approvers:\n    alice: keys/alice.pub\n", 3,
        "approvals.required: 3 approvals required but only 1 approvers are named; name more approvers or require"
            + " fewer");
    assertPolicyError("policy: p\napprovals:\n  required: 1\n  approvers:\n    alice: keys/nobody.pub\n", 5,
        "approvals.approvers.alice: no such public key file " + dir.resolve("keys/nobody.pub")
            + " (paths are relative to the policy file's directory)");
    assertPolicyError("policy: p\nmetrics:\n  auc:\n    min: 0.9\n    max: 0.8\n", 4,
        "metrics.auc.min: min 0.9 is above max 0.8; no value could pass");
    assertPolicyError("policy: p\nmetrics:\n  auc: {max_drop_vs_champion: -0.1}\n", 3,
        "metrics.auc.max_drop_vs_champion: a margin must be a finite number of at least 0, got -0.1");
    assertPolicyError("policy: p\nholdout:\n  data: missing.csv\n  contract: contract.yaml\n", 3,
        "holdout.data: no such holdout data file " + dir.resolve("missing.csv")
            + " (paths are relative to the policy file's directory)");
    assertPolicyError("policy: p\ndrift:\n  training_profile: training-profile.bin\n  drift_share: 2\n", 3,
        "drift: drift needs data to compare with the training profile: give drift.data, or a holdout section");
    assertPolicyError("policy: p\n", 1, "the policy holds no rule, so it would promote anything; add require,"
        + " metrics, holdout, drift or approvals");
    assertPolicyError("policy: p\nmetrics:\n  auc: {min: [1]}\n", 3, "metrics.auc.min: expected a number, got array");
    assertPolicyError("policy: p\nmetrics: &m\n  auc: {min: 1}\n", 2, "YAML anchor '&m' is not supported: policy"
        + " files hold no anchors, aliases or merge keys; write the value out in full");
    assertPolicyError("policy: p\n  bad: [\n", 2, "not valid YAML: mapping values are not allowed here (column 6);"
        + " fix the syntax");
  }

  @Test
  void aPolicyDigestIsTheFilesAndChangesWithIt() throws IOException {
    String a = PromotionPolicy.read(policy("policy: p\nmetrics:\n  auc: {min: 0.5}\n")).digest();
    String b = PromotionPolicy.read(policy("policy: p\nmetrics:\n  auc: {min: 0.6}\n")).digest();
    assertThat(a).hasSize(64).isNotEqualTo(b);
    assertThat(a).isEqualTo(dev.mlops.core.internal.Digests.sha256Hex(
        "policy: p\nmetrics:\n  auc: {min: 0.5}\n".getBytes(StandardCharsets.UTF_8)));
  }
}
