package dev.mlops.maven;

import dev.mlops.cli.Gates;
import java.io.File;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code mlops:promote-check}: evaluates a promotion policy for a candidate version without moving
 * anything, as {@code mlops promote --dry-run} does; fails the build when a rule fails, so a change
 * that would not be promotable is caught before the release job runs.
 */
@Mojo(name = "promote-check", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public final class PromoteCheckMojo extends GateMojo {
  /** The model repository directory. */
  @Parameter(required = true)
  private @Nullable File repository;

  /** The candidate, {@code model/version}. */
  @Parameter(required = true)
  private @Nullable String candidate;

  /** The alias it would move. */
  @Parameter(defaultValue = "champion")
  private String alias = "champion";

  /** The promotion policy (YAML). */
  @Parameter(required = true)
  private @Nullable File policy;

  /** For Maven. */
  public PromoteCheckMojo() {}

  @Override
  protected String command() {
    return "promote --dry-run";
  }

  @Override
  protected String summary(String text) {
    String[] lines = text.split("\n");
    return lines[lines.length - 1];
  }

  @Override
  protected Gates.Result runGate() {
    if (candidate == null) {
      throw new IllegalArgumentException("the parameter 'candidate' is required; set it in the plugin's"
          + " <configuration>");
    }
    return Gates.promote(required(repository, "repository"), null, candidate, alias, required(policy, "policy"),
        true);
  }
}
