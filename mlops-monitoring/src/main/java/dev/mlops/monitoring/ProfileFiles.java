package dev.mlops.monitoring;

import dev.mlops.core.Batch;
import dev.mlops.core.DataFormatException;
import dev.mlops.core.MlopsException;
import dev.mlops.core.Schema;
import dev.mlops.core.internal.AtomicFiles;
import dev.mlops.core.io.ArrowIpc;
import dev.mlops.core.io.ArrowIpcReader;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import dev.mlops.stats.DatasetStatistics;
import dev.mlops.stats.ProfileOptions;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.jspecify.annotations.Nullable;

/**
 * Profiles of CSV and Arrow IPC files, read batch by batch so a file of any size is profiled in the
 * memory of one batch, and profiles kept in files ({@link #writeProfile}, {@link #readProfile}).
 * Reading and parsing errors are the readers' {@link DataFormatException}s, naming file, line and
 * column. Only regular files are read: a FIFO, device or directory is refused before it is opened,
 * since opening a FIFO blocks until a writer appears and a device may never end.
 */
public final class ProfileFiles {
  /** The binary form's frame (14 bytes) plus its largest payload (a signed 32-bit length). */
  private static final long MAX_PROFILE_BYTES = Integer.MAX_VALUE - 8L;

  private ProfileFiles() {}

  /**
   * Writes a profile's binary form ({@link DatasetProfile#toBytes()}) atomically: to a temporary file
   * in the same directory, forced to disk, then renamed over the target, so readers see the old file
   * or the new one and a failed write leaves no partial file.
   *
   * @param profile the profile
   * @param path the file to create or replace; missing parent directories are created
   * @throws MlopsException naming the file when it cannot be written
   */
  public static void writeProfile(DatasetProfile profile, Path path) {
    byte[] bytes = profile.toBytes();
    AtomicFiles.write(path, "profile", out -> out.write(bytes));
  }

  /**
   * Reads a profile written by {@link #writeProfile} (or any file holding {@link DatasetProfile#toBytes()}).
   *
   * @param path a regular file
   * @return the validated profile
   * @throws MlopsException when the file is missing, not a regular file or unreadable
   * @throws DataFormatException naming the file (and the column) when the bytes are not a valid profile
   */
  public static DatasetProfile readProfile(Path path) {
    long size = requireRegularFile(path, "profile").size();
    if (size > MAX_PROFILE_BYTES) {
      throw new DataFormatException(size + " bytes is more than a profile's binary form can hold ("
          + MAX_PROFILE_BYTES + "); this is not a profile file", path.toString(), -1, null);
    }
    byte[] bytes = new byte[(int) size];
    try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.wrap(bytes);
      while (buf.hasRemaining()) {
        if (ch.read(buf) < 0) {
          throw new DataFormatException("the file shrank to " + buf.position() + " bytes while it was read (it was "
              + size + "); read it again once its writer is done", path.toString(), -1, null);
        }
      }
      if (ch.read(ByteBuffer.allocate(1)) >= 0) {
        throw new DataFormatException("the file grew beyond " + size + " bytes while it was read; read it again "
            + "once its writer is done", path.toString(), -1, null);
      }
    } catch (IOException e) {
      throw new MlopsException("Cannot read profile file " + path + ": " + e + "; check it is readable", e);
    }
    return ProfileCodec.read(bytes, path.toString());
  }

  /**
   * Profiles a CSV file with default sketch sizes, using a private allocator.
   *
   * @param path the file
   * @param options how to read it (schema or inference, null tokens, bad-line policy)
   * @return the profile of every row read (skipped bad lines are not in it)
   */
  public static DatasetProfile ofCsv(Path path, CsvOptions options) {
    try (RootAllocator allocator = new RootAllocator()) {
      return ofCsv(path, options, ProfileOptions.defaults(), allocator);
    }
  }

  /**
   * Profiles a CSV file.
   *
   * @param path the file
   * @param options how to read it
   * @param profileOptions sketch sizes
   * @param allocator where each batch's memory comes from (freed before returning)
   * @return the profile
   */
  public static DatasetProfile ofCsv(Path path, CsvOptions options, ProfileOptions profileOptions,
      BufferAllocator allocator) {
    requireRegularFile(path, "CSV");
    try (CsvReader reader = CsvReader.open(path, options, allocator)) {
      return profile(reader.schema(), profileOptions, reader::nextBatch);
    }
  }

  /**
   * Profiles an Arrow IPC file with default sketch sizes, using a private allocator.
   *
   * @param path the file
   * @return the profile
   */
  public static DatasetProfile ofArrowFile(Path path) {
    try (RootAllocator allocator = new RootAllocator()) {
      return ofArrowFile(path, ProfileOptions.defaults(), allocator);
    }
  }

  /**
   * Profiles an Arrow IPC file.
   *
   * @param path the file
   * @param profileOptions sketch sizes
   * @param allocator where each batch's memory comes from (freed before returning)
   * @return the profile
   */
  public static DatasetProfile ofArrowFile(Path path, ProfileOptions profileOptions, BufferAllocator allocator) {
    requireRegularFile(path, "Arrow IPC");
    try (ArrowIpcReader reader = ArrowIpc.openFile(path, allocator)) {
      return profile(reader.schema(), profileOptions, reader::nextBatch);
    }
  }

  /** The attributes of a regular file (symbolic links followed), or why it is not one. */
  private static BasicFileAttributes requireRegularFile(Path path, String what) {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(path, BasicFileAttributes.class);
    } catch (NoSuchFileException e) {
      throw new MlopsException(what + " file " + path + " does not exist; check the path", e);
    } catch (IOException e) {
      throw new MlopsException("Cannot read " + what + " file " + path + ": " + e + "; check it is readable", e);
    }
    if (!a.isRegularFile()) {
      String kind = a.isDirectory() ? "a directory" : a.isOther() ? "a FIFO, socket or device" : "not a regular file";
      throw new MlopsException(what + " file " + path + " is " + kind + "; only regular files are read (a FIFO "
          + "would block until a writer appears); copy the data to a file first");
    }
    return a;
  }

  /** A source of owning batches; null at the end. */
  private interface Batches {
    @Nullable Batch next();
  }

  private static DatasetProfile profile(Schema schema, ProfileOptions options, Batches batches) {
    DatasetStatistics acc = DatasetStatistics.of(schema, options);
    for (Batch b = batches.next(); b != null; b = batches.next()) {
      try (Batch batch = b) {
        acc.add(batch);
      }
    }
    return DatasetProfile.of(acc);
  }
}
