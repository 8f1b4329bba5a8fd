package io.kemu.conf.bench;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;
import java.util.function.Supplier;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.javadsl.Sink;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * A scheduler throughput benchmark shaped like kube-scheduler's scheduler_perf {@code SchedulingBasic}: create
 * the nodes (scheduler_perf's node-default.yaml), then the init pods, then the measured pods (pod-default.yaml),
 * all through the apiserver, and time the measured pods from the first creation to the last binding as seen by a
 * pod watch. The client joins the cluster like any component and calls the apiserver's in-cluster endpoint.
 */
@Command(name = "bench-scheduler", mixinStandardHelpOptions = true,
    description = "Measure pods bound per second through the real apiserver, store and scheduler.")
public final class SchedulerBench implements Callable<Integer> {
  @Option(names = "--run-dir", defaultValue = "run", description = "Run directory of the cluster.")
  Path runDir;

  @Option(names = "--port", required = true, description = "Pekko remoting port of this client.")
  int port;

  @Option(names = "--seed", required = true, description = "host:port of a seed node (repeatable).")
  List<String> seeds = new ArrayList<>();

  @Option(names = "--nodes", defaultValue = "5000", description = "Nodes to create (default ${DEFAULT-VALUE}).")
  int nodes;

  @Option(names = "--init-pods", defaultValue = "1000",
      description = "Pods created and bound before measuring, as SchedulingBasic's initPods (default ${DEFAULT-VALUE}).")
  int initPods;

  @Option(names = "--pods", defaultValue = "10000", description = "Measured pods (default ${DEFAULT-VALUE}).")
  int pods;

  @Option(names = "--concurrency", defaultValue = "200", description = "Creations in flight (default ${DEFAULT-VALUE}).")
  int concurrency;

  @Option(names = "--scheduler-metrics", description = "URL of the scheduler's /metrics, to wait until it sees every node.")
  String schedulerMetrics;

  @Option(names = "--timeout", defaultValue = "600", description = "Seconds to wait for the bindings (default ${DEFAULT-VALUE}).")
  int timeoutSeconds;

  private final PrintStream out = System.out;
  private final PrintStream progress = System.err;

  /** When the measured pods were sent and seen bound (nanoTime), by name. */
  private final Map<String, Long> created = new ConcurrentHashMap<>();
  private final Map<String, Long> bound = new ConcurrentHashMap<>();
  private final AtomicInteger boundCount = new AtomicInteger();
  private final AtomicInteger initBound = new AtomicInteger();

  @Override
  public Integer call() throws Exception {
    Map<String, Object> m = new HashMap<>();
    m.put("pekko.remote.artery.canonical.port", port);
    m.put("pekko.cluster.seed-nodes", seeds.stream().map(s -> "pekko://kemu@" + s).toList());
    m.put("pekko.cluster.roles", List.of("bench"));
    m.put("pekko.coordinated-shutdown.exit-jvm", "off");
    Config config = ConfigFactory.parseMap(m).withFallback(ConfigFactory.parseResources("kemu-common.conf"))
        .withFallback(ConfigFactory.load()).resolve();
    ActorSystem<Void> system = ActorSystem.create(Behaviors.empty(), "kemu", config);
    try {
      return run(system);
    } finally {
      system.terminate();
      system.getWhenTerminated().toCompletableFuture().get(30, TimeUnit.SECONDS);
    }
  }

  private int run(ActorSystem<Void> system) throws Exception {
    String token = TokenFile.tokenFor(runDir.resolve("pki/tokens.csv"), "admin");
    ApiClient client = ApiClient.create(system, token, Duration.ofSeconds(60));
    long waitStart = System.nanoTime();
    while (!client.isConnected()) {
      if (System.nanoTime() - waitStart > TimeUnit.SECONDS.toNanos(60)) {
        progress.println("bench: no apiserver reachable after 60 s");
        return 1;
      }
      Thread.sleep(100);
    }
    String ns = "sched-bench";
    Namespace namespace = new NamespaceBuilder().withNewMetadata().withName(ns).endMetadata().build();
    ignoreConflict(client.create(namespace)).get(60, TimeUnit.SECONDS);

    out.printf("bench: SchedulingBasic: %d nodes, %d init pods, %d measured pods, %d creations in flight%n",
        nodes, initPods, pods, concurrency);
    long t0 = System.nanoTime();
    createAll("nodes", nodes, i -> client.create(node(i)));
    out.printf("bench: created %d nodes in %.1f s%n", nodes, seconds(System.nanoTime() - t0));
    awaitSchedulerNodes();

    // one watch of the bound pods of the namespace (a pod enters it when it gets its node): a pod counts as bound
    // on its first event
    ListOptions boundPods = ListOptions.fields("spec.nodeName!=");
    var list = client.list(Pod.class, ns, boundPods).toCompletableFuture().get(60, TimeUnit.SECONDS);
    var source = client.watch(Pod.class, ns, boundPods.withResourceVersion(list.resourceVersion()))
        .toCompletableFuture().get(60, TimeUnit.SECONDS);
    var watchDone = source.runWith(Sink.foreach(e -> {
      if (e.object() == null || e.object().getSpec().getNodeName() == null) {
        return;
      }
      String name = e.object().getMetadata().getName();
      long now = System.nanoTime();
      if (name.startsWith("init-")) {
        if (bound.putIfAbsent(name, now) == null) {
          initBound.incrementAndGet();
        }
      } else if (bound.putIfAbsent(name, now) == null) {
        boundCount.incrementAndGet();
      }
    }), Materializer.matFromSystem(system));

    if (initPods > 0) {
      long ti = System.nanoTime();
      createAll("init pods", initPods, i -> create(client, pod(ns, "init-" + i)));
      awaitCount("init pods bound", initBound, initPods, ti);
      out.printf("bench: %d init pods bound in %.1f s%n", initPods, seconds(System.nanoTime() - ti));
    }

    long start = System.nanoTime();
    Thread reporter = new Thread(() -> report(start), "bench-progress");
    reporter.setDaemon(true);
    reporter.start();
    createAll("pods", pods, i -> {
      String name = "pod-" + i;
      created.put(name, System.nanoTime());
      return create(client, pod(ns, name));
    });
    long createdAll = System.nanoTime();
    boolean done = awaitCount("pods bound", boundCount, pods, start);
    reporter.interrupt();
    if (!watchDone.toCompletableFuture().isDone()) {
      watchDone.toCompletableFuture().cancel(true);
    }
    summarize(start, createdAll, done);
    return done ? 0 : 1;
  }

  private void summarize(long start, long createdAll, boolean done) {
    long last = bound.entrySet().stream().filter(e -> e.getKey().startsWith("pod-")).mapToLong(Map.Entry::getValue)
        .max().orElse(start);
    long[] latencies = created.entrySet().stream().filter(e -> bound.containsKey(e.getKey()))
        .mapToLong(e -> bound.get(e.getKey()) - e.getValue()).sorted().toArray();
    int buckets = (int) Math.ceil(seconds(last - start)) + 1;
    int[] perSecond = new int[Math.max(1, buckets)];
    bound.forEach((name, t) -> {
      if (name.startsWith("pod-")) {
        int b = (int) ((t - start) / 1_000_000_000L);
        perSecond[Math.min(Math.max(b, 0), perSecond.length - 1)]++;
      }
    });
    out.println("bench: pods bound per second, 1 s buckets from the first creation:");
    for (int i = 0; i < perSecond.length; i++) {
      out.printf("bench:   %3d s  %6d  %s%n", i + 1, perSecond[i], "#".repeat(Math.min(60, perSecond[i] / 25)));
    }
    double elapsed = seconds(last - start);
    double rate = latencies.length / Math.max(elapsed, 1e-9);
    out.printf("bench: created %d pods in %.2f s (%.0f/s)%n", created.size(), seconds(createdAll - start),
        created.size() / Math.max(seconds(createdAll - start), 1e-9));
    out.printf("bench: %d of %d pods bound in %.2f s from the first creation to the last binding%n", latencies.length,
        pods, elapsed);
    if (latencies.length > 0) {
      out.printf("bench: creation to bound: p50 %.0f ms, p90 %.0f ms, p99 %.0f ms, max %.0f ms%n",
          pct(latencies, 50), pct(latencies, 90), pct(latencies, 99), latencies[latencies.length - 1] / 1e6);
    }
    Map<String, Double> m = schedulerMetrics();
    double algoCount = m.getOrDefault("scheduler_scheduling_algorithm_duration_seconds_count", 0.0);
    if (algoCount > 0) {
      out.printf("bench: scheduler: %.0f scheduling cycles, algorithm %.2f ms on average (Filter+Score)%n", algoCount,
          1000 * m.getOrDefault("scheduler_scheduling_algorithm_duration_seconds_sum", 0.0) / algoCount);
    }
    if (!done) {
      out.println("bench: timed out before every pod was bound");
    }
    out.printf("RESULT pods_per_second=%.0f nodes=%d pods=%d%n", rate, nodes, pods);
  }

  private static double pct(long[] sorted, int p) {
    int i = (int) Math.ceil(p / 100.0 * sorted.length) - 1;
    return sorted[Math.max(0, Math.min(i, sorted.length - 1))] / 1e6;
  }

  private void report(long start) {
    int previous = 0;
    try {
      while (!Thread.currentThread().isInterrupted()) {
        Thread.sleep(1000);
        int now = boundCount.get();
        progress.printf("bench: %5.1f s  created %6d/%d  bound %6d/%d  (+%d/s)%s%n", seconds(System.nanoTime() - start),
            created.size(), pods, now, pods, now - previous, schedulerState());
        previous = now;
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private boolean awaitCount(String what, AtomicInteger counter, int target, long since) throws InterruptedException {
    long deadline = since + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (counter.get() < target) {
      if (System.nanoTime() > deadline) {
        progress.printf("bench: %s: only %d of %d after %d s%n", what, counter.get(), target, timeoutSeconds);
        return false;
      }
      Thread.sleep(5);
    }
    return true;
  }

  /** Runs {@code count} creations with at most {@code concurrency} in flight; retries on 429/5xx. */
  private void createAll(String what, int count, IntFunction<java.util.concurrent.CompletionStage<?>> create)
      throws InterruptedException {
    Semaphore inFlight = new Semaphore(concurrency);
    AtomicLong failures = new AtomicLong();
    for (int i = 0; i < count; i++) {
      inFlight.acquire();
      int n = i;
      submit(() -> create.apply(n), inFlight, failures, 0);
    }
    inFlight.acquire(concurrency);
    if (failures.get() > 0) {
      progress.printf("bench: %d %s could not be created%n", failures.get(), what);
    }
  }

  private void submit(Supplier<java.util.concurrent.CompletionStage<?>> call, Semaphore inFlight, AtomicLong failures,
                      int attempt) {
    call.get().whenComplete((x, err) -> {
      if (err == null) {
        inFlight.release();
        return;
      }
      StatusException se = StatusException.of(err);
      if (se != null && se.isAlreadyExists()) {
        inFlight.release();
      } else if (attempt < 5 && (se == null || se.code() == 429 || se.code() >= 500)) {
        CompletableFuture.delayedExecutor(100L << attempt, TimeUnit.MILLISECONDS)
            .execute(() -> submit(call, inFlight, failures, attempt + 1));
      } else {
        progress.println("bench: creation failed: " + err);
        failures.incrementAndGet();
        inFlight.release();
      }
    });
  }

  private static <T> CompletableFuture<T> ignoreConflict(java.util.concurrent.CompletionStage<T> s) {
    return s.toCompletableFuture().exceptionally(err -> {
      StatusException se = StatusException.of(err);
      if (se != null && se.isAlreadyExists()) {
        return null;
      }
      throw new java.util.concurrent.CompletionException(err);
    });
  }

  /** The scheduler's metrics as name{labels} -> value (empty when it is not asked for or does not answer). */
  private Map<String, Double> schedulerMetrics() {
    Map<String, Double> out = new HashMap<>();
    if (schedulerMetrics == null || schedulerMetrics.isEmpty()) {
      return out;
    }
    try {
      String body = metricsHttp.send(HttpRequest.newBuilder(URI.create(schedulerMetrics))
          .timeout(Duration.ofSeconds(2)).build(), HttpResponse.BodyHandlers.ofString()).body();
      for (String line : body.split("\n")) {
        int sp = line.lastIndexOf(' ');
        if (line.startsWith("#") || sp < 0) {
          continue;
        }
        try {
          out.put(line.substring(0, sp).replace(",profile=\"default-scheduler\"", "")
                  .replace("profile=\"default-scheduler\",", ""),
              Double.parseDouble(line.substring(sp + 1)));
        } catch (NumberFormatException e) {
          // not a sample
        }
      }
    } catch (java.io.IOException e) {
      // no answer this time
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    return out;
  }

  /** Where the pods wait inside the scheduler: activeQ, bindings in flight and waiting for a slot. */
  private String schedulerState() {
    Map<String, Double> m = schedulerMetrics();
    if (m.isEmpty()) {
      return "";
    }
    return String.format("  scheduler: activeQ %.0f, bindings in flight %.0f (+%.0f waiting), attempts %.0f",
        m.getOrDefault("scheduler_pending_pods{queue=\"active\"}", 0.0),
        m.getOrDefault("kemu_scheduler_bindings_in_flight{state=\"in_flight\"}", 0.0),
        m.getOrDefault("kemu_scheduler_bindings_in_flight{state=\"waiting\"}", 0.0),
        m.getOrDefault("scheduler_schedule_attempts_total{result=\"scheduled\"}", 0.0));
  }

  private final HttpClient metricsHttp = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

  /** Polls the scheduler's scheduler_cache_size{type="nodes"} until it counts every node. */
  private void awaitSchedulerNodes() throws InterruptedException {
    if (schedulerMetrics == null || schedulerMetrics.isEmpty()) {
      Thread.sleep(3000);
      return;
    }
    HttpClient http = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (System.nanoTime() < deadline) {
      try {
        String body = http.send(HttpRequest.newBuilder(URI.create(schedulerMetrics)).build(),
            HttpResponse.BodyHandlers.ofString()).body();
        for (String line : body.split("\n")) {
          if (line.startsWith("scheduler_cache_size{type=\"nodes\"}")) {
            double v = Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
            if (v >= nodes) {
              return;
            }
          }
        }
      } catch (java.io.IOException | NumberFormatException e) {
        // not up yet
      }
      Thread.sleep(200);
    }
    progress.println("bench: the scheduler did not report every node within 120 s; going on");
  }

  /** POST without decoding the answer: the benchmark needs only to know it succeeded. */
  private static java.util.concurrent.CompletionStage<byte[]> create(ApiClient client, Pod pod) {
    return client.call(io.kemu.api.ApiServerProtocol.Verb.CREATE,
        io.kemu.api.ApiServerProtocol.Target.of(io.kemu.api.Resources.PODS, pod.getMetadata().getNamespace(), null),
        Map.of(), io.kemu.api.KubeJson.bytes(pod), "application/json");
  }

  /** scheduler_perf's templates/node-default.yaml. */
  static Node node(int i) {
    return new NodeBuilder().withNewMetadata().withName("scheduler-perf-" + i)
        .addToLabels("kubernetes.io/hostname", "scheduler-perf-" + i).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withCapacity(Map.of("pods", new Quantity("110"), "cpu", new Quantity("4"),
            "memory", new Quantity("32Gi")))
        .addNewCondition().withType("Ready").withStatus("True").endCondition().withPhase("Running").endStatus()
        .build();
  }

  /** scheduler_perf's templates/pod-default.yaml. */
  static Pod pod(String ns, String name) {
    Map<String, Quantity> res = Map.of("cpu", new Quantity("100m"), "memory", new Quantity("500Mi"));
    return new PodBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
        .withNewSpec().addNewContainer().withName("pause").withImage("registry.k8s.io/pause:3.10")
        .addNewPort().withContainerPort(80).endPort()
        .withNewResources().withRequests(res).withLimits(res).endResources().endContainer().endSpec().build();
  }

  private static double seconds(long nanos) {
    return nanos / 1e9;
  }
}
