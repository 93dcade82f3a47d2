package dev.mlops.cli;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The command line's JSON mapper, in a class of its own so that Jackson loads only when a command
 * writes or reads JSON, not for {@code --help} or a usage error (start-up time).
 */
final class CliJson {
  /** Reads and builds documents. */
  static final ObjectMapper MAPPER = new ObjectMapper();
  /** Writes the one document a command prints with {@code --json}, indented. */
  static final ObjectWriter PRETTY = MAPPER.writerWithDefaultPrettyPrinter();

  private CliJson() {}
}
