package io.kemu.kubelet.runtime;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The container logs of one node (/var/log/pods): for each pod, each container's current log and the one of its
 * previous instance (kubectl logs --previous). Written by the pod workers, read by log requests.
 */
public final class LogStore {
  /** One container's current and previous instance logs. */
  public record Logs(ContainerLog current, ContainerLog previous) {}

  private record PodLogs(String uid, Map<String, Logs> containers) {}

  private final Map<String, PodLogs> pods = new ConcurrentHashMap<>();

  /** A new instance of a container starts writing to {@code log}; the one before becomes the previous. */
  public void started(String namespace, String pod, String uid, String container, ContainerLog log) {
    PodLogs p = pods.compute(namespace + "/" + pod, (k, old) -> old != null && old.uid().equals(uid) ? old
        : new PodLogs(uid, new ConcurrentHashMap<>()));
    p.containers().compute(container, (k, old) -> new Logs(log, old == null ? null : old.current()));
  }

  public void removed(String namespace, String pod, String uid) {
    pods.computeIfPresent(namespace + "/" + pod, (k, old) -> old.uid().equals(uid) ? null : old);
  }

  /** The logs of a container, null if it never started here; {@code uid} may be null (any). */
  public Logs get(String namespace, String pod, String uid, String container) {
    PodLogs p = pods.get(namespace + "/" + pod);
    if (p == null || uid != null && !uid.isEmpty() && !p.uid().equals(uid)) {
      return null;
    }
    return p.containers().get(container);
  }

  public boolean hasPod(String namespace, String pod) {
    return pods.containsKey(namespace + "/" + pod);
  }
}
