package io.kemu.scheduler.framework;

import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * parallelize.Parallelizer: runs a per-node function over n indices in chunks on a few threads, the calling thread
 * included. Below {@code minParallel} pieces it runs inline: on small clusters the hand-off costs more than the
 * work. {@link #until(int, IntConsumer, AtomicBoolean)} stops early once the flag is set (enough feasible nodes).
 */
public final class Parallelizer {
  private final int parallelism;
  private final int minParallel;
  private final ExecutorService pool;

  public Parallelizer(int parallelism, int minParallel) {
    this.parallelism = Math.max(1, parallelism);
    this.minParallel = minParallel;
    this.pool = this.parallelism <= 1 ? null : Executors.newFixedThreadPool(this.parallelism - 1, r -> {
      Thread t = new Thread(r, "kemu-scheduler-parallel");
      t.setDaemon(true);
      return t;
    });
  }

  /** Sequential: for tests and small profiles. */
  public static final Parallelizer SEQUENTIAL = new Parallelizer(1, Integer.MAX_VALUE);

  public int parallelism() {
    return parallelism;
  }

  public void until(int pieces, IntConsumer work) {
    until(pieces, work, null);
  }

  /** chunkSizeFor: sqrt(n), at most n/parallelism + 1, at least 1. */
  static int chunkSize(int n, int parallelism) {
    int s = (int) Math.sqrt(n);
    int r = n / parallelism + 1;
    return Math.max(1, Math.min(s, r));
  }

  public void until(int pieces, IntConsumer work, AtomicBoolean stop) {
    until(pieces, pieces, work, stop);
  }

  /**
   * As {@link #until(int, IntConsumer, AtomicBoolean)}, deciding whether to hand work over by {@code expected}, the
   * pieces likely to run before {@code stop} is set (Filter stops after numFeasibleNodesToFind feasible nodes: 500
   * of 5,000 nodes are evaluated when all fit, too few to pay for waking another thread).
   */
  public void until(int pieces, int expected, IntConsumer work, AtomicBoolean stop) {
    if (pieces <= 0) {
      return;
    }
    if (pool == null || Math.min(pieces, expected) < minParallel) {
      for (int i = 0; i < pieces; i++) {
        if (stop != null && stop.get()) {
          return;
        }
        work.accept(i);
      }
      return;
    }
    int chunk = chunkSize(pieces, parallelism);
    AtomicInteger next = new AtomicInteger();
    RuntimeException[] failure = new RuntimeException[1];
    Runnable worker = () -> {
      try {
        while (stop == null || !stop.get()) {
          int start = next.getAndAdd(chunk);
          if (start >= pieces) {
            return;
          }
          int end = Math.min(pieces, start + chunk);
          for (int i = start; i < end; i++) {
            if (stop != null && stop.get()) {
              return;
            }
            work.accept(i);
          }
        }
      } catch (RuntimeException e) {
        synchronized (failure) {
          failure[0] = e;
        }
        if (stop != null) {
          stop.set(true);
        }
      }
    };
    int helpers = Math.min(parallelism - 1, (pieces + chunk - 1) / chunk - 1);
    // Only the helpers that start before the work is over are waited for: on a busy machine a helper thread may
    // get a CPU only after the calling thread has done every chunk, and waiting for it to say so costs an OS
    // scheduling delay (milliseconds) per cycle. active counts the calling thread and the helpers at work; once it
    // drops to 0 latecomers return without touching anything.
    AtomicInteger active = new AtomicInteger(1);
    Thread caller = Thread.currentThread();
    for (int h = 0; h < helpers; h++) {
      pool.execute(() -> {
        int a;
        do {
          a = active.get();
          if (a == 0) {
            return;
          }
        } while (!active.compareAndSet(a, a + 1));
        try {
          worker.run();
        } finally {
          if (active.decrementAndGet() == 0) {
            LockSupport.unpark(caller);
          }
        }
      });
    }
    worker.run();
    if (active.decrementAndGet() != 0) {
      while (active.get() != 0) {
        LockSupport.park(this);
      }
    }
    synchronized (failure) {
      if (failure[0] != null) {
        throw failure[0];
      }
    }
  }

  public void shutdown() {
    if (pool != null) {
      pool.shutdownNow();
    }
  }
}
