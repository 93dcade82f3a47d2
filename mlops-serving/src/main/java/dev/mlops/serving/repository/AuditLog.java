package dev.mlops.serving.repository;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.internal.Digests;
import dev.mlops.core.internal.Jcs;
import dev.mlops.core.internal.Json;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * The repository's append-only, hash-chained record of what changed: every publish and alias change
 * (and whatever else a caller records: promotions passed or refused, approvals, rollbacks), who did
 * it, when, from what to what. One JSON object per line in {@value #FILE_NAME} at the repository root;
 * each record holds the SHA-256 of the previous one ({@code previousHash}) and its own ({@code hash},
 * over the RFC 8785 canonical form of the record without it), and {@value #HEAD_FILE_NAME} holds the
 * last record's sequence number and hash, so {@link #verify()} finds an edited, removed, inserted or
 * reordered record, and a cut-off tail. Appends hold an exclusive file lock across processes, write
 * whole lines and force them to disk. Thread-safe.
 *
 * <p>The chain shows tampering by someone who does not also rewrite every later hash and the head;
 * it is not a signature.
 */
public final class AuditLog {
  /** The log file, at the repository root. */
  public static final String FILE_NAME = ".audit.log";
  /** The last record's sequence number and hash. */
  public static final String HEAD_FILE_NAME = ".audit.head";
  /** The previous hash of the first record. */
  public static final String GENESIS = "0".repeat(64);

  private final Path root;
  private final Clock clock;

  /**
   * One record.
   *
   * @param seq its position, from 1
   * @param time when it was written
   * @param actor who did it
   * @param action what was done: {@code publish}, {@code alias}, {@code promote}, ...
   * @param model the model
   * @param from the state before (a version), or null
   * @param to the state after, or null
   * @param details more facts (the alias, the policy digest, each rule's outcome, ...)
   * @param previousHash the previous record's hash ({@link #GENESIS} for the first)
   * @param hash this record's hash
   */
  public record Entry(long seq, Instant time, String actor, String action, String model, @Nullable String from,
      @Nullable String to, Map<String, String> details, String previousHash, String hash) {
    /**
     * Copies the details in name order.
     *
     * @param seq seq
     * @param time time
     * @param actor actor
     * @param action action
     * @param model model
     * @param from from
     * @param to to
     * @param details details
     * @param previousHash previous hash
     * @param hash hash
     */
    public Entry {
      details = java.util.Collections.unmodifiableMap(new TreeMap<>(details));
    }
  }

  /**
   * A problem {@link #verify()} found.
   *
   * @param line the line of the log (1-based), or 0 for the head file
   * @param message what is wrong
   */
  public record Problem(long line, String message) {}

  private AuditLog(Path root, Clock clock) {
    this.root = root;
    this.clock = clock;
  }

  /**
   * The log of a repository directory.
   *
   * @param repositoryRoot the repository's root
   * @return the log
   */
  public static AuditLog of(Path repositoryRoot) {
    return new AuditLog(Objects.requireNonNull(repositoryRoot, "repositoryRoot"), Clock.systemUTC());
  }

  /**
   * This log with another clock (tests).
   *
   * @param c the clock
   * @return the log
   */
  public AuditLog withClock(Clock c) {
    return new AuditLog(root, Objects.requireNonNull(c, "clock"));
  }

  /**
   * The log file.
   *
   * @return its path
   */
  public Path file() {
    return root.resolve(FILE_NAME);
  }

  /**
   * Appends a record after the last one, under an exclusive lock shared with other processes.
   *
   * @param actor who did it
   * @param action what was done
   * @param model the model
   * @param from the state before, or null
   * @param to the state after, or null
   * @param details more facts
   * @return the record written
   */
  public synchronized Entry append(String actor, String action, String model, @Nullable String from,
      @Nullable String to, Map<String, String> details) {
    Objects.requireNonNull(actor, "actor");
    Objects.requireNonNull(action, "action");
    Objects.requireNonNull(model, "model");
    try (FileChannel ch = FileChannel.open(file(), StandardOpenOption.CREATE, StandardOpenOption.READ,
        StandardOpenOption.WRITE)) {
      FileLock lock = ch.lock(); // released when the channel closes
      Entry last = lastEntry(ch);
      long seq = last == null ? 1 : last.seq() + 1;
      String prev = last == null ? GENESIS : last.hash();
      Instant now = clock.instant();
      ObjectNode o = body(seq, now, actor, action, model, from, to, details, prev);
      String hash = Digests.sha256Hex(Jcs.bytes(o));
      o.put("hash", hash);
      byte[] line = (o.toString() + "\n").getBytes(StandardCharsets.UTF_8);
      ByteBuffer buf = ByteBuffer.wrap(line);
      long pos = ch.size();
      while (buf.hasRemaining()) {
        pos += ch.write(buf, pos);
      }
      ch.force(true);
      AtomicFiles.writeString(root, HEAD_FILE_NAME, "audit head", seq + " " + hash + "\n");
      lock.release();
      return new Entry(seq, now, actor, action, model, from, to, details, prev, hash);
    } catch (IOException e) {
      throw new MlopsException("could not append to the audit log " + file() + ": " + e
          + "; check that the repository is writable", e);
    }
  }

  private static ObjectNode body(long seq, Instant time, String actor, String action, String model,
      @Nullable String from, @Nullable String to, Map<String, String> details, String prev) {
    ObjectNode o = Json.mapper().createObjectNode();
    o.put("seq", seq);
    o.put("time", time.toString());
    o.put("actor", actor);
    o.put("action", action);
    o.put("model", model);
    if (from != null) {
      o.put("from", from);
    }
    if (to != null) {
      o.put("to", to);
    }
    ObjectNode d = o.putObject("details");
    new TreeMap<>(details).forEach(d::put);
    o.put("previousHash", prev);
    return o;
  }

  private @Nullable Entry lastEntry(FileChannel ch) throws IOException {
    long size = ch.size();
    if (size == 0) {
      return null;
    }
    // Read back from the end to the start of the last line (records are far below 1 MiB).
    long from = Math.max(0, size - (1 << 20));
    ByteBuffer buf = ByteBuffer.allocate((int) (size - from));
    ch.read(buf, from);
    String tail = new String(buf.array(), StandardCharsets.UTF_8);
    String trimmed = tail.endsWith("\n") ? tail.substring(0, tail.length() - 1) : tail;
    int nl = trimmed.lastIndexOf('\n');
    if (!tail.endsWith("\n")) {
      throw new DataFormatException("the audit log's last line is incomplete (a writer stopped in the middle of it);"
          + " run audit verify and repair the log before changing the repository", file().toString(), -1, null);
    }
    return parse(trimmed.substring(nl + 1), -1);
  }

  private Entry parse(String line, long lineNumber) {
    JsonNode n = Json.parse(line, file() + (lineNumber > 0 ? ":" + lineNumber : ""));
    try {
      Map<String, String> details = new TreeMap<>();
      JsonNode d = n.get("details");
      if (d != null) {
        d.properties().forEach(e -> details.put(e.getKey(), e.getValue().asText()));
      }
      return new Entry(n.get("seq").asLong(), Instant.parse(n.get("time").asText()), n.get("actor").asText(),
          n.get("action").asText(), n.get("model").asText(), n.hasNonNull("from") ? n.get("from").asText() : null,
          n.hasNonNull("to") ? n.get("to").asText() : null, details, n.get("previousHash").asText(),
          n.get("hash").asText());
    } catch (RuntimeException e) {
      throw new DataFormatException("not an audit record (" + e.getMessage() + ")", file().toString(), lineNumber,
          null, e);
    }
  }

  /**
   * Every record, oldest first, as written (not verified: see {@link #verify()}).
   *
   * @return the records
   */
  public List<Entry> read() {
    List<Entry> out = new ArrayList<>();
    List<String> lines = lines();
    for (int i = 0; i < lines.size(); i++) {
      if (!lines.get(i).isEmpty()) {
        out.add(parse(lines.get(i), i + 1));
      }
    }
    return out;
  }

  private List<String> lines() {
    if (!Files.exists(file())) {
      return List.of();
    }
    try {
      return Files.readAllLines(file(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new MlopsException("could not read the audit log " + file() + ": " + e, e);
    }
  }

  /**
   * Checks the chain: each record's hash against its content, each previous hash against the record
   * before, the sequence numbers, and the last record against the head file.
   *
   * @return the problems, empty when the log is intact
   */
  public List<Problem> verify() {
    List<Problem> problems = new ArrayList<>();
    List<String> lines = lines();
    String prev = GENESIS;
    long seq = 0;
    for (int i = 0; i < lines.size(); i++) {
      long ln = i + 1;
      Entry e;
      JsonNode n;
      try {
        e = parse(lines.get(i), ln);
        n = Json.parse(lines.get(i), file() + ":" + ln);
      } catch (DataFormatException ex) {
        problems.add(new Problem(ln, "unreadable record: " + ex.getMessage()));
        continue;
      }
      ObjectNode body = ((ObjectNode) n).deepCopy();
      body.remove("hash");
      String actual = Digests.sha256Hex(Jcs.bytes(body));
      if (!actual.equals(e.hash())) {
        problems.add(new Problem(ln, "record " + e.seq() + " was edited: its content hashes to " + actual
            + ", it says " + e.hash()));
      }
      if (!e.previousHash().equals(prev)) {
        problems.add(new Problem(ln, "record " + e.seq() + " does not follow the record before it (previous hash "
            + e.previousHash() + ", the record before hashes to " + prev + "): a record was removed, inserted or"
            + " reordered before line " + ln));
      }
      if (e.seq() != seq + 1) {
        problems.add(new Problem(ln, "record number " + e.seq() + " where " + (seq + 1) + " was expected: a record"
            + " was removed or reordered"));
      }
      prev = e.hash();
      seq = e.seq();
    }
    Path head = root.resolve(HEAD_FILE_NAME);
    if (Files.exists(head)) {
      try {
        String[] h = Files.readString(head, StandardCharsets.UTF_8).trim().split(" ");
        if (h.length != 2 || Long.parseLong(h[0]) != seq || !h[1].equals(prev)) {
          problems.add(new Problem(0, "the log ends at record " + seq + " but the head says " + String.join(" ", h)
              + ": records were cut off the end (or the head was edited)"));
        }
      } catch (IOException | NumberFormatException ex) {
        problems.add(new Problem(0, "unreadable audit head " + head + ": " + ex.getMessage()));
      }
    } else if (seq > 0) {
      problems.add(new Problem(0, "the audit head " + head + " is missing"));
    }
    return problems;
  }
}
