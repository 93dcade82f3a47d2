/**
 * Implementation detail of mlops-core shared with the other mlops modules. No compatibility promise:
 * do not use from application code.
 */
@NullMarked
package dev.mlops.core.internal;

import org.jspecify.annotations.NullMarked;
