/** Implementation detail of mlops-serving; no compatibility promise. */
@NullMarked
package dev.mlops.serving.internal;

import org.jspecify.annotations.NullMarked;
