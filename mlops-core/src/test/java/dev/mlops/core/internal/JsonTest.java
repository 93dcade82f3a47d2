package dev.mlops.core.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.manifest.ModelManifest;
import org.junit.jupiter.api.Test;

/** The strict JSON reader refuses what no writer, signer or canonical form could carry on. */
class JsonTest {
  @Test
  void aLoneSurrogateEscapeIsRefusedNamingWhereItIs() {
    assertThatThrownBy(() -> Json.parse("{\"a\": [\"ok\", \"x\\uDAAAy\"]}", "doc.json"))
        .isInstanceOf(DataFormatException.class)
        .hasMessage("doc.json: the string at $.a[1] holds a lone surrogate U+DAAA (an unpaired \\u escape), which"
            + " is not Unicode text; write the character itself, or a surrogate pair");
    // Jackson itself refuses some lone surrogates in member names; either way it is a DataFormatException
    assertThatThrownBy(() -> Json.parse("{\"\\uDC00\": 1}", "doc.json")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("surrogate");
    assertThatThrownBy(() -> Json.parse("{\"a\\uD800\": 1}", "doc.json")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("surrogate");
  }

  @Test
  void surrogatePairsAndOtherTextReadAsWritten() {
    assertThat(Json.parse("{\"k\\uD83D\\uDE00\": \"\\uD83D\\uDE00 \\u00e9\"}", "doc.json").get("k\uD83D\uDE00")
        .textValue()).isEqualTo("\uD83D\uDE00 \u00e9");
  }

  @Test
  void aManifestWithALoneSurrogateFailsToReadInsteadOfFailingToDigest() {
    // the fuzz finding: the manifest read, then its digest threw IllegalArgumentException from the canonical form
    String json = "{\"formatVersion\": 2, \"name\": \"m\\uDAAA\", \"version\": \"1\", \"format\": \"onnx\"}";
    assertThatThrownBy(() -> ModelManifest.fromJson(json, "manifest.json")).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("lone surrogate U+DAAA");
  }
}
