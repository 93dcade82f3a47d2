/**
 * Schemas, rows, Arrow-backed batches, CSV and Arrow IPC readers and writers, dataset fingerprints and
 * model manifests: the data model every other mlops module builds on.
 */
module dev.mlops.core {
  exports dev.mlops.core;
  exports dev.mlops.core.io;
  exports dev.mlops.core.manifest;
  // One JSON reader, atomic file writes and digests for the modules built on core; nobody else.
  exports dev.mlops.core.internal to dev.mlops.validation, dev.mlops.monitoring, dev.mlops.serving;

  requires transitive org.apache.arrow.vector;
  requires transitive org.apache.arrow.memory.core;
  // Arrow's default allocation manager, found by name at run time: resolved with core so hosts need not add it.
  requires org.apache.arrow.memory.unsafe;
  requires org.apache.arrow.format;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires de.siegmar.fastcsv;
  requires org.slf4j;
  // Optional: CodeVersion tells a clean from a dirty working tree only when JGit is present.
  requires static org.eclipse.jgit;
  // Annotations only: the API's nullness is visible to a consumer's compiler, not needed at run time.
  requires static transitive org.jspecify;
}
