package dev.mlops.monitoring.history;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.internal.Json;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Metric points in a table reached over JDBC (any database with standard SQL types; tested against
 * embedded H2). The table, created when missing, is
 * {@code (epoch_second BIGINT, nanos INTEGER, metric VARCHAR(512), metric_value DOUBLE PRECISION,
 * tags VARCHAR(4000))}, tags as a JSON object in name order; a query selects by metric and time in
 * SQL and by tags in Java. Each append is one transaction. Not thread-safe: one connection, one
 * repository per thread. Closing it closes the connection.
 */
public final class JdbcMetricsRepository implements MetricsRepository {
  private static final Pattern TABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,62}");
  /** The default table name. */
  public static final String DEFAULT_TABLE = "mlops_metric_points";

  private final Connection connection;
  private final String table;

  private JdbcMetricsRepository(Connection connection, String table) {
    this.connection = connection;
    this.table = table;
  }

  /**
   * Opens a connection and the default table, creating it when missing.
   *
   * @param jdbcUrl the database URL, such as {@code jdbc:h2:/var/lib/mlops/metrics}
   * @return the repository
   * @throws IllegalStateException when the database cannot be reached or the table not created
   */
  public static JdbcMetricsRepository open(String jdbcUrl) {
    try {
      return open(DriverManager.getConnection(jdbcUrl), DEFAULT_TABLE);
    } catch (SQLException e) {
      throw new IllegalStateException("could not connect to the metrics database " + jdbcUrl + ": " + e.getMessage()
          + "; check the URL and that its JDBC driver is on the class path", e);
    }
  }

  /**
   * Uses a connection and a table, creating the table when missing. The repository owns the
   * connection from now on.
   *
   * @param connection the connection
   * @param table the table name: letters, digits and underscores, not starting with a digit
   * @return the repository
   */
  public static JdbcMetricsRepository open(Connection connection, String table) {
    Objects.requireNonNull(connection, "connection");
    if (!TABLE.matcher(table).matches()) {
      throw new IllegalArgumentException("table name '" + table + "' is not a plain SQL identifier; use letters,"
          + " digits and underscores, not starting with a digit");
    }
    try (Statement st = connection.createStatement()) {
      st.execute("CREATE TABLE IF NOT EXISTS " + table + " (epoch_second BIGINT NOT NULL, nanos INTEGER NOT NULL,"
          + " metric VARCHAR(512) NOT NULL, metric_value DOUBLE PRECISION NOT NULL, tags VARCHAR(4000) NOT NULL)");
    } catch (SQLException e) {
      throw new IllegalStateException("could not create the metrics table " + table + ": " + e.getMessage(), e);
    }
    return new JdbcMetricsRepository(connection, table);
  }

  @Override
  public void append(List<MetricPoint> points) {
    if (points.isEmpty()) {
      return;
    }
    String sql = "INSERT INTO " + table + " (epoch_second, nanos, metric, metric_value, tags) VALUES (?, ?, ?, ?, ?)";
    try {
      boolean auto = connection.getAutoCommit();
      connection.setAutoCommit(false);
      try (PreparedStatement ps = connection.prepareStatement(sql)) {
        for (MetricPoint p : points) {
          String tags = tagsJson(p.tags());
          if (p.metric().length() > 512 || tags.length() > 4000) {
            throw new IllegalArgumentException("metric '" + p.metric() + "' or its tags are longer than the table"
                + " holds (512 and 4000 chars); shorten them");
          }
          ps.setLong(1, p.time().getEpochSecond());
          ps.setInt(2, p.time().getNano());
          ps.setString(3, p.metric());
          ps.setDouble(4, p.value());
          ps.setString(5, tags);
          ps.addBatch();
        }
        ps.executeBatch();
        connection.commit();
      } catch (SQLException | RuntimeException e) {
        connection.rollback();
        throw e;
      } finally {
        connection.setAutoCommit(auto);
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not store " + points.size() + " metric points in " + table + ": "
          + e.getMessage(), e);
    }
  }

  @Override
  public List<MetricPoint> load(MetricQuery query) {
    StringBuilder sql = new StringBuilder("SELECT epoch_second, nanos, metric, metric_value, tags FROM ")
        .append(table).append(" WHERE metric = ?");
    if (query.from() != null) {
      sql.append(" AND (epoch_second > ? OR (epoch_second = ? AND nanos >= ?))");
    }
    if (query.to() != null) {
      sql.append(" AND (epoch_second < ? OR (epoch_second = ? AND nanos < ?))");
    }
    List<MetricPoint> out = new ArrayList<>();
    try (PreparedStatement ps = connection.prepareStatement(sql.toString())) {
      int i = 1;
      ps.setString(i++, query.metric());
      for (Instant t : new Instant[] {query.from(), query.to()}) {
        if (t != null) {
          ps.setLong(i++, t.getEpochSecond());
          ps.setLong(i++, t.getEpochSecond());
          ps.setInt(i++, t.getNano());
        }
      }
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          Instant t = Instant.ofEpochSecond(rs.getLong(1), rs.getInt(2));
          MetricPoint p = new MetricPoint(t, rs.getString(3), rs.getDouble(4), parseTags(rs.getString(5)));
          if (query.matches(p)) {
            out.add(p);
          }
        }
      }
    } catch (SQLException e) {
      throw new IllegalStateException("could not read metric points from " + table + ": " + e.getMessage(), e);
    }
    out.sort(Comparator.comparing(MetricPoint::time));
    return out;
  }

  private static String tagsJson(Map<String, String> tags) {
    ObjectNode o = Json.mapper().createObjectNode();
    tags.forEach(o::put);
    return o.toString();
  }

  private Map<String, String> parseTags(String text) {
    JsonNode n = Json.parse(text, table + ".tags");
    if (!n.isObject()) {
      throw new DataFormatException("tags must be a JSON object, got " + text, table + ".tags", -1, null);
    }
    Map<String, String> m = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      m.put(e.getKey(), e.getValue().asText());
    }
    return m;
  }

  @Override
  public void close() {
    try {
      connection.close();
    } catch (SQLException e) {
      throw new IllegalStateException("could not close the metrics database connection: " + e.getMessage(), e);
    }
  }

  @Override
  public String toString() {
    return "JdbcMetricsRepository[" + table + "]";
  }
}
