/**
 * The {@code mlops} command line: {@link dev.mlops.cli.Mlops} and its commands, thin wrappers over the
 * gate API ({@link dev.mlops.cli.Gates}) that a build plugin can call too. Exit codes, the same for
 * every command: 0 ok, 1 a check failed, 2 bad input or usage, 3 internal error.
 */
@NullMarked
package dev.mlops.cli;

import org.jspecify.annotations.NullMarked;
