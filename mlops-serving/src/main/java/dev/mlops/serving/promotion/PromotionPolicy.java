package dev.mlops.serving.promotion;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Digests;
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.manifest.CodeVersion;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ManifestVerifier;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.core.manifest.VerificationReport;
import dev.mlops.monitoring.DatasetProfile;
import dev.mlops.monitoring.ProfileFiles;
import dev.mlops.monitoring.drift.DatasetDrift;
import dev.mlops.monitoring.drift.DriftOptions;
import dev.mlops.monitoring.report.DriftReport;
import dev.mlops.serving.promotion.PromotionDecision.RuleOutcome;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import dev.mlops.serving.repository.VerifiedModel;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.CsvValidation;
import dev.mlops.validation.DataContract;
import dev.mlops.validation.ValidationReport;
import dev.mlops.validation.internal.LocatedDocuments;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PublicKey;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * A promotion policy: the rules a model version must pass before an alias ({@code champion}) may
 * point at it, read from a YAML (or JSON) file checked in beside the model code. A policy is code:
 * its SHA-256 goes into every audit record of a promotion it decided.
 *
 * <pre>{@code
 * policy: credit-risk-champion
 * require:                          # facts the manifest must hold
 *   tags: [owner, risk_tier]
 *   training_data: train            # a dataset fingerprint of this name
 *   metrics: [auc]                  # evaluation metrics present
 *   signature:                      # a manifest signature by one of these keys
 *     trusted_keys: [keys/release.pub]
 *   code_commit: true
 *   clean_work_tree: true
 * metrics:
 *   auc: {min: 0.70, max_drop_vs_champion: 0.01}   # auc >= champion's auc - 0.01
 *   brier: {max: 0.25, max_rise_vs_champion: 0.02}
 * holdout:                          # the data contract passes on a named holdout file
 *   data: data/holdout.csv
 *   contract: contract.yaml
 * drift:                            # the holdout against the version's training profile
 *   training_profile: training-profile.bin   # an artifact of the version (digest-verified)
 *   drift_share: 0.3                # fails when at least this share of the columns drifts
 *   exclude: [class]
 * approvals:                        # n of m named approvers, each an Ed25519-signed Approval
 *   required: 2
 *   approvers: {alice: keys/alice.pub, bob: keys/bob.pub, carol: keys/carol.pub}
 * }</pre>
 *
 * <p>Paths are relative to the policy file's directory. Every rule is optional, but a policy holds
 * at least one. A metric compared with the champion passes when no version is behind the alias yet
 * (the outcome says so). Errors in the file are reported with its name, line and path, as contract
 * errors are; key files, the holdout and the contract are read when the policy is, so a policy
 * that reads is one that can be evaluated. Immutable and thread-safe.
 */
public final class PromotionPolicy {
  /** The largest policy file read. */
  public static final int MAX_BYTES = 1 << 20;
  static final LocatedDocuments.Kind KIND = new LocatedDocuments.Kind("policy", "promotion policy",
      "an object with 'policy' and its rules (require, metrics, holdout, drift, approvals)", MAX_BYTES, "1 MiB",
      "a policy is a page of rules: split it");

  private final Path file;
  private final String name;
  private final String digest;
  private final List<Rule> rules;

  private PromotionPolicy(Path file, String name, String digest, List<Rule> rules) {
    this.file = file;
    this.name = name;
    this.digest = digest;
    this.rules = List.copyOf(rules);
  }

  /** One rule: evaluated against a candidate, never throwing for what it finds. */
  private interface Rule {
    String id();

    RuleOutcome check(Candidate c);
  }

  /** The candidate version and what a rule may need beside it. */
  private record Candidate(ModelRepository repository, VerifiedModel model, Path directory, String alias,
      @Nullable String championVersion, @Nullable ModelManifest champion, @Nullable String championProblem) {
    ModelManifest manifest() {
      return model.manifest();
    }
  }

  /**
   * Reads a policy file.
   *
   * @param file the YAML (or {@code .json}) file
   * @return the policy
   * @throws DataFormatException naming the file, line and path of the first error
   * @throws MlopsException when the file cannot be read
   */
  public static PromotionPolicy read(Path file) {
    Objects.requireNonNull(file, "file");
    LocatedJson root = LocatedDocuments.read(file, KIND).asObject();
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (IOException e) {
      throw new MlopsException("Cannot read promotion policy " + file + ": " + e.getMessage(), e);
    }
    Path base = file.toAbsolutePath().getParent();
    root.only("key", "policy", "require", "metrics", "holdout", "drift", "approvals");
    String name = root.string("policy");
    if (name.isBlank()) {
      throw root.req("policy").error("the policy needs a name; give one, e.g. policy: credit-risk-champion");
    }
    List<Rule> rules = new ArrayList<>();
    LocatedJson require = root.opt("require");
    if (require != null) {
      readRequire(require.asObject(), base, rules);
    }
    LocatedJson metrics = root.opt("metrics");
    if (metrics != null) {
      for (Map.Entry<String, LocatedJson> m : metrics.asObject().members().entrySet()) {
        readMetric(m.getKey(), m.getValue().asObject(), rules);
      }
    }
    LocatedJson holdout = root.opt("holdout");
    Path holdoutData = null;
    if (holdout != null) {
      holdout.asObject().only("key", "data", "contract");
      holdoutData = existing(holdout, "data", base, "holdout data");
      Path contractFile = existing(holdout, "contract", base, "contract");
      DataContract contract;
      try {
        contract = DataContract.read(contractFile);
      } catch (DataFormatException e) {
        throw holdout.req("contract").error("the contract does not read: " + e.getMessage(), e);
      }
      rules.add(new HoldoutContract(holdoutData, contractFile, contract));
    }
    LocatedJson drift = root.opt("drift");
    if (drift != null) {
      rules.add(readDrift(drift.asObject(), base, holdoutData));
    }
    LocatedJson approvals = root.opt("approvals");
    if (approvals != null) {
      rules.add(readApprovals(approvals.asObject(), base));
    }
    if (rules.isEmpty()) {
      throw root.error("the policy holds no rule, so it would promote anything; add require, metrics, holdout,"
          + " drift or approvals");
    }
    return new PromotionPolicy(file, name, Digests.sha256Hex(bytes), rules);
  }

  private static void readRequire(LocatedJson r, Path base, List<Rule> rules) {
    r.only("key", "tags", "training_data", "metrics", "signature", "code_commit", "clean_work_tree");
    LocatedJson tags = r.opt("tags");
    if (tags != null) {
      for (LocatedJson t : tags.elements()) {
        String tag = t.asString();
        rules.add(new RequiredTag(tag));
      }
    }
    String training = r.optString("training_data");
    if (training != null) {
      rules.add(new RequiredTrainingData(training));
    }
    LocatedJson metrics = r.opt("metrics");
    if (metrics != null) {
      for (LocatedJson m : metrics.elements()) {
        rules.add(new RequiredMetric(m.asString()));
      }
    }
    LocatedJson signature = r.opt("signature");
    if (signature != null) {
      signature.asObject().only("key", "trusted_keys");
      List<PublicKey> keys = new ArrayList<>();
      for (LocatedJson k : signature.elements("trusted_keys")) {
        keys.add(key(k, base));
      }
      if (keys.isEmpty()) {
        throw signature.req("trusted_keys").error("name at least one trusted public key (PEM)");
      }
      rules.add(new RequiredSignature(keys));
    }
    if (r.bool("code_commit", false)) {
      rules.add(new RequiredCodeCommit());
    }
    if (r.bool("clean_work_tree", false)) {
      rules.add(new RequiredCleanTree());
    }
  }

  private static void readMetric(String metric, LocatedJson m, List<Rule> rules) {
    m.only("key", "min", "max", "max_drop_vs_champion", "max_rise_vs_champion");
    if (m.members().isEmpty()) {
      throw m.error("metric '" + metric + "' has no threshold; give min, max, max_drop_vs_champion or"
          + " max_rise_vs_champion");
    }
    Double min = m.optNumber("min");
    Double max = m.optNumber("max");
    if (min != null && max != null && min > max) {
      throw m.req("min").error("min " + min + " is above max " + max + "; no value could pass");
    }
    if (min != null) {
      rules.add(new MetricBound(metric, "min", finite(m, "min", min)));
    }
    if (max != null) {
      rules.add(new MetricBound(metric, "max", finite(m, "max", max)));
    }
    Double drop = m.optNumber("max_drop_vs_champion");
    if (drop != null) {
      rules.add(new MetricVsChampion(metric, true, margin(m, "max_drop_vs_champion", drop)));
    }
    Double rise = m.optNumber("max_rise_vs_champion");
    if (rise != null) {
      rules.add(new MetricVsChampion(metric, false, margin(m, "max_rise_vs_champion", rise)));
    }
  }

  private static double finite(LocatedJson m, String key, double v) {
    if (!Double.isFinite(v)) {
      throw m.req(key).error("a threshold must be a finite number, got " + v);
    }
    return v;
  }

  private static double margin(LocatedJson m, String key, double v) {
    if (!Double.isFinite(v) || v < 0) {
      throw m.req(key).error("a margin must be a finite number of at least 0, got " + v);
    }
    return v;
  }

  private static Rule readDrift(LocatedJson d, Path base, @Nullable Path holdoutData) {
    d.only("key", "training_profile", "data", "drift_share", "exclude");
    String artifact = d.string("training_profile");
    Path data = d.opt("data") != null ? existing(d, "data", base, "drift data") : holdoutData;
    if (data == null) {
      throw d.error("drift needs data to compare with the training profile: give drift.data, or a holdout section");
    }
    double share = 0.5;
    Double s = d.optNumber("drift_share");
    if (s != null) {
      if (!(s > 0 && s <= 1)) {
        throw d.req("drift_share").error("drift_share must be in (0, 1], got " + s);
      }
      share = s;
    }
    List<String> exclude = new ArrayList<>();
    LocatedJson ex = d.opt("exclude");
    if (ex != null) {
      for (LocatedJson e : ex.elements()) {
        exclude.add(e.asString());
      }
    }
    return new HoldoutDrift(artifact, data, share, exclude);
  }

  private static Rule readApprovals(LocatedJson a, Path base) {
    a.only("key", "required", "approvers");
    int required = a.intValue("required");
    Map<String, PublicKey> approvers = new LinkedHashMap<>();
    for (Map.Entry<String, LocatedJson> e : a.members("approvers").entrySet()) {
      LocatedJson at = e.getValue();
      at.build(() -> ModelRef.checkSegment("approver", e.getKey()));
      approvers.put(e.getKey(), key(at, base));
    }
    if (required < 1) {
      throw a.req("required").error("at least 1 approval must be required, got " + required
          + "; remove the approvals section to require none");
    }
    if (required > approvers.size()) {
      throw a.req("required").error(required + " approvals required but only " + approvers.size()
          + " approvers are named; name more approvers or require fewer");
    }
    return new ApprovalCount(required, approvers);
  }

  private static Path existing(LocatedJson in, String key, Path base, String what) {
    LocatedJson at = in.req(key);
    Path p = base.resolve(at.asString()).normalize();
    if (!Files.isRegularFile(p)) {
      throw at.error("no such " + what + " file " + p + " (paths are relative to the policy file's directory)");
    }
    return p;
  }

  private static PublicKey key(LocatedJson at, Path base) {
    Path p = base.resolve(at.asString()).normalize();
    if (!Files.isRegularFile(p)) {
      throw at.error("no such public key file " + p + " (paths are relative to the policy file's directory)");
    }
    try {
      return Ed25519Keys.readPublicKey(p);
    } catch (MlopsException e) {
      throw at.error("not an Ed25519 public key: " + e.getMessage(), e);
    }
  }

  /**
   * The policy's name.
   *
   * @return its {@code policy} member
   */
  public String name() {
    return name;
  }

  /**
   * The SHA-256 of the file's bytes, recorded with every decision.
   *
   * @return lower-case hex
   */
  public String digest() {
    return digest;
  }

  /**
   * The file read.
   *
   * @return its path
   */
  public Path file() {
    return file;
  }

  /**
   * The rules' ids, in the order they are evaluated.
   *
   * @return ids such as {@code require.tags.owner}, {@code metrics.auc.min}, {@code approvals}
   */
  public List<String> ruleIds() {
    return rules.stream().map(Rule::id).toList();
  }

  /**
   * Evaluates the policy for a candidate without changing anything (a dry run, or a build's check).
   * The candidate is loaded with every digest verified first; a version that does not verify fails
   * the {@code integrity} rule and no other rule runs.
   *
   * @param repository the repository
   * @param model the model
   * @param version the candidate version
   * @param alias the alias it would move
   * @return every rule's outcome
   * @throws IllegalArgumentException when the version does not exist or is already behind the alias
   */
  public PromotionDecision evaluate(ModelRepository repository, String model, String version, String alias) {
    ModelRef.checkSegment("alias", alias);
    if (!repository.exists(model, version)) {
      throw new IllegalArgumentException("no version " + ModelRef.printable(model) + "/" + ModelRef.printable(version)
          + " in " + repository.root() + "; publish it first (versions: " + repository.versions(model) + ")");
    }
    String championVersion = repository.aliases(model).get(alias);
    if (version.equals(championVersion)) {
      throw new IllegalArgumentException(model + "/" + version + " is already behind alias " + alias
          + "; nothing to promote");
    }
    List<RuleOutcome> out = new ArrayList<>();
    VerifiedModel candidate;
    try {
      candidate = repository.load(ModelRef.ofVersion(model, version));
    } catch (MlopsException e) {
      out.add(new RuleOutcome("integrity", false, "the version does not verify, no other rule was checked: "
          + e.getMessage()));
      return new PromotionDecision(model, version, alias, championVersion, name, digest, out);
    }
    out.add(new RuleOutcome("integrity", true, "every artifact matches its digest in manifest "
        + candidate.manifest().digest()));
    ModelManifest champion = null;
    String championProblem = null;
    if (championVersion != null) {
      try {
        champion = repository.load(ModelRef.ofVersion(model, championVersion)).manifest();
      } catch (MlopsException e) {
        championProblem = "the champion " + model + "/" + championVersion + " does not verify: " + e.getMessage();
      }
    }
    Candidate c = new Candidate(repository, candidate, repository.directory(ModelRef.ofVersion(model, version)),
        alias, championVersion, champion, championProblem);
    for (Rule r : rules) {
      RuleOutcome o;
      try {
        o = r.check(c);
      } catch (MlopsException | IllegalArgumentException e) {
        o = new RuleOutcome(r.id(), false, "could not be checked: " + e.getMessage());
      }
      out.add(o);
    }
    return new PromotionDecision(model, version, alias, championVersion, name, digest, out);
  }

  /**
   * Evaluates the policy for a version and, only when every rule passes, points the alias at it.
   * Either way one {@code promote} record goes into the repository's audit log: the alias, the
   * version behind it before, the candidate, the policy's name and digest, {@code outcome}
   * {@code promoted} or {@code refused}, and each rule's outcome. A refused promotion leaves the
   * alias as it was.
   *
   * @param repository the repository
   * @param model the model
   * @param version the candidate
   * @param alias the alias to move ({@code champion})
   * @return the decision; {@link PromotionDecision#passed()} says whether the alias moved
   * @throws IllegalArgumentException when the version does not exist or already is behind the alias
   */
  public PromotionDecision promote(ModelRepository repository, String model, String version, String alias) {
    PromotionDecision d = evaluate(repository, model, version, alias);
    String now = repository.aliases(model).get(alias);
    if (d.passed() && Objects.equals(now, d.champion())) {
      repository.moveAlias(model, alias, version, "promote", d.auditDetails("promoted"));
      return d;
    }
    if (d.passed()) {
      // Someone moved the alias while the rules ran: the relative rules were judged against another champion.
      List<RuleOutcome> rules = new ArrayList<>(d.rules());
      rules.add(new RuleOutcome("alias.unchanged", false, "the alias moved from " + d.champion() + " to " + now
          + " while the policy was evaluated; promote again"));
      d = new PromotionDecision(d.model(), d.version(), d.alias(), d.champion(), d.policyName(), d.policyDigest(),
          rules);
    }
    repository.auditLog().append(repository.actor(), "promote", model, now, version, d.auditDetails("refused"));
    return d;
  }

  @Override
  public String toString() {
    return "PromotionPolicy{" + name + ", " + file + ", " + rules.size() + " rules}";
  }

  private static String num(double v) {
    return String.format(Locale.ROOT, "%.6g", v);
  }

  // ------------------------------------------------------------------------------------- rules

  private record RequiredTag(String tag) implements Rule {
    @Override
    public String id() {
      return "require.tags." + tag;
    }

    @Override
    public RuleOutcome check(Candidate c) {
      String v = c.manifest().tags().get(tag);
      return v == null || v.isBlank() ? new RuleOutcome(id(), false, "the manifest has no tag '" + tag
          + "'; publish with --tag " + tag + "=...") : new RuleOutcome(id(), true, tag + " = " + v);
    }
  }

  private record RequiredTrainingData(String dataset) implements Rule {
    @Override
    public String id() {
      return "require.training_data";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      return c.manifest().datasets().stream().filter(d -> d.name().equals(dataset)).findFirst()
          .map(d -> new RuleOutcome(id(), true, "dataset '" + dataset + "': " + d.fingerprint().rowCount()
              + " rows, content " + d.fingerprint().contentDigest()))
          .orElseGet(() -> new RuleOutcome(id(), false, "the manifest has no fingerprint of a dataset named '"
              + dataset + "' (it has " + c.manifest().datasets().stream().map(d -> d.name()).toList()
              + "); record the training data when the model is built"));
    }
  }

  private record RequiredMetric(String metric) implements Rule {
    @Override
    public String id() {
      return "require.metrics." + metric;
    }

    @Override
    public RuleOutcome check(Candidate c) {
      Double v = c.manifest().metrics().get(metric);
      return v == null ? new RuleOutcome(id(), false, "the manifest has no metric '" + metric + "' (it has "
          + c.manifest().metrics().keySet() + ")") : new RuleOutcome(id(), true, metric + " = " + num(v));
    }
  }

  private record RequiredSignature(List<PublicKey> keys) implements Rule {
    @Override
    public String id() {
      return "require.signature";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      ManifestVerifier v = ManifestVerifier.builder().requireSignature(true).trust(keys).build();
      VerificationReport r = v.verify(c.manifest(), c.directory());
      return r.ok() ? new RuleOutcome(id(), true, "signed by a trusted key")
          : new RuleOutcome(id(), false, r.problems().stream().map(Object::toString).toList().toString());
    }
  }

  private record RequiredCodeCommit() implements Rule {
    @Override
    public String id() {
      return "require.code_commit";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      String commit = c.manifest().codeVersion().commit();
      return commit == null ? new RuleOutcome(id(), false, "the manifest records no code commit; build the model"
          + " from a git work tree") : new RuleOutcome(id(), true, "commit " + commit);
    }
  }

  private record RequiredCleanTree() implements Rule {
    @Override
    public String id() {
      return "require.clean_work_tree";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      CodeVersion.Dirty d = c.manifest().codeVersion().dirty();
      return d == CodeVersion.Dirty.CLEAN ? new RuleOutcome(id(), true, "the work tree matched the commit")
          : new RuleOutcome(id(), false, d == CodeVersion.Dirty.DIRTY ? "the model was built from a work tree with"
              + " uncommitted changes; commit them and build again" : "the manifest does not say whether the work"
              + " tree was clean");
    }
  }

  private record MetricBound(String metric, String bound, double limit) implements Rule {
    @Override
    public String id() {
      return "metrics." + metric + "." + bound;
    }

    @Override
    public RuleOutcome check(Candidate c) {
      Double v = c.manifest().metrics().get(metric);
      if (v == null || !Double.isFinite(v)) {
        return new RuleOutcome(id(), false, "the manifest has no finite metric '" + metric + "'");
      }
      boolean ok = bound.equals("min") ? v >= limit : v <= limit;
      return new RuleOutcome(id(), ok, metric + " " + num(v) + (ok ? (bound.equals("min") ? " >= " : " <= ")
          : (bound.equals("min") ? " < min " : " > max ")) + num(limit));
    }
  }

  private record MetricVsChampion(String metric, boolean higherIsBetter, double margin) implements Rule {
    @Override
    public String id() {
      return "metrics." + metric + (higherIsBetter ? ".max_drop_vs_champion" : ".max_rise_vs_champion");
    }

    @Override
    public RuleOutcome check(Candidate c) {
      Double v = c.manifest().metrics().get(metric);
      if (v == null || !Double.isFinite(v)) {
        return new RuleOutcome(id(), false, "the manifest has no finite metric '" + metric + "'");
      }
      if (c.championVersion() == null) {
        return new RuleOutcome(id(), true, "no version is behind " + c.alias() + " yet, so there is no champion to"
            + " compare " + metric + " " + num(v) + " with");
      }
      if (c.champion() == null) {
        return new RuleOutcome(id(), false, c.championProblem());
      }
      Double champ = c.champion().metrics().get(metric);
      if (champ == null || !Double.isFinite(champ)) {
        return new RuleOutcome(id(), false, "the champion " + c.championVersion() + " has no finite metric '"
            + metric + "' to compare with");
      }
      double limit = higherIsBetter ? champ - margin : champ + margin;
      boolean ok = higherIsBetter ? v >= limit : v <= limit;
      return new RuleOutcome(id(), ok, metric + " " + num(v) + (ok ? (higherIsBetter ? " >= " : " <= ")
          : (higherIsBetter ? " < " : " > ")) + "champion " + c.championVersion() + "'s " + num(champ)
          + (higherIsBetter ? " - " : " + ") + num(margin) + " = " + num(limit));
    }
  }

  private record HoldoutContract(Path data, Path contractFile, DataContract contract) implements Rule {
    @Override
    public String id() {
      return "holdout.contract";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      CsvValidation.Outcome o = CsvValidation.validate(contract, List.of(data), null, (rows, bytes) -> { });
      ValidationReport r = o.report();
      String summary = "contract " + contract.name() + " on " + data.getFileName() + ": " + r.verdict() + ", "
          + r.rowCount() + " rows" + (o.malformedLines() == 0 ? "" : ", " + o.malformedLines()
              + " unreadable lines");
      if (o.passed()) {
        return new RuleOutcome(id(), true, summary);
      }
      List<String> failed = r.failures().stream().limit(5).map(ValidationReport::line).toList();
      return new RuleOutcome(id(), false, summary + (failed.isEmpty() ? "" : "; failed: " + String.join("; ",
          failed)));
    }
  }

  private record HoldoutDrift(String artifact, Path data, double share, List<String> exclude) implements Rule {
    @Override
    public String id() {
      return "drift";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      byte[] bytes;
      try {
        bytes = c.model().artifact(artifact);
      } catch (IllegalArgumentException | MlopsException e) {
        return new RuleOutcome(id(), false, "the version has no artifact '" + artifact + "' (its training profile);"
            + " publish the model with it (mlops publish --with " + artifact + ")");
      }
      DatasetProfile training = DatasetProfile.fromBytes(bytes);
      Schema schema = training.schema();
      DatasetProfile current;
      try (BufferAllocator allocator = new RootAllocator()) {
        current = ProfileFiles.ofCsv(data, CsvOptions.builder().schema(schema).build(), ProfileOptions.defaults(),
            allocator);
      }
      DriftOptions.Builder b = DriftOptions.builder().driftShare(share);
      if (!exclude.isEmpty()) {
        b.exclude(exclude.toArray(new String[0]));
      }
      DatasetDrift d = DriftReport.compare(training, current, b.build()).drift();
      String detail = String.format(Locale.ROOT, "%s against the training profile: %d of %d columns drifted"
          + " (share %.2f, fails at %.2f), %d inconclusive", data.getFileName(), d.driftedColumns(),
          d.testedColumns(), d.driftShare(), d.shareThreshold(), d.inconclusiveColumns());
      List<String> drifted = d.byScore().stream().filter(x -> x.drifted()).map(x -> x.column()).toList();
      return new RuleOutcome(id(), !d.drifted(), detail + (drifted.isEmpty() ? "" : "; drifted: " + drifted));
    }
  }

  private record ApprovalCount(int required, Map<String, PublicKey> approvers) implements Rule {
    @Override
    public String id() {
      return "approvals";
    }

    @Override
    public RuleOutcome check(Candidate c) {
      ModelManifest m = c.manifest();
      List<String> valid = new ArrayList<>();
      List<String> refused = new ArrayList<>();
      for (Approval a : Approvals.of(c.repository(), m.name(), m.version())) {
        PublicKey key = approvers.get(a.approver());
        if (key == null) {
          refused.add(a.approver() + " (not an approver of this policy)");
        } else if (!a.manifestDigest().equals(m.digest())) {
          refused.add(a.approver() + " (approved manifest " + a.manifestDigest() + ", not " + m.digest() + ")");
        } else if (!a.verifies(key)) {
          refused.add(a.approver() + " (signature does not verify with the policy's key for " + a.approver() + ")");
        } else if (!valid.contains(a.approver())) {
          valid.add(a.approver());
        }
      }
      boolean ok = valid.size() >= required;
      return new RuleOutcome(id(), ok, valid.size() + " of " + required + " required approvals" + (valid.isEmpty()
          ? "" : " (" + String.join(", ", valid) + ")") + (refused.isEmpty() ? "" : "; not counted: "
          + String.join(", ", refused)) + (ok ? "" : "; approvers: " + String.join(", ", approvers.keySet())));
    }
  }
}
