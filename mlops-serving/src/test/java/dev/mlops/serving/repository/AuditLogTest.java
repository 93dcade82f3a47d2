package dev.mlops.serving.repository;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.manifest.EnvironmentInfo;
import dev.mlops.core.manifest.ModelManifest;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The repository's hash-chained audit log: publishes and alias changes are recorded with who, what,
 * from and to; every kind of tampering (an edited, removed, inserted or reordered record, a cut-off
 * tail) is found and named; two JVMs appending at once never corrupt it.
 */
class AuditLogTest {
  @TempDir
  Path dir;

  private ModelRepository repoWithTwoVersions() throws IOException {
    Path artifact = dir.resolve("model.bin");
    Files.write(artifact, new byte[] {1, 2, 3});
    ModelRepository repo = ModelRepository.open(dir.resolve("repo")).withActor("alice");
    repo.publish("churn", "1", artifact, ModelManifest.builder().format("onnx").environment(EnvironmentInfo.capture()));
    repo.publish("churn", "2", artifact, ModelManifest.builder().format("onnx").environment(EnvironmentInfo.capture()));
    repo.setAlias("churn", "champion", "1");
    repo.withActor("bob").setAlias("churn", "champion", "2");
    return repo;
  }

  @Test
  void publishesAndAliasChangesAreRecordedInAnIntactChain() throws IOException {
    ModelRepository repo = repoWithTwoVersions();
    List<AuditLog.Entry> log = repo.auditLog().read();
    assertThat(log).extracting(AuditLog.Entry::action).containsExactly("publish", "publish", "alias", "alias");
    AuditLog.Entry last = log.get(3);
    assertThat(last.actor()).isEqualTo("bob");
    assertThat(last.from()).isEqualTo("1");
    assertThat(last.to()).isEqualTo("2");
    assertThat(last.details()).containsEntry("alias", "champion");
    assertThat(log.get(0).details()).containsKey("manifestDigest");
    assertThat(log.get(0).previousHash()).isEqualTo(AuditLog.GENESIS);
    assertThat(log.get(1).previousHash()).isEqualTo(log.get(0).hash());
    assertThat(repo.auditLog().verify()).isEmpty();
    // the log's files are not models
    assertThat(repo.models()).containsExactly("churn");
  }

  private List<String> lines(ModelRepository repo) throws IOException {
    return new ArrayList<>(Files.readAllLines(repo.auditLog().file(), StandardCharsets.UTF_8));
  }

  private void write(ModelRepository repo, List<String> lines) throws IOException {
    Files.write(repo.auditLog().file(), lines, StandardCharsets.UTF_8);
  }

  @Test
  void anEditedRecordIsFound() throws IOException {
    ModelRepository repo = repoWithTwoVersions();
    List<String> l = lines(repo);
    l.set(2, l.get(2).replace("\"to\":\"1\"", "\"to\":\"2\""));
    write(repo, l);
    assertThat(repo.auditLog().verify()).singleElement().satisfies(p -> {
      assertThat(p.line()).isEqualTo(3);
      assertThat(p.message()).startsWith("record 3 was edited");
    });
  }

  @Test
  void aRemovedRecordIsFound() throws IOException {
    ModelRepository repo = repoWithTwoVersions();
    List<String> l = lines(repo);
    l.remove(1);
    write(repo, l);
    assertThat(repo.auditLog().verify()).extracting(AuditLog.Problem::message)
        .anySatisfy(m -> assertThat(m).contains("does not follow the record before it"))
        .anySatisfy(m -> assertThat(m).contains("record number 3 where 2 was expected"));
  }

  @Test
  void reorderedRecordsAreFound() throws IOException {
    ModelRepository repo = repoWithTwoVersions();
    List<String> l = lines(repo);
    Collections.swap(l, 1, 2);
    write(repo, l);
    assertThat(repo.auditLog().verify()).isNotEmpty().allSatisfy(p -> assertThat(p.line()).isIn(2L, 3L, 4L));
  }

  @Test
  void aCutOffTailAndAMissingHeadAreFound() throws IOException {
    ModelRepository repo = repoWithTwoVersions();
    List<String> l = lines(repo);
    write(repo, l.subList(0, 3));
    assertThat(repo.auditLog().verify()).singleElement().satisfies(p -> {
      assertThat(p.line()).isZero();
      assertThat(p.message()).contains("the log ends at record 3 but the head says 4");
    });
    Files.delete(dir.resolve("repo").resolve(AuditLog.HEAD_FILE_NAME));
    assertThat(repo.auditLog().verify()).extracting(AuditLog.Problem::message)
        .containsExactly("the audit head " + dir.resolve("repo").resolve(AuditLog.HEAD_FILE_NAME) + " is missing");
  }

  @Test
  void anInsertedOrGarbledLineIsFound() throws IOException {
    ModelRepository repo = repoWithTwoVersions();
    List<String> l = lines(repo);
    l.add(1, "{\"seq\": 9");
    write(repo, l);
    assertThat(repo.auditLog().verify()).extracting(AuditLog.Problem::message)
        .anySatisfy(m -> assertThat(m).startsWith("unreadable record"));
  }

  /** Two JVMs append 200 records each at once: one chain of 400, intact. */
  @Test
  void twoProcessesAppendingAtOnceKeepOneIntactChain() throws Exception {
    Path root = dir.resolve("shared");
    Files.createDirectories(root);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    String cp = System.getProperty("java.class.path");
    List<Process> procs = new ArrayList<>();
    for (String who : List.of("jvm-a", "jvm-b")) {
      procs.add(new ProcessBuilder(java, "-cp", cp, AuditLogWriter.class.getName(), root.toString(), "200", who)
          .redirectErrorStream(true).redirectOutput(dir.resolve(who + ".out").toFile()).start());
    }
    for (Process p : procs) {
      assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
      assertThat(p.exitValue()).as(Files.readString(dir.resolve("jvm-a.out"))).isZero();
    }
    AuditLog log = AuditLog.of(root);
    List<AuditLog.Entry> all = log.read();
    assertThat(all).hasSize(400);
    assertThat(all.stream().filter(e -> e.actor().equals("jvm-a")).count()).isEqualTo(200);
    assertThat(log.verify()).isEmpty();
    assertThat(all.get(399).seq()).isEqualTo(400);
  }
}
