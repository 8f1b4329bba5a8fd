package io.kemu.kubelet.runtime.proc;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.net.Net;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One container as its processes see it: a PID namespace, a filesystem, a hostname, the pod's network, the
 * executables of its image and a memory limit. Exec follows execvp(3): PATH search, the execute bit, the
 * emulated program a file stands for, or a {@code #!} line.
 */
public final class Machine {
  /** Makes the behaviour of an executable file from its program tag ("busybox:cat", "nginx", ...). */
  public interface Programs {
    /** null if the tag names no program this emulator knows. */
    Program create(String tag);
  }

  /** execvp's outcome: a program and the argv to give it, or an errno-like failure. */
  public record Lookup(Program program, List<String> argv, String path, Failure failure) {
    public boolean found() {
      return failure == null;
    }
  }

  public enum Failure { NOT_FOUND, PERMISSION_DENIED, IS_DIRECTORY }

  public static final String DEFAULT_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

  private final Kernel kernel;
  private final Vfs fs;
  private final String hostname;
  private final Net net;
  private final Programs programs;
  private final long memoryLimit;
  private final long baseline;
  private final TreeMap<Integer, Proc> procs = new TreeMap<>();
  private int nextPid = 1;
  private boolean oomKilled;
  private Runnable onOom = () -> { };

  public Machine(Kernel kernel, Vfs fs, String hostname, Net net, Programs programs, long memoryLimit,
                 long baseline) {
    this.kernel = kernel;
    this.fs = fs;
    this.hostname = hostname;
    this.net = net;
    this.programs = programs;
    this.memoryLimit = memoryLimit;
    this.baseline = baseline;
  }

  public Kernel kernel() {
    return kernel;
  }

  public Vfs fs() {
    return fs;
  }

  public String hostname() {
    return hostname;
  }

  public Net net() {
    return net;
  }

  public Programs programs() {
    return programs;
  }

  // ---------------------------------------------------------------- processes

  /** fork+exec: a new process running {@code program}; it starts on the kernel's next step. */
  public Proc spawn(Proc parent, List<String> argv, Map<String, String> env, String cwd, InStream in, OutStream out,
                    OutStream err, Program program) {
    int pid = nextPid++;
    Proc p = new Proc(this, pid, parent, argv, env, cwd, in, out, err, program);
    procs.put(pid, p);
    p.start();
    return p;
  }

  void exited(Proc p) {
    procs.remove(p.pid());
    if (p.pid() == 1) {
      // PID 1 ending takes the whole namespace with it
      for (Proc other : new ArrayList<>(procs.values())) {
        other.die(Signals.KILL);
      }
    }
  }

  public Collection<Proc> processes() {
    return procs.values();
  }

  public Proc process(int pid) {
    return procs.get(pid);
  }

  public List<Proc> byName(String name) {
    List<Proc> out = new ArrayList<>();
    for (Proc p : procs.values()) {
      if (p.name().equals(name)) {
        out.add(p);
      }
    }
    return out;
  }

  /** Signals every process of the container (the runtime stopping it). */
  public void killAll(int sig) {
    for (Proc p : new ArrayList<>(procs.values())) {
      p.signal(sig);
    }
  }

  // ---------------------------------------------------------------- exec

  /** execvp(3): finds what {@code argv[0]} runs, with PATH from {@code env}. */
  public Lookup lookup(List<String> argv, Map<String, String> env, String cwd) {
    String cmd = argv.get(0);
    if (cmd.isEmpty()) {
      return new Lookup(null, argv, cmd, Failure.NOT_FOUND);
    }
    if (cmd.contains("/")) {
      return at(cmd, argv, cwd, 0);
    }
    String path = env.getOrDefault("PATH", DEFAULT_PATH);
    Lookup denied = null;
    for (String dir : path.split(":")) {
      String candidate = (dir.isEmpty() ? "." : dir) + "/" + cmd;
      if (fs.find(cwd, candidate) instanceof Vfs.File) {
        Lookup l = at(candidate, argv, cwd, 0);
        if (l.found()) {
          return l;
        }
        if (l.failure() == Failure.PERMISSION_DENIED) {
          denied = l;
        }
      }
    }
    return denied != null ? denied : new Lookup(null, argv, cmd, Failure.NOT_FOUND);
  }

  private Lookup at(String path, List<String> argv, String cwd, int depth) {
    Vfs.Node n = fs.find(cwd, path);
    if (n == null) {
      return new Lookup(null, argv, path, Failure.NOT_FOUND);
    }
    if (n instanceof Vfs.Dir) {
      return new Lookup(null, argv, path, Failure.IS_DIRECTORY);
    }
    Vfs.File f = (Vfs.File) n;
    if ((f.mode & 0111) == 0) {
      return new Lookup(null, argv, path, Failure.PERMISSION_DENIED);
    }
    if (f.program != null) {
      Program prog = programs.create(f.program);
      return prog == null ? new Lookup(null, argv, path, Failure.NOT_FOUND) : new Lookup(prog, argv, path, null);
    }
    String text = new String(f.data, StandardCharsets.UTF_8);
    List<String> next = new ArrayList<>();
    if (text.startsWith("#!") && depth < 4) {
      String line = text.substring(2, text.indexOf('\n') < 0 ? text.length() : text.indexOf('\n')).trim();
      String[] parts = line.split("\\s+", 2);
      next.add(parts[0]);
      if (parts.length > 1) {
        next.add(parts[1]);
      }
      next.add(path);
      next.addAll(argv.subList(1, argv.size()));
      Lookup interp = at(parts[0], next, cwd, depth + 1);
      return interp.found() ? interp : new Lookup(null, argv, path, Failure.NOT_FOUND);
    }
    // ENOEXEC: the shell runs it as a script
    next.add("/bin/sh");
    next.add(path);
    next.addAll(argv.subList(1, argv.size()));
    Lookup sh = at("/bin/sh", next, cwd, depth + 1);
    return sh.found() ? sh : new Lookup(null, argv, path, Failure.NOT_FOUND);
  }

  /** Reads a file for a program, null if missing. */
  public String readFile(String cwd, String path) {
    try {
      return fs.readString(cwd, path);
    } catch (FsException e) {
      return null;
    }
  }

  // ---------------------------------------------------------------- memory

  public long memoryLimit() {
    return memoryLimit;
  }

  public long memoryUsage() {
    long sum = baseline;
    for (Proc p : procs.values()) {
      sum += p.memory();
    }
    return sum;
  }

  /** Called when a process's memory changes: past the limit the whole container is OOM-killed. */
  boolean memoryChanged() {
    if (memoryLimit > 0 && memoryUsage() > memoryLimit && !oomKilled) {
      oomKilled = true;
      onOom.run();
      for (Proc p : new ArrayList<>(procs.values())) {
        p.die(Signals.KILL);
      }
      return false;
    }
    return true;
  }

  public boolean oomKilled() {
    return oomKilled;
  }

  public void onOom(Runnable r) {
    this.onOom = r;
  }

  /** Marks an OOM kill decided at start (the image alone needs more than the limit). */
  public boolean overLimitAtStart() {
    return memoryLimit > 0 && baseline > memoryLimit;
  }
}
