/** The demo's batch job inside Apache Spark (mlops-spark): profile, drift and score on local[2]. */
package dev.mlops.examples.spark;
