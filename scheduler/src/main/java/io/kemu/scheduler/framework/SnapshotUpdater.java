package io.kemu.scheduler.framework;

import java.util.List;

/** The cache's write access to a {@link Snapshot} (its fields are package-private to the framework). */
public final class SnapshotUpdater {
  private final Snapshot s;

  public SnapshotUpdater(Snapshot s) {
    this.s = s;
  }

  public NodeInfo get(String name) {
    return s.nodeInfoMap.get(name);
  }

  public void replaceAll(List<NodeInfo> ordered) {
    s.nodeInfoMap.clear();
    for (NodeInfo n : ordered) {
      s.nodeInfoMap.put(n.name(), n);
    }
    s.rebuildLists(ordered);
  }

  /** Replaces one node's info in the map and the list; returns the previous one. */
  public NodeInfo replace(NodeInfo n) {
    NodeInfo old = s.nodeInfoMap.put(n.name(), n);
    if (old == null) {
      s.nodeInfoList.add(n);
      s.reindex(n, s.nodeInfoList.size() - 1);
      return null;
    }
    List<NodeInfo> list = s.nodeInfoList;
    int idx = s.indexOf(old);
    if (idx >= 0) {
      list.set(idx, n);
      s.reindex(n, idx);
    }
    return old;
  }

  public void rebuildAffinityLists() {
    s.rebuildAffinityLists();
  }

  public void setGeneration(long g) {
    s.generation = g;
  }
}
