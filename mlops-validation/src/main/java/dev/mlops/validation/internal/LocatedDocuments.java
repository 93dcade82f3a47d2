package dev.mlops.validation.internal;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.LocatedJson;
import dev.mlops.validation.DataContract;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Locale;
import java.util.Objects;

/**
 * The one reader of the project's hand-written YAML and JSON files, contracts and promotion
 * policies: bounded before anything is allocated, UTF-8 only, one document without anchors, aliases,
 * tags or repeated keys, and every value located by line and path so that an error found after
 * parsing still names the file line. What differs between kinds is said by a {@link Kind}.
 */
public final class LocatedDocuments {
  /** Contracts. */
  static final Kind CONTRACT = new Kind("contract", "data contract", "an object with 'name' and 'columns'",
      DataContract.MAX_TEXT_LENGTH, "3 MiB, DataContract.MAX_TEXT_LENGTH",
      "shrink it (long allowed_values lists are the usual cause)");

  /** Without the source in locations: a parse error's message stays one line, free of the file's text. */
  private static final JsonFactory JSON = JsonFactory.builder()
      .disable(StreamReadFeature.INCLUDE_SOURCE_IN_LOCATION)
      .build();
  private static final YAMLFactory YAML = YAMLFactory.builder().loaderOptions(ContractParser.loaderOptions()).build();

  private LocatedDocuments() {}

  /**
   * A kind of document.
   *
   * @param noun what it is called in messages ({@code contract}, {@code policy})
   * @param title its full name ({@code data contract}, {@code promotion policy})
   * @param expected what an empty file should have held
   * @param maxLength the most characters (and bytes) a file may hold
   * @param limitName how the limit is named in messages
   * @param shrinkHint what to do about a file over the limit
   */
  public record Kind(String noun, String title, String expected, int maxLength, String limitName, String shrinkHint) {
    /**
     * Checks the components.
     *
     * @param noun noun
     * @param title title
     * @param expected expected
     * @param maxLength max length
     * @param limitName limit name
     * @param shrinkHint shrink hint
     */
    public Kind {
      Objects.requireNonNull(noun, "noun");
      Objects.requireNonNull(title, "title");
      Objects.requireNonNull(expected, "expected");
      Objects.requireNonNull(limitName, "limitName");
      Objects.requireNonNull(shrinkHint, "shrinkHint");
      if (maxLength <= 0 || maxLength > DataContract.MAX_TEXT_LENGTH) {
        throw new IllegalArgumentException("maxLength must be in 1.." + DataContract.MAX_TEXT_LENGTH + ": "
            + maxLength);
      }
    }
  }

  /**
   * Reads a file as YAML, or as JSON when its name ends in {@code .json}.
   *
   * @param file the file
   * @param kind what it holds
   * @return the root, with the line of every value
   * @throws DataFormatException naming the file (and line) when it is too large, not UTF-8 or not one
   *     valid document
   * @throws MlopsException when the file cannot be read
   */
  public static LocatedJson read(Path file, Kind kind) {
    return read(file, !file.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".json"), kind);
  }

  /**
   * Reads a file: a regular file (a FIFO or device would block or never end) of at most the kind's
   * limit in bytes of UTF-8.
   *
   * @param file the file
   * @param yaml whether the file is YAML (else JSON)
   * @param kind what it holds
   * @return the root, with the line of every value
   * @throws DataFormatException naming the file when it is too large, not UTF-8 or not one valid document
   * @throws MlopsException when the file cannot be read
   */
  public static LocatedJson read(Path file, boolean yaml, Kind kind) {
    byte[] bytes;
    try {
      BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
      if (!attributes.isRegularFile()) {
        throw new MlopsException("Cannot read " + kind.title() + " " + file + ": not a regular file; give the path"
            + " of a " + kind.noun() + " file");
      }
      if (attributes.size() > kind.maxLength()) {
        throw ContractParser.tooLong(attributes.size() + " bytes", file.toString(), kind);
      }
      try (InputStream in = Files.newInputStream(file)) {
        // bounded even when the file grew since its size was read
        bytes = in.readNBytes(kind.maxLength() + 1);
      }
    } catch (IOException e) {
      throw new MlopsException("Cannot read " + kind.title() + " " + file + ": " + e.getMessage()
          + "; check the path and permissions", e);
    }
    if (bytes.length > kind.maxLength()) {
      throw ContractParser.tooLong("more than " + kind.maxLength() + " bytes", file.toString(), kind);
    }
    String text;
    try {
      text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
          .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes)).toString();
    } catch (CharacterCodingException e) {
      throw new DataFormatException("the " + kind.noun() + " file is not valid UTF-8; save it as UTF-8",
          file.toString(), -1, null, e);
    }
    return ContractParser.parse(yaml ? YAML : JSON, text, file.toString(), kind);
  }
}
