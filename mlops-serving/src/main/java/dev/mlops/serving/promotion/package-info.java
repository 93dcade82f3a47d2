/**
 * Policy-as-code promotion: a {@link dev.mlops.serving.promotion.PromotionPolicy} read from a YAML
 * file checked in beside the model code (required manifest facts, metric thresholds absolute and
 * against the current champion, the data contract on a holdout file, drift of the holdout against
 * the version's training profile, n of m Ed25519-signed
 * {@link dev.mlops.serving.promotion.Approval approvals}) decides whether an alias may move, and
 * every decision, passed or refused, goes into the repository's audit log with each rule's outcome
 * and the policy's digest.
 */
@NullMarked
package dev.mlops.serving.promotion;

import org.jspecify.annotations.NullMarked;
