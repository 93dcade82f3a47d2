package dev.mlops.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;

/** Gives each test a fresh allocator and fails the test when it leaks Arrow memory. */
public abstract class AllocatorSupport {
  /** The allocator of the running test. */
  protected BufferAllocator allocator;

  /** Opens the test's allocator. */
  @BeforeEach
  protected void openAllocator() {
    allocator = new RootAllocator();
  }

  /** Fails the test when it leaked Arrow memory, and closes the allocator. */
  @AfterEach
  protected void closeAllocator() {
    assertThat(allocator.getAllocatedMemory()).as("Arrow memory leaked by the test").isZero();
    allocator.close();
  }
}
