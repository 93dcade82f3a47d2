package dev.mlops.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.WriteChannel;

/**
 * An Arrow IPC write channel that moves buffer bytes through a small heap array instead of
 * {@link ArrowBuf#nioBuffer}. Arrow's own channels wrap off-heap memory in a {@code DirectByteBuffer},
 * which on Java 17 needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; with this, a host
 * application embeds the library without JVM flags. The extra copy is through a 64 KiB array. Reading
 * does the same in {@link IpcSource}.
 */
final class HeapIpcChannels {
  private static final int CHUNK = 1 << 16;

  private HeapIpcChannels() {}

  /** A {@link WriteChannel} whose {@link #write(ArrowBuf)} copies through the heap. */
  static final class Write extends WriteChannel {
    private final byte[] chunk = new byte[CHUNK];

    Write(WritableByteChannel out) {
      super(out);
    }

    @Override
    public void write(ArrowBuf buffer) throws IOException {
      long start = buffer.readerIndex();
      long len = buffer.readableBytes();
      for (long done = 0; done < len; ) {
        int n = (int) Math.min(chunk.length, len - done);
        buffer.getBytes(start + done, chunk, 0, n);
        write(ByteBuffer.wrap(chunk, 0, n));
        done += n;
      }
    }
  }
}
