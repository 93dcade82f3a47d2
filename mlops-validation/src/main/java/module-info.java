/**
 * Data contracts, their YAML and JSON codecs, the compiled {@code Validator}, reports and quarantine;
 * JUnit and AssertJ assertions over them.
 */
module dev.mlops.validation {
  exports dev.mlops.validation;
  exports dev.mlops.validation.assertions;
  // The located YAML reader of contracts, for the serving module's promotion policies; nobody else.
  exports dev.mlops.validation.internal to dev.mlops.serving;

  requires transitive dev.mlops.core;
  // Dataset rules read the engine's statistics; a profiling session hands them out.
  requires transitive dev.mlops.stats;
  requires com.fasterxml.jackson.core;
  requires com.fasterxml.jackson.databind;
  requires com.fasterxml.jackson.dataformat.yaml;
  requires org.yaml.snakeyaml;
  // No module name of its own: "re2j" is derived from the jar's file name (see the parent POM).
  requires re2j;
  // Optional: only dev.mlops.validation.assertions uses them, from a user's tests. Not transitive, though
  // its classes extend AssertJ's: javac would then demand AssertJ in every module that reads this one.
  requires static org.junit.jupiter.api;
  requires static org.assertj.core;
  requires static transitive org.jspecify;
}
