package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.PreFilterResult;
import io.kemu.scheduler.framework.Status;
import java.util.List;

/** plugins/nodeports: the host ports a pod asks for must be free on the node. */
public final class NodePorts implements Plugins.PreFilterPlugin, Plugins.FilterPlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "NodePorts";
  public static final String ERR_REASON = "node(s) didn't have free ports for the requested pod ports";
  private static final CycleState.Key PRE_FILTER_STATE_KEY = CycleState.key("PreFilter" + NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    if (pod.hostPorts().isEmpty()) {
      return PreFilterResult.SKIP;
    }
    state.write(PRE_FILTER_STATE_KEY, pod.hostPorts());
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    List<ContainerPort> wanted = state.read(PRE_FILTER_STATE_KEY);
    if (wanted == null) {
      wanted = pod.hostPorts();
    }
    return fitsPorts(wanted, node) ? Status.SUCCESS : Status.unschedulable(ERR_REASON);
  }

  static boolean fitsPorts(List<ContainerPort> wanted, NodeInfo node) {
    for (ContainerPort p : wanted) {
      if (node.usedPorts().checkConflict(p.getHostIP(), p.getProtocol(), p.getHostPort())) {
        return false;
      }
    }
    return true;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(
        ClusterEvent.WithHint.of(ClusterEvent.Kind.POD, ClusterEvent.DELETE, NodePorts::isSchedulableAfterPodDeleted),
        ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD));
  }

  /** isSchedulableAfterPodDeleted: a scheduled pod that used one of the wanted host ports went away. */
  static QueueingHint isSchedulableAfterPodDeleted(PodInfo pod, Object oldObj, Object newObj) {
    if (!(oldObj instanceof Pod deleted) || deleted.getSpec().getNodeName() == null
        || deleted.getSpec().getNodeName().isEmpty()) {
      return QueueingHint.QUEUE_SKIP;
    }
    for (ContainerPort used : PodInfo.of(deleted).hostPorts()) {
      for (ContainerPort want : pod.hostPorts()) {
        if (java.util.Objects.equals(used.getHostPort(), want.getHostPort())
            && java.util.Objects.equals(proto(used), proto(want))) {
          return QueueingHint.QUEUE;
        }
      }
    }
    return QueueingHint.QUEUE_SKIP;
  }

  private static String proto(ContainerPort p) {
    return p.getProtocol() == null || p.getProtocol().isEmpty() ? "TCP" : p.getProtocol();
  }
}
