package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.stats.internal.SeededKll;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

/**
 * The same rows in the same order give the same profile bytes: in one JVM while other threads
 * profile other data, and across JVMs and releases, held by the SHA-256 of credit-g's and of a
 * 200,000-row column's profile bytes (the KLL sketches compact many times over). The digests in
 * {@code golden/reproducible-profiles.txt} were written by this library (this test prints the
 * current ones when they differ); a change of them is a change of the profile a user stores and
 * must be deliberate.
 */
class ReproducibleProfileTest {
  static final Path GOLDEN = Path.of("src/test/resources/golden/reproducible-profiles.txt");

  static List<Row> wide() {
    Schema schema = Schema.of(Field.of("x", DataType.FLOAT64), Field.of("y", DataType.FLOAT64));
    Random r = new Random(20261201);
    List<Row> rows = new ArrayList<>();
    for (int i = 0; i < 200_000; i++) {
      rows.add(Row.of(schema, r.nextGaussian() * 10, Math.exp(r.nextDouble() * 8)));
    }
    return rows;
  }

  static String sha256(byte[] b) throws Exception {
    return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
  }

  @Test
  void theSameRowsGiveTheSameBytesWhileOtherThreadsProfile() throws Exception {
    // Per-thread generator state, so concurrent profiling neither serializes nor breaks reproducibility.
    assertThat(SeededKll.mode()).isEqualTo(SeededKll.Mode.PER_THREAD);
    List<Row> credit = RealDataTest.rows(RealDataTest.CREDIT, CsvOptions.defaults());
    List<Row> wide = wide();
    byte[] first = DatasetProfile.of(wide.get(0).schema(), wide).toBytes();
    ExecutorService pool = Executors.newFixedThreadPool(2);
    try {
      // Other sketches compact (and draw from DataSketches' shared generator) at the same time.
      Future<?> noise = pool.submit(() -> {
        for (int k = 0; k < 3; k++) {
          DatasetProfile.of(credit.get(0).schema(), credit);
        }
      });
      Future<byte[]> again = pool.submit(() -> DatasetProfile.of(wide.get(0).schema(), wide).toBytes());
      noise.get();
      assertThat(again.get()).isEqualTo(first);
    } finally {
      pool.shutdownNow();
    }
    // Merging parts is reproducible too: the same parts merged the same way give the same bytes.
    byte[] merged1 = DatasetProfile.of(wide.get(0).schema(), wide.subList(0, 70_000))
        .merge(DatasetProfile.of(wide.get(0).schema(), wide.subList(70_000, 200_000))).toBytes();
    byte[] merged2 = DatasetProfile.of(wide.get(0).schema(), wide.subList(0, 70_000))
        .merge(DatasetProfile.of(wide.get(0).schema(), wide.subList(70_000, 200_000))).toBytes();
    assertThat(merged2).isEqualTo(merged1);
  }

  @Test
  void theBytesMatchTheGoldenDigests() throws Exception {
    List<Row> credit = RealDataTest.rows(RealDataTest.CREDIT, CsvOptions.defaults());
    List<Row> wide = wide();
    String now = "credit-g " + sha256(DatasetProfile.of(credit.get(0).schema(), credit).toBytes()) + "\n"
        + "gaussian-and-lognormal-200000 " + sha256(DatasetProfile.of(wide.get(0).schema(), wide).toBytes()) + "\n";
    String golden = Files.readString(GOLDEN, StandardCharsets.UTF_8);
    if (!golden.equals(now)) {
      System.out.println("current profile digests:\n" + now);
    }
    assertThat(now).isEqualTo(golden);
  }
}
