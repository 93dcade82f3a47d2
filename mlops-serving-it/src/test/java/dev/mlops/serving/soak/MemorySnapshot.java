package dev.mlops.serving.soak;

import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The process's memory at one moment: heap used and committed, direct buffers (the
 * "direct" buffer pool), and resident set size and its peak from /proc/self/status (-1 where /proc
 * is absent).
 *
 * @param heapUsed heap bytes in use
 * @param heapCommitted heap bytes committed (part of RSS, though not native memory)
 * @param direct bytes held by direct byte buffers
 * @param rss resident bytes (VmRSS)
 * @param peakRss peak resident bytes so far (VmHWM)
 */
record MemorySnapshot(long heapUsed, long heapCommitted, long direct, long rss, long peakRss) {
  private static final double MIB = 1024.0 * 1024.0;

  /**
   * Takes a snapshot, settled or as it is.
   *
   * @param settle whether to GC first and wait (up to 5 s) for resident memory to settle: G1 hands
   *     the memory of a shrunk heap back to the system concurrently, after the pause, so a reading
   *     taken at once counts pages no longer committed as memory outside the heap (seen: 400 MiB)
   * @return the snapshot
   */
  static MemorySnapshot take(boolean settle) throws InterruptedException {
    if (settle) {
      System.gc();
    }
    long prev = status("VmRSS:");
    for (int i = 0; settle && i < 25 && prev >= 0; i++) {
      Thread.sleep(200);
      long now = status("VmRSS:");
      boolean settled = Math.abs(now - prev) < 1024 * 1024;
      prev = now;
      if (settled) {
        break;
      }
    }
    MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
    long direct = -1;
    for (BufferPoolMXBean pool : ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class)) {
      if (pool.getName().equals("direct")) {
        direct = pool.getMemoryUsed();
      }
    }
    return new MemorySnapshot(heap.getUsed(), heap.getCommitted(), direct, status("VmRSS:"), status("VmHWM:"));
  }

  private static long status(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
        }
      }
    } catch (IOException | NumberFormatException e) {
      return -1;
    }
    return -1;
  }

  /** Resident bytes outside the committed heap: native memory, code, metaspace, stacks. */
  long outsideHeap() {
    return rss < 0 ? -1 : rss - heapCommitted;
  }

  /** The change from {@code from} to {@code to}, signed, or n/a when either reading is missing. */
  static String delta(long to, long from) {
    return to < 0 || from < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%+.1f MiB", (to - from) / MIB);
  }

  static String mib(long bytes) {
    return bytes < 0 ? "n/a" : String.format(java.util.Locale.ROOT, "%.1f MiB", bytes / MIB);
  }
}
