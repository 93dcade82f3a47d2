package dev.mlops.validation;

import dev.mlops.core.Batch;
import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.arrow.memory.BufferAllocator;

/**
 * Test-only loader of {@code data/credit-g.csv}: credit-g has no quoted fields, so lines split on
 * commas; its 7 numeric columns become float64, the rest strings; an empty field is null.
 */
final class CreditG {
  static final Path FILE = Path.of("../data/credit-g.csv");
  static final Set<String> NUMERIC = Set.of("duration", "credit_amount", "installment_commitment",
      "residence_since", "age", "existing_credits", "num_dependents");

  private CreditG() {}

  static Batch load(BufferAllocator allocator) {
    List<String> lines;
    try {
      lines = Files.readAllLines(FILE, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    String[] header = lines.get(0).split(",", -1);
    List<Field> fields = new ArrayList<>();
    for (String h : header) {
      fields.add(Field.of(h, NUMERIC.contains(h) ? DataType.FLOAT64 : DataType.STRING));
    }
    Schema schema = Schema.of(fields);
    BatchBuilder b = Batch.builder(allocator, schema);
    try {
      for (String line : lines.subList(1, lines.size())) {
        if (line.isEmpty()) {
          continue;
        }
        String[] cells = line.split(",", -1);
        for (int c = 0; c < header.length; c++) {
          if (cells[c].isEmpty()) {
            continue;
          }
          if (schema.field(c).type().equals(DataType.FLOAT64)) {
            b.setDouble(c, Double.parseDouble(cells[c]));
          } else {
            b.setString(c, cells[c]);
          }
        }
        b.endRow();
      }
      return b.build();
    } finally {
      b.close();
    }
  }
}
