/**
 * The reproducibility manifest written beside every model: {@link dev.mlops.core.manifest.ModelManifest}
 * (artifacts with SHA-256 digests, model signature and feature encoding, training data fingerprints,
 * hyper-parameters, seeds, code version, environment, metrics, lineage, tags, provenance), its
 * canonical JSON form and digest, {@link dev.mlops.core.manifest.ManifestVerifier verification} of a
 * model directory against it, Ed25519 {@link dev.mlops.core.manifest.ManifestSigner signatures} made
 * with the JDK's own provider, and a {@link dev.mlops.core.manifest.ManifestDiff diff} of two manifests.
 *
 * <p>Layout of a model directory: the artifact files (any depth), {@code manifest.json} and, when
 * signed, {@code manifest.sig}. Format version 2 manifests are digested and signed over their RFC 8785
 * (JCS) canonical form; version 1 manifests keep verifying under the v1 rule. No Jackson type appears
 * in this package's API: hyper-parameters are plain Java values, provenance is JSON text.
 *
 * <p>{@link dev.mlops.core.manifest.CodeVersion#detect} reads the git commit by itself and asks JGit,
 * an optional dependency, whether the working tree is dirty; without JGit the state is unknown.
 */
@NullMarked
package dev.mlops.core.manifest;

import org.jspecify.annotations.NullMarked;
