/**
 * The library inside Apache Spark: the same profiles and drift decisions on a {@code Dataset<Row>}
 * as on local data, made from per-partition states that Spark merges, never from rows collected to
 * the driver. Spark is a {@code provided} dependency: the job brings its own.
 */
@NullMarked
package dev.mlops.spark;

import org.jspecify.annotations.NullMarked;
