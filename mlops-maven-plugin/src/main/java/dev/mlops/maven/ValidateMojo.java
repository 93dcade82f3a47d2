package dev.mlops.maven;

import dev.mlops.cli.Gates;
import java.io.File;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code mlops:validate}: validates CSV files (files, directories of {@code *.csv}, globs) against a
 * data contract in one session, as {@code mlops validate} does; fails the build when the data fails.
 */
@Mojo(name = "validate", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public final class ValidateMojo extends GateMojo {
  /** The data contract (YAML or JSON). */
  @Parameter(required = true)
  private @Nullable File contract;

  /** The CSV files, directories or globs. */
  @Parameter(required = true)
  private List<String> inputs = new ArrayList<>();

  /** Where rejected rows and unreadable lines go ({@code .csv} or {@code .arrow}). */
  @Parameter
  private @Nullable File quarantine;

  /** For Maven. */
  public ValidateMojo() {}

  @Override
  protected String command() {
    return "validate";
  }

  @Override
  protected Gates.Result runGate() {
    Path q = quarantine == null ? null : quarantine.toPath();
    return Gates.validate(required(contract, "contract"), Gates.expand(inputs), q, (rows, bytes) -> { });
  }
}
