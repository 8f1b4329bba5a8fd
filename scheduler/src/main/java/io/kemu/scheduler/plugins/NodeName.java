package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.List;

/** plugins/nodename: a pod that names a node fits only that node. */
public final class NodeName implements Plugins.FilterPlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "NodeName";
  public static final String ERR_REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    return fits(pod, node.name()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON);
  }

  static boolean fits(PodInfo pod, String nodeName) {
    String wanted = pod.pod().getSpec().getNodeName();
    return wanted == null || wanted.isEmpty() || wanted.equals(nodeName);
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD,
        (pod, o, n) -> fits(pod, ((Node) n).getMetadata().getName()) ? QueueingHint.QUEUE : QueueingHint.QUEUE_SKIP));
  }
}
