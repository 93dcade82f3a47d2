package dev.mlops.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.DatasetFingerprint;
import org.junit.jupiter.api.Test;

class ReadmeSnippetsTest extends SnippetTestSupport {

  @Test
  void streamingCreditGGivesTheFingerprintOfTheWholeFileAndPrintsIt() {
    Printed<DatasetFingerprint> run = printed(() -> ReadmeSnippets.fingerprintCsv(CREDIT_G));
    DatasetFingerprint fingerprint = run.value();
    assertThat(fingerprint.rowCount()).isEqualTo(1000);
    assertThat(run.text()).isEqualTo(fingerprint + " skipped=0" + System.lineSeparator());
    try (Batch whole = read(CREDIT_G)) {
      assertThat(DatasetFingerprint.of(whole)).isEqualTo(fingerprint);
    }
  }
}
