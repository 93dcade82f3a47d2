package dev.mlops.serving;

import dev.mlops.core.DataFormatException;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import dev.mlops.core.IntegrityException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.ModelLoadException;
import dev.mlops.core.manifest.Ed25519Keys;
import dev.mlops.core.manifest.ModelManifest;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assertions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import dev.mlops.serving.repository.ModelRef;
import dev.mlops.serving.repository.ModelRepository;

/**
 * Every bad input of the model repository in one place: malformed references, broken alias files,
 * missing, extra, changed and special artifacts and manifests, wrong signatures, paths that lead
 * outside the root, and failed or racing publishes. Each row asserts the exception type and a
 * message fragment, that nothing blocked (a FIFO is never opened), and that nothing was half-written:
 * no staging directory or temporary file is left and the published versions are unchanged.
 */
class RepositoryBadInputCatalogueTest {
  private static final KeyPair SIGNER = Ed25519Keys.generate();
  private static final KeyPair STRANGER = Ed25519Keys.generate();

  @TempDir
  Path tmp;

  /** A setup step that breaks a repository holding toy/1 (signed), toy/2 and toy@champion -> 1. */
  @FunctionalInterface
  interface Breakage {
    void apply(Path root, Path scratch) throws Exception;
  }

  /** The call that must fail, on a repository opened as the case says. */
  @FunctionalInterface
  interface Action {
    Object run(ModelRepository repo, Path scratch) throws Exception;
  }

  /**
   * One bad input.
   *
   * @param name what is wrong
   * @param signed whether the repository requires SIGNER's signature
   * @param breakage how the repository is broken first
   * @param action the call that must fail
   * @param type the exception it must throw
   * @param fragment a fragment of its message
   * @param fifo whether the case needs mkfifo
   */
  record Case(String name, boolean signed, Breakage breakage, Action action, Class<? extends Throwable> type,
      String fragment, boolean fifo) {
    @Override
    public String toString() {
      return name;
    }
  }

  private static Case load(String name, Breakage b, String ref, Class<? extends Throwable> type, String fragment) {
    return new Case(name, false, b, (repo, s) -> repo.load(ModelRef.parse(ref)), type, fragment, false);
  }

  private static Case fifo(String name, Breakage b, Action a, String fragment) {
    return new Case(name, false, b, a, IntegrityException.class, fragment, true);
  }

  private static final Breakage NOTHING = (root, s) -> { };

  static void mkfifo(Path p) throws IOException, InterruptedException {
    Files.deleteIfExists(p);
    Process proc;
    try {
      proc = new ProcessBuilder("mkfifo", p.toString()).redirectErrorStream(true).start();
    } catch (IOException e) {
      Assumptions.abort("mkfifo is not available to make a FIFO (" + e.getMessage() + ")");
      return;
    }
    String out = new String(proc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    Assumptions.assumeTrue(proc.waitFor() == 0, "mkfifo failed: " + out);
  }

  private static Path v1(Path root) {
    return root.resolve("toy/1");
  }

  static Stream<Case> cases() {
    List<Case> c = new ArrayList<>();
    // References: rejected when parsed, before any path is built.
    for (String[] r : new String[][] {
        {"../secrets/1", "Cannot parse model reference '../secrets/1'"},
        {"toy/..", "Invalid version '..'"},
        {"..@champion", "Invalid model name '..'"},
        {"toy@../x", "Cannot parse model reference 'toy@../x'"},
        {"/etc/passwd", "Cannot parse model reference '/etc/passwd'"},
        {"toy/1\nINFO forged log line", "Invalid version '1\\nINFO forged log line'"},
        {"toy/" + "9".repeat(129), "Invalid version '" + "9".repeat(129).substring(0, 10)},
        {"toy", "Cannot parse model reference 'toy'"},
        {"", "Cannot parse model reference ''"}}) {
      c.add(new Case("reference " + r[0].replace("\n", "\\n").substring(0, Math.min(r[0].length(), 20)), false,
          NOTHING, (repo, s) -> repo.load(ModelRef.parse(r[0])), DataFormatException.class, r[1], false));
    }
    c.add(load("unpublished version", NOTHING, "toy/7", ModelLoadException.class, "does not exist in repository"));
    c.add(load("unset alias", NOTHING, "toy@nobody", ModelLoadException.class, "Alias toy@nobody is not set"));
    c.add(load("unknown model", NOTHING, "other/1", ModelLoadException.class, "does not exist in repository"));
    // Alias files.
    c.add(load("alias holding a traversal", (root, s) -> Files.writeString(root.resolve("toy/_aliases/champion"),
        "../2\n"), "toy@champion", IntegrityException.class, "holds '../2', not a version; set the alias again"));
    c.add(load("alias holding a forged log line", (root, s) -> Files.writeString(root.resolve("toy/_aliases/champion"),
        "1\nERROR forged"), "toy@champion", IntegrityException.class, "holds '1\\nERROR forged', not a version"));
    c.add(load("empty alias", (root, s) -> Files.writeString(root.resolve("toy/_aliases/champion"), ""),
        "toy@champion", IntegrityException.class, "holds '', not a version"));
    c.add(load("alias at a missing version", (root, s) -> Files.writeString(root.resolve("toy/_aliases/champion"),
        "9\n"), "toy@champion", ModelLoadException.class, "toy/9 does not exist in repository"));
    c.add(load("alias longer than a version", (root, s) -> Files.writeString(root.resolve("toy/_aliases/champion"),
        "1" + " ".repeat(5000)), "toy@champion", IntegrityException.class, "more than the 4096 such a file may have"));
    c.add(load("alias that is a directory", (root, s) -> {
      Files.delete(root.resolve("toy/_aliases/champion"));
      Files.createDirectory(root.resolve("toy/_aliases/champion"));
    }, "toy@champion", IntegrityException.class, "is not a regular file (it is a directory)"));
    c.add(load("alias linked outside the root", (root, s) -> {
      Files.delete(root.resolve("toy/_aliases/champion"));
      Files.createSymbolicLink(root.resolve("toy/_aliases/champion"), Files.writeString(s.resolve("secret"), "1"));
    }, "toy@champion", IntegrityException.class, "leads outside the repository root"));
    c.add(fifo("alias that is a FIFO", (root, s) -> mkfifo(root.resolve("toy/_aliases/champion")),
        (repo, s) -> repo.load(ModelRef.parse("toy@champion")), "is not a regular file (it is a FIFO, socket or device)"));
    // Manifests.
    c.add(fifo("manifest that is a FIFO", (root, s) -> mkfifo(v1(root).resolve("manifest.json")),
        (repo, s) -> repo.load(ModelRef.parse("toy/1")),
        "manifest.json of toy/1 is not a regular file (it is a FIFO, socket or device)"));
    c.add(load("missing manifest", (root, s) -> Files.delete(v1(root).resolve("manifest.json")), "toy/1",
        IntegrityException.class, "manifest.json is unreadable"));
    c.add(load("manifest that is not JSON", (root, s) -> Files.writeString(v1(root).resolve("manifest.json"), "{oops"),
        "toy/1", IntegrityException.class, "manifest.json is unreadable"));
    c.add(load("manifest swapped from another version", (root, s) -> Files.copy(root.resolve("toy/2/manifest.json"),
        v1(root).resolve("manifest.json"), StandardCopyOption.REPLACE_EXISTING), "toy/1", IntegrityException.class,
        "describes toy/2, not toy/1"));
    c.add(load("manifest larger than any real one", (root, s) -> {
      try (RandomAccessFile f = new RandomAccessFile(v1(root).resolve("manifest.json").toFile(), "rw")) {
        f.setLength(ModelRepository.MAX_MANIFEST_BYTES + 1);
      }
    }, "toy/1", IntegrityException.class, "more than the 67108864 such a file may have"));
    c.add(new Case("signature that is a FIFO", true, (root, s) -> mkfifo(v1(root).resolve("manifest.sig")),
        (repo, s) -> repo.load(ModelRef.parse("toy/1")), IntegrityException.class,
        "manifest.sig of toy/1 is not a regular file (it is a FIFO, socket or device)", true));
    // Artifacts.
    c.add(load("missing artifact", (root, s) -> Files.delete(v1(root).resolve("model.onnx")), "toy/1",
        IntegrityException.class, "model.onnx: missing"));
    c.add(load("extra file", (root, s) -> Files.writeString(v1(root).resolve("extra.onnx"), "x"), "toy/1",
        IntegrityException.class, "extra.onnx: unexpected file"));
    c.add(load("changed artifact", (root, s) -> {
      byte[] b = Files.readAllBytes(v1(root).resolve("model.onnx"));
      b[b.length / 2] ^= 1;
      Files.write(v1(root).resolve("model.onnx"), b);
    }, "toy/1", IntegrityException.class, "model.onnx: digest mismatch"));
    c.add(load("artifact swapped from another version", (root, s) -> Files.copy(root.resolve("toy/2/model.onnx"),
        v1(root).resolve("model.onnx"), StandardCopyOption.REPLACE_EXISTING), "toy/1", IntegrityException.class,
        "model.onnx: digest mismatch"));
    c.add(load("artifact that is a directory", (root, s) -> {
      Files.delete(v1(root).resolve("model.onnx"));
      Files.createDirectory(v1(root).resolve("model.onnx"));
    }, "toy/1", IntegrityException.class, "model.onnx: unreadable: not a regular file"));
    c.add(fifo("artifact that is a FIFO", (root, s) -> mkfifo(v1(root).resolve("model.onnx")),
        (repo, s) -> repo.load(ModelRef.parse("toy/1")), "model.onnx: unreadable: not a regular file"));
    c.add(load("artifact linked outside the root", (root, s) -> {
      Path outside = Files.copy(v1(root).resolve("model.onnx"), s.resolve("model.onnx"));
      Files.delete(v1(root).resolve("model.onnx"));
      Files.createSymbolicLink(v1(root).resolve("model.onnx"), outside);
    }, "toy/1", IntegrityException.class, "model.onnx: unsafe path"));
    c.add(load("version linked outside the root", (root, s) -> {
      Path outside = Files.createDirectories(s.resolve("outside"));
      Files.copy(v1(root).resolve("model.onnx"), outside.resolve("model.onnx"));
      Files.copy(v1(root).resolve("manifest.json"), outside.resolve("manifest.json"));
      Files.createSymbolicLink(root.resolve("toy/9"), outside);
    }, "toy/9", IntegrityException.class, "leads outside the repository root"));
    // Signatures (the repository requires SIGNER's).
    c.add(new Case("unsigned version", true, NOTHING, (repo, s) -> repo.load(ModelRef.parse("toy/2")),
        IntegrityException.class, "manifest.sig: no signature but one is required", false));
    c.add(new Case("manifest edited after signing", true, (root, s) -> {
      Path m = v1(root).resolve("manifest.json");
      Files.writeString(m, Files.readString(m).replace("\"probabilities\"", "\"probabilities \""));
    }, (repo, s) -> repo.load(ModelRef.parse("toy/1")), IntegrityException.class,
        "signature does not match manifest", false));
    c.add(new Case("signed by an untrusted key", true, (root, s) -> {
      ModelRepository other = ModelRepository.open(s.resolve("other"));
      other.publish("toy", "1", ModelRepositoryTest.toyModelFile(s.resolve("src"), 1),
          ModelRepositoryTest.toyManifest(), STRANGER);
      Files.copy(s.resolve("other/toy/1/manifest.sig"), v1(root).resolve("manifest.sig"),
          StandardCopyOption.REPLACE_EXISTING);
    }, (repo, s) -> repo.load(ModelRef.parse("toy/1")), IntegrityException.class, "signed by unknown key", false));
    // Publishing: refused without a trace.
    c.add(new Case("publishing an existing version", false, NOTHING, (repo, s) -> repo.publish("toy", "1",
        ModelRepositoryTest.toyModelFile(s.resolve("again"), 5), ModelRepositoryTest.toyManifest()),
        IllegalStateException.class, "Version toy/1 already exists in", false));
    c.add(new Case("publishing a missing artifact", false, NOTHING, (repo, s) -> repo.publish("toy", "3",
        s.resolve("nothing.onnx"), ModelRepositoryTest.toyManifest()), MlopsException.class,
        "Cannot publish toy/3: the artifact ", false));
    c.add(new Case("publishing a FIFO as the artifact", false, (root, s) -> mkfifo(s.resolve("pipe.onnx")),
        (repo, s) -> repo.publish("toy", "3", s.resolve("pipe.onnx"), ModelRepositoryTest.toyManifest()),
        MlopsException.class, "is not a regular file (a directory, FIFO, socket or device); publish a regular model"
        + " file", true));
    c.add(new Case("publishing under a traversing name", false, NOTHING, (repo, s) -> repo.publish("../evil", "1",
        ModelRepositoryTest.toyModelFile(s.resolve("e"), 5), ModelRepositoryTest.toyManifest()),
        IllegalArgumentException.class, "Invalid model name '../evil'", false));
    c.add(new Case("publishing under a nested version", false, NOTHING, (repo, s) -> repo.publish("toy", "3/4",
        ModelRepositoryTest.toyModelFile(s.resolve("e"), 5), ModelRepositoryTest.toyManifest()),
        IllegalArgumentException.class, "Invalid version '3/4'", false));
    c.add(new Case("concurrent publishers of one version", false, NOTHING,
        RepositoryBadInputCatalogueTest::racePublishers, IllegalStateException.class,
        "; versions are immutable, publish a new version", false));
    c.add(new Case("alias set to a missing version", false, NOTHING, (repo, s) -> {
      repo.setAlias("toy", "champion", "9");
      return null;
    }, ModelLoadException.class, "does not exist in repository", false));
    c.add(new Case("alias under a traversing name", false, NOTHING, (repo, s) -> {
      repo.setAlias("toy", "../x", "1");
      return null;
    }, IllegalArgumentException.class, "Invalid alias '../x'", false));
    return c.stream();
  }

  /**
   * Eight threads publish toy/3 at once: exactly one wins; the losers fail with the documented
   * {@link IllegalStateException}, whether they found the version already there or lost the rename
   * into place to the winner (which used to fail with a raw {@link MlopsException}). Throws the first
   * loser's exception.
   */
  private static Object racePublishers(ModelRepository repo, Path scratch) throws Exception {
    Path src = ModelRepositoryTest.toyModelFile(scratch.resolve("race"), 3);
    List<Throwable> losers = new CopyOnWriteArrayList<>();
    CountDownLatch go = new CountDownLatch(1);
    List<Thread> threads = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      Thread t = new Thread(() -> {
        try {
          go.await();
          repo.publish("toy", "3", src, ModelRepositoryTest.toyManifest());
        } catch (Throwable e) {
          losers.add(e);
        }
      });
      t.start();
      threads.add(t);
    }
    go.countDown();
    for (Thread t : threads) {
      t.join();
    }
    assertThat(losers).hasSize(7).allSatisfy(e -> assertThat(e).isInstanceOf(IllegalStateException.class)
        .hasMessageEndingWith("; versions are immutable, publish a new version"));
    assertThat(repo.load(ModelRef.parse("toy/3")).version()).isEqualTo("3");
    throw (Exception) losers.get(0);
  }

  private ModelRepository populated(Path root) throws IOException {
    ModelRepository repo = ModelRepository.open(root);
    repo.publish("toy", "1", ModelRepositoryTest.toyModelFile(tmp.resolve("src-1"), 1),
        ModelRepositoryTest.toyManifest(), SIGNER);
    repo.publish("toy", "2", ModelRepositoryTest.toyModelFile(tmp.resolve("src-2"), 2),
        ModelRepositoryTest.toyManifest());
    repo.setAlias("toy", "champion", "1");
    return repo;
  }

  private static List<String> leftovers(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.map(p -> root.relativize(p).toString())
          .filter(p -> p.contains(".staging-") || p.endsWith(".tmp")).toList();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("cases")
  void refusesWithATypedErrorAndLeavesNothingHalfWritten(Case c) throws Exception {
    Path root = tmp.resolve("repo");
    Path scratch = Files.createDirectories(tmp.resolve("scratch"));
    populated(root);
    c.breakage().apply(root, scratch);
    ModelRepository repo = c.signed() ? ModelRepository.open(root, List.of(SIGNER.getPublic()))
        : ModelRepository.open(root);
    List<String> before = repo.versions("toy");
    // A safety net only: a FIFO that were opened would block this thread forever.
    Throwable t = Assertions.assertTimeoutPreemptively(Duration.ofSeconds(60),
        () -> catchThrowable(() -> c.action().run(repo, scratch)));
    assertThat(t).as(c.name()).isInstanceOf(c.type()).hasMessageContaining(c.fragment());
    assertThat(leftovers(root)).as("staging directories and temporary files left").isEmpty();
    if (!c.name().startsWith("concurrent")) {
      assertThat(repo.versions("toy")).as("published versions").isEqualTo(before);
    }
  }
}
