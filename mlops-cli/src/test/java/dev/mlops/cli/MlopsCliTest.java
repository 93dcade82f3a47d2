package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every command on the bundled credit-g data: success, a failing check and bad input, each asserting
 * the exit code, the JSON on stdout (parsed) and the message on stderr.
 */
class MlopsCliTest {
  static final Path CREDIT_G = Path.of("../data/credit-g.csv");

  @TempDir
  Path dir;

  record Run(int code, String out, String err) {
    JsonNode json() throws IOException {
      return new ObjectMapper().readTree(out);
    }
  }

  static Run mlops(String... args) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int code = Mlops.run(new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true,
        StandardCharsets.UTF_8), args);
    return new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** credit-g with line 3's age made negative and line 5 cut short (an unreadable line). */
  private Path corrupted() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(CREDIT_G));
    String[] f = lines.get(2).split(",", -1);
    f[12] = "-5.0";
    lines.set(2, String.join(",", f));
    lines.set(4, "<0,6.0,short line");
    Path p = dir.resolve("corrupted.csv");
    Files.write(p, lines);
    return p;
  }

  private Path contract() {
    Path c = dir.resolve("credit-g.yaml");
    Run r = mlops("contract", "infer", "--name", "credit-g", "--out", c.toString(), CREDIT_G.toString());
    assertThat(r.code()).as(r.err()).isZero();
    return c;
  }

  @Test
  void helpListsTheCommandsAndTheExitCodes() {
    Run r = mlops("--help");
    assertThat(r.code()).isEqualTo(Mlops.OK);
    assertThat(r.out()).contains("validate", "profile", "drift", "schema", "contract", "Exit codes (every command):",
        "1  a policy or check failed", "2  bad input or usage", "3  internal error");
    Run v = mlops("validate", "--help");
    assertThat(v.code()).isZero();
    assertThat(v.out()).contains("--contract", "--quarantine", "--json");
  }

  @Test
  void usageErrorsExitTwoWithTheMessageOnStderr() {
    Run unknown = mlops("validate", "-c", "c.yaml", "data.csv", "--nope");
    assertThat(unknown.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(unknown.err()).contains("Unknown option: '--nope'");
    assertThat(unknown.out()).isEmpty();
    Run none = mlops();
    assertThat(none.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(none.err()).contains("name a command: validate, profile, drift");
    Run missing = mlops("validate", CREDIT_G.toString());
    assertThat(missing.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(missing.err()).contains("Missing required option: '--contract=<contract>'");
  }

  @Test
  void schemaInferPrintsTheWholeFileSchema() throws IOException {
    Run r = mlops("schema", "infer", "--json", CREDIT_G.toString());
    assertThat(r.code()).as(r.err()).isZero();
    JsonNode fields = r.json().get("fields");
    assertThat(fields).hasSize(21);
    assertThat(fields.get(1).get("name").asText()).isEqualTo("duration");
    Run missing = mlops("schema", "infer", dir.resolve("nope.csv").toString());
    assertThat(missing.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(missing.err()).startsWith("mlops infer: no such data file: ").contains("nope.csv");
  }

  @Test
  void contractInferWritesAContractThatPassesOnItsData() throws IOException {
    Path c = contract();
    assertThat(Files.readString(c)).contains("credit-g").contains("not_null");
    Run r = mlops("validate", "--json", "--quiet", "--contract", c.toString(), CREDIT_G.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Mlops.OK);
    JsonNode j = r.json();
    assertThat(j.get("passed").asBoolean()).isTrue();
    assertThat(j.get("rows").asLong()).isEqualTo(1000);
    assertThat(j.get("malformedLines").asLong()).isZero();
    assertThat(j.get("report").get("verdict").asText()).isEqualTo("PASS");
    assertThat(r.err()).isEmpty();
  }

  @Test
  void validateFailsTheCorruptedCopyAndQuarantinesItsBadRowAndLine() throws IOException {
    Path c = contract();
    Path q = dir.resolve("quarantine.csv");
    Path html = dir.resolve("report.html");
    Run r = mlops("validate", "--json", "-q", "-c", c.toString(), "--quarantine", q.toString(), "--html",
        html.toString(), corrupted().toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Mlops.CHECK_FAILED);
    JsonNode j = r.json();
    assertThat(j.get("passed").asBoolean()).isFalse();
    assertThat(j.get("malformedLines").asLong()).isEqualTo(1);
    assertThat(j.get("rows").asLong()).isEqualTo(999);
    assertThat(j.get("quarantined").asLong()).isEqualTo(2);
    assertThat(Files.readString(q)).contains("corrupted.csv").contains("age");
    assertThat(html).content().contains("<span class=\"badge failed\" id=\"verdict\">FAIL</span>");
    Run text = mlops("validate", "-q", "-c", c.toString(), corrupted().toString());
    assertThat(text.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(text.out()).startsWith("credit-g: FAIL").contains("1 line(s) could not be read; give a quarantine file");
  }

  @Test
  void validateReportsAMalformedContractWithItsFileAndLine() throws IOException {
    Path bad = dir.resolve("bad.yaml");
    Files.writeString(bad, "name: x\ncolumns:\n  - name: a\n    type: float64\n    rnage: {min: 0}\n");
    Run r = mlops("validate", "-c", bad.toString(), CREDIT_G.toString());
    assertThat(r.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(r.err()).startsWith("mlops validate: ").contains("bad.yaml:5").contains("unknown constraint kind 'rnage'");
    assertThat(r.out()).isEmpty();
    Run noData = mlops("validate", "-c", contract().toString(), dir.resolve("absent-dir").toString());
    assertThat(noData.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noData.err()).contains("no such file or directory: ");
    Run noMatch = mlops("validate", "-c", contract().toString(), dir.resolve("part-*.csv").toString());
    assertThat(noMatch.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noMatch.err()).contains("no file matches ");
  }

  @Test
  void profileWritesAProfileThatDriftReads() throws IOException {
    Path p = dir.resolve("credit-g.profile");
    Path html = dir.resolve("profile.html");
    Run r = mlops("profile", "--json", "-o", p.toString(), "--html", html.toString(), CREDIT_G.toString());
    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.json().get("rowCount").asLong()).isEqualTo(1000);
    assertThat(p).exists();
    assertThat(html).content().contains("<svg class=\"chart\"");
    // the same data against its own profile: no drift
    Run same = mlops("drift", "--json", "-r", p.toString(), "-c", CREDIT_G.toString());
    assertThat(same.code()).as(same.err()).isEqualTo(Mlops.OK);
    assertThat(same.json().get("drifted").asBoolean()).isFalse();
  }

  @Test
  void driftFailsOnAShiftedCopyAndSaysWhichColumns() throws IOException {
    List<String> lines = new ArrayList<>(Files.readAllLines(CREDIT_G));
    for (int i = 1; i < lines.size(); i++) {
      String[] f = lines.get(i).split(",", -1);
      f[1] = Double.toString(Double.parseDouble(f[1]) * 3);   // duration
      f[4] = Double.toString(Double.parseDouble(f[4]) * 3);   // credit_amount
      f[12] = Double.toString(Double.parseDouble(f[12]) + 30); // age
      f[3] = "car";                                             // purpose
      lines.set(i, String.join(",", f));
    }
    Path shifted = dir.resolve("shifted.csv");
    Files.write(shifted, lines);
    Path html = dir.resolve("drift.html");
    // 4 of 21 columns move: drift at a share of 0.1, not at the default 0.5
    Run lenient = mlops("drift", "--json", "-r", CREDIT_G.toString(), "-c", shifted.toString());
    assertThat(lenient.code()).as(lenient.err()).isEqualTo(Mlops.OK);
    assertThat(lenient.json().get("drifted").asBoolean()).isFalse();
    Run r = mlops("drift", "--json", "--share", "0.1", "-r", CREDIT_G.toString(), "-c", shifted.toString(), "--html",
        html.toString());
    assertThat(r.code()).as(r.err()).isEqualTo(Mlops.CHECK_FAILED);
    JsonNode j = r.json();
    assertThat(j.get("drifted").asBoolean()).isTrue();
    List<String> drifted = new ArrayList<>();
    j.get("report").get("columns").forEach(c -> {
      if (c.get("drifted").asBoolean()) {
        drifted.add(c.get("column").asText());
      }
    });
    assertThat(drifted).contains("duration", "credit_amount", "age", "purpose");
    assertThat(html).content().contains("Dataset drift detected");
    Run text = mlops("drift", "--share", "0.1", "-r", CREDIT_G.toString(), "-c", shifted.toString(), "--exclude",
        "duration,age");
    assertThat(text.out()).startsWith("dataset drift").doesNotContain(" duration ");
    Run missing = mlops("drift", "-r", CREDIT_G.toString(), "-c", dir.resolve("none.csv").toString());
    assertThat(missing.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(missing.err()).contains("no such data or profile file: ");
    Path garbage = dir.resolve("garbage.profile");
    Files.write(garbage, new byte[] {'M', 'L', 'P', 'F', 0, 9});
    Run bad = mlops("drift", "-r", garbage.toString(), "-c", CREDIT_G.toString());
    assertThat(bad.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(bad.err()).startsWith("mlops drift: ");
  }

  @Test
  void internalErrorsExitThree() {
    assertThat(Mlops.exitCodeOf(new NullPointerException())).isEqualTo(Mlops.INTERNAL);
    assertThat(Mlops.exitCodeOf(new CliException(Mlops.CHECK_FAILED, "x"))).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(Mlops.exitCodeOf(new dev.mlops.core.DataFormatException("bad"))).isEqualTo(Mlops.BAD_INPUT);
  }
}
