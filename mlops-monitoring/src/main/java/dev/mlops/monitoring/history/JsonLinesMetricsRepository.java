package dev.mlops.monitoring.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Metric points in a JSON-lines file, one point per line:
 * {@code {"time":"2026-12-01T10:00:00Z","metric":"mean","value":41.5,"tags":{"column":"age"}}}.
 * Appends take an exclusive file lock, write whole lines in one write and force them to disk, so
 * writers in several processes do not interleave and a point that {@link #append} returned for
 * survives a crash. Loading reads the whole file; a line that is not a point is an error naming the
 * file and line (a last line cut short by a crash says so). Thread-safe.
 */
public final class JsonLinesMetricsRepository implements MetricsRepository {
  private final Path file;

  private JsonLinesMetricsRepository(Path file) {
    this.file = file;
  }

  /**
   * A repository in a file, created with its parent directories on the first append.
   *
   * @param file the file
   * @return the repository
   */
  public static JsonLinesMetricsRepository open(Path file) {
    return new JsonLinesMetricsRepository(Objects.requireNonNull(file, "file"));
  }

  @Override
  public synchronized void append(List<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    StringBuilder sb = new StringBuilder();
    for (MetricPoint p : points) {
      ObjectNode o = Json.mapper().createObjectNode();
      o.put("time", p.time().toString());
      o.put("metric", p.metric());
      o.put("value", p.value());
      ObjectNode tags = o.putObject("tags");
      p.tags().forEach(tags::put);
      sb.append(o).append('\n');
    }
    byte[] bytes = sb.toString().getBytes(StandardCharsets.UTF_8);
    try {
      Path parent = file.toAbsolutePath().getParent();
      if (parent != null) {
        Files.createDirectories(parent);
      }
      try (FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
          StandardOpenOption.APPEND)) {
        FileLock lock = ch.lock(); // released when the channel closes
        ByteBuffer buf = ByteBuffer.wrap(bytes);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
        lock.release();
      }
    } catch (IOException e) {
      throw new UncheckedIOException("could not append " + points.size() + " metric points to " + file
          + "; check that the directory is writable", e);
    }
  }

  @Override
  public synchronized List<MetricPoint> load(MetricQuery query) {
    if (!Files.exists(file)) {
      return List.of();
    }
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("could not read the metric history " + file, e);
    }
    List<MetricPoint> out = new ArrayList<>();
    int start = 0;
    long line = 0;
    while (start < text.length()) {
      int end = text.indexOf('\n', start);
      boolean complete = end >= 0;
      String row = complete ? text.substring(start, end) : text.substring(start);
      start = complete ? end + 1 : text.length();
      line++;
      if (row.isBlank()) {
        continue;
      }
      MetricPoint p;
      try {
        p = parse(row, line);
      } catch (DataFormatException e) {
        if (!complete) {
          throw new DataFormatException("the last line is incomplete (a writer stopped in the middle of it): "
              + e.getMessage() + "; delete that line to go on", file.toString(), line, null, e);
        }
        throw e;
      }
      if (query.matches(p)) {
        out.add(p);
      }
    }
    out.sort(java.util.Comparator.comparing(MetricPoint::time));
    return out;
  }

  private MetricPoint parse(String row, long line) {
    JsonNode n;
    try {
      n = Json.parse(row, "json");
    } catch (DataFormatException e) {
      // Json names the text "json" and line 1 of this one-line document: say which line of the file.
      String m = e.getMessage();
      throw bad("not a JSON point: " + (m.startsWith("json:1: ") ? m.substring(8) : m), line, e);
    }
    if (!n.isObject()) {
      throw bad("expected an object {\"time\", \"metric\", \"value\", \"tags\"}", line);
    }
    for (Map.Entry<String, JsonNode> member : n.properties()) {
      String f = member.getKey();
      if (!List.of("time", "metric", "value", "tags").contains(f)) {
        throw bad("unknown member '" + f + "'; a point has time, metric, value and tags", line);
      }
    }
    JsonNode time = n.get("time");
    JsonNode metric = n.get("metric");
    JsonNode value = n.get("value");
    JsonNode tags = n.get("tags");
    if (time == null || !time.isTextual() || metric == null || !metric.isTextual() || value == null
        || !value.isNumber() || tags == null || !tags.isObject()) {
      throw bad("a point needs a text time, a text metric, a number value and a tags object", line);
    }
    Instant t;
    try {
      t = Instant.parse(time.asText());
    } catch (DateTimeParseException e) {
      throw bad("time '" + time.asText() + "' is not an ISO-8601 instant such as 2026-12-01T10:00:00Z", line);
    }
    Map<String, String> tagMap = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : tags.properties()) {
      if (!e.getValue().isTextual()) {
        throw bad("tag '" + e.getKey() + "' must be text", line);
      }
      tagMap.put(e.getKey(), e.getValue().asText());
    }
    try {
      return new MetricPoint(t, metric.asText(), value.asDouble(), tagMap);
    } catch (IllegalArgumentException e) {
      throw bad(e.getMessage(), line);
    }
  }

  private DataFormatException bad(String what, long line) {
    return new DataFormatException("metric history: " + what, file.toString(), line, null);
  }

  private DataFormatException bad(String what, long line, Throwable cause) {
    return new DataFormatException("metric history: " + what, file.toString(), line, null, cause);
  }

  /** Nothing to release: each append and load opens and closes the file. */
  @Override
  public void close() {
    // no open handles between calls
  }

  @Override
  public String toString() {
    return "JsonLinesMetricsRepository[" + file + "]";
  }
}
