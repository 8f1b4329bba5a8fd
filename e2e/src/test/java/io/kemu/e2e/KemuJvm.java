package io.kemu.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One kemu role JVM ({@code Kemu run --role …}) started straight from the launcher's classpath, so that a test
 * can kill it with SIGKILL and start it again with the same arguments (same port, same data directory). Every
 * process it starts is stopped by PID in {@link #close}, and by a shutdown hook if the test JVM dies first.
 */
final class KemuJvm implements AutoCloseable {
  private final String name;
  private final Path runDir;
  private final List<String> args;
  private final String heap;
  private Process process;
  private int starts;

  KemuJvm(String name, Path runDir, String heap, List<String> args) {
    this.name = name;
    this.runDir = runDir;
    this.heap = heap;
    this.args = List.copyOf(args);
    Runtime.getRuntime().addShutdownHook(new Thread(this::killNow));
  }

  static String classpath() {
    Path root = KemuCluster.ROOT;
    return root.resolve("cluster-conf/target/classes") + ":" + root.resolve("cluster-conf/target/lib") + "/*";
  }

  synchronized KemuJvm start() {
    if (process != null && process.isAlive()) {
      throw new IllegalStateException(name + " is already running (pid " + process.pid() + ")");
    }
    try {
      Path logs = runDir.resolve("logs");
      Files.createDirectories(logs);
      List<String> cmd = new ArrayList<>(List.of(javaBin(), "-Xms64m", "-Xmx" + heap,
          // the JVM options cluster-up.sh gives every kemu JVM (scripts/lib.sh, KEMU_JVM_DEFAULTS)
          "-XX:+UseParallelGC", "-XX:TieredStopAtLevel=1",
          "-XX:+ExitOnOutOfMemoryError", "-Dkemu.log.file=" + logs.resolve(name + ".log"),
          "-Dslf4j.internal.verbosity=ERROR", "-cp", classpath(), "io.kemu.conf.Kemu", "run"));
      cmd.addAll(args);
      Path out = logs.resolve(name + ".out");
      Files.writeString(out, "==== start " + (++starts) + " ====\n", java.nio.file.StandardOpenOption.CREATE,
          java.nio.file.StandardOpenOption.APPEND);
      process = new ProcessBuilder(cmd).redirectErrorStream(true)
          .redirectOutput(ProcessBuilder.Redirect.appendTo(out.toFile())).start();
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  synchronized long pid() {
    return process == null ? -1 : process.pid();
  }

  synchronized boolean isAlive() {
    return process != null && process.isAlive();
  }

  /** SIGKILL (kill -9): no shutdown hook, no flush, no goodbye to the cluster. */
  synchronized void kill9() throws InterruptedException {
    if (process == null) {
      return;
    }
    process.destroyForcibly();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      throw new IllegalStateException(name + " (pid " + process.pid() + ") survived SIGKILL");
    }
  }

  /** SIGTERM, then SIGKILL after the grace period. */
  synchronized void stop() throws InterruptedException {
    if (process == null || !process.isAlive()) {
      return;
    }
    process.destroy();
    if (!process.waitFor(15, TimeUnit.SECONDS)) {
      kill9();
    }
  }

  String logTail(int lines) {
    try {
      List<String> all = Files.readAllLines(runDir.resolve("logs").resolve(name + ".log"));
      return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    } catch (IOException e) {
      return "(no log: " + e + ")";
    }
  }

  private synchronized void killNow() {
    if (process != null && process.isAlive()) {
      process.destroyForcibly();
    }
  }

  @Override
  public void close() {
    try {
      stop();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      killNow();
    }
  }

  private static String javaBin() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }
}
