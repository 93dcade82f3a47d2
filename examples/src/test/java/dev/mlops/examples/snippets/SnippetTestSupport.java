package dev.mlops.examples.snippets;

import static org.assertj.core.api.Assertions.assertThat;

import dev.mlops.core.Batch;
import dev.mlops.core.io.CsvOptions;
import dev.mlops.core.io.CsvReader;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.function.Supplier;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/**
 * What the snippet tests share: the bundled data (the tests run in {@code examples/}), an allocator
 * that must be back to zero after each test, and the capture of what a snippet prints.
 */
abstract class SnippetTestSupport {
  static final Path CREDIT_G = Path.of("../data/credit-g.csv");
  static final Path IRIS = Path.of("../data/iris.csv");
  static final Path TXHOUSING = Path.of("../data/txhousing.csv");

  /** The test's Arrow memory; every byte must be released when the test ends. */
  BufferAllocator allocator;

  @BeforeEach
  void openAllocator() {
    allocator = new RootAllocator();
  }

  @AfterEach
  void everyArrowBufferIsReleased() {
    long left = allocator.getAllocatedMemory();
    if (left == 0) {
      allocator.close();
    }
    assertThat(left).as("Arrow bytes still allocated after the test").isZero();
  }

  Batch read(Path csv) {
    return CsvReader.readAll(csv, CsvOptions.defaults(), allocator);
  }

  /** A snippet's result and what it printed to {@code System.out}. */
  record Printed<T>(T value, String text) {}

  /** Runs a snippet with {@code System.out} captured (listener threads included, while it runs). */
  static <T> Printed<T> printed(Supplier<T> snippet) {
    PrintStream original = System.out;
    ByteArrayOutputStream buffer = new ByteArrayOutputStream();
    try (PrintStream capture = new PrintStream(buffer, true, StandardCharsets.UTF_8)) {
      System.setOut(capture);
      T value = snippet.get();
      return new Printed<>(value, buffer.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(original);
    }
  }
}
