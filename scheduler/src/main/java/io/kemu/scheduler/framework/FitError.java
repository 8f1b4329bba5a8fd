package io.kemu.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * framework.FitError: why no node fits, in kube-scheduler's words, e.g.
 * {@code 0/4 nodes are available: 3 Insufficient cpu, 1 node(s) were unschedulable. preemption: ...} — a
 * histogram of the reasons over all nodes (absent nodes counted with the absent status), sorted as strings,
 * then the PostFilter (preemption) message.
 */
public final class FitError {
  public static final String NO_NODE_AVAILABLE_MSG = "0/%d nodes are available";
  /** ErrNoNodesAvailable. */
  public static final String NO_NODES_AVAILABLE = "no nodes available to schedule pods";

  private final int numAllNodes;
  private final Diagnosis diagnosis;

  public FitError(int numAllNodes, Diagnosis diagnosis) {
    this.numAllNodes = numAllNodes;
    this.diagnosis = diagnosis;
  }

  public int numAllNodes() {
    return numAllNodes;
  }

  public Diagnosis diagnosis() {
    return diagnosis;
  }

  /** framework.Diagnosis: per-node statuses, the plugins that rejected the pod, and the PreFilter/PostFilter messages. */
  public static final class Diagnosis {
    public final NodeToStatus nodeToStatus;
    public final Set<String> unschedulablePlugins = new TreeSet<>();
    public final Set<String> pendingPlugins = new TreeSet<>();
    public String preFilterMsg = "";
    public String postFilterMsg = "";

    public Diagnosis(NodeToStatus nodeToStatus) {
      this.nodeToStatus = nodeToStatus;
    }

    public Diagnosis() {
      this(new NodeToStatus());
    }

    /** AddPluginStatus: remember which plugin rejected the pod (to requeue it on the events that plugin names). */
    public void addPluginStatus(Status s) {
      if (s == null || s.plugin() == null || s.plugin().isEmpty()) {
        return;
      }
      if (s.code() == Status.Code.PENDING) {
        pendingPlugins.add(s.plugin());
      } else if (s.isRejected()) {
        unschedulablePlugins.add(s.plugin());
      }
    }
  }

  /** FitError.Error(). */
  public String message() {
    StringBuilder msg = new StringBuilder(String.format(NO_NODE_AVAILABLE_MSG, numAllNodes)).append(':');
    String preFilterMsg = diagnosis.preFilterMsg;
    if (preFilterMsg != null && !preFilterMsg.isEmpty()) {
      msg.append(' ').append(preFilterMsg).append('.');
    } else {
      Map<String, Integer> reasons = new HashMap<>();
      diagnosis.nodeToStatus.forEachExplicitNode((node, status) -> {
        for (String r : status.reasons()) {
          reasons.merge(r, 1, Integer::sum);
        }
      });
      int absent = numAllNodes - diagnosis.nodeToStatus.len();
      if (absent > 0) {
        for (String r : diagnosis.nodeToStatus.absentNodesStatus().reasons()) {
          reasons.merge(r, absent, Integer::sum);
        }
      }
      List<String> parts = new ArrayList<>();
      reasons.forEach((r, n) -> parts.add(n + " " + r));
      Collections.sort(parts); // sort.Strings, as upstream: "10 x" sorts before "2 y"
      if (!parts.isEmpty()) {
        msg.append(' ').append(String.join(", ", parts)).append('.');
      }
    }
    String postFilterMsg = diagnosis.postFilterMsg;
    if (postFilterMsg != null && !postFilterMsg.isEmpty()) {
      // SeparatorFormat " %v." as upstream, although preemption's message is itself a FitError ending with a
      // period: kube-scheduler's messages read "... incoming pod.." and so do ours
      msg.append(' ').append(postFilterMsg).append('.');
    }
    return msg.toString();
  }

  @Override
  public String toString() {
    return message();
  }
}
