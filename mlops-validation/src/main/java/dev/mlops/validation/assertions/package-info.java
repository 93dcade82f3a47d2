/**
 * AssertJ-style assertions for data contracts in users' own tests:
 * {@code DataContractAssertions.assertThat(batch).satisfies(contract)}. JUnit and AssertJ are optional
 * dependencies of this module: they are on a user's test classpath, never on a production one.
 */
@NullMarked
package dev.mlops.validation.assertions;

import org.jspecify.annotations.NullMarked;
