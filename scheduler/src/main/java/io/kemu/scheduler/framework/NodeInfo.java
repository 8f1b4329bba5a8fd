package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * framework.NodeInfo: a node with the pods on it (bound or assumed) and what they request, exactly and with
 * the non-zero defaults used for scoring.
 */
public final class NodeInfo {
  private Node node;
  private Resource allocatable = new Resource();
  private final Map<String, Pod> pods = new LinkedHashMap<>();
  private final Resource requested = new Resource();
  private final Resource nonZeroRequested = new Resource();
  private long generation;

  public NodeInfo(Node node) {
    setNode(node);
  }

  public Node node() {
    return node;
  }

  public String name() {
    return node == null ? "" : node.getMetadata().getName();
  }

  public void setNode(Node node) {
    this.node = node;
    this.allocatable = node == null || node.getStatus() == null ? new Resource()
        : Resource.of(node.getStatus().getAllocatable());
    generation++;
  }

  public Resource allocatable() {
    return allocatable;
  }

  public Resource requested() {
    return requested;
  }

  public Resource nonZeroRequested() {
    return nonZeroRequested;
  }

  public Map<String, Pod> podsByUid() {
    return Collections.unmodifiableMap(pods);
  }

  public List<Pod> pods() {
    return new ArrayList<>(pods.values());
  }

  public int podCount() {
    return pods.size();
  }

  public long generation() {
    return generation;
  }

  public void addPod(Pod pod) {
    Pod old = pods.put(pod.getMetadata().getUid(), pod);
    if (old != null) {
      subtract(old);
    }
    requested.add(Resource.podRequests(pod, false));
    nonZeroRequested.add(Resource.podRequests(pod, true));
    generation++;
  }

  public boolean removePod(String uid) {
    Pod old = pods.remove(uid);
    if (old == null) {
      return false;
    }
    subtract(old);
    generation++;
    return true;
  }

  private void subtract(Pod pod) {
    requested.subtract(Resource.podRequests(pod, false));
    nonZeroRequested.subtract(Resource.podRequests(pod, true));
  }
}
