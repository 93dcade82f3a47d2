package dev.mlops.core.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ReadableByteChannel;
import java.nio.channels.WritableByteChannel;
import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.vector.ipc.ReadChannel;
import org.apache.arrow.vector.ipc.WriteChannel;

/**
 * Arrow IPC channels that move buffer bytes through a small heap array instead of
 * {@link ArrowBuf#nioBuffer}. Arrow's own channels wrap off-heap memory in a {@code DirectByteBuffer},
 * which on Java 17 needs {@code --add-opens=java.base/java.nio=ALL-UNNAMED}; with these, a host
 * application embeds the library without JVM flags. The extra copy is through a 64 KiB array.
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

  /** A {@link ReadChannel} whose {@link #readFully(ArrowBuf, long)} copies through the heap. */
  static final class Read extends ReadChannel {
    private final byte[] chunk = new byte[CHUNK];

    Read(ReadableByteChannel in) {
      super(in);
    }

    @Override
    public long readFully(ArrowBuf buffer, long length) throws IOException {
      long done = 0;
      while (done < length) {
        int want = (int) Math.min(chunk.length, length - done);
        int got = readFully(ByteBuffer.wrap(chunk, 0, want));
        buffer.setBytes(buffer.writerIndex(), chunk, 0, got);
        buffer.writerIndex(buffer.writerIndex() + got);
        done += got;
        if (got < want) {
          break;
        }
      }
      return done;
    }
  }
}
