package io.kemu.kubelet.shell;

import io.kemu.api.TimeScale;
import io.kemu.kubelet.runtime.ImageCatalog;
import io.kemu.kubelet.runtime.Images;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.net.ClusterNet;
import io.kemu.kubelet.runtime.net.PodNet;
import io.kemu.kubelet.runtime.proc.InStream;
import io.kemu.kubelet.runtime.proc.Kernel;
import io.kemu.kubelet.runtime.proc.Machine;
import io.kemu.kubelet.runtime.proc.OutStream;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.programs.Programs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;

/**
 * A node whose kernel runs on the test's thread with virtual time: tasks run when {@link #runUntil} pumps them,
 * delays advance a virtual clock at once, so a {@code sleep 30} takes no real time.
 */
final class VirtualNode {
  private record Timed(long at, long seq, Runnable task, boolean[] cancelled) {}

  final ClusterNet cluster = new ClusterNet();
  private final ArrayDeque<Runnable> ready = new ArrayDeque<>();
  private final PriorityQueue<Timed> timers = new PriorityQueue<>((a, b) -> a.at != b.at
      ? Long.compare(a.at, b.at) : Long.compare(a.seq, b.seq));
  private long nowNanos;
  private long seq;
  final Instant epoch = Instant.parse("2026-01-01T00:00:00Z");
  final Clock clock = new Clock() {
    @Override
    public java.time.ZoneId getZone() {
      return ZoneOffset.UTC;
    }

    @Override
    public Clock withZone(java.time.ZoneId zone) {
      return this;
    }

    @Override
    public Instant instant() {
      return epoch.plusNanos(nowNanos);
    }
  };
  final Kernel kernel = new Kernel(ready::add, (delay, task) -> {
    boolean[] c = new boolean[1];
    timers.add(new Timed(nowNanos + delay.toNanos(), seq++, task, c));
    return () -> c[0] = true;
  }, TimeScale.REAL, clock);

  /** A container of {@code image} in its own pod (fresh IP) and its captured output. */
  final class Container {
    final Machine machine;
    final PodNet net;
    final ByteArrayOutputStream out = new ByteArrayOutputStream();
    Proc pid1;

    Container(String image, String ip, String namespace, Map<String, String> labels) {
      net = cluster.attach(kernel, ip, namespace, labels, Map.of());
      net.setHostname("pod-" + ip.replace('.', '-'));
      ImageCatalog.Image img = ImageCatalog.image(Images.normalize(image));
      Vfs fs = new Vfs(img.rootCopy(), clock);
      machine = new Machine(kernel, fs, "pod-" + ip.replace('.', '-'), net, Programs.INSTANCE, 0, 0);
    }

    Proc run(List<String> argv) {
      OutStream sink = out::writeBytes;
      Machine.Lookup l = machine.lookup(argv, Map.of("PATH", ImageCatalog.PATH), "/");
      if (!l.found()) {
        throw new IllegalArgumentException("not found: " + argv);
      }
      Map<String, String> env = new HashMap<>(Map.of("PATH", ImageCatalog.PATH, "HOSTNAME", machine.hostname(),
          "HOME", "/root"));
      pid1 = machine.spawn(null, l.argv(), env, "/", InStream.empty(kernel), sink, sink, l.program());
      return pid1;
    }

    Proc sh(String script) {
      return run(List.of("sh", "-c", script));
    }

    String output() {
      return out.toString(StandardCharsets.UTF_8);
    }
  }

  Container container(String image, String ip) {
    return new Container(image, ip, "default", Map.of());
  }

  /** Runs tasks and timers until the condition holds or {@code limit} of virtual time has passed. */
  boolean runUntil(java.util.function.BooleanSupplier done, Duration limit) {
    long end = nowNanos + limit.toNanos();
    int steps = 0;
    while (!done.getAsBoolean()) {
      if (++steps > 5_000_000) {
        throw new IllegalStateException("runaway");
      }
      Runnable r = ready.poll();
      if (r != null) {
        r.run();
        continue;
      }
      Timed t = timers.poll();
      if (t == null || t.at > end) {
        if (t != null) {
          timers.add(t);
        }
        nowNanos = Math.max(nowNanos, end);
        return done.getAsBoolean();
      }
      nowNanos = Math.max(nowNanos, t.at);
      if (!t.cancelled[0]) {
        t.task.run();
      }
    }
    return true;
  }

  /** Runs {@code script} in a busybox container to its end; the exit status. */
  int exitOf(Container c, Duration limit) {
    Proc p = c.pid1;
    if (!runUntil(p::exited, limit)) {
      throw new AssertionError("still running after " + limit + ":\n" + c.output());
    }
    return p.status();
  }

  Duration elapsed() {
    return Duration.ofNanos(nowNanos);
  }
}
