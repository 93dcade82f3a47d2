/**
 * Verified model loading, batching, deadlines, contract and monitor guards, hot swap, canary and
 * shadow deployments, the model repository, and the backend SPI. It carries no model runtime: a
 * backend module provides {@link dev.mlops.serving.spi.ModelBackend}.
 */
module dev.mlops.serving {
  exports dev.mlops.serving;
  exports dev.mlops.serving.repository;
  exports dev.mlops.serving.promotion;
  exports dev.mlops.serving.spi;

  uses dev.mlops.serving.spi.ModelBackend;

  requires transitive dev.mlops.core;
  requires transitive dev.mlops.validation;
  requires transitive dev.mlops.monitoring;
  requires transitive micrometer.core;
  requires com.fasterxml.jackson.databind;
  requires org.slf4j;
  // Annotations Micrometer's API refers to: javac looks them up, nothing needs them at run time.
  requires static org.checkerframework.checker.qual;
  requires static transitive org.jspecify;
}
