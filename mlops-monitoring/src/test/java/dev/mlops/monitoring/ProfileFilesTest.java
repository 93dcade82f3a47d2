package dev.mlops.monitoring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.stats.ProfileOptions;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileFilesTest {
  static final Path TXHOUSING = Path.of("../data/txhousing.csv");

  @Test
  void csvFileProfileEqualsTheProfileOfItsRowsAndFreesEveryBatch() {
    CsvOptions options = CsvOptions.builder().nullTokens("", "NA").batchSize(1000).build();
    try (RootAllocator alloc = new RootAllocator()) {
      DatasetProfile streamed = ProfileFiles.ofCsv(TXHOUSING, options, ProfileOptions.defaults(), alloc);
      assertThat(alloc.getAllocatedMemory()).isZero();
      try (Batch all = CsvReader.readAll(TXHOUSING, options, alloc)) {
        DatasetProfile whole = DatasetProfile.of(all.schema(), all.toRows());
        assertThat(streamed.rowCount()).isEqualTo(8602);
        ProfileProperties.assertEquivalent(streamed, whole);
        assertThat(streamed.column("city").categoryCounts().get("Abilene")).isEqualTo(187);
      }
      assertThat(alloc.getAllocatedMemory()).isZero();
    }
    assertThat(ProfileFiles.ofCsv(TXHOUSING, options).column("median").nullCount()).isEqualTo(616);
  }

  @Test
  void arrowFileProfileEqualsCsvProfile(@TempDir Path dir) {
    CsvOptions options = CsvOptions.builder().nullTokens("", "NA").build();
    Path arrow = dir.resolve("tx.arrow");
    try (RootAllocator alloc = new RootAllocator()) {
      try (Batch all = CsvReader.readAll(TXHOUSING, options, alloc)) {
        ArrowIpc.writeFile(arrow, all);
      }
      DatasetProfile fromArrow = ProfileFiles.ofArrowFile(arrow, ProfileOptions.defaults(), alloc);
      assertThat(alloc.getAllocatedMemory()).isZero();
      ProfileProperties.assertEquivalent(fromArrow, ProfileFiles.ofCsv(TXHOUSING, options));
    }
    assertThat(ProfileFiles.ofArrowFile(arrow).rowCount()).isEqualTo(8602);
  }

  @Test
  void badFilesFailWithTheReadersLocation(@TempDir Path dir) throws Exception {
    Path csv = dir.resolve("bad.csv");
    Files.writeString(csv, "a,b\n1,2\n3\n");
    assertThatThrownBy(() -> ProfileFiles.ofCsv(csv, CsvOptions.defaults())).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.csv");
    Path arrow = dir.resolve("bad.arrow");
    Files.write(arrow, new byte[] {1, 2, 3, 4});
    assertThatThrownBy(() -> ProfileFiles.ofArrowFile(arrow)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad.arrow");
  }

  @Test
  void profileFileRoundTripsAndNamesTheFileWhenCorrupt(@TempDir Path dir) throws Exception {
    DatasetProfile p = ProfileBytes.twoThousandValues();
    Path file = dir.resolve("nested/reference.mlpf");
    ProfileFiles.writeProfile(p, file);
    assertThat(Files.readAllBytes(file)).isEqualTo(p.toBytes());
    assertThat(ProfileFiles.readProfile(file).toJson()).isEqualTo(p.toJson());
    ProfileFiles.writeProfile(DatasetProfile.empty(p.schema(), p.options()), file);
    assertThat(ProfileFiles.readProfile(file).rowCount()).as("replaced").isZero();
    try (var listing = Files.list(file.getParent())) {
      assertThat(listing).as("no temporary file left").containsExactly(file);
    }

    byte[] bytes = p.toBytes();
    bytes[bytes.length / 2] ^= 1;
    Files.write(file, bytes);
    assertThatThrownBy(() -> ProfileFiles.readProfile(file)).isInstanceOf(DataFormatException.class)
        .hasMessageStartingWith(file + ": checksum mismatch");
  }
}
