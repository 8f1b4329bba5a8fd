package io.kemu.kubelet.runtime.proc;

import io.kemu.api.TimeScale;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.concurrent.Executor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The emulated processes of one node run here: every step of every process (a shell command, a server answering a
 * request, a timer firing) is a task on one serial executor, so the processes, files and sockets of a node are
 * never touched by two threads at once and need no locks. Nothing blocks a thread: waiting (sleep, a child, a pipe,
 * a reply) is a continuation run later. Delays are emulated durations, divided by {@code kemu.time-scale}.
 */
public final class Kernel {
  private static final Logger log = LoggerFactory.getLogger(Kernel.class);

  /** A pending delayed task. */
  public interface Cancellable {
    void cancel();
  }

  /** Where delayed tasks come from: Pekko's scheduler in the kubelet (ManualTime in tests), a virtual clock. */
  public interface Timers {
    Cancellable schedule(Duration realDelay, Runnable task);
  }

  private final SerialExecutor executor;
  private final Timers timers;
  private final TimeScale scale;
  private final Clock clock;

  public Kernel(Executor pool, Timers timers, TimeScale scale, Clock clock) {
    this.executor = new SerialExecutor(pool);
    this.timers = timers;
    this.scale = scale;
    this.clock = clock;
  }

  /** Runs the task on this node's serial executor. */
  public void post(Runnable task) {
    executor.execute(task);
  }

  /** Runs the task on this node's executor after an emulated delay. */
  public Cancellable after(Duration emulated, Runnable task) {
    if (emulated.isZero() || emulated.isNegative()) {
      boolean[] cancelled = new boolean[1];
      post(() -> {
        if (!cancelled[0]) {
          task.run();
        }
      });
      return () -> cancelled[0] = true;
    }
    return timers.schedule(scale.real(emulated), () -> post(task));
  }

  public Instant now() {
    return clock.instant();
  }

  public Clock clock() {
    return clock;
  }

  public TimeScale scale() {
    return scale;
  }

  /** How long, in emulated time, since a wall-clock instant. */
  public Duration emulatedSince(Instant since) {
    Duration real = Duration.between(since, clock.instant());
    return real.isNegative() ? Duration.ZERO : scale.emulated(real);
  }

  /**
   * Runs tasks in submission order, one at a time, on a shared pool; yields the pool thread after a batch so that
   * a busy node (a shell spinning in a loop) cannot starve the others.
   */
  static final class SerialExecutor implements Executor {
    private static final int BATCH = 128;
    private final Executor pool;
    private final ArrayDeque<Runnable> queue = new ArrayDeque<>();
    private boolean scheduled;

    SerialExecutor(Executor pool) {
      this.pool = pool;
    }

    @Override
    public void execute(Runnable task) {
      synchronized (this) {
        queue.add(task);
        if (scheduled) {
          return;
        }
        scheduled = true;
      }
      pool.execute(this::drain);
    }

    private void drain() {
      for (int i = 0; i < BATCH; i++) {
        Runnable r;
        synchronized (this) {
          r = queue.poll();
          if (r == null) {
            scheduled = false;
            return;
          }
        }
        try {
          r.run();
        } catch (RuntimeException | StackOverflowError e) {
          log.error("emulated process step failed", e);
        }
      }
      pool.execute(this::drain);
    }
  }
}
