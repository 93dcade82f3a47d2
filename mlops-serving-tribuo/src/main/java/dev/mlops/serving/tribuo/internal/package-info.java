/** The Tribuo runner and its deserialization filter: implementation of {@code mlops-serving-tribuo}, not API. */
@NullMarked
package dev.mlops.serving.tribuo.internal;

import org.jspecify.annotations.NullMarked;
