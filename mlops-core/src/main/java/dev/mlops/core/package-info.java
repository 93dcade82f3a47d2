/**
 * Core data model of the library: {@link dev.mlops.core.Schema schemas} of typed
 * {@link dev.mlops.core.Field fields}, single {@link dev.mlops.core.Row rows}, Arrow-backed columnar
 * {@link dev.mlops.core.Batch batches}, {@link dev.mlops.core.DatasetFingerprint dataset fingerprints}
 * and the unchecked {@link dev.mlops.core.MlopsException exception hierarchy} every module shares.
 *
 * <p>Everything in this package is null-hostile unless a parameter or return value is annotated
 * {@code @Nullable}.
 */
@NullMarked
package dev.mlops.core;

import org.jspecify.annotations.NullMarked;
