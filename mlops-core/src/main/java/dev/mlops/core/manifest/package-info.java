/**
 * The reproducibility manifest written beside every model: {@link dev.mlops.core.manifest.ModelManifest}
 * (artifacts with SHA-256 digests, model signature and feature encoding, training data fingerprints,
 * hyper-parameters, seeds, code version, environment, metrics, lineage, tags, provenance), its
 * canonical JSON form and digest, {@link dev.mlops.core.manifest.ManifestVerifier verification} of a
 * model directory against it, Ed25519 {@link dev.mlops.core.manifest.ManifestSigner signatures} made
 * with the JDK's own provider, and a {@link dev.mlops.core.manifest.ManifestDiff diff} of two manifests.
 *
 * <p>Layout of a model directory: the artifact files (any depth), {@code manifest.json} and, when
 * signed, {@code manifest.sig}.
 */
@NullMarked
package dev.mlops.core.manifest;

import org.jspecify.annotations.NullMarked;
