package io.kemu.kubelet.runtime.net;

import io.kemu.kubelet.runtime.proc.Kernel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Consumer;

/**
 * The emulated network of one kubelet JVM: the pod IPs of every node it hosts, the cluster DNS built from Services
 * (kube-dns answers {@code <svc>}, {@code <svc>.<ns>}, {@code <svc>.<ns>.svc.cluster.local}), Service ClusterIPs
 * that forward to a pod matching the selector (kube-proxy), and an outside world where every dotted name resolves
 * and answers HTTP with a small page. Thread-safe: each kernel calls in, callbacks go back to the caller's kernel.
 */
public final class ClusterNet {
  public static final String DNS_IP = "10.96.0.10";
  public static final String CLUSTER_DOMAIN = "cluster.local";

  /** A Service as kube-proxy and kube-dns see it. */
  public record Service(String namespace, String name, String clusterIp, Map<String, String> selector,
                        List<ServicePort> ports) {}

  /** port → targetPort (a number, or a container port name). */
  public record ServicePort(String name, int port, String targetPort, String protocol) {}

  private final Map<String, PodNet> pods = new ConcurrentHashMap<>();
  private final Map<String, Service> services = new ConcurrentHashMap<>();

  // ---------------------------------------------------------------- pods

  /** The network namespace of a new pod sandbox, reachable at once at {@code ip}. */
  public PodNet attach(Kernel kernel, String ip, String namespace, Map<String, String> labels,
                       Map<String, Integer> namedPorts) {
    PodNet p = new PodNet(this, kernel, ip, namespace, labels, namedPorts);
    pods.put(ip, p);
    return p;
  }

  void detach(PodNet p) {
    pods.remove(p.podIp(), p);
  }

  public PodNet pod(String ip) {
    return pods.get(ip);
  }

  // ---------------------------------------------------------------- services

  public void putService(Service s) {
    services.put(s.namespace() + "/" + s.name(), s);
  }

  public void removeService(String namespace, String name) {
    services.remove(namespace + "/" + name);
  }

  public List<Service> services(String namespace) {
    List<Service> out = new ArrayList<>();
    for (Service s : services.values()) {
      if (namespace == null || s.namespace().equals(namespace)) {
        out.add(s);
      }
    }
    return out;
  }

  public Service service(String namespace, String name) {
    return services.get(namespace + "/" + name);
  }

  // ---------------------------------------------------------------- DNS

  /**
   * The resolver of a pod in {@code namespace} (search path {@code <ns>.svc.cluster.local svc.cluster.local
   * cluster.local}, ndots 5): the fully qualified name found and its addresses, or an empty answer.
   */
  public Net.Answer resolve(String namespace, String hostname, String name) {
    String n = name.toLowerCase(Locale.ROOT);
    if (n.endsWith(".")) {
      n = n.substring(0, n.length() - 1);
    }
    if (n.equals("localhost")) {
      return new Net.Answer("localhost", List.of("127.0.0.1"));
    }
    if (n.matches("\\d+\\.\\d+\\.\\d+\\.\\d+")) {
      return new Net.Answer(n, List.of(n));
    }
    if (hostname != null && n.equals(hostname)) {
      return null; // answered from /etc/hosts by the caller
    }
    List<String> candidates = new ArrayList<>();
    long dots = n.chars().filter(c -> c == '.').count();
    if (dots < 5) {
      candidates.add(n + "." + namespace + ".svc." + CLUSTER_DOMAIN);
      candidates.add(n + ".svc." + CLUSTER_DOMAIN);
      candidates.add(n + "." + CLUSTER_DOMAIN);
    }
    candidates.add(n);
    for (String c : candidates) {
      String suffix = ".svc." + CLUSTER_DOMAIN;
      if (c.endsWith(suffix)) {
        String[] parts = c.substring(0, c.length() - suffix.length()).split("\\.");
        if (parts.length == 2) {
          Service s = service(parts[1], parts[0]);
          if (s != null && s.clusterIp() != null && !s.clusterIp().isEmpty() && !"None".equals(s.clusterIp())) {
            return new Net.Answer(c, List.of(s.clusterIp()));
          }
        }
      }
    }
    if (dots >= 1 && !n.endsWith(CLUSTER_DOMAIN) && !n.endsWith(".svc") && n.matches("[a-z0-9.-]+")
        && !n.endsWith(".local") && n.indexOf('.') < n.length() - 2) {
      return new Net.Answer(n, List.of(outsideIp(n)));
    }
    return new Net.Answer(n, List.of());
  }

  /** A stable public address for an outside name (in 93.184.0.0/16). */
  static String outsideIp(String name) {
    int h = Math.floorMod(name.hashCode(), 65_000);
    return "93.184." + (h / 250) + "." + (1 + h % 250);
  }

  static boolean isOutside(String ip) {
    return ip.startsWith("93.184.");
  }

  // ---------------------------------------------------------------- connections

  /**
   * One exchange from {@code from} (a pod, or null for the node itself: probes) to ip:port; {@code reply} runs on
   * {@code caller}'s kernel, once, with a timeout after {@code timeout}.
   */
  public void send(Kernel caller, PodNet from, String ip, int port, NetRequest request, Duration timeout,
                   Consumer<NetReply> reply) {
    AtomicBoolean done = new AtomicBoolean();
    Kernel.Cancellable[] timer = new Kernel.Cancellable[1];
    Consumer<NetReply> once = r -> caller.post(() -> {
      if (done.compareAndSet(false, true)) {
        if (timer[0] != null) {
          timer[0].cancel();
        }
        reply.accept(r);
      }
    });
    timer[0] = caller.after(timeout, () -> {
      if (done.compareAndSet(false, true)) {
        reply.accept(NetReply.TIMEOUT);
      }
    });
    String target = ip;
    int targetPort = port;
    PodNet dest;
    if (target.equals("127.0.0.1") || target.equals("localhost")) {
      dest = from;
    } else {
      dest = pods.get(target);
    }
    if (dest == null) {
      Service s = byClusterIp(target);
      if (s != null) {
        ServicePort sp = s.ports().stream().filter(p -> p.port() == port).findFirst().orElse(null);
        if (sp == null) {
          once.accept(NetReply.REFUSED);
          return;
        }
        List<PodNet> backends = new ArrayList<>();
        for (PodNet p : pods.values()) {
          if (p.namespace().equals(s.namespace()) && s.selector() != null && !s.selector().isEmpty()
              && p.labels().entrySet().containsAll(s.selector().entrySet())) {
            backends.add(p);
          }
        }
        if (backends.isEmpty()) {
          once.accept(NetReply.REFUSED);
          return;
        }
        dest = backends.get(ThreadLocalRandom.current().nextInt(backends.size()));
        targetPort = dest.resolvePort(sp.targetPort(), port);
      } else if (isOutside(target)) {
        once.accept(outside(request));
        return;
      } else {
        return; // no route: the caller times out
      }
    }
    PodNet d = dest;
    int tp = targetPort;
    String fromIp = from == null ? null : from.podIp();
    d.kernel().post(() -> {
      Listener l = d.listener(tp);
      if (l == null) {
        once.accept(NetReply.REFUSED);
        return;
      }
      if (request.isConnect()) {
        once.accept(NetReply.ACCEPTED);
        return;
      }
      try {
        l.handle(request, fromIp == null ? "10.244.0.1" : fromIp, once);
      } catch (RuntimeException e) {
        once.accept(NetReply.RESET);
      }
    });
  }

  private Service byClusterIp(String ip) {
    for (Service s : services.values()) {
      if (ip.equals(s.clusterIp())) {
        return s;
      }
    }
    return null;
  }

  /** The outside world: any HTTP GET gets a small page. */
  private static NetReply outside(NetRequest r) {
    if (!r.isHttp()) {
      return r.isConnect() ? NetReply.ACCEPTED : NetReply.RESET;
    }
    String host = r.header("Host") == null ? "" : r.header("Host");
    String body = "<html><head></head><body><header>\n<title>" + host + "</title>\n</header>\n\n<h1>" + host
        + "</h1>\n\n<p>This page is served by kemu's emulated outside world.</p>\n</body></html>\n";
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    return NetReply.http(200, List.of("Content-Type: text/html", "Content-Length: " + b.length),
        "HEAD".equals(r.method()) ? new byte[0] : b);
  }
}
