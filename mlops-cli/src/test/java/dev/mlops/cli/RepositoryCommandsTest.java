package dev.mlops.cli;

import static dev.mlops.cli.MlopsCliTest.mlops;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code publish}, {@code alias set|get} and {@code audit verify}: success, a failing check, bad input. */
class RepositoryCommandsTest {
  @TempDir
  Path dir;

  @Test
  void publishAliasAndAVerifiedAuditTrail() throws IOException {
    Path model = dir.resolve("model.onnx");
    Files.writeString(model, "bytes");
    Path repo = dir.resolve("repo");
    Path keys = dir.resolve("release");
    assertThat(mlops("keys", "generate", "-o", keys.toString()).code()).isZero();
    MlopsCliTest.Run p1 = mlops("publish", "--json", "--repository", repo.toString(), "--actor", "ci", "--name",
        "churn", "--version", "1", "--format", "onnx", "--metric", "auc=0.9", "--key", keys + ".key", "--public-key",
        keys + ".pub", model.toString());
    assertThat(p1.code()).as(p1.err()).isZero();
    assertThat(p1.json().get("signed").asBoolean()).isTrue();
    assertThat(mlops("publish", "--repository", repo.toString(), "--name", "churn", "--version", "2", "--format", "onnx",
        model.toString()).code()).isZero();
    MlopsCliTest.Run again = mlops("publish", "--repository", repo.toString(), "--name", "churn", "--version", "2",
        "--format", "onnx", model.toString());
    assertThat(again.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(again.err()).contains("already exists").contains("versions are immutable");

    MlopsCliTest.Run set = mlops("alias", "set", "--json", "--repository", repo.toString(), "--actor", "alice", "churn",
        "champion", "1");
    assertThat(set.code()).as(set.err()).isZero();
    assertThat(set.json().get("from").isNull()).isTrue();
    MlopsCliTest.Run move = mlops("alias", "set", "--repository", repo.toString(), "--actor", "bob", "churn", "champion",
        "2");
    assertThat(move.out()).contains("churn@champion: 1 -> 2");
    assertThat(mlops("alias", "get", "--repository", repo.toString(), "churn", "champion").out().trim()).isEqualTo("2");
    MlopsCliTest.Run noVersion = mlops("alias", "set", "--repository", repo.toString(), "churn", "champion", "9");
    assertThat(noVersion.code()).isEqualTo(Mlops.BAD_INPUT);
    MlopsCliTest.Run noAlias = mlops("alias", "get", "--repository", repo.toString(), "churn", "canary");
    assertThat(noAlias.code()).isEqualTo(Mlops.BAD_INPUT);
    assertThat(noAlias.err()).contains("has no alias 'canary'");

    MlopsCliTest.Run ok = mlops("audit", "verify", "--json", "--repository", repo.toString());
    assertThat(ok.code()).as(ok.err()).isZero();
    assertThat(ok.json().get("records").asInt()).isEqualTo(4);

    Path log = repo.resolve(".audit.log");
    List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
    assertThat(lines.get(3)).contains("\"actor\":\"bob\"").contains("\"from\":\"1\"").contains("\"to\":\"2\"");
    lines.set(3, lines.get(3).replace("\"actor\":\"bob\"", "\"actor\":\"eve\""));
    Files.write(log, lines, StandardCharsets.UTF_8);
    MlopsCliTest.Run edited = mlops("audit", "verify", "--repository", repo.toString());
    assertThat(edited.code()).isEqualTo(Mlops.CHECK_FAILED);
    assertThat(edited.out()).startsWith("line 4: record 4 was edited");
    MlopsCliTest.Run noRepo = mlops("audit", "verify", "--repository", dir.resolve("none").toString());
    assertThat(noRepo.code()).isEqualTo(Mlops.BAD_INPUT);
  }
}
