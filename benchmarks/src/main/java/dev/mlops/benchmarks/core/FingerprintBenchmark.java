package dev.mlops.benchmarks.core;

import dev.mlops.core.Batch;
import dev.mlops.core.BatchBuilder;
import dev.mlops.core.DataType;
import dev.mlops.core.DatasetFingerprint;
import dev.mlops.core.Field;
import dev.mlops.core.Schema;
import java.io.ByteArrayOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.FieldVector;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Dataset fingerprinting of a 124 MB in-memory batch versus plain {@link MessageDigest} SHA-256 over
 * the same bytes (the concatenated Arrow value buffers, already in a heap array). Target: the
 * fingerprint reaches at least 0.8x the baseline's throughput.
 *
 * <p>Data: 2,000,000 rows of 5 float64, 1 int64, 1 float32 column and a string column of 8-12
 * ASCII characters (124 MB of values), fixed seed, no nulls (the common case of a cleaned
 * training set).
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-Xmx4g"})
public class FingerprintBenchmark {
  static final int ROWS = 2_000_000;

  private BufferAllocator allocator;
  private Batch batch;
  private byte[] sameBytes;

  /** Builds the batch and the baseline's byte array. */
  @Setup(Level.Trial)
  public void setUp() {
    allocator = new RootAllocator();
    Schema schema = Schema.of(
        Field.of("f0", DataType.FLOAT64), Field.of("f1", DataType.FLOAT64), Field.of("f2", DataType.FLOAT64),
        Field.of("f3", DataType.FLOAT64), Field.of("f4", DataType.FLOAT64), Field.of("n", DataType.INT64),
        Field.of("r", DataType.FLOAT32), Field.of("s", DataType.STRING));
    SplittableRandom rnd = new SplittableRandom(42);
    try (BatchBuilder b = Batch.builder(allocator, schema)) {
      char[] chars = new char[12];
      for (int i = 0; i < ROWS; i++) {
        for (int c = 0; c < 5; c++) {
          b.setDouble(c, rnd.nextDouble() * 1000);
        }
        b.setLong(5, rnd.nextLong());
        b.setFloat(6, (float) rnd.nextGaussian());
        int len = 8 + rnd.nextInt(5);
        for (int k = 0; k < len; k++) {
          chars[k] = (char) ('a' + rnd.nextInt(26));
        }
        b.setString(7, new String(chars, 0, len));
        b.endRow();
      }
      batch = b.build();
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(110 << 20);
    for (int c = 0; c < schema.size(); c++) {
      FieldVector v = batch.vector(c);
      ArrowBuf data = v.getDataBuffer();
      long len = c == 7 ? v.getOffsetBuffer().getInt((long) ROWS * 4) : (long) ROWS * (c == 6 ? 4 : 8);
      byte[] tmp = new byte[(int) len];
      data.getBytes(0, tmp);
      out.write(tmp, 0, tmp.length);
    }
    sameBytes = out.toByteArray();
    System.out.printf("%nvalue bytes hashed: %.1f MB%n", sameBytes.length / 1e6);
  }

  /** Frees the batch. */
  @TearDown(Level.Trial)
  public void tearDown() {
    batch.close();
    allocator.close();
  }

  /**
   * The library's split-independent dataset fingerprint of the batch.
   *
   * @return the fingerprint
   */
  @Benchmark
  public DatasetFingerprint fingerprint() {
    return DatasetFingerprint.of(batch);
  }

  /**
   * Baseline: one SHA-256 over the same value bytes, from a heap array.
   *
   * @return the digest
   * @throws NoSuchAlgorithmException never on a Java SE runtime
   */
  @Benchmark
  public byte[] plainSha256() throws NoSuchAlgorithmException {
    return MessageDigest.getInstance("SHA-256").digest(sameBytes);
  }
}
