package io.kemu.bench;

import io.kemu.conf.ClientNode;
import io.kemu.etcd.client.StoreClient;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BiFunction;
import org.apache.pekko.actor.typed.ActorSystem;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * The same workloads against kemu's etcd-store and real etcd, one after the other, from this one client JVM:
 * puts of 256-byte values from 1, 16 and 256 concurrent clients, ranges of 1,000 keys, and a watch fan-out of
 * 1,000 watchers on one prefix while writing. Closed loops: each client has one request in flight. Prints
 * ops/s and p50/p99 latency per store and workload, the kemu/etcd ratios, and last the RESULT line.
 */
@Command(name = "bench-store", mixinStandardHelpOptions = true,
    description = "Benchmark kemu's etcd-store against real etcd (run by scripts/bench-store.sh).")
public final class BenchStore implements Callable<Integer> {
  @Option(names = "--kemu", description = "host:port of the kemu store JVM to join (empty: skip kemu).")
  String kemuSeed = "";

  @Option(names = "--etcd", description = "client URL of real etcd (empty: skip etcd).")
  String etcdEndpoint = "";

  @Option(names = "--duration", defaultValue = "10", description = "Measured seconds per workload (default ${DEFAULT-VALUE}).")
  int seconds;

  @Option(names = "--warmup", defaultValue = "3", description = "Unmeasured seconds first (default ${DEFAULT-VALUE}).")
  int warmup;

  @Option(names = "--workloads", split = ",", defaultValue = "put-1,put-16,put-256,range-1000,watch-1000",
      description = "Which workloads (default ${DEFAULT-VALUE}).")
  List<String> workloads;

  @Option(names = "--watch-puts", defaultValue = "400", description = "Puts during the watch fan-out (default ${DEFAULT-VALUE}).")
  int watchPuts;

  @Option(names = "--out", defaultValue = "run/bench", description = "Where the CSV and the HTML chart go.")
  Path out;

  static final int VALUE_SIZE = 256;

  /** One measured workload on one store. */
  record Result(String workload, String store, long ops, double seconds, long errors, long[] latNanos) {
    double opsPerSec() {
      return ops / seconds;
    }

    double pct(double p) {
      if (latNanos.length == 0) {
        return Double.NaN;
      }
      int i = (int) Math.min(latNanos.length - 1, Math.ceil(p * latNanos.length) - 1);
      return latNanos[Math.max(0, i)] / 1e6;
    }
  }

  private final ScheduledExecutorService ticker = Executors.newSingleThreadScheduledExecutor(r -> {
    Thread t = new Thread(r, "bench-progress");
    t.setDaemon(true);
    return t;
  });

  public static void main(String[] args) {
    int code = new CommandLine(new BenchStore()).execute(args);
    System.exit(code);
  }

  @Override
  public Integer call() throws Exception {
    List<Backend> backends = new ArrayList<>();
    ActorSystem<Void> system = null;
    if (!kemuSeed.isEmpty()) {
      system = ClientNode.start(ClientNode.config("bench", List.of(kemuSeed), 0, Map.of()), Duration.ofSeconds(60));
      StoreClient client = new StoreClient(system, Duration.ofSeconds(30));
      client.status().toCompletableFuture().get(60, TimeUnit.SECONDS);
      backends.add(new Backend.Kemu(client));
    }
    if (!etcdEndpoint.isEmpty()) {
      backends.add(new Backend.Etcd(etcdEndpoint));
    }
    List<Result> results = new ArrayList<>();
    try {
      for (String w : workloads) {
        for (Backend b : backends) {
          Result r = run(w, b);
          results.add(r);
          System.out.printf(Locale.ROOT, "  %-11s %-5s %10.0f ops/s  p50 %8.2f ms  p99 %8.2f ms%s%n", r.workload(),
              r.store(), r.opsPerSec(), r.pct(0.50), r.pct(0.99), r.errors() > 0 ? "  (" + r.errors() + " errors)" : "");
        }
      }
    } finally {
      for (Backend b : backends) {
        b.close();
      }
      if (system != null) {
        ClientNode.stop(system, Duration.ofSeconds(10));
      }
    }
    report(results);
    return 0;
  }

  // ---------------------------------------------------------------- workloads

  private Result run(String workload, Backend b) throws Exception {
    String label = "[" + b.name() + " " + workload + "]";
    if (workload.startsWith("put-")) {
      int clients = Integer.parseInt(workload.substring(4));
      String prefix = "/bench/put" + clients + "/";
      Result r = closedLoop(label, workload, b, clients, (c, n) ->
          b.put(prefix + c + "/" + n, value(System.nanoTime())));
      b.deletePrefix(prefix).toCompletableFuture().get(120, TimeUnit.SECONDS);
      return r;
    }
    if (workload.startsWith("range-")) {
      int keys = Integer.parseInt(workload.substring(6));
      String prefix = "/bench/range/";
      System.out.printf("%s loading %d keys%n", label, keys);
      List<CompletableFuture<?>> loads = new ArrayList<>();
      for (int i = 0; i < keys; i++) {
        loads.add(b.put(String.format("%s%06d", prefix, i), value(i)).toCompletableFuture());
        if (loads.size() >= 64) {
          CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
          loads.clear();
        }
      }
      CompletableFuture.allOf(loads.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      int n = b.rangePrefix(prefix).toCompletableFuture().get(60, TimeUnit.SECONDS);
      if (n != keys) {
        throw new IllegalStateException(b.name() + ": range returned " + n + " keys, expected " + keys);
      }
      Result r = closedLoop(label, workload, b, 16, (c, i) -> b.rangePrefix(prefix));
      b.deletePrefix(prefix).toCompletableFuture().get(60, TimeUnit.SECONDS);
      return r;
    }
    if (workload.startsWith("watch-")) {
      return watchFanOut(label, workload, b, Integer.parseInt(workload.substring(6)));
    }
    throw new IllegalArgumentException("unknown workload " + workload);
  }

  /** Each client sends its next request when the previous one is answered; latency from send to answer. */
  private Result closedLoop(String label, String workload, Backend b, int clients,
                            BiFunction<Integer, Long, CompletionStage<?>> op) throws Exception {
    long start = System.nanoTime();
    long measureFrom = start + TimeUnit.SECONDS.toNanos(warmup);
    long end = measureFrom + TimeUnit.SECONDS.toNanos(seconds);
    LongList[] lat = new LongList[clients];
    AtomicLong done = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    CountDownLatch finished = new CountDownLatch(clients);
    var progress = progress(label, start, measureFrom, end, done);
    for (int c = 0; c < clients; c++) {
      lat[c] = new LongList();
      loop(c, 0, op, lat[c], measureFrom, end, done, errors, finished);
    }
    if (!finished.await(seconds + warmup + 120L, TimeUnit.SECONDS)) {
      throw new IllegalStateException(label + " did not finish");
    }
    progress.cancel(false);
    long total = 0;
    for (LongList l : lat) {
      total += l.size;
    }
    long[] all = new long[(int) total];
    int p = 0;
    for (LongList l : lat) {
      System.arraycopy(l.data, 0, all, p, l.size);
      p += l.size;
    }
    Arrays.sort(all);
    return new Result(workload, b.name(), total, seconds, errors.get(), all);
  }

  private static void loop(int client, long n, BiFunction<Integer, Long, CompletionStage<?>> op, LongList lat,
                           long measureFrom, long end, AtomicLong done, AtomicLong errors, CountDownLatch finished) {
    long t0 = System.nanoTime();
    if (t0 >= end) {
      finished.countDown();
      return;
    }
    CompletionStage<?> f;
    try {
      f = op.apply(client, n);
    } catch (RuntimeException e) {
      f = CompletableFuture.failedFuture(e);
    }
    f.whenComplete((r, e) -> {
      long t1 = System.nanoTime();
      if (e != null) {
        errors.incrementAndGet();
      } else if (t0 >= measureFrom && t1 <= end) {
        lat.add(t1 - t0);
      }
      done.incrementAndGet();
      loop(client, n + 1, op, lat, measureFrom, end, done, errors, finished);
    });
  }

  /**
   * {@code watchers} watchers on one prefix; 8 writers put {@code watchPuts} values carrying their send time.
   * Throughput: events delivered to all watchers per second, from the first put to the last delivery. Latency:
   * from the put's send to each delivery.
   */
  private Result watchFanOut(String label, String workload, Backend b, int watchers) throws Exception {
    String prefix = "/bench/watch/";
    LongList[] lat = new LongList[watchers];
    AtomicLong delivered = new AtomicLong();
    AtomicLong syncs = new AtomicLong();
    List<AutoCloseable> handles = new ArrayList<>();
    System.out.printf("%s starting %d watchers%n", label, watchers);
    for (int i = 0; i < watchers; i++) {
      LongList l = lat[i] = new LongList();
      handles.add(b.watchPrefix(prefix, v -> {
        long sent = ByteBuffer.wrap(v).getLong();
        if (sent == Long.MIN_VALUE) {
          syncs.incrementAndGet();
          return;
        }
        long now = System.nanoTime();
        synchronized (l) {
          l.add(now - sent);
        }
        delivered.incrementAndGet();
      }));
    }
    try {
      // Barrier: every watcher is live once it has seen a sync put (repeated until all have).
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (syncs.get() < watchers && System.nanoTime() < deadline) {
        b.put(prefix + "sync", value(Long.MIN_VALUE)).toCompletableFuture().get(30, TimeUnit.SECONDS);
        long wait = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
        while (syncs.get() < watchers && System.nanoTime() < wait) {
          Thread.sleep(20);
        }
        if (syncs.get() < watchers) {
          syncs.set(0);
        }
      }
      if (syncs.get() < watchers) {
        throw new IllegalStateException(label + ": only " + syncs.get() + " of " + watchers + " watchers started");
      }
      long expected = (long) watchPuts * watchers;
      long start = System.nanoTime();
      var progress = progress(label, start, start, start + TimeUnit.SECONDS.toNanos(seconds), delivered);
      AtomicLong next = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      CountDownLatch writersDone = new CountDownLatch(8);
      for (int w = 0; w < 8; w++) {
        writeNext(b, prefix, next, errors, writersDone);
      }
      writersDone.await(120, TimeUnit.SECONDS);
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(180);
      long lastCount = -1;
      long lastChange = System.nanoTime();
      while (delivered.get() < expected - errors.get() * watchers && System.nanoTime() < deadline) {
        Thread.sleep(10);
        if (delivered.get() != lastCount) {
          lastCount = delivered.get();
          lastChange = System.nanoTime();
        } else if (System.nanoTime() - lastChange > TimeUnit.SECONDS.toNanos(20)) {
          break; // nothing more is coming
        }
      }
      long elapsed = System.nanoTime() - start;
      progress.cancel(false);
      long total = 0;
      for (LongList l : lat) {
        total += l.size;
      }
      long[] all = new long[(int) total];
      int p = 0;
      for (LongList l : lat) {
        synchronized (l) {
          System.arraycopy(l.data, 0, all, p, l.size);
          p += l.size;
        }
      }
      Arrays.sort(all);
      long missing = expected - total;
      return new Result(workload, b.name(), total, elapsed / 1e9, missing + errors.get(), all);
    } finally {
      for (AutoCloseable h : handles) {
        h.close();
      }
      b.deletePrefix(prefix).toCompletableFuture().get(60, TimeUnit.SECONDS);
    }
  }

  private void writeNext(Backend b, String prefix, AtomicLong next, AtomicLong errors, CountDownLatch done) {
    long n = next.getAndIncrement();
    if (n >= watchPuts) {
      done.countDown();
      return;
    }
    b.put(prefix + n, value(System.nanoTime())).whenComplete((r, e) -> {
      if (e != null) {
        errors.incrementAndGet();
      }
      writeNext(b, prefix, next, errors, done);
    });
  }

  /** 256 bytes; the first 8 carry a long (a send time for the watch workload). */
  static byte[] value(long stamp) {
    byte[] v = new byte[VALUE_SIZE];
    ByteBuffer.wrap(v).putLong(stamp);
    Arrays.fill(v, 8, v.length, (byte) 'x');
    return v;
  }

  private java.util.concurrent.ScheduledFuture<?> progress(String label, long start, long measureFrom, long end,
                                                           AtomicLong done) {
    long[] last = {0, System.nanoTime()};
    return ticker.scheduleAtFixedRate(() -> {
      long now = System.nanoTime();
      long d = done.get();
      double rate = (d - last[0]) / ((now - last[1]) / 1e9);
      last[0] = d;
      last[1] = now;
      String phase = now < measureFrom ? "warm-up" : "measuring";
      System.out.printf(Locale.ROOT, "%s %s %4.0f/%d s: %.0f ops/s%n", label, phase, (now - start) / 1e9,
          TimeUnit.NANOSECONDS.toSeconds(end - start), rate);
    }, 2, 2, TimeUnit.SECONDS);
  }

  // ---------------------------------------------------------------- report

  private void report(List<Result> results) throws IOException {
    Map<String, Map<String, Result>> byWorkload = new LinkedHashMap<>();
    for (Result r : results) {
      byWorkload.computeIfAbsent(r.workload(), k -> new LinkedHashMap<>()).put(r.store(), r);
    }
    System.out.println();
    String head = String.format(Locale.ROOT, "%-11s | %12s %12s %7s | %9s %9s | %9s %9s %7s", "workload", "kemu ops/s",
        "etcd ops/s", "ratio", "kemu p50", "etcd p50", "kemu p99", "etcd p99", "p99 r.");
    System.out.println(head);
    System.out.println("-".repeat(head.length()));
    StringBuilder csv = new StringBuilder("workload,store,ops,seconds,ops_per_s,p50_ms,p99_ms,errors\n");
    for (var e : byWorkload.entrySet()) {
      Result k = e.getValue().get("kemu");
      Result t = e.getValue().get("etcd");
      System.out.printf(Locale.ROOT, "%-11s | %12s %12s %7s | %9s %9s | %9s %9s %7s%n", e.getKey(),
          k == null ? "-" : fmt(k.opsPerSec(), 0), t == null ? "-" : fmt(t.opsPerSec(), 0),
          k == null || t == null ? "-" : fmt(k.opsPerSec() / t.opsPerSec(), 2),
          k == null ? "-" : fmt(k.pct(0.5), 2), t == null ? "-" : fmt(t.pct(0.5), 2),
          k == null ? "-" : fmt(k.pct(0.99), 2), t == null ? "-" : fmt(t.pct(0.99), 2),
          k == null || t == null ? "-" : fmt(k.pct(0.99) / t.pct(0.99), 2));
      for (Result r : e.getValue().values()) {
        csv.append(String.format(Locale.ROOT, "%s,%s,%d,%.3f,%.1f,%.3f,%.3f,%d%n", r.workload(), r.store(), r.ops(),
            r.seconds(), r.opsPerSec(), r.pct(0.5), r.pct(0.99), r.errors()));
      }
    }
    System.out.println("(ops/s: requests answered per second; for watch-N, events delivered per second to all "
        + "watchers. Latency in ms; ratio = kemu / etcd.)");
    Files.createDirectories(out);
    String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss"));
    Path csvFile = out.resolve("bench-store-" + stamp + ".csv");
    Path html = out.resolve("bench-store-" + stamp + ".html");
    Files.writeString(csvFile, csv);
    Files.writeString(html, Chart.html(byWorkload, stamp), StandardCharsets.UTF_8);
    System.out.println("results: " + csvFile.toAbsolutePath() + ", chart: " + html.toAbsolutePath());
    Result k = byWorkload.getOrDefault("put-256", Map.of()).get("kemu");
    Result t = byWorkload.getOrDefault("put-256", Map.of()).get("etcd");
    System.out.printf(Locale.ROOT, "RESULT put256_ratio=%s p99_ratio=%s%n",
        k == null || t == null ? "NA" : fmt(k.opsPerSec() / t.opsPerSec(), 3),
        k == null || t == null ? "NA" : fmt(k.pct(0.99) / t.pct(0.99), 3));
  }

  private static String fmt(double v, int decimals) {
    return Double.isNaN(v) ? "-" : String.format(Locale.ROOT, "%." + decimals + "f", v);
  }

  /** A growable array of longs (latencies in ns). */
  static final class LongList {
    long[] data = new long[1024];
    int size;

    void add(long v) {
      if (size == data.length) {
        data = Arrays.copyOf(data, size * 2);
      }
      data[size++] = v;
    }
  }
}
