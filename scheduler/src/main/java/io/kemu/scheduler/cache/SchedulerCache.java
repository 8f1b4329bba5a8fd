package io.kemu.scheduler.cache;

import io.fabric8.kubernetes.api.model.ContainerImage;
import io.fabric8.kubernetes.api.model.Node;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Snapshot;
import io.kemu.scheduler.framework.SnapshotUpdater;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The scheduler's cache (pkg/scheduler/backend/cache): nodes with the pods bound to them, plus pods assumed on a
 * node while their binding is in flight, so that the next cycle already counts them; the informer's view of the
 * pod confirms (or moves) an assumed pod. {@link #updateSnapshot} copies only the nodes that changed since the
 * last cycle. Owned by one actor.
 */
public final class SchedulerCache {
  private record PodState(PodInfo pod, String node, boolean assumed) {}

  private final Map<String, NodeInfo> nodes = new LinkedHashMap<>();
  private final Map<String, PodState> podStates = new HashMap<>();
  private final Set<String> assumedPods = new HashSet<>();
  /** image name -> (size, nodes that have it). */
  private final Map<String, ImageState> imageStates = new HashMap<>();
  private final Set<String> dirty = new HashSet<>();
  private boolean nodeSetChanged = true;
  private long generation;

  private static final class ImageState {
    long size;
    final Set<String> nodes = new HashSet<>();
  }

  // ---- nodes

  public void addOrUpdateNode(Node node) {
    String name = node.getMetadata().getName();
    NodeInfo info = nodes.get(name);
    if (info == null) {
      info = new NodeInfo(node);
      nodes.put(name, info);
      nodeSetChanged = true;
    } else {
      if (info.node() == null) {
        nodeSetChanged = true;
      } else {
        removeImages(info.node());
      }
      info.setNode(node);
    }
    addImages(node);
    touch(info);
  }

  public void removeNode(String name) {
    NodeInfo info = nodes.get(name);
    if (info == null) {
      return;
    }
    if (info.node() != null) {
      removeImages(info.node());
    }
    if (info.podCount() == 0) {
      nodes.remove(name);
    } else {
      info.setNode(null); // kept for its pods until they go, as upstream does
    }
    nodeSetChanged = true;
    dirty.remove(name);
  }

  private void addImages(Node node) {
    if (node.getStatus() == null || node.getStatus().getImages() == null) {
      return;
    }
    for (ContainerImage image : node.getStatus().getImages()) {
      if (image.getNames() == null) {
        continue;
      }
      for (String n : image.getNames()) {
        ImageState s = imageStates.computeIfAbsent(n, k -> new ImageState());
        s.size = image.getSizeBytes() == null ? 0 : image.getSizeBytes();
        s.nodes.add(node.getMetadata().getName());
      }
    }
  }

  private void removeImages(Node node) {
    if (node.getStatus() == null || node.getStatus().getImages() == null) {
      return;
    }
    for (ContainerImage image : node.getStatus().getImages()) {
      if (image.getNames() == null) {
        continue;
      }
      for (String n : image.getNames()) {
        ImageState s = imageStates.get(n);
        if (s != null) {
          s.nodes.remove(node.getMetadata().getName());
          if (s.nodes.isEmpty()) {
            imageStates.remove(n);
          }
        }
      }
    }
  }

  private Map<String, NodeInfo.ImageStateSummary> imageSummaries(Node node) {
    if (node == null || node.getStatus() == null || node.getStatus().getImages() == null
        || node.getStatus().getImages().isEmpty()) {
      return Map.of();
    }
    Map<String, NodeInfo.ImageStateSummary> m = new HashMap<>();
    for (ContainerImage image : node.getStatus().getImages()) {
      if (image.getNames() == null) {
        continue;
      }
      for (String n : image.getNames()) {
        ImageState s = imageStates.get(n);
        if (s != null) {
          m.put(n, new NodeInfo.ImageStateSummary(s.size, s.nodes.size()));
        }
      }
    }
    return m;
  }

  private void touch(NodeInfo info) {
    info.setGeneration(++generation);
    if (info.node() != null) {
      dirty.add(info.name());
    }
  }

  // ---- pods

  /** AddPod/UpdatePod from the informer: a bound pod (also confirms an assumed one, or moves it). */
  public void addOrUpdatePod(PodInfo pod) {
    place(pod, pod.pod().getSpec().getNodeName(), false);
  }

  public void removePod(String uid) {
    assumedPods.remove(uid);
    PodState s = podStates.remove(uid);
    if (s != null) {
      removeFrom(s.node(), uid);
    }
  }

  /** AssumePod: counts the pod on the node before the binding is confirmed. */
  public void assumePod(PodInfo pod, String node) {
    place(pod, node, true);
  }

  /** The pod counted on {@code node} (and on no other), bound or assumed. */
  private void place(PodInfo pod, String node, boolean assumed) {
    String uid = pod.uid();
    PodState previous = podStates.get(uid);
    if (previous != null) {
      removeFrom(previous.node(), uid);
    }
    if (assumed) {
      assumedPods.add(uid);
    } else {
      assumedPods.remove(uid);
    }
    podStates.put(uid, new PodState(pod, node, assumed));
    addTo(node, pod);
  }

  /** ForgetPod: the binding failed; the assumed pod leaves the node again. */
  public void forgetPod(String uid) {
    if (assumedPods.remove(uid)) {
      PodState s = podStates.remove(uid);
      if (s != null) {
        removeFrom(s.node(), uid);
      }
    }
  }

  public boolean isAssumed(String uid) {
    return assumedPods.contains(uid);
  }

  public boolean isBoundOrAssumed(String uid) {
    return podStates.containsKey(uid);
  }

  public PodInfo podInfo(String uid) {
    PodState s = podStates.get(uid);
    return s == null ? null : s.pod();
  }

  private void addTo(String node, PodInfo pod) {
    NodeInfo info = nodes.computeIfAbsent(node, n -> new NodeInfo(null));
    info.addPod(pod);
    touch(info);
  }

  private void removeFrom(String node, String uid) {
    NodeInfo info = nodes.get(node);
    if (info != null) {
      info.removePod(uid);
      touch(info);
      if (info.node() == null && info.podCount() == 0) {
        nodes.remove(node);
      }
    }
  }

  // ---- snapshot

  /** UpdateSnapshot: copies the nodes that changed; rebuilds the ordered lists when nodes came or went. */
  public void updateSnapshot(Snapshot snapshot) {
    SnapshotUpdater u = new SnapshotUpdater(snapshot);
    if (nodeSetChanged) {
      Map<String, NodeInfo> copies = new LinkedHashMap<>();
      for (NodeInfo n : nodes.values()) {
        if (n.node() == null) {
          continue;
        }
        NodeInfo existing = u.get(n.name());
        if (existing == null || dirty.contains(n.name()) || existing.generation() != n.generation()) {
          NodeInfo c = n.copy();
          c.setImageStates(imageSummaries(n.node()));
          copies.put(n.name(), c);
        } else {
          copies.put(n.name(), existing);
        }
      }
      u.replaceAll(zoneInterleaved(new ArrayList<>(copies.values())));
      nodeSetChanged = false;
    } else if (!dirty.isEmpty()) {
      boolean affinityChanged = false;
      for (String name : dirty) {
        NodeInfo n = nodes.get(name);
        if (n == null || n.node() == null) {
          continue;
        }
        NodeInfo c = n.copy();
        c.setImageStates(imageSummaries(n.node()));
        NodeInfo old = u.replace(c);
        if (old == null || !old.podsWithAffinity().isEmpty() || !c.podsWithAffinity().isEmpty()) {
          affinityChanged = true;
        }
      }
      if (affinityChanged) {
        u.rebuildAffinityLists();
      }
    }
    dirty.clear();
    u.setGeneration(generation);
  }

  /** nodeTree's order: one node from each zone in turn, so that the first nodes tried span the zones. */
  static List<NodeInfo> zoneInterleaved(List<NodeInfo> infos) {
    Map<String, List<NodeInfo>> byZone = new LinkedHashMap<>();
    for (NodeInfo n : infos) {
      Map<String, String> l = n.labels();
      String zone = l.getOrDefault("topology.kubernetes.io/region", "") + ":\u0000:"
          + l.getOrDefault("topology.kubernetes.io/zone", "");
      byZone.computeIfAbsent(zone, z -> new ArrayList<>()).add(n);
    }
    if (byZone.size() <= 1) {
      return infos;
    }
    List<NodeInfo> out = new ArrayList<>(infos.size());
    List<List<NodeInfo>> zones = new ArrayList<>(byZone.values());
    for (int i = 0; out.size() < infos.size(); i++) {
      for (List<NodeInfo> z : zones) {
        if (i < z.size()) {
          out.add(z.get(i));
        }
      }
    }
    return out;
  }

  public NodeInfo node(String name) {
    return nodes.get(name);
  }

  public int nodeCount() {
    int n = 0;
    for (NodeInfo i : nodes.values()) {
      if (i.node() != null) {
        n++;
      }
    }
    return n;
  }

  public int podCount() {
    return podStates.size();
  }

  public int assumedPodCount() {
    return assumedPods.size();
  }
}
