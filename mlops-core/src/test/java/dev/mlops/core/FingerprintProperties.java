package dev.mlops.core;

import static dev.mlops.core.Generators.integers;
import static org.assertj.core.api.Assertions.assertThat;
import static org.quicktheories.QuickTheory.qt;

import java.util.ArrayList;
import java.util.List;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.Test;

class FingerprintProperties {

  // 2000 shrink cycles bring a failing table down to a minimal one within seconds; the default of
  // QuickTheories (100 000) would take minutes with Arrow batches in each cycle.
  @Test
  void equalForAnySplitIntoBatchesAndForTheRowPath() {
    qt().withFixedSeed(0xF1_0001L).withExamples(200).withShrinkCycles(2000)
        .forAll(RandomData.tables(0, 40), integers(1, 17))
        .checkAssert(FingerprintProperties::equalForAnySplit);
  }

  private static void equalForAnySplit(RandomData.Table t, int chunk) {
    try (BufferAllocator allocator = new RootAllocator()) {
      DatasetFingerprint whole;
      try (Batch b = Batch.fromRows(allocator, t.schema(), t.rows())) {
        whole = DatasetFingerprint.of(b);
        // Views at arbitrary offsets must hash like the rows they show.
        Fingerprinter sliced = DatasetFingerprint.builder(t.schema());
        for (int from = 0; from < b.rowCount(); from += chunk) {
          sliced.update(b.slice(from, Math.min(chunk, b.rowCount() - from)));
        }
        assertThat(sliced.build()).isEqualTo(whole);
      }
      Fingerprinter split = DatasetFingerprint.builder(t.schema());
      for (int from = 0; from < t.rows().size(); from += chunk) {
        List<Row> part = t.rows().subList(from, Math.min(from + chunk, t.rows().size()));
        try (Batch b = Batch.fromRows(allocator, t.schema(), part)) {
          split.update(b);
        }
      }
      assertThat(split.build()).isEqualTo(whole);

      Fingerprinter rows = DatasetFingerprint.builder(t.schema());
      t.rows().forEach(rows::update);
      assertThat(rows.build()).isEqualTo(whole);
      assertThat(whole.rowCount()).isEqualTo(t.rows().size());
      assertThat(allocator.getAllocatedMemory()).isZero();
    }
  }

  @Test
  void changesWhenAnyValueChanges() {
    // At least one row: the change below needs a first row.
    qt().withFixedSeed(0xF1_0002L).withExamples(100).withShrinkCycles(2000)
        .forAll(RandomData.tables(1, 40))
        .checkAssert(FingerprintProperties::changesWhenAValueChanges);
  }

  private static void changesWhenAValueChanges(RandomData.Table t) {
    Row first = t.rows().get(0);
    Object[] vals = new Object[first.size()];
    for (int i = 0; i < vals.length; i++) {
      vals[i] = first.get(i);
    }
    // Flip the null-ness of the first nullable column, or drop the last row when none is nullable.
    int c = -1;
    for (int i = 0; i < vals.length && c < 0; i++) {
      if (t.schema().field(i).nullable() && vals[i] != null) {
        c = i;
      }
    }
    List<Row> changed;
    if (c >= 0) {
      vals[c] = null;
      changed = new ArrayList<>(t.rows());
      changed.set(0, Row.of(t.schema(), vals));
    } else {
      changed = t.rows().subList(0, t.rows().size() - 1);
    }
    Fingerprinter a = DatasetFingerprint.builder(t.schema());
    t.rows().forEach(a::update);
    Fingerprinter b = DatasetFingerprint.builder(t.schema());
    changed.forEach(b::update);
    assertThat(b.build()).isNotEqualTo(a.build());
  }
}
