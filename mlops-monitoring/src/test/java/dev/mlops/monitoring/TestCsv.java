package dev.mlops.monitoring;

import dev.mlops.core.DataType;
import dev.mlops.core.Field;
import dev.mlops.core.Row;
import dev.mlops.core.Schema;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A tiny test-only CSV loader for the bundled datasets (header row, comma separated, double-quoted
 * strings; an empty field or {@code NA}, R's marker used by txhousing, is missing). A column whose non-empty fields all parse as numbers is float64,
 * any other is string.
 */
public final class TestCsv {
  private TestCsv() {}

  /** Parsed file: schema and rows. */
  public record Table(Schema schema, List<Row> rows) {}

  /**
   * Loads a CSV file.
   *
   * @param file the file
   * @return the table
   * @throws IOException when reading fails
   */
  public static Table load(Path file) throws IOException {
    List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    List<String> header = split(lines.get(0));
    List<List<String>> cells = new ArrayList<>();
    for (int i = 1; i < lines.size(); i++) {
      if (!lines.get(i).isEmpty()) {
        cells.add(split(lines.get(i)));
      }
    }
    boolean[] numeric = new boolean[header.size()];
    for (int c = 0; c < header.size(); c++) {
      numeric[c] = true;
      for (List<String> r : cells) {
        String v = r.get(c);
        if (!missing(v) && !isNumber(v)) {
          numeric[c] = false;
          break;
        }
      }
    }
    List<Field> fields = new ArrayList<>();
    for (int c = 0; c < header.size(); c++) {
      fields.add(Field.of(header.get(c), numeric[c] ? DataType.FLOAT64 : DataType.STRING));
    }
    Schema schema = Schema.of(fields);
    List<Row> rows = new ArrayList<>(cells.size());
    for (List<String> r : cells) {
      Object[] vals = new Object[header.size()];
      for (int c = 0; c < vals.length; c++) {
        String v = r.get(c);
        vals[c] = missing(v) ? null : numeric[c] ? (Object) Double.parseDouble(v) : v;
      }
      rows.add(Row.of(schema, vals));
    }
    return new Table(schema, rows);
  }

  private static boolean missing(String v) {
    return v.isEmpty() || v.equals("NA");
  }

  private static boolean isNumber(String v) {
    try {
      Double.parseDouble(v);
      return true;
    } catch (NumberFormatException e) {
      return false;
    }
  }

  static List<String> split(String line) {
    List<String> out = new ArrayList<>();
    StringBuilder cur = new StringBuilder();
    boolean quoted = false;
    for (int i = 0; i < line.length(); i++) {
      char ch = line.charAt(i);
      if (quoted) {
        if (ch == '"' && i + 1 < line.length() && line.charAt(i + 1) == '"') {
          cur.append('"');
          i++;
        } else if (ch == '"') {
          quoted = false;
        } else {
          cur.append(ch);
        }
      } else if (ch == '"') {
        quoted = true;
      } else if (ch == ',') {
        out.add(cur.toString());
        cur.setLength(0);
      } else {
        cur.append(ch);
      }
    }
    out.add(cur.toString());
    return out;
  }
}
