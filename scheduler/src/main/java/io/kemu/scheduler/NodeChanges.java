package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import java.util.Objects;

/**
 * Which node updates can make an unschedulable pod schedulable (the NodeUpdate events of kube-scheduler's
 * queueing hints: allocatable, labels, taints, the unschedulable flag, conditions becoming Ready). A
 * heartbeat that only moves lastHeartbeatTime wakes nobody.
 */
final class NodeChanges {
  private NodeChanges() {}

  static boolean mayHelpPods(Node before, Node after) {
    if (!Objects.equals(allocatable(before), allocatable(after))
        || !Objects.equals(before.getMetadata().getLabels(), after.getMetadata().getLabels())) {
      return true;
    }
    var specBefore = before.getSpec();
    var specAfter = after.getSpec();
    if (!Objects.equals(specBefore == null ? null : specBefore.getTaints(), specAfter == null ? null : specAfter.getTaints())
        || !Objects.equals(specBefore == null ? null : specBefore.getUnschedulable(),
            specAfter == null ? null : specAfter.getUnschedulable())) {
      return true;
    }
    return !ready(before) && ready(after);
  }

  private static Object allocatable(Node n) {
    return n.getStatus() == null ? null : n.getStatus().getAllocatable();
  }

  private static boolean ready(Node n) {
    return n.getStatus() != null && n.getStatus().getConditions() != null && n.getStatus().getConditions().stream()
        .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }
}
