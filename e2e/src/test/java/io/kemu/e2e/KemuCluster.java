package io.kemu.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import java.util.stream.Stream;

/**
 * A real multi-JVM kemu cluster for a test, started and stopped with the project's scripts on ports and a run
 * directory of its own (two test runs never collide), driven with the machine's kubectl. {@link #close} stops
 * every JVM it started, by PID, even when the scripts fail.
 */
public final class KemuCluster implements AutoCloseable {
  public static final Path ROOT = findRoot();
  private static final ObjectMapper JSON = new ObjectMapper();

  public record Result(int code, String out, String err) {
    public boolean ok() {
      return code == 0;
    }

    public String all() {
      return out + err;
    }
  }

  private final Path runDir;
  private final int apiserverPort;
  private int basePort;
  private int controllerManagers = 1;
  private final int nodes;
  private final int kubeletJvms;
  private final int schedulers;
  private final int schedulerPort;
  private final double timeScale;
  private final List<Long> knownPids = new ArrayList<>();

  public KemuCluster(int nodes, int kubeletJvms, double timeScale) throws IOException {
    this(nodes, kubeletJvms, 1, timeScale);
  }

  public KemuCluster(int nodes, int kubeletJvms, int schedulers, double timeScale) throws IOException {
    this.runDir = Files.createTempDirectory("kemu-e2e-");
    this.nodes = nodes;
    this.kubeletJvms = kubeletJvms;
    this.schedulers = schedulers;
    this.timeScale = timeScale;
    this.apiserverPort = freePort();
    this.basePort = freeRange(3 + schedulers + kubeletJvms);
    this.schedulerPort = freeRange(schedulers);
    Runtime.getRuntime().addShutdownHook(new Thread(this::killAll));
  }

  /** Runs n controller-manager JVMs (one leads through the kube-controller-manager Lease); call before up(). */
  public KemuCluster controllerManagers(int n) throws IOException {
    this.controllerManagers = n;
    this.basePort = freeRange(2 + n + schedulers + kubeletJvms);
    return this;
  }

  /** A cluster started through cluster-up.sh, or an AssertionError with the script's output. */
  public static KemuCluster started(int nodes, int kubeletJvms, double timeScale) throws IOException {
    KemuCluster c = new KemuCluster(nodes, kubeletJvms, timeScale);
    Result r = c.up();
    if (!r.ok()) {
      c.close();
      throw new AssertionError("cluster-up.sh failed: " + r.all());
    }
    return c;
  }

  /** Stops the cluster and fails when one of its JVMs outlived cluster-down.sh and the kill. */
  public static void stop(KemuCluster c) {
    if (c != null) {
      c.close();
      if (!c.alivePids().isEmpty()) {
        throw new AssertionError("JVMs left behind: " + c.alivePids());
      }
    }
  }

  /** The bearer token of a user in the static token file (token,user,uid,"groups"). */
  public String tokenOf(String user) throws IOException {
    for (String line : Files.readAllLines(runDir.resolve("pki/tokens.csv"))) {
      String[] f = line.split(",", 3);
      if (f.length >= 2 && f[1].equals(user)) {
        return f[0];
      }
    }
    throw new AssertionError("no token for " + user);
  }

  public Path runDir() {
    return runDir;
  }

  /** The metrics/health port of scheduler {@code k} (1-based). */
  public int schedulerPort(int k) {
    return schedulerPort + k - 1;
  }

  /** GET on a scheduler's HTTP endpoint, or "" if it does not answer. */
  public String schedulerHttp(int k, String path) {
    try {
      var http = java.net.http.HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
      var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create("http://127.0.0.1:" + schedulerPort(k) + path))
          .timeout(Duration.ofSeconds(5)).build();
      return http.send(req, java.net.http.HttpResponse.BodyHandlers.ofString()).body();
    } catch (IOException e) {
      return "";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "";
    }
  }

  public Result up() {
    Result r = run(List.of("bash", ROOT.resolve("scripts/cluster-up.sh").toString(), "--nodes", Integer.toString(nodes),
        "--kubelet-jvms", Integer.toString(kubeletJvms), "--time-scale", Double.toString(timeScale),
        "--run-dir", runDir.toString(), "--apiserver-port", Integer.toString(apiserverPort),
        "--base-port", Integer.toString(basePort), "--schedulers", Integer.toString(schedulers),
        "--controller-managers", Integer.toString(controllerManagers),
        "--scheduler-port", Integer.toString(schedulerPort), "--timeout", "240"), Duration.ofMinutes(5));
    knownPids.addAll(pids());
    return r;
  }

  public Result down() {
    return run(List.of("bash", ROOT.resolve("scripts/cluster-down.sh").toString(), "--run-dir", runDir.toString()),
        Duration.ofMinutes(2));
  }

  /** kubectl against this cluster, with a discovery cache of its own. */
  public Result kubectl(String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", runDir.resolve("kubeconfig").toString(),
        "--cache-dir", runDir.resolve("kubectl-cache").toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Duration.ofSeconds(60));
  }

  public Result kubectlStdin(String stdin, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", runDir.resolve("kubeconfig").toString(),
        "--cache-dir", runDir.resolve("kubectl-cache").toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Duration.ofSeconds(60), stdin);
  }

  /** kubectl with extra environment variables (e.g. EDITOR for kubectl edit). */
  public Result kubectlEnv(java.util.Map<String, String> env, String... args) {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", runDir.resolve("kubeconfig").toString(),
        "--cache-dir", runDir.resolve("kubectl-cache").toString()));
    cmd.addAll(List.of(args));
    return run(cmd, Duration.ofSeconds(60), null, env);
  }

  /** The lines of every JVM log of this run (run/logs/*.log) that contain the text. */
  public List<String> logLines(String text) {
    List<String> out = new ArrayList<>();
    try (Stream<Path> files = Files.list(runDir.resolve("logs"))) {
      for (Path f : files.filter(p -> p.toString().endsWith(".log")).sorted().toList()) {
        for (String line : Files.readAllLines(f)) {
          if (line.contains(text)) {
            out.add(f.getFileName() + ": " + line);
          }
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out;
  }

  /** A long-running kubectl (e.g. get -w) whose output goes to a file. */
  public Process kubectlBackground(Path output, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("kubectl", "--kubeconfig", runDir.resolve("kubeconfig").toString(),
        "--cache-dir", runDir.resolve("kubectl-cache").toString()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(output.toFile()).start();
  }

  public JsonNode json(String... args) {
    List<String> a = new ArrayList<>(List.of(args));
    a.addAll(List.of("-o", "json"));
    Result r = kubectl(a.toArray(String[]::new));
    if (!r.ok()) {
      throw new AssertionError("kubectl " + String.join(" ", args) + " failed: " + r.all());
    }
    try {
      return JSON.readTree(r.out());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Polls until the condition holds; returns how long it took. */
  public static Duration await(String what, Duration timeout, java.util.function.BooleanSupplier condition) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (condition.getAsBoolean()) {
        return Duration.ofNanos(System.nanoTime() - start);
      }
      sleep(200);
    }
    throw new AssertionError("timed out after " + timeout + " waiting for " + what);
  }

  public Result apply(String yaml) {
    return kubectlStdin(yaml, "apply", "-f", "-");
  }

  /** PIDs from the scripts' PID files. */
  public List<Long> pids() {
    try (Stream<Path> files = Files.list(runDir.resolve("pids"))) {
      List<Long> out = new ArrayList<>();
      for (Path f : files.filter(p -> p.toString().endsWith(".pid")).toList()) {
        out.add(Long.parseLong(Files.readString(f).trim()));
      }
      return out;
    } catch (IOException e) {
      return List.of();
    }
  }

  public List<Long> alivePids() {
    return knownPids.stream().filter(pid -> ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)).toList();
  }

  public static String commandLine(long pid) {
    return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine()).orElse("");
  }

  @Override
  public void close() {
    down();
    killAll();
    deleteRecursively(runDir);
  }

  private void killAll() {
    knownPids.addAll(pids());
    for (long pid : knownPids) {
      ProcessHandle.of(pid).ifPresent(h -> {
        if (h.info().commandLine().orElse("").contains("io.kemu.conf.Kemu")) {
          h.destroyForcibly();
        }
      });
    }
  }

  private Result run(List<String> cmd, Duration timeout) {
    return run(cmd, timeout, null);
  }

  private Result run(List<String> cmd, Duration timeout, String stdin) {
    return run(cmd, timeout, stdin, java.util.Map.of());
  }

  private Result run(List<String> cmd, Duration timeout, String stdin, java.util.Map<String, String> env) {
    try {
      ProcessBuilder pb = new ProcessBuilder(cmd);
      pb.environment().put("KEMU_NO_BUILD", "1");
      pb.environment().putAll(env);
      Path out = Files.createTempFile(runDir, "out", ".txt");
      Path err = Files.createTempFile(runDir, "err", ".txt");
      pb.redirectOutput(out.toFile()).redirectError(err.toFile());
      Process p = pb.start();
      if (stdin != null) {
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      p.getOutputStream().close();
      if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
        p.destroyForcibly();
        throw new AssertionError("timed out: " + String.join(" ", cmd));
      }
      Result r = new Result(p.exitValue(), Files.readString(out), Files.readString(err));
      Files.deleteIfExists(out);
      Files.deleteIfExists(err);
      return r;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  private static Path findRoot() {
    Path p = Path.of("").toAbsolutePath();
    while (p != null && !Files.exists(p.resolve("scripts/cluster-up.sh"))) {
      p = p.getParent();
    }
    if (p == null) {
      throw new IllegalStateException("cannot find the kemu repository root from " + Path.of("").toAbsolutePath());
    }
    return p;
  }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** A run of consecutive free ports in the 20000-40000 range. */
  static int freeRange(int count) throws IOException {
    for (int attempt = 0; attempt < 200; attempt++) {
      int base = 20000 + ThreadLocalRandom.current().nextInt(20000 - count);
      if (allFree(base, count)) {
        return base;
      }
    }
    throw new IOException("no " + count + " consecutive free ports found");
  }

  private static boolean allFree(int base, int count) {
    for (int p = base; p < base + count; p++) {
      try (ServerSocket s = new ServerSocket(p, 1, java.net.InetAddress.getLoopbackAddress())) {
        s.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }

  static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  static void deleteRecursively(Path dir) {
    try (Stream<Path> walk = Files.walk(dir)) {
      walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    } catch (IOException e) {
      // best effort
    }
  }

  static Predicate<String> containsAll(String... parts) {
    return s -> Stream.of(parts).allMatch(s::contains);
  }
}
