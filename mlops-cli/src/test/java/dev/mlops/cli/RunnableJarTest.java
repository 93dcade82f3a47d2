package dev.mlops.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The runnable jar as a pipeline runs it: {@code java -jar mlops.jar ...} in a separate process, from
 * a directory outside the project. Runs after {@code package} (its own surefire execution).
 */
class RunnableJarTest {
  @TempDir
  Path dir;

  record Proc(int code, String out, String err) {}

  private Proc java(String... args) throws IOException, InterruptedException {
    Path jar = Path.of(System.getProperty("mlops.cli.jar", "target/mlops.jar")).toAbsolutePath();
    assertThat(jar).as("the shaded jar, built by package").exists();
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-jar", jar.toString()));
    cmd.addAll(List.of(args));
    Path out = dir.resolve("out-" + System.nanoTime());
    Path err = dir.resolve("err-" + System.nanoTime());
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectOutput(out.toFile())
        .redirectError(err.toFile()).start();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    return new Proc(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  @Test
  void theJarRunsFromAnotherDirectoryWithTheSameExitCodes() throws Exception {
    Path data = dir.resolve("credit-g.csv");
    Files.copy(Path.of("../data/credit-g.csv").toAbsolutePath(), data);
    Proc help = java("--help");
    assertThat(help.code()).isZero();
    assertThat(help.out()).contains("Exit codes (every command):");
    assertThat(help.err()).isEmpty();
    Proc infer = java("contract", "infer", "--name", "credit-g", "--out", "credit-g.yaml", "credit-g.csv");
    assertThat(infer.code()).as(infer.err()).isZero();
    Proc ok = java("validate", "--json", "-c", "credit-g.yaml", "credit-g.csv");
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.out()).contains("\"passed\" : true");
    // no library logging on stdout or stderr (Arrow's allocator INFO lines included)
    assertThat(ok.err()).isEmpty();
    Proc bad = java("validate", "-c", "missing.yaml", "credit-g.csv");
    assertThat(bad.code()).isEqualTo(2);
    assertThat(bad.err()).contains("no such contract file: missing.yaml");
  }

  @Test
  void theJarFindsTheOnnxBackendAndScoresAFile() throws Exception {
    Path data = dir.resolve("credit-g.csv");
    Files.copy(Path.of("../data/credit-g.csv").toAbsolutePath(), data);
    // the model of PredictAndReportTest, published through the library; the jar's ServiceLoader must find
    // the ONNX backend among the merged META-INF/services files
    Path model = Files.write(dir.resolve("model.onnx"), dev.mlops.test.onnx.OnnxModels.softmaxClassifier(
        PredictAndReportTest.NUMERIC.size(), 2, 11));
    var m = dev.mlops.test.onnx.OnnxManifests.softmaxClassifier(PredictAndReportTest.NUMERIC, List.of("bad", "good"));
    dev.mlops.serving.repository.ModelRepository.open(dir.resolve("repo")).publish("credit", "1", model, m);
    Proc scored = java("predict", "--json", "--repository", "repo", "-m", "credit/1", "-o", "scored.csv",
        "credit-g.csv");
    assertThat(scored.code()).as(scored.err()).isZero();
    assertThat(scored.out()).contains("\"scored\" : 1000");
    assertThat(Files.readAllLines(dir.resolve("scored.csv"))).hasSize(1001);
    Proc unknown = java("predict", "--repository", "repo", "-m", "credit/2", "-o", "x.csv", "credit-g.csv");
    assertThat(unknown.code()).isEqualTo(2);
    assertThat(unknown.err()).startsWith("mlops predict: ").contains("credit/2");
  }
}
