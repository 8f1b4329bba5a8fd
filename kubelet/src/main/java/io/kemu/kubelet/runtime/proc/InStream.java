package io.kemu.kubelet.runtime.proc;

import java.io.ByteArrayOutputStream;
import java.util.function.Consumer;

/** A readable file descriptor: reads complete later, on the kernel, with a chunk or null at end of file. */
public interface InStream {
  void read(Consumer<byte[]> k);

  /** Puts bytes back in front (the shell's read builtin takes one line and leaves the rest). */
  void unread(byte[] rest);

  default InStream dup() {
    return this;
  }

  default void close() {}

  /** Everything up to end of file. */
  default void readAll(Consumer<byte[]> k) {
    ByteArrayOutputStream acc = new ByteArrayOutputStream();
    Consumer<byte[]>[] next = new Consumer[1];
    next[0] = chunk -> {
      if (chunk == null) {
        k.accept(acc.toByteArray());
      } else {
        acc.writeBytes(chunk);
        read(next[0]);
      }
    };
    read(next[0]);
  }

  /** An input at end of file (/dev/null, or no stdin). */
  static InStream empty(Kernel kernel) {
    return new BytesIn(kernel, new byte[0]);
  }

  static InStream of(Kernel kernel, byte[] data) {
    return new BytesIn(kernel, data);
  }

  /** A fixed content: a here-document, a file opened with {@code <}. */
  final class BytesIn implements InStream {
    private final Kernel kernel;
    private byte[] data;

    BytesIn(Kernel kernel, byte[] data) {
      this.kernel = kernel;
      this.data = data;
    }

    @Override
    public void read(Consumer<byte[]> k) {
      byte[] d = data;
      data = null;
      kernel.post(() -> k.accept(d == null || d.length == 0 ? null : d));
    }

    @Override
    public void unread(byte[] rest) {
      if (rest.length == 0) {
        return;
      }
      if (data == null || data.length == 0) {
        data = rest;
      } else {
        byte[] n = new byte[rest.length + data.length];
        System.arraycopy(rest, 0, n, 0, rest.length);
        System.arraycopy(data, 0, n, rest.length, data.length);
        data = n;
      }
    }
  }
}
