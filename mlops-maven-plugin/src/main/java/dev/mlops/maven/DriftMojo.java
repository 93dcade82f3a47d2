package dev.mlops.maven;

import dev.mlops.cli.Gates;
import dev.mlops.monitoring.drift.DriftOptions;
import java.io.File;
import java.util.ArrayList;
import java.util.List;
import org.apache.maven.plugins.annotations.LifecyclePhase;
import org.apache.maven.plugins.annotations.Mojo;
import org.apache.maven.plugins.annotations.Parameter;
import org.jspecify.annotations.Nullable;

/**
 * {@code mlops:drift}: compares current data with a reference (each a CSV file or a saved profile),
 * as {@code mlops drift} does; fails the build on dataset drift.
 */
@Mojo(name = "drift", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public final class DriftMojo extends GateMojo {
  /** The reference data or profile. */
  @Parameter(required = true)
  private @Nullable File reference;

  /** The current data or profile. */
  @Parameter(required = true)
  private @Nullable File current;

  /** Columns left out of the comparison. */
  @Parameter
  private List<String> exclude = new ArrayList<>();

  /** The dataset drifts when at least this share of the compared columns drifts (default 0.5). */
  @Parameter
  private @Nullable Double share;

  /** For Maven. */
  public DriftMojo() {}

  @Override
  protected String command() {
    return "drift";
  }

  @Override
  protected Gates.Result runGate() {
    DriftOptions.Builder b = DriftOptions.builder();
    if (!exclude.isEmpty()) {
      b.exclude(exclude.toArray(new String[0]));
    }
    if (share != null) {
      b.driftShare(share);
    }
    return Gates.drift(required(reference, "reference"), required(current, "current"), b.build());
  }
}
