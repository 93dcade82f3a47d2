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
 * {@code mlops:verify-manifest}: checks a model directory against its manifest (every file's size and
 * digest, nothing missing or added, and with trusted keys its signature), as
 * {@code mlops manifest verify} does; fails the build when anything is wrong.
 */
@Mojo(name = "verify-manifest", defaultPhase = LifecyclePhase.VERIFY, threadSafe = true, requiresProject = true)
public final class VerifyManifestMojo extends GateMojo {
  /** The model directory. */
  @Parameter(required = true)
  private @Nullable File modelDirectory;

  /** Trusted Ed25519 public keys (PEM). */
  @Parameter
  private List<File> trustedKeys = new ArrayList<>();

  /** Fail when the manifest is not signed by a trusted key. */
  @Parameter(defaultValue = "false")
  private boolean requireSignature;

  /** For Maven. */
  public VerifyManifestMojo() {}

  @Override
  protected String command() {
    return "manifest verify";
  }

  @Override
  protected Gates.Result runGate() {
    List<Path> keys = trustedKeys.stream().map(File::toPath).toList();
    return Gates.verifyManifest(required(modelDirectory, "modelDirectory"), keys, requireSignature);
  }
}
