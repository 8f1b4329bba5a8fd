package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;

/**
 * framework.NodeInfo: a node with the pods on it (bound or assumed), what they request (exactly, and with the
 * scoring defaults), the host ports they use, the pods with (anti-)affinity, and the images of the node.
 * The scheduler cache owns one per node; each cycle reads copies in the {@link Snapshot}.
 */
public final class NodeInfo {
  /** framework.ImageStateSummary: an image's size and on how many nodes it is. */
  public record ImageStateSummary(long size, int numNodes) {}

  private Node node;
  // read for every node of every cycle: kept here so that Filter and Score do not walk Node -> spec -> ... (a cycle
  // visits hundreds of nodes whose objects are no longer in the CPU caches; each hop is a cache miss)
  private String name = "";
  private boolean unschedulable;
  private List<Taint> taints;
  private Resource allocatable = new Resource();
  private final List<PodInfo> pods;
  private final List<PodInfo> podsWithAffinity;
  private final List<PodInfo> podsWithRequiredAntiAffinity;
  private final Resource requested;
  private final Resource nonZeroRequested;
  private final HostPortInfo usedPorts;
  private Map<String, ImageStateSummary> imageStates = Map.of();
  private long generation;

  public NodeInfo(Node node) {
    this.pods = new ArrayList<>();
    this.podsWithAffinity = new ArrayList<>();
    this.podsWithRequiredAntiAffinity = new ArrayList<>();
    this.requested = new Resource();
    this.nonZeroRequested = new Resource();
    this.usedPorts = new HostPortInfo();
    setNode(node);
  }

  private NodeInfo(NodeInfo o) {
    this.node = o.node;
    this.name = o.name;
    this.unschedulable = o.unschedulable;
    this.taints = o.taints;
    this.allocatable = o.allocatable;
    this.pods = new ArrayList<>(o.pods);
    this.podsWithAffinity = new ArrayList<>(o.podsWithAffinity);
    this.podsWithRequiredAntiAffinity = new ArrayList<>(o.podsWithRequiredAntiAffinity);
    this.requested = o.requested.copy();
    this.nonZeroRequested = o.nonZeroRequested.copy();
    this.usedPorts = o.usedPorts.copy();
    this.imageStates = o.imageStates;
    this.generation = o.generation;
  }

  /** NodeInfo.Snapshot: a copy whose pods and sums can change without touching this one. */
  public NodeInfo copy() {
    return new NodeInfo(this);
  }

  public Node node() {
    return node;
  }

  public String name() {
    return name;
  }

  /** spec.unschedulable of the node (cordoned). */
  public boolean unschedulable() {
    return unschedulable;
  }

  /** spec.taints of the node, null when it has none. */
  public List<Taint> taints() {
    return taints;
  }

  public Map<String, String> labels() {
    Map<String, String> l = node == null ? null : node.getMetadata().getLabels();
    return l == null ? Map.of() : l;
  }

  public void setNode(Node node) {
    this.node = node;
    this.name = node == null || node.getMetadata() == null || node.getMetadata().getName() == null ? ""
        : node.getMetadata().getName();
    this.unschedulable = node != null && node.getSpec() != null && Boolean.TRUE.equals(node.getSpec().getUnschedulable());
    List<Taint> t = node == null || node.getSpec() == null ? null : node.getSpec().getTaints();
    this.taints = t == null || t.isEmpty() ? null : t;
    this.allocatable = node == null || node.getStatus() == null ? new Resource()
        : Resource.of(node.getStatus().getAllocatable());
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

  public HostPortInfo usedPorts() {
    return usedPorts;
  }

  public List<PodInfo> pods() {
    return Collections.unmodifiableList(pods);
  }

  public List<PodInfo> podsWithAffinity() {
    return Collections.unmodifiableList(podsWithAffinity);
  }

  public List<PodInfo> podsWithRequiredAntiAffinity() {
    return Collections.unmodifiableList(podsWithRequiredAntiAffinity);
  }

  public int podCount() {
    return pods.size();
  }

  public Map<String, ImageStateSummary> imageStates() {
    return imageStates;
  }

  public void setImageStates(Map<String, ImageStateSummary> states) {
    this.imageStates = states;
  }

  public long generation() {
    return generation;
  }

  public void setGeneration(long g) {
    this.generation = g;
  }

  public void addPod(PodInfo p) {
    pods.add(p);
    if (p.hasAffinity()) {
      podsWithAffinity.add(p);
    }
    if (!p.requiredAntiAffinityTerms().isEmpty()) {
      podsWithRequiredAntiAffinity.add(p);
    }
    requested.add(p.requests());
    nonZeroRequested.add(p.nonZeroRequests());
    for (ContainerPort cp : p.hostPorts()) {
      usedPorts.add(cp.getHostIP(), cp.getProtocol(), cp.getHostPort());
    }
  }

  /** Removes the pod with this UID; false if it was not here. */
  public boolean removePod(String uid) {
    PodInfo p = null;
    for (int i = 0; i < pods.size(); i++) {
      if (pods.get(i).uid().equals(uid)) {
        p = pods.remove(i);
        break;
      }
    }
    if (p == null) {
      return false;
    }
    removeByUid(podsWithAffinity, uid);
    removeByUid(podsWithRequiredAntiAffinity, uid);
    requested.subtract(p.requests());
    nonZeroRequested.subtract(p.nonZeroRequests());
    for (ContainerPort cp : p.hostPorts()) {
      usedPorts.remove(cp.getHostIP(), cp.getProtocol(), cp.getHostPort());
    }
    return true;
  }

  private static void removeByUid(List<PodInfo> list, String uid) {
    for (int i = 0; i < list.size(); i++) {
      if (list.get(i).uid().equals(uid)) {
        list.remove(i);
        return;
      }
    }
  }

  @Override
  public String toString() {
    return name() + " (" + pods.size() + " pods, requested " + requested + ")";
  }
}
