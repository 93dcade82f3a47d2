package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;

class FingerprintProperties {

  @Provide
  Arbitrary<RandomData.Table> tables() {
    return RandomData.tables(40);
  }

  @Property(tries = 200)
  void equalForAnySplitIntoBatchesAndForTheRowPath(
      @ForAll("tables") RandomData.Table t, @ForAll @IntRange(min = 1, max = 17) int chunk) {
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

  @Property(tries = 100)
  void changesWhenAnyValueChanges(@ForAll("tables") RandomData.Table t) {
    net.jqwik.api.Assume.that(!t.rows().isEmpty());
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
      changed = new java.util.ArrayList<>(t.rows());
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
