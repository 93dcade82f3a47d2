/**
 * The model repository: {@link dev.mlops.serving.repository.ModelRepository} publishes models with
 * their manifests on a directory, resolves {@link dev.mlops.serving.repository.ModelRef references}
 * and aliases, and loads {@link dev.mlops.serving.repository.VerifiedModel verified models}: every
 * artifact's digest (and the signature, when a key is given) is checked before any byte reaches a
 * model parser. Depends on {@code mlops-core} only.
 */
@NullMarked
package dev.mlops.serving.repository;

import org.jspecify.annotations.NullMarked;
