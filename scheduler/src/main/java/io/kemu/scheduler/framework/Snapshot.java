package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * cache.Snapshot: the nodes as one scheduling cycle sees them, updated incrementally from the cache before each
 * cycle (only the nodes that changed are copied). The lists keep their NodeInfo objects across updates.
 */
public final class Snapshot {
  final Map<String, NodeInfo> nodeInfoMap = new HashMap<>();
  List<NodeInfo> nodeInfoList = new ArrayList<>();
  List<NodeInfo> havePodsWithAffinityList = new ArrayList<>();
  List<NodeInfo> havePodsWithRequiredAntiAffinityList = new ArrayList<>();
  long generation;

  /** cache.NewSnapshot: for tests and tools, from nodes and the pods bound to them. */
  public static Snapshot of(List<Pod> pods, List<Node> nodes) {
    Map<String, NodeInfo> infos = new LinkedHashMap<>();
    for (Node n : nodes) {
      infos.put(n.getMetadata().getName(), new NodeInfo(n));
    }
    for (Pod p : pods) {
      NodeInfo info = infos.get(p.getSpec().getNodeName());
      if (info != null) {
        info.addPod(PodInfo.of(p));
      }
    }
    Snapshot s = new Snapshot();
    s.nodeInfoMap.putAll(infos);
    s.rebuildLists(new ArrayList<>(infos.values()));
    return s;
  }

  public static Snapshot of(List<NodeInfo> infos) {
    Snapshot s = new Snapshot();
    for (NodeInfo i : infos) {
      s.nodeInfoMap.put(i.name(), i);
    }
    s.rebuildLists(infos);
    return s;
  }

  private final java.util.IdentityHashMap<NodeInfo, Integer> index = new java.util.IdentityHashMap<>();

  void rebuildLists(List<NodeInfo> ordered) {
    nodeInfoList = new ArrayList<>(ordered);
    index.clear();
    for (int i = 0; i < nodeInfoList.size(); i++) {
      index.put(nodeInfoList.get(i), i);
    }
    rebuildAffinityLists();
  }

  void reindex(NodeInfo n, int i) {
    index.put(n, i);
  }

  int indexOf(NodeInfo n) {
    Integer i = index.remove(n);
    if (i == null) {
      return -1;
    }
    return i;
  }

  void rebuildAffinityLists() {
    List<NodeInfo> aff = new ArrayList<>();
    List<NodeInfo> anti = new ArrayList<>();
    for (NodeInfo n : nodeInfoList) {
      if (!n.podsWithAffinity().isEmpty()) {
        aff.add(n);
      }
      if (!n.podsWithRequiredAntiAffinity().isEmpty()) {
        anti.add(n);
      }
    }
    havePodsWithAffinityList = aff;
    havePodsWithRequiredAntiAffinityList = anti;
  }

  public List<NodeInfo> list() {
    return nodeInfoList;
  }

  public List<NodeInfo> havePodsWithAffinityList() {
    return havePodsWithAffinityList;
  }

  public List<NodeInfo> havePodsWithRequiredAntiAffinityList() {
    return havePodsWithRequiredAntiAffinityList;
  }

  public NodeInfo get(String name) {
    return nodeInfoMap.get(name);
  }

  public int numNodes() {
    return nodeInfoList.size();
  }

  public long generation() {
    return generation;
  }
}
