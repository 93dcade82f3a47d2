package dev.mlops.validation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mlops.core.DataFormatException;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.stats.ColumnStatistics;
import dev.mlops.stats.ProfileOptions;
import dev.mlops.validation.ConstraintResult.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Sessions as bytes between the machines of one job, and keys left to the caller: a profiling
 * session's statistics survive the trip exactly (moments digit by digit, sketches as written), a
 * sparse numbering renumbers to the one of one pass, and every way the bytes or the calls can be
 * wrong is refused with a message.
 */
class SessionBytesTest {
  static final Schema SCHEMA = Schema.of(Field.of("id", DataType.INT64), Field.of("amount", DataType.FLOAT64),
      Field.of("code", DataType.STRING));
  static final DataContract CONTRACT = DataContract.of("loans", SCHEMA,
      Constraint.unique("id"),
      new Constraint.CompoundUnique(List.of("id", "code"), 1.0, Severity.ERROR),
      new Constraint.DistinctCount("code", 1L, 2L, Severity.WARN),
      Constraint.range("amount", 0.0, 40.5),
      new Constraint.Mean("amount", 0.0, 1000.0, Severity.ERROR),
      new Constraint.Quantile("amount", 0.5, 0.0, 1000.0, Severity.ERROR));

  private static List<Row> rows(long from, long to) {
    List<Row> out = new ArrayList<>();
    for (long i = from; i < to; i++) {
      out.add(Row.of(SCHEMA, i % 900, i % 7 == 0 ? null : (i % 10) * 5.0 + 0.5 * (i % 3), "c" + (i % 3)));
    }
    return out;
  }

  @Test
  void aProfilingSessionSurvivesTheTripExactly() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession s = v.newSession(SCHEMA).profileWith(ProfileOptions.defaults());
    rows(0, 5000).forEach(s::accumulate);
    ValidationSession back = v.sessionFromBytes(s.toBytes());
    assertThat(back.report()).isEqualTo(s.report());
    assertThat(back.rowCount()).isEqualTo(5000);
    assertThat(back.nextRowIndex()).isEqualTo(5000);
    ColumnStatistics a = s.statistics().column("amount");
    ColumnStatistics b = back.statistics().column("amount");
    assertThat(b.momentsExact()).isTrue();
    assertThat(b.mean()).isEqualTo(a.mean());
    assertThat(b.stddev(1)).isEqualTo(a.stddev(1));
    assertThat(b.quantileSketch().toByteArray()).isEqualTo(a.quantileSketch().toByteArray());
    assertThat(b.exactValueCounts()).isEqualTo(a.exactValueCounts());
    // The copy goes on independently: more rows there leave the original alone.
    back.accumulate(rows(5000, 5001).get(0));
    assertThat(back.rowCount()).isEqualTo(5001);
    assertThat(s.rowCount()).isEqualTo(5000);
  }

  @Test
  void sparseNumberedPartsRenumberToTheNumberingOfOnePass() {
    Validator v = Validator.compile(CONTRACT);
    List<Row> all = rows(0, 2000);
    ValidationSession whole = v.newSession(SCHEMA);
    all.forEach(whole::accumulate);
    ValidationSession p0 = v.newSession(SCHEMA, 0);
    ValidationSession p2 = v.newSession(SCHEMA, 2L << 40);
    ValidationSession p5 = v.newSession(SCHEMA, 5L << 40);
    all.subList(0, 700).forEach(p0::accumulate);
    all.subList(700, 1800).forEach(p2::accumulate);
    all.subList(1800, 2000).forEach(p5::accumulate);
    ValidationSession merged = v.sessionFromBytes(p5.toBytes()).merge(v.sessionFromBytes(p0.toBytes()))
        .merge(v.sessionFromBytes(p2.toBytes()));
    assertThat(merged.report()).isNotEqualTo(whole.report()); // examples still carry sparse indices
    ValidationReport dense = merged.renumber(0).report();
    for (int i = 0; i < dense.results().size(); i++) {
      assertThat(dense.results().get(i)).as(dense.results().get(i).id()).isEqualTo(whole.report().results().get(i));
    }
    assertThat(dense).isEqualTo(whole.report());
    assertThat(merged.nextRowIndex()).isEqualTo(2000);
    // id repeats from row 900 on: the same examples as the one pass, now with dense indices.
    assertThat(merged.report().result("id.unique").orElseThrow().examples()).extracting(FailingExample::row)
        .containsExactly(900L, 901L, 902L, 903L, 904L);
  }

  @Test
  void keysLeftToTheCallerStayNotEvaluatedUntilReported() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession s = v.newSession(SCHEMA).leaveKeysToCaller();
    rows(0, 1000).forEach(s::accumulate);
    ValidationReport before = s.report();
    assertThat(before.result("id.unique").orElseThrow().status()).isEqualTo(Status.NOT_EVALUATED);
    assertThat(before.result("id.unique").orElseThrow().message()).contains("1000 keys were left to the caller");
    assertThat(before.result("code.distinct_count").orElseThrow().status()).isEqualTo(Status.NOT_EVALUATED);
    assertThat(before.verdict()).isEqualTo(Verdict.FAIL);
    assertThat(before.result("amount.range").orElseThrow().status()).isEqualTo(Status.FAILED);
    List<String> ids = CONTRACT.constraints().stream().map(Constraint::id).toList();
    int unique = ids.indexOf("id.unique");
    int compound = ids.indexOf("compound_unique[id,code]");
    int distinct = ids.indexOf("code.distinct_count");
    int range = ids.indexOf("amount.range");
    assertThat(s.keyRules()).containsExactlyInAnyOrder(unique, compound, distinct);
    // Rows 900..999 repeat ids 0..99.
    s.reportKeys(unique, 900, 100, List.of(new ValidationSession.RepeatedKey(900, 0L),
        new ValidationSession.RepeatedKey(901, 1L)));
    ConstraintResult result = s.report().result("id.unique").orElseThrow();
    assertThat(result.status()).isEqualTo(Status.FAILED);
    assertThat(result.failingCount()).isEqualTo(100);
    assertThat(result.examples()).containsExactly(new FailingExample(900, "0"), new FailingExample(901, "1"));
    assertThat(s.repeatedKey(compound, List.of(7L, "c1")).message()).contains("id=7, code=c1");
    assertThatThrownBy(() -> s.reportKeys(range, 1, 0, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("not an evaluated key rule");
    assertThatThrownBy(() -> s.reportKeys(distinct, 2000, 0, List.of())).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("cannot come from the 1000 non-null keys");
    ValidationSession own = v.newSession(SCHEMA);
    assertThatThrownBy(() -> own.reportKeys(0, 0, 0, List.of())).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("leaveKeysToCaller");
    own.accumulate(rows(0, 1).get(0));
    assertThatThrownBy(own::leaveKeysToCaller).isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("before the first row");
    // Sessions that keep keys and sessions that leave them do not mix.
    ValidationSession leaves = v.newSession(SCHEMA, 10).leaveKeysToCaller();
    leaves.accumulate(rows(10, 11).get(0));
    assertThatThrownBy(() -> own.merge(leaves)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("leaves them to the caller");
  }

  @Test
  void badBytesAreRefusedWithWhatIsWrong() {
    Validator v = Validator.compile(CONTRACT);
    ValidationSession s = v.newSession(SCHEMA).profileWith(ProfileOptions.defaults());
    rows(0, 300).forEach(s::accumulate);
    byte[] good = s.toBytes();
    assertThatThrownBy(() -> v.sessionFromBytes(java.util.Arrays.copyOf(good, good.length - 1)))
        .isInstanceOf(DataFormatException.class).hasMessageContaining("does not match");
    assertThatThrownBy(() -> v.sessionFromBytes(new byte[5])).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("only 5 bytes");
    byte[] flipped = good.clone();
    flipped[good.length / 2] ^= 1;
    assertThatThrownBy(() -> v.sessionFromBytes(flipped)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("checksum mismatch");
    byte[] magic = good.clone();
    magic[0] = 'X';
    assertThatThrownBy(() -> v.sessionFromBytes(magic)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("bad magic number");
    Validator other = Validator.compile(CONTRACT.with(Constraint.notNull("code")));
    assertThatThrownBy(() -> other.sessionFromBytes(good)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("built for another contract than 'loans'");
    // A frame whose CRC is right around an impossible payload: every count is checked too.
    byte[] forged = good.clone();
    int rowsAt = 10 + 32 + 1 + 4 + SCHEMA.toJson().getBytes(java.nio.charset.StandardCharsets.UTF_8).length
        + 1 + 16 + 1;
    java.nio.ByteBuffer.wrap(forged).putLong(rowsAt, 299);
    java.util.zip.CRC32 crc = new java.util.zip.CRC32();
    crc.update(forged, 10, forged.length - 14);
    java.nio.ByteBuffer.wrap(forged).putInt(forged.length - 4, (int) crc.getValue());
    assertThatThrownBy(() -> v.sessionFromBytes(forged)).isInstanceOf(DataFormatException.class)
        .hasMessageContaining("the row ranges hold 300 rows, the session counts 299");
  }
}
