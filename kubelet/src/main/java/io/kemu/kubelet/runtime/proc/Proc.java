package io.kemu.kubelet.runtime.proc;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.IntConsumer;

/**
 * An emulated process: a pid in its container's PID namespace, argv, environment, working directory, three standard
 * descriptors and the {@link Program} it runs. Everything happens on the node's {@link Kernel}. A process ends once,
 * with an exit status (128 + n when killed by signal n); its descriptors and sockets are released then and its
 * waiters told.
 */
public final class Proc {
  private final Machine machine;
  private final int pid;
  private final Proc parent;
  private String name;
  private List<String> argv;
  private final Map<String, String> env;
  private String cwd;
  private InStream stdin;
  private OutStream stdout;
  private OutStream stderr;
  private Program program;
  private final Instant startedAt;
  private boolean exited;
  private int status;
  private int killedBy;
  private final List<IntConsumer> exitListeners = new ArrayList<>();
  private final List<Runnable> releases = new ArrayList<>();
  private Kernel.Cancellable blocker;
  private long memory;

  Proc(Machine machine, int pid, Proc parent, List<String> argv, Map<String, String> env, String cwd, InStream stdin,
       OutStream stdout, OutStream stderr, Program program) {
    this.machine = machine;
    this.pid = pid;
    this.parent = parent;
    this.argv = List.copyOf(argv);
    this.name = baseName(argv.isEmpty() ? "?" : argv.get(0));
    this.env = new LinkedHashMap<>(env);
    this.cwd = cwd;
    this.stdin = stdin;
    this.stdout = stdout;
    this.stderr = stderr;
    this.program = program;
    this.startedAt = machine.kernel().now();
  }

  static String baseName(String path) {
    int slash = path.lastIndexOf('/');
    return slash >= 0 ? path.substring(slash + 1) : path;
  }

  void start() {
    machine.kernel().post(() -> {
      if (!exited) {
        program.main(this);
      }
    });
  }

  // ---------------------------------------------------------------- accessors

  public Machine machine() {
    return machine;
  }

  public Kernel kernel() {
    return machine.kernel();
  }

  public int pid() {
    return pid;
  }

  public Proc parent() {
    return parent;
  }

  public String name() {
    return name;
  }

  public List<String> argv() {
    return argv;
  }

  /** The arguments after argv[0]. */
  public List<String> args() {
    return argv.size() <= 1 ? List.of() : argv.subList(1, argv.size());
  }

  public Map<String, String> env() {
    return env;
  }

  public String cwd() {
    return cwd;
  }

  public void setCwd(String cwd) {
    this.cwd = cwd;
  }

  public InStream stdin() {
    return stdin;
  }

  public OutStream stdout() {
    return stdout;
  }

  public OutStream stderr() {
    return stderr;
  }

  public Program program() {
    return program;
  }

  public Instant startedAt() {
    return startedAt;
  }

  public boolean exited() {
    return exited;
  }

  public int status() {
    return status;
  }

  /** The signal that ended the process, 0 if it exited. */
  public int killedBy() {
    return killedBy;
  }

  public long memory() {
    return memory;
  }

  // ---------------------------------------------------------------- life

  /** dup2(2) of the three standard descriptors (before an exec with redirections). */
  public void replaceIo(InStream in, OutStream out, OutStream err) {
    InStream oldIn = stdin;
    OutStream oldOut = stdout;
    OutStream oldErr = stderr;
    stdin = in.dup();
    stdout = out.dup();
    stderr = err.dup();
    oldIn.close();
    oldOut.close();
    oldErr.close();
  }

  /** execve(2) with a new environment. */
  public void exec(List<String> newArgv, Map<String, String> newEnv, Program next) {
    env.clear();
    env.putAll(newEnv);
    exec(newArgv, next);
  }

  /** execve(2): the same pid runs another program from now on. */
  public void exec(List<String> newArgv, Program next) {
    if (exited) {
      return;
    }
    cancelBlocker();
    this.argv = List.copyOf(newArgv);
    this.name = baseName(newArgv.get(0));
    this.program = next;
    machine.kernel().post(() -> {
      if (!exited && program == next) {
        next.main(this);
      }
    });
  }

  /** Ends the process with a status (idempotent). */
  public void exit(int code) {
    if (exited) {
      return;
    }
    exited = true;
    status = code & 0xff;
    finish();
  }

  /** Ends the process as killed by a signal: status 128 + sig. */
  public void die(int sig) {
    if (exited) {
      return;
    }
    exited = true;
    killedBy = sig;
    status = 128 + sig;
    finish();
  }

  private void finish() {
    cancelBlocker();
    for (Runnable r : releases) {
      try {
        r.run();
      } catch (RuntimeException e) {
        // a release never stops the others
      }
    }
    releases.clear();
    stdout.close();
    stderr.close();
    stdin.close();
    machine.exited(this);
    List<IntConsumer> ls = new ArrayList<>(exitListeners);
    exitListeners.clear();
    int st = status;
    for (IntConsumer l : ls) {
      machine.kernel().post(() -> l.accept(st));
    }
  }

  /** Called once with the exit status (at once if already exited). */
  public void onExit(IntConsumer listener) {
    if (exited) {
      int st = status;
      machine.kernel().post(() -> listener.accept(st));
    } else {
      exitListeners.add(listener);
    }
  }

  /** Something to undo when the process ends (a listening socket, an allocation). */
  public void onRelease(Runnable r) {
    if (exited) {
      r.run();
    } else {
      releases.add(r);
    }
  }

  /** Delivers a signal (kill(2)); it is handled on the kernel, after the current step. */
  public void signal(int sig) {
    machine.kernel().post(() -> deliver(sig));
  }

  void deliver(int sig) {
    if (exited || sig == 0) {
      return;
    }
    if (sig == Signals.KILL) {
      die(Signals.KILL);
      return;
    }
    program.signal(this, sig);
  }

  /** The default disposition of a signal: terminate, except for those ignored by default. */
  public void defaultAction(int sig) {
    switch (sig) {
      case Signals.CHLD, Signals.WINCH, Signals.CONT, Signals.STOP, 20, 21, 22, 23 -> { }
      default -> die(sig);
    }
  }

  // ---------------------------------------------------------------- waiting

  /** Runs the continuation after an emulated delay, unless the process has ended by then. */
  public void sleep(Duration emulated, Runnable then) {
    cancelBlocker();
    blocker = machine.kernel().after(emulated, () -> {
      blocker = null;
      if (!exited) {
        then.run();
      }
    });
  }

  /** Registers what to cancel if the process ends while waiting. */
  public void blockOn(Kernel.Cancellable c) {
    cancelBlocker();
    blocker = c;
  }

  public void cancelBlocker() {
    Kernel.Cancellable b = blocker;
    blocker = null;
    if (b != null) {
      b.cancel();
    }
  }

  /** A continuation that does nothing once the process has ended. */
  public Runnable guard(Runnable r) {
    return () -> {
      if (!exited) {
        r.run();
      }
    };
  }

  // ---------------------------------------------------------------- resources

  /** Memory the process holds beyond its image's baseline; the container's limit applies (OOM kill). */
  public boolean allocate(long bytes) {
    memory += bytes;
    return machine.memoryChanged();
  }

  public void println(String line) {
    stdout.write(line + "\n");
  }

  public void eprintln(String line) {
    stderr.write(line + "\n");
  }

  @Override
  public String toString() {
    return pid + ":" + name;
  }
}
