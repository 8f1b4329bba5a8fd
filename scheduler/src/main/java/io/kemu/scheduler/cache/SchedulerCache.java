package io.kemu.scheduler.cache;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.NodeInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's cache (pkg/scheduler/backend/cache): nodes with the pods bound to them, plus pods assumed on
 * a node while their binding is in flight, so the next cycle already counts them. Owned by one actor.
 */
public final class SchedulerCache {
  private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
  private final Map<String, String> podNode = new HashMap<>();
  private final Set<String> assumed = new HashSet<>();

  public void addOrUpdateNode(Node node) {
    NodeInfo info = nodes.get(node.getMetadata().getName());
    if (info == null) {
      nodes.put(node.getMetadata().getName(), new NodeInfo(node));
    } else {
      info.setNode(node);
    }
  }

  public void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null) {
      return;
    }
    if (info.podCount() == 0) {
      nodes.remove(name);
    } else {
      info.setNode(null); // kept for its pods until they go, as upstream does
    }
  }

  /** A pod the apiserver says is bound (also confirms an assumed one). */
  public void addOrUpdatePod(Pod pod) {
    String uid = pod.getMetadata().getUid();
    String node = pod.getSpec().getNodeName();
    String previous = podNode.get(uid);
    if (previous != null && !previous.equals(node)) {
      removeFrom(previous, uid);
    }
    assumed.remove(uid);
    podNode.put(uid, node);
    nodes.computeIfAbsent(node, n -> new NodeInfo(null)).addPod(pod);
  }

  public void removePod(String uid) {
    assumed.remove(uid);
    String node = podNode.remove(uid);
    if (node != null) {
      removeFrom(node, uid);
    }
  }

  public void assume(Pod pod, String node) {
    String uid = pod.getMetadata().getUid();
    assumed.add(uid);
    podNode.put(uid, node);
    nodes.computeIfAbsent(node, n -> new NodeInfo(null)).addPod(pod);
  }

  /** The binding failed: the assumed pod leaves the node again. */
  public void forget(String uid) {
    if (assumed.remove(uid)) {
      String node = podNode.remove(uid);
      if (node != null) {
        removeFrom(node, uid);
      }
    }
  }

  public boolean isAssumed(String uid) {
    return assumed.contains(uid);
  }

  public boolean isBoundOrAssumed(String uid) {
    return podNode.containsKey(uid);
  }

  /** The nodes as the next cycle sees them (live objects: read-only for plugins). */
  public List<NodeInfo> snapshot() {
    List<NodeInfo> out = new ArrayList<>(nodes.size());
    for (NodeInfo n : nodes.values()) {
      if (n.node() != null) {
        out.add(n);
      }
    }
    return out;
  }

  public NodeInfo node(String name) {
    return nodes.get(name);
  }

  public int nodeCount() {
    return (int) nodes.values().stream().filter(n -> n.node() != null).count();
  }

  private void removeFrom(String node, String uid) {
    NodeInfo info = nodes.get(node);
    if (info != null) {
      info.removePod(uid);
      if (info.node() == null && info.podCount() == 0) {
        nodes.remove(node);
      }
    }
  }
}
