package io.kemu.kubelet.runtime.proc;

import java.nio.charset.StandardCharsets;

/**
 * A writable file descriptor of an emulated process: a pipe, a file, a container log, a capture buffer. Writes
 * never block; a pipe whose reader is gone reports {@link #isBroken} (EPIPE), and a pipe over its high-water mark
 * reports {@link #isFull} so that the writer's next step waits for {@link #onDrained}.
 */
public interface OutStream {
  void write(byte[] data);

  default void write(String s) {
    write(s.getBytes(StandardCharsets.UTF_8));
  }

  /** Another descriptor on the same stream (pipes count their writers: EOF comes when the last one closes). */
  default OutStream dup() {
    return this;
  }

  default void close() {}

  default boolean isBroken() {
    return false;
  }

  default boolean isFull() {
    return false;
  }

  default void onDrained(Runnable r) {
    r.run();
  }

  OutStream NULL = data -> { };
}
