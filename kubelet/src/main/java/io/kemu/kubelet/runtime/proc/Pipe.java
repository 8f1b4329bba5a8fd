package io.kemu.kubelet.runtime.proc;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * pipe(2): bytes written by any writer descriptor reach the reader in order; the reader sees end of file once every
 * writer descriptor is closed; writers see a broken pipe once the reader is closed. Past 64 KiB buffered, writers are
 * told to wait for the reader (back-pressure at the writer's next step).
 */
public final class Pipe {
  private static final int HIGH_WATER = 64 * 1024;

  private final Kernel kernel;
  private final ArrayDeque<byte[]> chunks = new ArrayDeque<>();
  private long buffered;
  private int writers;
  private boolean readerClosed;
  private Consumer<byte[]> waitingReader;
  private final List<Runnable> drainWaiters = new ArrayList<>();

  public Pipe(Kernel kernel) {
    this.kernel = kernel;
  }

  public OutStream writer() {
    writers++;
    return new Writer();
  }

  public InStream reader() {
    return new Reader();
  }

  private void deliver() {
    if (waitingReader == null) {
      return;
    }
    if (!chunks.isEmpty()) {
      Consumer<byte[]> k = waitingReader;
      waitingReader = null;
      byte[] c = chunks.poll();
      buffered -= c.length;
      drained();
      kernel.post(() -> k.accept(c));
    } else if (writers <= 0) {
      Consumer<byte[]> k = waitingReader;
      waitingReader = null;
      kernel.post(() -> k.accept(null));
    }
  }

  private void drained() {
    if (buffered < HIGH_WATER / 2 && !drainWaiters.isEmpty()) {
      List<Runnable> w = new ArrayList<>(drainWaiters);
      drainWaiters.clear();
      w.forEach(kernel::post);
    }
  }

  private final class Writer implements OutStream {
    private boolean closed;

    @Override
    public void write(byte[] data) {
      if (closed || readerClosed || data.length == 0) {
        return;
      }
      chunks.add(data.clone());
      buffered += data.length;
      deliver();
    }

    @Override
    public OutStream dup() {
      return closed ? this : writer();
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        writers--;
        deliver();
      }
    }

    @Override
    public boolean isBroken() {
      return readerClosed;
    }

    @Override
    public boolean isFull() {
      return !readerClosed && buffered >= HIGH_WATER;
    }

    @Override
    public void onDrained(Runnable r) {
      if (isFull()) {
        drainWaiters.add(r);
      } else {
        kernel.post(r);
      }
    }
  }

  private final class Reader implements InStream {
    private int handles = 1;

    @Override
    public void read(Consumer<byte[]> k) {
      if (readerClosed) {
        kernel.post(() -> k.accept(null));
        return;
      }
      waitingReader = k;
      deliver();
    }

    @Override
    public void unread(byte[] rest) {
      if (rest.length > 0) {
        chunks.addFirst(rest);
        buffered += rest.length;
      }
    }

    @Override
    public InStream dup() {
      handles++;
      return this;
    }

    @Override
    public void close() {
      if (--handles <= 0 && !readerClosed) {
        readerClosed = true;
        chunks.clear();
        buffered = 0;
        waitingReader = null;
        List<Runnable> w = new ArrayList<>(drainWaiters);
        drainWaiters.clear();
        w.forEach(kernel::post);
      }
    }
  }
}
