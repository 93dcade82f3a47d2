package dev.mlops.serving.promotion;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.manifest.ModelManifest;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Where a repository keeps approvals: one file per approver in
 * {@code <model>/}{@value ModelRepository#APPROVALS}{@code /<version>/<approver>.json}, beside the
 * version (whose own file set is immutable and verified), each stored by an audited
 * {@code approve} record.
 */
public final class Approvals {
  private Approvals() {}

  private static Path directory(ModelRepository repository, String model, String version) {
    // directory() refuses a bad name or a version outside the repository; its parent is the model's.
    Path versionDir = repository.directory(ModelRef.ofVersion(model, version));
    return versionDir.getParent().resolve(ModelRepository.APPROVALS).resolve(version);
  }

  /**
   * Stores a signed approval of a version beside it and records it in the audit log. The approval
   * must be of the version's current manifest; its signature is checked by the policy that counts
   * it, against the key the policy names for the approver.
   *
   * @param repository the repository
   * @param approval the approval
   * @throws IllegalArgumentException when the version does not exist or its manifest digest differs
   */
  public static void store(ModelRepository repository, Approval approval) {
    String model = approval.model();
    String version = approval.version();
    if (!repository.exists(model, version)) {
      throw new IllegalArgumentException("no version " + model + "/" + version + " in " + repository.root()
          + " to approve");
    }
    ModelManifest m = ModelManifest.read(repository.directory(ModelRef.ofVersion(model, version)));
    if (!m.digest().equals(approval.manifestDigest())) {
      throw new IllegalArgumentException("the approval is of manifest " + approval.manifestDigest() + ", but "
          + model + "/" + version + " has manifest " + m.digest() + "; approve the version as it is published");
    }
    Path dir = directory(repository, model, version);
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new MlopsException("Cannot create the approval directory " + dir + ": " + e, e);
    }
    if (Files.isSymbolicLink(dir) || Files.isSymbolicLink(dir.getParent())) {
      throw new IntegrityException("Approval directory " + dir + " is a symbolic link; approvals live inside the"
          + " repository: remove the link");
    }
    AtomicFiles.writeString(dir, approval.approver() + ".json", "approval", approval.toJson());
    repository.auditLog().append(repository.actor(), "approve", model, null, version, Map.of("approver",
        approval.approver(), "manifestDigest", approval.manifestDigest(), "keyId", approval.keyId()));
  }

  /**
   * The approvals stored for a version, by approver name (not verified: a policy verifies them).
   *
   * @param repository the repository
   * @param model the model
   * @param version the version
   * @return the approvals
   * @throws dev.mlops.core.DataFormatException naming the file when one is not an approval
   * @throws IntegrityException when a file holds another version's or approver's approval
   */
  public static List<Approval> of(ModelRepository repository, String model, String version) {
    Path dir = directory(repository, model, version);
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return List.of();
    }
    List<Path> files = new ArrayList<>();
    try (DirectoryStream<Path> ds = Files.newDirectoryStream(dir, "*.json")) {
      ds.forEach(files::add);
    } catch (IOException e) {
      throw new MlopsException("Cannot list approvals in " + dir + ": " + e, e);
    }
    files.sort(null);
    List<Approval> out = new ArrayList<>();
    for (Path f : files) {
      if (!Files.isRegularFile(f, LinkOption.NOFOLLOW_LINKS)) {
        throw new IntegrityException("Approval " + f + " is not a regular file (a link?); remove it and approve"
            + " again");
      }
      Approval a = Approval.read(f);
      if (!a.model().equals(model) || !a.version().equals(version)
          || !f.getFileName().toString().equals(a.approver() + ".json")) {
        throw new IntegrityException("Approval file " + f + " is of " + a.approver() + " for " + a.model() + "/"
            + a.version() + ": it was copied or moved; remove it and approve again");
      }
      out.add(a);
    }
    return out;
  }
}
