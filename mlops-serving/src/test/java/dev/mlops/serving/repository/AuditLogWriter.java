package dev.mlops.serving.repository;

import java.nio.file.Path;
import java.util.Map;

/** A second process for {@link AuditLogTest}: appends records to a repository's log. */
public final class AuditLogWriter {
  private AuditLogWriter() {}

  /**
   * Appends {@code args[1]} records as actor {@code args[2]}.
   *
   * @param args the repository root, the count, the actor
   */
  public static void main(String[] args) {
    AuditLog log = AuditLog.of(Path.of(args[0]));
    int n = Integer.parseInt(args[1]);
    for (int i = 0; i < n; i++) {
      log.append(args[2], "approve", "churn", null, Integer.toString(i), Map.of("writer", args[2]));
    }
  }
}
