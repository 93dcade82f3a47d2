package dev.mlops.core.fuzz;

import dev.mlops.core.Schema;
import dev.mlops.core.manifest.ManifestSignature;
import dev.mlops.core.manifest.ModelManifest;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Fuzzes the JSON documents that travel with a model: the manifest ({@link ModelManifest#fromJson}),
 * its signature file ({@link ManifestSignature#read}) and the schema form ({@link Schema#fromJson}).
 * Each input either is refused with an {@code MlopsException} or parses to a value that is exactly
 * one strict JSON document with a supported format version, and whose own JSON reads back to an
 * equal value (with an equal digest or fingerprint).
 */
class ManifestFuzzTest {
  private static final Path SIGNATURE = FuzzFiles.file(ModelManifest.SIGNATURE_FILE_NAME);

  @BoundedFuzzTest
  void manifestJson(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    ModelManifest m = Verdicts.parse("ModelManifest.fromJson", () -> ModelManifest.fromJson(text, "fuzz manifest"));
    if (m == null) {
      return;
    }
    Verdicts.oneStrictJsonDocument("ModelManifest.fromJson", text);
    Verdicts.supportedFormatVersion("ModelManifest.fromJson", text, ModelManifest.FORMAT_VERSION);
    ModelManifest back = Verdicts.accepted("ModelManifest.fromJson of toJson", () ->
        ModelManifest.fromJson(m.toJson(), "written manifest"));
    if (!back.equals(m) || !back.digest().equals(m.digest())) {
      throw new AssertionError("a manifest read from fuzz input and written back reads as another manifest:\n"
          + m.toJson() + "\nversus\n" + back.toJson());
    }
  }

  @BoundedFuzzTest
  void signatureFile(byte[] input) throws Exception {
    Files.write(SIGNATURE, input);
    ManifestSignature s = Verdicts.parse("ManifestSignature.read", () -> ManifestSignature.read(SIGNATURE));
    if (s == null) {
      return;
    }
    String text = new String(input, StandardCharsets.UTF_8);
    Verdicts.oneStrictJsonDocument("ManifestSignature.read", text);
    Verdicts.supportedFormatVersion("ManifestSignature.read", text, ManifestSignature.FORMAT_VERSION);
    ManifestSignature back = Verdicts.accepted("ManifestSignature.fromJson of toJson", () ->
        ManifestSignature.fromJson(s.toJson(), "written signature"));
    if (!back.equals(s)) {
      throw new AssertionError("a signature read from fuzz input and written back reads as " + back + ", not " + s);
    }
  }

  @BoundedFuzzTest
  void schemaJson(byte[] input) {
    String text = new String(input, StandardCharsets.UTF_8);
    Schema s = Verdicts.parse("Schema.fromJson", () -> Schema.fromJson(text));
    if (s == null) {
      return;
    }
    Verdicts.oneStrictJsonDocument("Schema.fromJson", text);
    Verdicts.supportedFormatVersion("Schema.fromJson", text, Schema.FORMAT_VERSION);
    Schema back = Verdicts.accepted("Schema.fromJson of toJson", () -> Schema.fromJson(s.toJson()));
    Schema viaArrow = Verdicts.accepted("Schema.fromArrow of toArrow", () -> Schema.fromArrow(s.toArrow()));
    if (!back.equals(s) || !back.fingerprint().equals(s.fingerprint()) || !viaArrow.equals(s)) {
      throw new AssertionError("a schema read from fuzz input reads back as another: " + s + " versus " + back
          + " (JSON) and " + viaArrow + " (Arrow)");
    }
  }
}
