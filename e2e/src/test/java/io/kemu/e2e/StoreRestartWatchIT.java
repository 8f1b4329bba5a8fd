package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Issue 3: when the store JVM restarts, connected apiservers resume their watches from their last revision
 * without a gap or a duplicate. An etcd JVM and an apiserver JVM; {@code kubectl get leases -w} stays connected
 * to the apiserver while the store is killed with SIGKILL twice and restarted, with writes before, between and
 * after. The watch must never end (the apiserver's watch cache resumed instead of relisting) and must show every
 * change exactly once, in resourceVersion order.
 */
class StoreRestartWatchIT {

  @Test
  void apiserverWatchesResumeAcrossStoreRestartsWithoutGapOrDuplicate() throws Exception {
    Path runDir = Files.createTempDirectory("kemu-restart-watch-");
    int etcdPort = KemuCluster.freePort();
    int apiPort = KemuCluster.freePort();
    int httpsPort = KemuCluster.freePort();
    List<String> seeds = List.of("--seed", "127.0.0.1:" + etcdPort, "--seed", "127.0.0.1:" + apiPort);
    run(runDir, Duration.ofSeconds(60), "java", "-cp", KemuJvm.classpath(), "io.kemu.conf.Kemu", "init", "--run-dir",
        runDir.toString(), "--nodes", "1", "--apiserver-port", Integer.toString(httpsPort));
    List<String> etcdArgs = new ArrayList<>(List.of("--role", "etcd", "--port", Integer.toString(etcdPort)));
    etcdArgs.addAll(seeds);
    etcdArgs.addAll(List.of("--run-dir", runDir.toString()));
    List<String> apiArgs = new ArrayList<>(List.of("--role", "apiserver", "--port", Integer.toString(apiPort),
        "--apiserver-port", Integer.toString(httpsPort)));
    apiArgs.addAll(seeds);
    apiArgs.addAll(List.of("--run-dir", runDir.toString()));
    Process watch = null;
    try (KemuJvm etcd = new KemuJvm("etcd", runDir, "512m", etcdArgs);
         KemuJvm api = new KemuJvm("apiserver", runDir, "768m", apiArgs)) {
      etcd.start();
      api.start();
      awaitWritable(runDir, "lease-probe", etcd, api);

      Path out = runDir.resolve("watch.txt");
      // no --request-timeout here: kubectl would pass it on as the watch's timeoutSeconds
      watch = new ProcessBuilder(kubectlNoTimeout(runDir, "get", "leases", "-n", "default", "-w", "--output-watch-events",
          "-o", "custom-columns=EVENT:.type,NAME:.object.metadata.name,RV:.object.metadata.resourceVersion",
          "--no-headers")).redirectErrorStream(true).redirectOutput(out.toFile()).start();
      KemuCluster.await("the watch to list (output so far: " + out + ")", Duration.ofSeconds(30),
          () -> read(out).contains("lease-probe"));

      Map<String, Integer> expected = new HashMap<>(Map.of("ADDED lease-probe", 1));
      apply(runDir, leases(0, 10, "a"));                               // 10 ADDED
      expect(expected, "ADDED", 0, 10);

      etcd.kill9();
      etcd.start();
      awaitWritable(runDir, "lease-after-first-restart", etcd, api);   // 1 ADDED
      expected.merge("ADDED lease-after-first-restart", 1, Integer::sum);
      apply(runDir, leases(10, 20, "a"));                              // 10 ADDED
      expect(expected, "ADDED", 10, 20);
      apply(runDir, leases(0, 5, "b"));                                // 5 MODIFIED
      expect(expected, "MODIFIED", 0, 5);
      assertTrue(run(runDir, Duration.ofSeconds(60), kubectl(runDir, "delete", "leases", "-n", "default",
          "lease-5", "lease-6", "lease-7")).contains("deleted"));      // 3 DELETED
      expect(expected, "DELETED", 5, 8);

      etcd.kill9();
      etcd.start();
      awaitWritable(runDir, "lease-after-second-restart", etcd, api);  // 1 ADDED
      expected.merge("ADDED lease-after-second-restart", 1, Integer::sum);
      apply(runDir, leases(20, 25, "a"));                              // 5 ADDED
      expect(expected, "ADDED", 20, 25);

      int total = expected.values().stream().mapToInt(Integer::intValue).sum();
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (lines(out).size() < total && System.nanoTime() < deadline) {
        Thread.sleep(200);
      }
      if (lines(out).size() < total) {
        fail("only " + lines(out).size() + " of " + total + " watch events (kubectl "
            + (watch.isAlive() ? "still watching" : "exited " + watch.exitValue()) + "):\n" + read(out) + "\napiserver log:\n"
            + api.logTail(60) + "\netcd log:\n" + etcd.logTail(30));
      }
      Thread.sleep(1500); // anything duplicated would arrive now
      assertTrue(watch.isAlive(), "kubectl's watch ended (the apiserver closed it instead of resuming):\n" + read(out));

      Map<String, Integer> seen = new HashMap<>();
      long lastRv = 0;
      for (String line : lines(out)) {
        String[] f = line.trim().split("\\s+");
        if (f.length < 3) {
          fail("unexpected watch output line: " + line + "\n" + read(out));
        }
        long rv = Long.parseLong(f[2]);
        // a deletion carries the deleting revision, like kube's watch cache
        assertTrue(rv > lastRv, "resourceVersion " + rv + " after " + lastRv + " (out of order or duplicate):\n"
            + read(out));
        lastRv = rv;
        seen.merge(f[0] + " " + f[1], 1, Integer::sum);
      }
      assertEquals(new java.util.TreeMap<>(expected), new java.util.TreeMap<>(seen),
          "every change exactly once:\n" + read(out));
    } finally {
      if (watch != null) {
        watch.destroyForcibly();
      }
      KemuCluster.deleteRecursively(runDir);
    }
  }

  private static void expect(Map<String, Integer> expected, String type, int from, int to) {
    for (int i = from; i < to; i++) {
      expected.merge(type + " lease-" + i, 1, Integer::sum);
    }
  }

  private static String leases(int from, int to, String holder) {
    StringBuilder b = new StringBuilder("apiVersion: v1\nkind: List\nitems:\n");
    for (int i = from; i < to; i++) {
      b.append("- apiVersion: coordination.k8s.io/v1\n  kind: Lease\n  metadata:\n    name: lease-").append(i)
          .append("\n    namespace: default\n  spec:\n    holderIdentity: ").append(holder).append("\n");
    }
    return b.toString();
  }

  /** kubectl apply is idempotent: a retry after an ambiguous failure creates or changes nothing twice. */
  private static void apply(Path runDir, String yaml) throws Exception {
    Path f = Files.createTempFile(runDir, "objects", ".yaml");
    Files.writeString(f, yaml);
    for (int attempt = 0; ; attempt++) {
      try {
        run(runDir, Duration.ofSeconds(60), kubectl(runDir, "apply", "--validate=false", "-f", f.toString()));
        return;
      } catch (AssertionError e) {
        if (attempt >= 5) {
          throw e;
        }
        Thread.sleep(1000);
      }
    }
  }

  /** Waits until the apiserver can write through the (possibly restarted) store: creates one lease. */
  private static void awaitWritable(Path runDir, String name, KemuJvm etcd, KemuJvm api) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    String yaml = leases(0, 0, "x") + "- apiVersion: coordination.k8s.io/v1\n  kind: Lease\n  metadata:\n    name: "
        + name + "\n    namespace: default\n";
    Path f = Files.createTempFile(runDir, "probe", ".yaml");
    Files.writeString(f, yaml);
    AssertionError last = null;
    while (System.nanoTime() < deadline) {
      if (!etcd.isAlive() || !api.isAlive()) {
        fail("a JVM died:\n" + etcd.logTail(30) + "\n" + api.logTail(30));
      }
      try {
        run(runDir, Duration.ofSeconds(30), kubectl(runDir, "apply", "--validate=false", "-f", f.toString()));
        return;
      } catch (AssertionError e) {
        last = e;
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the apiserver never became writable: " + (last == null ? "" : last.getMessage())
        + "\n" + api.logTail(30));
  }

  private static List<String> kubectlNoTimeout(Path runDir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", runDir.resolve("kubeconfig").toString(),
        "--cache-dir", runDir.resolve("kubectl-cache").toString()));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static List<String> kubectl(Path runDir, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", runDir.resolve("kubeconfig").toString(),
        "--cache-dir", runDir.resolve("kubectl-cache").toString(), "--request-timeout=20s"));
    cmd.addAll(List.of(args));
    return cmd;
  }

  private static String run(Path runDir, Duration timeout, String... cmd) throws Exception {
    return run(runDir, timeout, List.of(cmd));
  }

  private static String run(Path runDir, Duration timeout, List<String> cmd) throws Exception {
    Path out = Files.createTempFile(runDir, "cmd", ".txt");
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("timed out: " + String.join(" ", cmd));
    }
    String text = Files.readString(out);
    if (p.exitValue() != 0) {
      throw new AssertionError(String.join(" ", cmd) + " failed (" + p.exitValue() + "): " + text);
    }
    return text;
  }

  private static String read(Path f) {
    try {
      return Files.readString(f, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "";
    }
  }

  private static List<String> lines(Path f) {
    return read(f).lines().filter(l -> !l.isBlank()).toList();
  }
}
