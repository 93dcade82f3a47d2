package dev.mlops.serving.promotion;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.internal.Json;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a {@link PromotionPolicy} found for one candidate version: every rule's outcome, in the
 * policy's order. The candidate may be promoted only when every rule passed.
 *
 * @param model the model
 * @param version the candidate version
 * @param alias the alias it would move (the target: {@code champion}, ...)
 * @param champion the version behind the alias when the policy was evaluated, or null
 * @param policyName the policy's name
 * @param policyDigest the SHA-256 of the policy file's bytes
 * @param rules each rule's outcome
 */
public record PromotionDecision(String model, String version, String alias, @Nullable String champion,
    String policyName, String policyDigest, List<RuleOutcome> rules) {

  /**
   * One rule's outcome.
   *
   * @param rule the rule's id, its path in the policy ({@code metrics.auc.min}, {@code approvals})
   * @param passed whether it passed
   * @param detail what was compared or found, for people
   */
  public record RuleOutcome(String rule, boolean passed, String detail) {
    /**
     * Checks the components.
     *
     * @param rule rule
     * @param passed passed
     * @param detail detail
     */
    public RuleOutcome {
      Objects.requireNonNull(rule, "rule");
      Objects.requireNonNull(detail, "detail");
    }
  }

  /**
   * Copies the outcomes.
   *
   * @param model model
   * @param version version
   * @param alias alias
   * @param champion champion
   * @param policyName policy name
   * @param policyDigest policy digest
   * @param rules rules
   */
  public PromotionDecision {
    Objects.requireNonNull(model, "model");
    Objects.requireNonNull(version, "version");
    Objects.requireNonNull(alias, "alias");
    Objects.requireNonNull(policyName, "policyName");
    Objects.requireNonNull(policyDigest, "policyDigest");
    rules = List.copyOf(rules);
  }

  /**
   * Whether every rule passed (a policy with no rule passes nothing: it is refused when read).
   *
   * @return true when the candidate may be promoted
   */
  public boolean passed() {
    return !rules.isEmpty() && rules.stream().allMatch(RuleOutcome::passed);
  }

  /**
   * The rules that failed.
   *
   * @return them, in policy order
   */
  public List<RuleOutcome> failures() {
    return rules.stream().filter(r -> !r.passed()).toList();
  }

  /**
   * The facts an audit record keeps: the alias, the policy and its digest, and each rule's outcome
   * ({@code rule.<id>} to {@code PASS: detail} or {@code FAIL: detail}).
   *
   * @param outcome {@code promoted} or {@code refused}
   * @return the details
   */
  Map<String, String> auditDetails(String outcome) {
    Map<String, String> d = new LinkedHashMap<>();
    d.put("alias", alias);
    d.put("outcome", outcome);
    d.put("policy", policyName);
    d.put("policyDigest", policyDigest);
    for (RuleOutcome r : rules) {
      String text = (r.passed() ? "PASS: " : "FAIL: ") + r.detail();
      d.put("rule." + r.rule(), text.length() > 1000 ? text.substring(0, 1000) + "..." : text);
    }
    return d;
  }

  /**
   * The decision as JSON: model, version, alias, champion, policy, passed and the rules.
   *
   * @return a JSON object
   */
  public String toJson() {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("model", model);
    o.put("version", version);
    o.put("alias", alias);
    o.put("champion", champion);
    o.put("policy", policyName);
    o.put("policyDigest", policyDigest);
    o.put("passed", passed());
    ArrayNode a = o.putArray("rules");
    for (RuleOutcome r : rules) {
      ObjectNode n = a.addObject();
      n.put("rule", r.rule());
      n.put("passed", r.passed());
      n.put("detail", r.detail());
    }
    return o.toPrettyString();
  }

  /**
   * The decision for people: one line per rule, then the verdict.
   *
   * @return text
   */
  public String toText() {
    StringBuilder b = new StringBuilder();
    b.append("policy ").append(policyName).append(" for ").append(model).append('/').append(version).append(" -> ")
        .append(alias).append(" (now ").append(champion == null ? "unset" : champion).append(")\n");
    for (RuleOutcome r : rules) {
      b.append(r.passed() ? "  PASS  " : "  FAIL  ").append(r.rule()).append(": ").append(r.detail()).append('\n');
    }
    int failed = failures().size();
    b.append(failed == 0 ? "all " + rules.size() + " rules passed" : failed + " of " + rules.size()
        + " rules failed");
    return b.toString();
  }
}
