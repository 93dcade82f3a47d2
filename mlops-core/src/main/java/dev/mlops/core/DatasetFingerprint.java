package dev.mlops.core;

import java.util.Objects;

/**
 * Identity of a dataset: its schema's fingerprint, its row count, and a SHA-256 content digest that
 * depends only on the values in row order, never on how the rows were split into batches or whether
 * they arrived as {@link Row rows} or {@link Batch batches}.
 *
 * <p>Compute one with {@link #of(Batch)} or incrementally with {@link #builder(Schema)}. The content
 * digest covers IEEE 754 bit patterns as stored (so {@code -0.0} and {@code 0.0} differ) and UTF-8
 * string bytes; see {@link Fingerprinter} for the exact encoding.
 *
 * @param schemaHash {@link Schema#fingerprint()} of the data's schema
 * @param rowCount number of rows
 * @param contentDigest 64 hex characters of SHA-256 over the canonical column encodings
 */
public record DatasetFingerprint(String schemaHash, long rowCount, String contentDigest) {

  /**
   * Validates the components.
   *
   * @param schemaHash the schema fingerprint
   * @param rowCount number of rows, non-negative
   * @param contentDigest the content digest
   */
  public DatasetFingerprint {
    Objects.requireNonNull(schemaHash, "schemaHash");
    Objects.requireNonNull(contentDigest, "contentDigest");
    if (rowCount < 0) {
      throw new IllegalArgumentException("rowCount must be >= 0, got " + rowCount);
    }
  }

  /**
   * Fingerprint of one batch.
   *
   * @param batch the data
   * @return the fingerprint
   */
  public static DatasetFingerprint of(Batch batch) {
    return builder(batch.schema()).update(batch).build();
  }

  /**
   * An incremental fingerprinter for data of a schema, fed in row order.
   *
   * @param schema the schema of all data fed to it
   * @return a new fingerprinter
   */
  public static Fingerprinter builder(Schema schema) {
    return new Fingerprinter(schema);
  }

  /**
   * A short form for logs: {@code rows=1000 schema=1a2b3c4d content=5e6f7a8b}.
   *
   * @return the short form
   */
  public String shortForm() {
    return "rows=" + rowCount + " schema=" + schemaHash.substring(0, Math.min(8, schemaHash.length()))
        + " content=" + contentDigest.substring(0, Math.min(8, contentDigest.length()));
  }
}
