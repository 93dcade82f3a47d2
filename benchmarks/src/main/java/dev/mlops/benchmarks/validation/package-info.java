/**
 * Validation benchmarks: the request path against a hand-written check of the same rules, the batch
 * path against a hand-written loop over the same Arrow buffers and against the row path, and exact
 * uniqueness over ten million keys.
 */
package dev.mlops.benchmarks.validation;
