/** Runnable end-to-end programs on the bundled real datasets. */
package dev.mlops.examples;
