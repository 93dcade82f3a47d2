/**
 * The mlops gates as Maven goals, bound to {@code verify}: {@code validate}, {@code drift},
 * {@code verify-manifest} and {@code promote-check}. Each calls the command line's gate API
 * ({@code dev.mlops.cli.Gates}) and fails the build with the text the command line prints.
 */
@NullMarked
package dev.mlops.maven;

import org.jspecify.annotations.NullMarked;
