package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.List;

/** plugins/nodeunschedulable: cordoned nodes take only pods that tolerate the unschedulable taint. */
public final class NodeUnschedulable implements Plugins.FilterPlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "NodeUnschedulable";
  public static final String ERR_REASON_UNSCHEDULABLE = "node(s) were unschedulable";
  static final Taint UNSCHEDULABLE_TAINT = new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    if (!nodeInfo.unschedulable()) {
      return Status.SUCCESS;
    }
    return Tolerations.tolerated(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE_TAINT) ? Status.SUCCESS
        : Status.unresolvable(ERR_REASON_UNSCHEDULABLE);
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT,
        NodeUnschedulable::isSchedulableAfterNodeChange),
        ClusterEvent.WithHint.of(ClusterEvent.Kind.POD, ClusterEvent.UPDATE_POD_TOLERATIONS));
  }

  /** isSchedulableAfterNodeChange: the node is (now) schedulable, or the pod tolerates its cordon. */
  static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObj, Object newObj) {
    Node n = (Node) newObj;
    boolean unschedulable = n.getSpec() != null && Boolean.TRUE.equals(n.getSpec().getUnschedulable());
    if (!unschedulable || Tolerations.tolerated(pod.pod().getSpec().getTolerations(), UNSCHEDULABLE_TAINT)) {
      if (oldObj instanceof Node o && (o.getSpec() == null || !Boolean.TRUE.equals(o.getSpec().getUnschedulable()))
          && !unschedulable) {
        return QueueingHint.QUEUE_SKIP; // it was schedulable before, nothing changed for this plugin
      }
      return QueueingHint.QUEUE;
    }
    return QueueingHint.QUEUE_SKIP;
  }
}
