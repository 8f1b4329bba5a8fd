package io.kemu.scheduler.framework;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiConsumer;

/**
 * framework.NodeToStatus: the status of each node rejected in a cycle, and one status for the nodes not listed
 * (absent: UnschedulableAndUnresolvable by default, or the PreFilter rejection that applies to all).
 */
public final class NodeToStatus {
  private final Map<String, Status> statuses;
  private Status absentNodesStatus;

  public NodeToStatus() {
    this(new HashMap<>(), Status.of(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE));
  }

  public NodeToStatus(Map<String, Status> statuses, Status absent) {
    this.statuses = statuses;
    this.absentNodesStatus = absent;
  }

  public void set(String node, Status s) {
    statuses.put(node, s);
  }

  /** The node's status, explicit or absent. */
  public Status get(String node) {
    Status s = statuses.get(node);
    return s != null ? s : absentNodesStatus;
  }

  public int len() {
    return statuses.size();
  }

  public Status absentNodesStatus() {
    return absentNodesStatus;
  }

  public void setAbsentNodesStatus(Status s) {
    absentNodesStatus = s;
  }

  public void forEachExplicitNode(BiConsumer<String, Status> f) {
    statuses.forEach(f);
  }

  /**
   * NodesForStatusCode: the nodes of the snapshot whose status (explicit or absent) has this code; absent nodes
   * count only if the absent status has it.
   */
  public List<NodeInfo> nodesForStatusCode(Snapshot snapshot, Status.Code code) {
    List<NodeInfo> out = new ArrayList<>();
    if (absentNodesStatus.code() == code) {
      for (NodeInfo n : snapshot.list()) {
        if (get(n.name()).code() == code) {
          out.add(n);
        }
      }
      return out;
    }
    statuses.forEach((name, s) -> {
      if (s.code() == code) {
        NodeInfo n = snapshot.get(name);
        if (n != null) {
          out.add(n);
        }
      }
    });
    return out;
  }
}
