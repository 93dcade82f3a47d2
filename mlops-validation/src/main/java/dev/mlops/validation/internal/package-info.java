/**
 * Implementation detail of mlops-validation: compiled checks, their accumulators and the contract
 * file reader. No compatibility promise: do not use from application code.
 */
@NullMarked
package dev.mlops.validation.internal;

import org.jspecify.annotations.NullMarked;
