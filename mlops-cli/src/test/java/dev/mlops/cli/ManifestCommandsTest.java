package dev.mlops.cli;

import static dev.mlops.cli.MlopsCliTest.mlops;
import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code manifest create|verify|sign|diff} and {@code keys generate}: success, a failing check, bad input. */
class ManifestCommandsTest {
  @TempDir
  Path dir;

  private Path model(String name) throws IOException {
    Path m = dir.resolve(name);
    Files.createDirectories(m.resolve("weights"));
    Files.writeString(m.resolve("model.onnx"), "not really onnx, but bytes to hash");
    Files.write(m.resolve("weights/w.bin"), new byte[] {1, 2, 3, 4});
    return m;
  }

  @Test
  void createVerifySignAndTamper() throws IOException {
    Path m = model("churn");
    MlopsCliTest.Run created = mlops("manifest", "create", "--json", "--name", "churn", "--version", "3", "--format",
        "onnx", "--metric", "auc=0.91", "--tag", "owner=risk-team", m.toString());
    assertThat(created.code()).as(created.err()).isZero();
    JsonNode j = created.json();
    assertThat(j.get("name").asText()).isEqualTo("churn");
    assertThat(j.get("artifacts")).hasSize(2);
    assertThat(m.resolve("manifest.json")).exists();
    assertThat(j.get("version").asText()).isEqualTo("3");
    MlopsCliTest.Run help = mlops("manifest", "create", "--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("--version=<version>", "the model's version", "-h, --help");

    MlopsCliTest.Run ok = mlops("manifest", "verify", "--json", m.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.json().get("ok").asBoolean()).isTrue();
    assertThat(ok.json().get("artifactsChecked").asInt()).isEqualTo(2);

    Path keys = dir.resolve("release");
    MlopsCliTest.Run gen = mlops("keys", "generate", "--json", "-o", keys.toString());
    assertThat(gen.code()).as(gen.err()).isZero();
    assertThat(gen.json().get("keyId").asText()).hasSize(64);
    MlopsCliTest.Run again = mlops("keys", "generate", "-o", keys.toString());
    assertThat(again.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(again.err()).contains("exists already; keys are never overwritten");

    MlopsCliTest.Run signed = mlops("manifest", "sign", "--key", keys + ".key", "--public-key", keys + ".pub",
        m.toString());
    assertThat(signed.code()).as(signed.err()).isZero();
    assertThat(m.resolve("manifest.sig")).exists();
    MlopsCliTest.Run trusted = mlops("manifest", "verify", "--trust", keys + ".pub", m.toString());
    assertThat(trusted.code()).as(trusted.err() + trusted.out()).isZero();
    assertThat(trusted.out()).contains("signed by a trusted key");

    // a flipped byte and a stray file: exit 1, each named
    Files.write(m.resolve("weights/w.bin"), new byte[] {1, 2, 3, 5});
    Files.writeString(m.resolve("stray.txt"), "x");
    MlopsCliTest.Run tampered = mlops("manifest", "verify", "--json", m.toString());
    assertThat(tampered.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(tampered.json().get("ok").asBoolean()).isFalse();
    assertThat(tampered.json().get("problems").toString()).contains("weights/w.bin").contains("stray.txt");

    // another key does not verify
    Path other = dir.resolve("other");
    mlops("keys", "generate", "-o", other.toString());
    Path clean = model("clean");
    mlops("manifest", "create", "--name", "c", "--version", "1", "--format", "onnx", clean.toString());
    mlops("manifest", "sign", "--key", keys + ".key", "--public-key", keys + ".pub", clean.toString());
    MlopsCliTest.Run wrongKey = mlops("manifest", "verify", "--trust", other + ".pub", clean.toString());
    assertThat(wrongKey.code()).isEqualTo(Mlops.CHECK_FAILED);
  }

  @Test
  void diffSaysWhatChangedAndExitsOneWhenTheyDiffer() throws IOException {
    Path a = model("a");
    Path b = model("b");
    mlops("manifest", "create", "--name", "churn", "--version", "3", "--format", "onnx", "--metric", "auc=0.91",
        a.toString());
    mlops("manifest", "create", "--name", "churn", "--version", "4", "--format", "onnx", "--metric", "auc=0.93",
        b.toString());
    MlopsCliTest.Run d = mlops("manifest", "diff", "--json", a.toString(), b.toString());
    assertThat(d.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(d.json().get("same").asBoolean()).isFalse();
    assertThat(d.json().get("differences").toString()).contains("version").contains("auc");
    MlopsCliTest.Run same = mlops("manifest", "diff", a.toString(), a.resolve("manifest.json").toString());
    assertThat(same.code()).isZero();
    assertThat(same.out()).contains("the manifests are the same");
  }

  @Test
  void badInputExitsTwo() throws IOException {
    MlopsCliTest.Run noDir = mlops("manifest", "verify", dir.resolve("nope").toString());
    assertThat(noDir.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noDir.err()).contains("no such model directory: ");
    Path m = model("m");
    Files.writeString(m.resolve("manifest.json"), "{\"formatVersion\": 2, \"name\": ");
    MlopsCliTest.Run broken = mlops("manifest", "diff", m.toString(), m.toString());
    assertThat(broken.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(broken.err()).startsWith("mlops diff: ").contains("manifest.json");
    MlopsCliTest.Run missingKey = mlops("manifest", "sign", "--key", dir.resolve("k.key").toString(), "--public-key",
        dir.resolve("k.pub").toString(), m.toString());
    assertThat(missingKey.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(missingKey.err()).contains("no such private key file: ");
    Path notAKey = dir.resolve("bad.pub");
    Files.writeString(notAKey, "hello");
    Path ok = model("ok");
    mlops("manifest", "create", "--name", "c", "--version", "1", "--format", "onnx", ok.toString());
    MlopsCliTest.Run wrongKey = mlops("manifest", "verify", "--trust", notAKey.toString(), ok.toString());
    assertThat(wrongKey.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(wrongKey.err()).contains("bad.pub: key text is not valid base64");
  }
}
