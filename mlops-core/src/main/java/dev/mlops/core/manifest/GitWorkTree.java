package dev.mlops.core.manifest;

import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;
import org.jspecify.annotations.Nullable;

/**
 * Tells whether a git working tree differs from its HEAD commit by reading {@code .git/index} and
 * the object store directly, as {@code git describe --dirty} would answer, without a git process.
 *
 * <p>Conservative: {@link CodeVersion.Dirty#DIRTY} only on evidence (a tracked file deleted, changed in
 * type or content, an unmerged or intent-to-add entry); {@link CodeVersion.Dirty#CLEAN} only when every
 * tracked file matches the index and the index's cached tree equals HEAD's tree; otherwise
 * {@link CodeVersion.Dirty#UNKNOWN} (content filters or line-ending conversion configured, split
 * index, HEAD's commit stored as a delta, any format this reader does not know). Untracked files do
 * not count, as in git.
 */
final class GitWorkTree {
  private static final int ASSUME_VALID = 0x8000;
  private static final int EXTENDED = 0x4000;
  private static final int SKIP_WORKTREE = 0x4000;
  private static final int INTENT_TO_ADD = 0x2000;
  private static final int TYPE_MASK = 0170000;
  private static final int REGULAR = 0100000;
  private static final int SYMLINK = 0120000;
  private static final int GITLINK = 0160000;
  private static final int BUFFER = 1 << 16;

  /** One stage-0 index entry, the parts needed here. */
  private record Entry(String path, int mode, long mtimeSeconds, int mtimeNanos, long size, byte[] oid) {}

  private final Path workTree;
  private final Path gitDir;
  private final Path commonDir;
  private final int oidLength;
  private final String hashAlgorithm;
  private final boolean fileMode;

  private GitWorkTree(Path workTree, Path gitDir, Path commonDir, boolean sha256, boolean fileMode) {
    this.workTree = workTree;
    this.gitDir = gitDir;
    this.commonDir = commonDir;
    this.oidLength = sha256 ? 32 : 20;
    this.hashAlgorithm = sha256 ? "SHA-256" : "SHA-1";
    this.fileMode = fileMode;
  }

  /**
   * The state of a working tree against a commit.
   *
   * @param configFiles git configuration files to consult besides the repository's own (user, system)
   * @throws IOException when a file of the repository cannot be read
   */
  static CodeVersion.Dirty state(Path workTree, Path gitDir, Path commonDir, String headCommit,
      List<Path> configFiles) throws IOException {
    StringBuilder config = new StringBuilder(readConfig(commonDir.resolve("config")));
    for (Path f : configFiles) {
      config.append('\n').append(readConfig(f));
    }
    String flat = config.toString().replaceAll("[ \t]", "");
    boolean sha256 = flat.contains("objectformat=sha256");
    boolean conversions = flat.matches("(?s).*autocrlf=(true|input).*")
        || System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("windows");
    boolean fileMode = !flat.contains("filemode=false");
    return new GitWorkTree(workTree, gitDir, commonDir, sha256, fileMode).state(headCommit, conversions);
  }

  /** The user's and the system's git configuration files, where git looks for them. */
  static List<Path> defaultConfigFiles() {
    List<Path> out = new ArrayList<>();
    String home = System.getProperty("user.home");
    String xdg = System.getenv("XDG_CONFIG_HOME");
    if (home != null) {
      out.add(Path.of(home, ".gitconfig"));
      out.add(xdg != null && !xdg.isEmpty() ? Path.of(xdg, "git", "config") : Path.of(home, ".config", "git", "config"));
    }
    out.add(Path.of("/etc/gitconfig"));
    return out;
  }

  private static String readConfig(Path file) throws IOException {
    return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT) : "";
  }

  private CodeVersion.Dirty state(String headCommit, boolean conversions) throws IOException {
    Path indexFile = gitDir.resolve("index");
    if (!Files.isRegularFile(indexFile)) {
      return CodeVersion.Dirty.UNKNOWN;
    }
    long indexMtime = Files.getLastModifiedTime(indexFile).toMillis() / 1000;
    ByteBuffer buf = ByteBuffer.wrap(Files.readAllBytes(indexFile));
    if (buf.remaining() < 12 || buf.getInt() != 0x44495243) { // "DIRC"
      return CodeVersion.Dirty.UNKNOWN;
    }
    int version = buf.getInt();
    if (version < 2 || version > 4) {
      return CodeVersion.Dirty.UNKNOWN;
    }
    int count = buf.getInt();
    List<Entry> entries = new ArrayList<>(count);
    byte[] previousName = new byte[0];
    for (int i = 0; i < count; i++) {
      int start = buf.position();
      buf.position(start + 8); // ctime
      long mtimeSeconds = Integer.toUnsignedLong(buf.getInt());
      int mtimeNanos = buf.getInt();
      buf.position(buf.position() + 8); // dev, ino
      int mode = buf.getInt();
      buf.position(buf.position() + 8); // uid, gid
      long size = Integer.toUnsignedLong(buf.getInt());
      byte[] oid = new byte[oidLength];
      buf.get(oid);
      int flags = Short.toUnsignedInt(buf.getShort());
      int extended = version >= 3 && (flags & EXTENDED) != 0 ? Short.toUnsignedInt(buf.getShort()) : 0;
      byte[] name;
      if (version == 4) {
        int strip = (int) readOffsetVarint(buf);
        byte[] suffix = readUntilNul(buf);
        name = Arrays.copyOf(previousName, previousName.length - strip + suffix.length);
        System.arraycopy(suffix, 0, name, previousName.length - strip, suffix.length);
        previousName = name;
      } else {
        name = readUntilNul(buf);
        int length = buf.position() - start;
        buf.position(start + ((length + 7) & ~7)); // NUL padding to a multiple of 8
      }
      int stage = (flags >> 12) & 3;
      if (stage != 0 || (extended & INTENT_TO_ADD) != 0) {
        return CodeVersion.Dirty.DIRTY; // merge in progress, or a new file announced with 'git add -N'
      }
      if ((flags & ASSUME_VALID) == 0 && (extended & SKIP_WORKTREE) == 0) {
        entries.add(new Entry(new String(name, StandardCharsets.UTF_8), mode, mtimeSeconds, mtimeNanos, size, oid));
      }
    }
    byte[] cachedTree = null;
    while (buf.remaining() > oidLength + 8) {
      int signature = buf.getInt();
      int length = buf.getInt();
      int next = buf.position() + length;
      if (signature == 0x6c696e6b) { // "link": split index, entries live elsewhere
        return CodeVersion.Dirty.UNKNOWN;
      }
      if (signature == 0x54524545) { // "TREE": root entry first
        cachedTree = rootTree(buf);
      }
      buf.position(next);
    }
    boolean contentChecks = !conversions && !attributesConvert(entries);
    for (Entry e : entries) {
      if (!matches(e, contentChecks, indexMtime)) {
        return CodeVersion.Dirty.DIRTY;
      }
    }
    if (!contentChecks || cachedTree == null) {
      return CodeVersion.Dirty.UNKNOWN;
    }
    byte[] headTree = commitTree(headCommit);
    if (headTree == null) {
      return CodeVersion.Dirty.UNKNOWN;
    }
    return Arrays.equals(headTree, cachedTree) ? CodeVersion.Dirty.CLEAN : CodeVersion.Dirty.DIRTY;
  }

  /** Whether git attributes could make working tree bytes differ from the stored blobs. */
  private boolean attributesConvert(List<Entry> entries) throws IOException {
    List<Path> files = new ArrayList<>(List.of(gitDir.resolve("info/attributes"), commonDir.resolve("info/attributes")));
    for (Entry e : entries) {
      if (e.path().equals(".gitattributes") || e.path().endsWith("/.gitattributes")) {
        files.add(workTree.resolve(e.path()));
      }
    }
    for (Path f : files) {
      if (Files.isRegularFile(f)) {
        String text = Files.readString(f, StandardCharsets.UTF_8).toLowerCase(Locale.ROOT);
        for (String attr : List.of("filter", "eol", "crlf", "text", "working-tree-encoding", "ident")) {
          if (text.matches("(?s).*(^|[\\s!-])" + attr + "([\\s=].*|$)")) {
            return true;
          }
        }
      }
    }
    return false;
  }

  private boolean matches(Entry e, boolean contentChecks, long indexMtime) throws IOException {
    int type = e.mode() & TYPE_MASK;
    if (type == GITLINK) {
      return true; // submodules have their own checkout
    }
    Path file = workTree.resolve(e.path());
    BasicFileAttributes attrs;
    try {
      attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    } catch (java.nio.file.NoSuchFileException gone) {
      return false;
    }
    if (type == SYMLINK) {
      if (!attrs.isSymbolicLink()) {
        return false;
      }
      byte[] target = Files.readSymbolicLink(file).toString().getBytes(StandardCharsets.UTF_8);
      return !contentChecks || Arrays.equals(blobId(new java.io.ByteArrayInputStream(target), target.length), e.oid());
    }
    if (type != REGULAR || !attrs.isRegularFile()) {
      return false;
    }
    if (fileMode && file.getFileSystem().supportedFileAttributeViews().contains("posix")
        && Files.isExecutable(file) != ((e.mode() & 0111) != 0)) {
      return false;
    }
    if (!contentChecks) {
      return true;
    }
    long seconds = attrs.lastModifiedTime().toInstant().getEpochSecond();
    int nanos = attrs.lastModifiedTime().toInstant().getNano();
    boolean statMatches = (attrs.size() & 0xFFFFFFFFL) == e.size() && seconds == e.mtimeSeconds()
        && (e.mtimeNanos() == 0 || nanos == e.mtimeNanos());
    if (statMatches && e.mtimeSeconds() < indexMtime) {
      return true; // unchanged since git hashed it, and not racily so
    }
    try (InputStream in = Files.newInputStream(file)) {
      return Arrays.equals(blobId(in, attrs.size()), e.oid());
    }
  }

  /** Git's object id of a blob: the hash of {@code "blob <size>\0"} and the content. */
  private byte[] blobId(InputStream in, long size) throws IOException {
    MessageDigest md = digest();
    md.update(("blob " + size + "\0").getBytes(StandardCharsets.US_ASCII));
    byte[] chunk = new byte[BUFFER];
    int n;
    while ((n = in.read(chunk)) > 0) {
      md.update(chunk, 0, n);
    }
    return md.digest();
  }

  private MessageDigest digest() {
    try {
      return MessageDigest.getInstance(hashAlgorithm);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("This JVM lacks " + hashAlgorithm + ", which every Java SE runtime provides", e);
    }
  }

  /** The tree id of the cache-tree's root entry, or null when git marked it invalid. */
  private byte @Nullable [] rootTree(ByteBuffer buf) {
    byte[] path = readUntilNul(buf);
    if (path.length != 0) {
      return null;
    }
    StringBuilder entryCount = new StringBuilder();
    byte b;
    while ((b = buf.get()) != ' ') {
      entryCount.append((char) b);
    }
    while (buf.get() != '\n') {
      // subtree count, not needed
    }
    if (entryCount.toString().startsWith("-")) {
      return null;
    }
    byte[] oid = new byte[oidLength];
    buf.get(oid);
    return oid;
  }

  /** The tree of a commit, from a loose object or a non-delta pack entry; null when not found that way. */
  private byte @Nullable [] commitTree(String commitHex) throws IOException {
    Path loose = commonDir.resolve("objects").resolve(commitHex.substring(0, 2)).resolve(commitHex.substring(2));
    if (Files.isRegularFile(loose)) {
      try (InputStream in = new InflaterInputStream(Files.newInputStream(loose))) {
        byte[] head = in.readNBytes(64 + 2 * oidLength);
        String text = new String(head, StandardCharsets.ISO_8859_1);
        int nul = text.indexOf('\0');
        return nul > 0 && text.startsWith("commit ") ? treeLine(text.substring(nul + 1)) : null;
      }
    }
    byte[] oid = HexFormat.of().parseHex(commitHex);
    Path packDir = commonDir.resolve("objects/pack");
    if (!Files.isDirectory(packDir)) {
      return null;
    }
    try (DirectoryStream<Path> idxFiles = Files.newDirectoryStream(packDir, "*.idx")) {
      for (Path idx : idxFiles) {
        long offset = packOffset(idx, oid);
        if (offset >= 0) {
          String name = idx.getFileName().toString();
          return packedCommitTree(idx.resolveSibling(name.substring(0, name.length() - 4) + ".pack"), offset);
        }
      }
    }
    return null;
  }

  private byte @Nullable [] treeLine(String body) {
    if (!body.startsWith("tree ") || body.length() < 5 + 2 * oidLength) {
      return null;
    }
    return HexFormat.of().parseHex(body.substring(5, 5 + 2 * oidLength));
  }

  /** Offset of an object in a version-2 pack index, or -1. */
  private long packOffset(Path idx, byte[] oid) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(idx.toFile(), "r")) {
      if (f.readInt() != 0xff744f63 || f.readInt() != 2) {
        return -1;
      }
      int first = oid[0] & 0xff;
      f.seek(8 + 4L * (first - 1));
      long lo = first == 0 ? 0 : Integer.toUnsignedLong(f.readInt());
      f.seek(8 + 4L * first);
      long hi = Integer.toUnsignedLong(f.readInt());
      f.seek(8 + 4L * 255);
      long total = Integer.toUnsignedLong(f.readInt());
      long oidsAt = 8 + 4L * 256;
      byte[] probe = new byte[oidLength];
      while (lo < hi) {
        long mid = (lo + hi) >>> 1;
        f.seek(oidsAt + mid * oidLength);
        f.readFully(probe);
        int cmp = Arrays.compareUnsigned(probe, oid);
        if (cmp == 0) {
          long offsetsAt = oidsAt + total * oidLength + total * 4;
          f.seek(offsetsAt + mid * 4);
          int small = f.readInt();
          if (small >= 0) {
            return small;
          }
          f.seek(offsetsAt + total * 4 + 8L * (small & 0x7fffffff));
          return f.readLong();
        }
        if (cmp < 0) {
          lo = mid + 1;
        } else {
          hi = mid;
        }
      }
      return -1;
    }
  }

  private byte @Nullable [] packedCommitTree(Path pack, long offset) throws IOException {
    try (RandomAccessFile f = new RandomAccessFile(pack.toFile(), "r")) {
      f.seek(offset);
      int b = f.readUnsignedByte();
      int type = (b >> 4) & 7;
      while ((b & 0x80) != 0) {
        b = f.readUnsignedByte();
      }
      if (type != 1) {
        return null; // stored as a delta: resolving it is beyond this reader
      }
      byte[] compressed = new byte[512];
      int n = f.read(compressed);
      Inflater inflater = new Inflater();
      try {
        inflater.setInput(compressed, 0, Math.max(n, 0));
        byte[] out = new byte[5 + 2 * oidLength];
        int got = inflater.inflate(out);
        return treeLine(new String(out, 0, got, StandardCharsets.ISO_8859_1));
      } catch (java.util.zip.DataFormatException e) {
        return null;
      } finally {
        inflater.end();
      }
    }
  }

  private static byte[] readUntilNul(ByteBuffer buf) {
    int start = buf.position();
    while (buf.get() != 0) {
      // scan to the terminator
    }
    byte[] out = new byte[buf.position() - start - 1];
    buf.get(start, out);
    return out;
  }

  /** Git's offset varint (index v4 prefix lengths): 7 bits per byte, each continuation adds one. */
  private static long readOffsetVarint(ByteBuffer buf) {
    int b = Byte.toUnsignedInt(buf.get());
    long value = b & 0x7f;
    while ((b & 0x80) != 0) {
      b = Byte.toUnsignedInt(buf.get());
      value = ((value + 1) << 7) | (b & 0x7f);
    }
    return value;
  }
}
