/**
 * The code snippets of README.md and docs/*.md, compiled: each public static method's body is one
 * snippet, with the imports it shows. {@code DocSnippetsTest} fails when a snippet in the docs is not
 * found, line for line, in one of these files, and the {@code *SnippetsTest} classes run every method
 * on the bundled data.
 */
package dev.mlops.examples.snippets;
