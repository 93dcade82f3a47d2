package dev.mlops.monitoring;

import dev.mlops.core.Batch;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.Json;
import dev.mlops.stats.ColumnStatistics;
import dev.mlops.stats.DatasetStatistics;
import dev.mlops.stats.ProfileOptions;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * Mergeable statistics of every column of a {@link Schema}: one {@link ColumnProfile} per field, in
 * schema order, and the number of rows. Immutable and thread-safe.
 *
 * <p>Build one with {@link Profiler} (many threads, rows and batches) or the {@code of} shortcuts;
 * combine profiles of partitions, hours or hosts with {@link #merge} or {@link #mergeAll}. The compact
 * binary form ({@link #toBytes()}, {@link #fromBytes(byte[])}) is lossless and versioned
 * ({@link #FORMAT_VERSION}); {@link #toJson()} is a readable summary.
 */
public final class DatasetProfile {
  /** Version of the binary form written by {@link #toBytes()}. */
  public static final int FORMAT_VERSION = ProfileCodec.VERSION;

  private final Schema schema;
  private final ProfileOptions options;
  private final long rowCount;
  private final List<ColumnProfile> columns;

  DatasetProfile(Schema schema, ProfileOptions options, long rowCount, List<ColumnProfile> columns) {
    this.schema = schema;
    this.options = options;
    this.rowCount = rowCount;
    this.columns = List.copyOf(columns);
  }

  /**
   * A profile of no rows.
   *
   * @param schema the schema
   * @param options sketch sizes
   * @return the empty profile
   */
  public static DatasetProfile empty(Schema schema, ProfileOptions options) {
    return of(DatasetStatistics.of(schema, options));
  }

  /**
   * Profiles one batch with default options.
   *
   * @param batch the batch (or view)
   * @return its profile
   */
  public static DatasetProfile of(Batch batch) {
    DatasetStatistics acc = DatasetStatistics.of(batch.schema(), ProfileOptions.defaults());
    acc.add(batch);
    return of(acc);
  }

  /**
   * Profiles rows with default options.
   *
   * @param schema the schema of the rows
   * @param rows the rows
   * @return their profile
   */
  public static DatasetProfile of(Schema schema, Iterable<Row> rows) {
    DatasetStatistics acc = DatasetStatistics.of(schema, ProfileOptions.defaults());
    for (Row r : rows) {
      acc.add(r);
    }
    return of(acc);
  }

  /**
   * The profile of statistics gathered elsewhere, for example by a validation session that profiled
   * while it validated (one pass over the data): a profile is the same states, checked and frozen.
   *
   * @param statistics the statistics; read, not kept (later changes do not reach the profile)
   * @return the profile
   */
  public static DatasetProfile of(DatasetStatistics statistics) {
    Schema schema = statistics.schema();
    List<ColumnProfile> cols = new ArrayList<>(schema.size());
    for (int i = 0; i < schema.size(); i++) {
      cols.add(ColumnProfile.of(statistics.column(i)));
    }
    return new DatasetProfile(schema, statistics.options(), statistics.rowCount(), cols);
  }

  /** Folds this profile into statistics of the same schema, reading its sketches without a copy. */
  void mergeInto(DatasetStatistics target) {
    target.mergeSummary(rowCount, options, (col, i) -> columns.get(i).mergeInto(col));
  }

  /**
   * This profile's states as mergeable statistics, to merge with statistics of more rows. Moments
   * come back as the profile holds them (rounded), so merged moments follow Chan et al.'s rule.
   *
   * @return fresh statistics equal to this profile
   */
  public DatasetStatistics statistics() {
    List<ColumnStatistics> cols = new ArrayList<>(columns.size());
    for (ColumnProfile c : columns) {
      cols.add(c.statistics());
    }
    return DatasetStatistics.ofColumns(schema, options, rowCount, cols);
  }

  /**
   * The schema.
   *
   * @return the schema
   */
  public Schema schema() {
    return schema;
  }

  /**
   * The sketch sizes.
   *
   * @return the options
   */
  public ProfileOptions options() {
    return options;
  }

  /**
   * Rows profiled.
   *
   * @return the count
   */
  public long rowCount() {
    return rowCount;
  }

  /**
   * The column profiles in schema order.
   *
   * @return an unmodifiable list
   */
  public List<ColumnProfile> columns() {
    return columns;
  }

  /**
   * The profile of a column by position.
   *
   * @param i position
   * @return the profile
   */
  public ColumnProfile column(int i) {
    return columns.get(i);
  }

  /**
   * The profile of a column by name.
   *
   * @param name column name
   * @return the profile
   * @throws dev.mlops.core.SchemaMismatchException naming the available columns when absent
   */
  public ColumnProfile column(String name) {
    return columns.get(schema.indexOf(name));
  }

  /**
   * The profile of a column, if the schema has it.
   *
   * @param name column name
   * @return the profile or empty
   */
  public Optional<ColumnProfile> findColumn(String name) {
    return schema.contains(name) ? Optional.of(column(name)) : Optional.empty();
  }

  /**
   * Merges two profiles of the same schema; neither changes.
   *
   * @param other a profile of the same schema with the same options
   * @return the combined profile
   * @throws dev.mlops.core.SchemaMismatchException when the schemas differ
   */
  public DatasetProfile merge(DatasetProfile other) {
    if (!other.schema.equals(schema)) {
      throw new dev.mlops.core.SchemaMismatchException("Cannot merge a profile of " + other.schema + " into one of "
          + schema + "; merge profiles of the same schema only");
    }
    DatasetStatistics acc = DatasetStatistics.of(schema, options);
    mergeInto(acc);
    other.mergeInto(acc);
    return of(acc);
  }

  /**
   * Merges many profiles of one schema in one pass (cheaper than pairwise {@link #merge}).
   *
   * @param profiles at least one profile, all of the same schema and options
   * @return the combined profile
   * @throws IllegalArgumentException when the collection is empty
   */
  public static DatasetProfile mergeAll(Collection<DatasetProfile> profiles) {
    if (profiles.isEmpty()) {
      throw new IllegalArgumentException("mergeAll needs at least one profile; use DatasetProfile.empty for none");
    }
    DatasetProfile first = profiles.iterator().next();
    DatasetStatistics acc = DatasetStatistics.of(first.schema, first.options);
    for (DatasetProfile p : profiles) {
      if (!p.schema.equals(first.schema)) {
        throw new dev.mlops.core.SchemaMismatchException("Cannot merge a profile of " + p.schema + " into one of "
            + first.schema + "; merge profiles of the same schema only");
      }
      p.mergeInto(acc);
    }
    return of(acc);
  }

  /**
   * The lossless, versioned binary form: magic {@code MLPF}, format version, length, payload
   * (schema JSON, options, counters and moments, each sketch in DataSketches' own serialization),
   * CRC-32 of the payload. Never Java serialization.
   *
   * @return the bytes
   */
  public byte[] toBytes() {
    return ProfileCodec.write(this);
  }

  /**
   * Reads the form written by {@link #toBytes()}.
   *
   * @param bytes the bytes
   * @return the profile
   * @throws dev.mlops.core.DataFormatException saying what is wrong (magic, version, checksum,
   *     truncation, counts that disagree, a corrupt sketch of a named column); bytes with a valid
   *     checksum are validated field by field too, so every profile this returns is one that drift
   *     tests finish on
   */
  public static DatasetProfile fromBytes(byte[] bytes) {
    return ProfileCodec.read(bytes);
  }

  /**
   * Indented JSON summary: format version, row count, options, and per column its counts, and for
   * numeric columns min, max, mean, stddev and quantiles, for categorical ones the most frequent
   * values. Non-finite numbers are written as null. Not the lossless form: use {@link #toBytes()}.
   *
   * @return the JSON text
   */
  public String toJson() {
    return Json.pretty(ProfileJson.dataset(this));
  }

  @Override
  public String toString() {
    return "DatasetProfile[" + rowCount + " rows, " + columns.size() + " columns]";
  }
}
