/**
 * Data contracts: a {@link dev.mlops.validation.DataContract schema plus constraints} stored as JSON
 * or YAML, {@link dev.mlops.validation.ContractInference inferred} from reference data, compiled into
 * a {@link dev.mlops.validation.Validator} that checks single rows on the request path and Arrow
 * batches in batch jobs with the same verdicts, and reported as a
 * {@link dev.mlops.validation.ValidationReport}.
 *
 * <p>Everything in this package is null-hostile unless a parameter or return value is annotated
 * {@code @Nullable}.
 */
@NullMarked
package dev.mlops.validation;

import org.jspecify.annotations.NullMarked;
