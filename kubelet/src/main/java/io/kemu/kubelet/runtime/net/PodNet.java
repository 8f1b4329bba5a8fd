package io.kemu.kubelet.runtime.net;

import io.kemu.kubelet.runtime.proc.Kernel;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/** One pod's network namespace (the pause sandbox): its IP, the ports its containers listen on, its resolver. */
public final class PodNet implements Net {
  private final ClusterNet cluster;
  private final Kernel kernel;
  private final String ip;
  private final String namespace;
  private final Map<String, String> labels;
  private final Map<String, Integer> namedPorts;
  private final Map<Integer, Listener> listeners = new ConcurrentHashMap<>();
  private volatile String hostname;

  PodNet(ClusterNet cluster, Kernel kernel, String ip, String namespace, Map<String, String> labels,
         Map<String, Integer> namedPorts) {
    this.cluster = cluster;
    this.kernel = kernel;
    this.ip = ip;
    this.namespace = namespace;
    this.labels = labels == null ? Map.of() : Map.copyOf(labels);
    this.namedPorts = namedPorts == null ? Map.of() : Map.copyOf(namedPorts);
  }

  public Kernel kernel() {
    return kernel;
  }

  public String namespace() {
    return namespace;
  }

  public Map<String, String> labels() {
    return labels;
  }

  public void setHostname(String h) {
    this.hostname = h;
  }

  /** A Service's targetPort: a number, or the name of a container port of this pod. */
  int resolvePort(String targetPort, int dflt) {
    if (targetPort == null || targetPort.isEmpty()) {
      return dflt;
    }
    try {
      return Integer.parseInt(targetPort);
    } catch (NumberFormatException e) {
      return namedPorts.getOrDefault(targetPort, -1);
    }
  }

  Listener listener(int port) {
    return listeners.get(port);
  }

  /** The sandbox is gone: nothing listens any more and the IP leaves the network. */
  public void detach() {
    listeners.clear();
    cluster.detach(this);
  }

  @Override
  public String podIp() {
    return ip;
  }

  @Override
  public Runnable listen(int port, Listener listener) {
    if (listeners.putIfAbsent(port, listener) != null) {
      return null;
    }
    return () -> listeners.remove(port, listener);
  }

  @Override
  public boolean isListening(int port) {
    return listeners.containsKey(port);
  }

  @Override
  public void send(String toIp, int port, NetRequest request, Duration timeout, Consumer<NetReply> reply) {
    cluster.send(kernel, this, toIp, port, request, timeout, reply);
  }

  @Override
  public void resolve(String name, Consumer<Answer> answer) {
    Answer a;
    if (hostname != null && name.equalsIgnoreCase(hostname)) {
      a = new Answer(name, List.of(ip));
    } else {
      a = cluster.resolve(namespace, hostname, name);
    }
    Answer fin = a == null ? new Answer(name, List.of(ip)) : a;
    kernel.post(() -> answer.accept(fin));
  }

  @Override
  public String nameserver() {
    return ClusterNet.DNS_IP;
  }
}
