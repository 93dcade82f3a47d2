package dev.mlops.core.manifest;

import dev.mlops.core.IntegrityException;
import java.util.List;
import java.util.Objects;

/**
 * The outcome of checking a model directory against its manifest: every problem found, not just the
 * first. Immutable.
 *
 * @param location the checked directory, for messages
 * @param artifactsChecked how many manifest entries were examined
 * @param problems every problem, in the order found (artifacts in manifest order, then extra files,
 *     then the signature)
 */
public record VerificationReport(String location, int artifactsChecked, List<IntegrityProblem> problems) {

  /**
   * Validates and copies the components.
   *
   * @param location the checked directory
   * @param artifactsChecked number of entries examined
   * @param problems the problems
   */
  public VerificationReport {
    Objects.requireNonNull(location, "location");
    problems = List.copyOf(problems);
  }

  /**
   * Whether no problem was found.
   *
   * @return true when the directory matches its manifest (and signature, where checked)
   */
  public boolean ok() {
    return problems.isEmpty();
  }

  /**
   * The problems of one kind.
   *
   * @param kind e.g. {@code IntegrityProblem.DigestMismatch.class}
   * @param <T> the kind
   * @return the matching problems, in order
   */
  public <T extends IntegrityProblem> List<T> problems(Class<T> kind) {
    return problems.stream().filter(kind::isInstance).map(kind::cast).toList();
  }

  /**
   * This report when it is ok.
   *
   * @return this report
   * @throws IntegrityException listing every problem when there is any
   */
  public VerificationReport orThrow() {
    if (!ok()) {
      throw new IntegrityException(this + "\nDo not load this model: restore its files from a trusted copy, or"
          + " rebuild and re-sign the manifest if the change was intended.");
    }
    return this;
  }

  /**
   * A readable summary: one line for the outcome, then one line per problem.
   *
   * @return the summary
   */
  @Override
  public String toString() {
    StringBuilder sb = new StringBuilder("Model directory ").append(location).append(": ");
    if (ok()) {
      return sb.append("ok (").append(artifactsChecked).append(" artifacts verified)").toString();
    }
    sb.append(problems.size()).append(problems.size() == 1 ? " problem" : " problems")
        .append(" (").append(artifactsChecked).append(" artifacts checked)");
    for (IntegrityProblem p : problems) {
      sb.append("\n  - ").append(p.message());
    }
    return sb.toString();
  }
}
