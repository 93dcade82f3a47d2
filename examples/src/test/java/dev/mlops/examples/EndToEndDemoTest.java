package dev.mlops.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.manifest.VerificationReport;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EndToEndDemoTest {

  @Test
  void runsTwiceInOneDirectoryOnTheBundledDataAndCatchesTampering(@TempDir Path out) throws Exception {
    // The first run leaves a repository and data behind; the second must still succeed (README's main job, rerun).
    new EndToEndDemo(Path.of("../data"), out, new PrintStream(java.io.OutputStream.nullOutputStream(), true,
        StandardCharsets.UTF_8)).run();
    ByteArrayOutputStream buf = new ByteArrayOutputStream();
    VerificationReport report;
    try (PrintStream ps = new PrintStream(buf, true, StandardCharsets.UTF_8)) {
      report = new EndToEndDemo(Path.of("../data"), out, ps).run();
    }
    String text = buf.toString(StandardCharsets.UTF_8);
    assertThat(report.ok()).as(text).isTrue();
    assertThat(text)
        .contains("rows read: 1000, skipped: 0")
        .contains("Arrow IPC round trip has the same fingerprint: true")
        .contains("credit-g.csv: digest mismatch")
        .contains("notes.txt: unexpected file")
        .contains("training rows: PASS")
        .contains("credit-g: FAIL (4 of 300 rows failed row rules, 3 of 43 constraints failed")
        .contains("valid rows: 296, quarantined: 4")
        .contains("incoming (rows 700-999) vs training: dataset verdict no drift, 0 of 21 columns drifted")
        .containsPattern("shifted incoming vs training: +dataset verdict no drift, 3 of 21 columns drifted");
    assertThat(text)
        .containsPattern("accuracy 0\\.7\\d\\d on the 700 training rows")
        .contains("published credit-risk/1 (ONNX, 61 encoded features, signed)")
        .contains("loaded credit-risk@champion: digests and signature verified, device cpu")
        .containsPattern("served 300 incoming rows: accuracy 0\\.7\\d\\d")
        .contains("corrupted feed: 4 of 300 rows flagged by the contract guard");
    assertThat(out.resolve("drift-report.html")).content().contains("<svg");
    assertThat(out.resolve("models/credit-risk/1/manifest.json")).content().contains("\"holdout_accuracy\"");
    assertThat(out.resolve("credit-g/1/contract.yaml")).content().contains("credit_amount");
    assertThat(out.resolve("credit-g/1/manifest.json")).exists();
    assertThat(out.resolve("credit-g/1/manifest.sig")).exists();
    assertThat(Files.readString(out.resolve("credit-g/1/manifest.json"))).contains("\"rowCount\" : 1000");
  }
}
