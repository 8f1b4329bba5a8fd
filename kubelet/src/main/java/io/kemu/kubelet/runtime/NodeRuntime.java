package io.kemu.kubelet.runtime;

import io.kemu.kubelet.runtime.fs.FsException;
import io.kemu.kubelet.runtime.fs.Vfs;
import io.kemu.kubelet.runtime.net.ClusterNet;
import io.kemu.kubelet.runtime.net.NetReply;
import io.kemu.kubelet.runtime.net.NetRequest;
import io.kemu.kubelet.runtime.net.PodNet;
import io.kemu.kubelet.runtime.proc.InStream;
import io.kemu.kubelet.runtime.proc.Kernel;
import io.kemu.kubelet.runtime.proc.Machine;
import io.kemu.kubelet.runtime.proc.OutStream;
import io.kemu.kubelet.runtime.proc.Proc;
import io.kemu.kubelet.runtime.proc.Signals;
import io.kemu.kubelet.runtime.programs.Programs;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * One node's container runtime (the containerd of an emulated node): pod sandboxes with their network namespace
 * and volumes, containers whose PID 1 runs the command of the pod spec in the image's filesystem, exec into a
 * running container (probes, hooks), TCP and HTTP from the node to a pod (probes). Everything runs on the node's
 * {@link Kernel}; the callbacks it is given run there too, so a caller on another thread only hands messages on.
 */
public final class NodeRuntime {
  private final Kernel kernel;
  private final ClusterNet cluster;
  private final Map<String, Vfs.Dir> hostPaths = new HashMap<>();

  public NodeRuntime(Kernel kernel, ClusterNet cluster) {
    this.kernel = kernel;
    this.cluster = cluster;
  }

  public Kernel kernel() {
    return kernel;
  }

  public ClusterNet cluster() {
    return cluster;
  }

  /** What a container is started with, all resolved by the kubelet. */
  public record ContainerSpec(String name, String image, List<String> argv, Map<String, String> env,
                              String workingDir, List<Mount> mounts, long memoryLimit) {}

  /** A volume mounted into a container: a shared directory, read-only or not. */
  public record Mount(String path, Vfs.Dir dir, boolean readOnly) {}

  /** How a container ended: exit code, the reason containerd gives, a message for a start failure. */
  public record Exit(int code, String reason, String message) {}

  /** A pod sandbox: its network namespace and the directories of its volumes. */
  public final class Sandbox {
    final PodNet net;
    final String hostname;
    final Map<String, Vfs.Dir> volumes = new HashMap<>();

    Sandbox(PodNet net, String hostname) {
      this.net = net;
      this.hostname = hostname;
    }

    public PodNet net() {
      return net;
    }

    /** The directory of a pod volume (emptyDir and the kubelet-written kinds), made on first use. */
    public synchronized Vfs.Dir volume(String name) {
      return volumes.computeIfAbsent(name, n -> Vfs.emptyDir(kernel.now()));
    }

    public NodeRuntime runtime() {
      return NodeRuntime.this;
    }
  }

  /** A running (or ended) container: its machine and PID 1. */
  public static final class Container {
    private final Machine machine;
    private volatile Proc pid1;

    Container(Machine machine) {
      this.machine = machine;
    }

    public Machine machine() {
      return machine;
    }

    public boolean running() {
      Proc p = pid1;
      return p != null && !p.exited();
    }
  }

  public Sandbox createSandbox(String ip, String hostname, String namespace, Map<String, String> labels,
                               Map<String, Integer> namedPorts) {
    PodNet net = cluster.attach(kernel, ip, namespace, labels, namedPorts);
    net.setHostname(hostname);
    return new Sandbox(net, hostname);
  }

  public void removeSandbox(Sandbox s) {
    if (s != null) {
      s.net.detach();
    }
  }

  /** A node directory for a hostPath volume, shared by every pod of the node. */
  public synchronized Vfs.Dir hostPath(String path) {
    return hostPaths.computeIfAbsent(Vfs.normalize("/", path), p -> Vfs.emptyDir(kernel.now()));
  }

  /**
   * Creates and starts a container; {@code onExit} runs once (on the kernel) when PID 1 ends or could not start
   * (containerd's StartError, exit code 128, for a missing executable).
   */
  public Container start(Sandbox sandbox, ContainerSpec spec, ContainerLog log, Consumer<Exit> onExit) {
    ImageCatalog.Image image = ImageCatalog.image(Images.normalize(spec.image()));
    Vfs fs = new Vfs(image.rootCopy(), kernel.clock());
    String hosts = "# Kubernetes-managed hosts file.\n127.0.0.1\tlocalhost\n::1\tlocalhost ip6-localhost ip6-loopback\n"
        + sandbox.net.podIp() + "\t" + sandbox.hostname + "\n";
    try {
      fs.write("/", "/etc/hosts", hosts);
      fs.write("/", "/etc/hostname", sandbox.hostname + "\n");
      fs.write("/", "/etc/resolv.conf", "search " + sandbox.net.namespace() + ".svc.cluster.local svc.cluster.local "
          + "cluster.local\nnameserver " + ClusterNet.DNS_IP + "\noptions ndots:5\n");
    } catch (FsException e) {
      // an image without /etc: nothing to write
    }
    for (Mount m : spec.mounts()) {
      fs.mount(m.path(), m.dir(), m.readOnly());
    }
    Machine machine = new Machine(kernel, fs, sandbox.hostname, sandbox.net, Programs.INSTANCE, spec.memoryLimit(), 0);
    Container c = new Container(machine);
    kernel.post(() -> {
      OutStream out = log.stream();
      String cwd = spec.workingDir() == null || spec.workingDir().isEmpty() ? image.workingDir() : spec.workingDir();
      if (!fs.isDir("/", cwd)) {
        try {
          fs.mkdir("/", cwd, true, 0755);
        } catch (FsException e) {
          cwd = "/";
        }
      }
      Machine.Lookup l = spec.argv().isEmpty() ? null : machine.lookup(spec.argv(), spec.env(), cwd);
      if (l == null || !l.found()) {
        String what = spec.argv().isEmpty() ? "" : spec.argv().get(0);
        String why = l == null ? "no command specified" : switch (l.failure()) {
          case PERMISSION_DENIED -> "exec: \"" + what + "\": permission denied";
          case IS_DIRECTORY -> "exec: \"" + what + "\": is a directory";
          default -> what.contains("/") ? "exec: \"" + what + "\": stat " + what + ": no such file or directory"
              : "exec: \"" + what + "\": executable file not found in $PATH";
        };
        log.close();
        onExit.accept(new Exit(128, "StartError", "failed to create containerd task: failed to create shim task: "
            + "OCI runtime create failed: runc create failed: unable to start container process: error during "
            + "container init: " + why + ": unknown"));
        return;
      }
      Proc p = machine.spawn(null, l.argv(), spec.env(), cwd, InStream.empty(kernel), out, out, l.program());
      c.pid1 = p;
      p.onExit(status -> {
        log.close();
        boolean oom = machine.oomKilled();
        onExit.accept(new Exit(status, oom ? "OOMKilled" : status == 0 ? "Completed" : "Error", null));
      });
    });
    return c;
  }

  /** Sends a signal to every process of the container (TERM when stopping, KILL at the end of the grace). */
  public void signal(Container c, int sig) {
    kernel.post(() -> {
      if (sig == Signals.KILL) {
        c.machine.killAll(Signals.KILL);
      } else if (c.pid1 != null) {
        c.pid1.signal(sig);
      }
    });
  }

  /** What an exec returned: exit code and combined output (null code: timed out). */
  public record ExecResult(Integer code, String output) {}

  /** Runs a command in a running container (exec probes and hooks); {@code done} gets its result. */
  public void exec(Container c, List<String> argv, Map<String, String> env, Duration timeout,
                   Consumer<ExecResult> done) {
    kernel.post(() -> {
      if (!c.running()) {
        done.accept(new ExecResult(-1, "container not running"));
        return;
      }
      Map<String, String> e = new HashMap<>(c.pid1.env());
      if (env != null) {
        e.putAll(env);
      }
      Machine.Lookup l = argv.isEmpty() ? null : c.machine.lookup(argv, e, "/");
      if (l == null || !l.found()) {
        String what = argv.isEmpty() ? "" : argv.get(0);
        done.accept(new ExecResult(-1, "OCI runtime exec failed: exec failed: unable to start container process: "
            + "exec: \"" + what + "\": executable file not found in $PATH: unknown"));
        return;
      }
      ByteArrayOutputStream buf = new ByteArrayOutputStream();
      OutStream sink = new OutStream() {
        @Override
        public void write(byte[] data) {
          if (buf.size() < 16 * 1024) {
            buf.writeBytes(data);
          }
        }
      };
      Proc p = c.machine.spawn(null, l.argv(), e, "/", InStream.empty(kernel), sink, sink, l.program());
      boolean[] finished = new boolean[1];
      Kernel.Cancellable timer = timeout == null ? null : kernel.after(timeout, () -> {
        if (!finished[0]) {
          finished[0] = true;
          done.accept(new ExecResult(null, buf.toString(StandardCharsets.UTF_8)));
        }
      });
      p.onExit(st -> {
        if (!finished[0]) {
          finished[0] = true;
          if (timer != null) {
            timer.cancel();
          }
          done.accept(new ExecResult(st, buf.toString(StandardCharsets.UTF_8)));
        }
      });
    });
  }

  /** A TCP connect or an HTTP request from the node to a pod (probes, httpGet hooks). */
  public void request(String ip, int port, NetRequest req, Duration timeout, Consumer<NetReply> reply) {
    cluster.send(kernel, null, ip, port, req, timeout, reply);
  }

  /** Every process of the container, for tests and the status of a stopping container. */
  public static List<String> processes(Container c) {
    List<String> out = new ArrayList<>();
    c.machine.processes().forEach(p -> out.add(p.toString()));
    return out;
  }
}
