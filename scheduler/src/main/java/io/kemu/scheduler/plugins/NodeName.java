package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;

/** plugins/nodename: a pod that names a node fits only that node. */
public final class NodeName implements Plugins.FilterPlugin {
  public static final String NAME = "NodeName";
  public static final String ERR_REASON = "node(s) didn't match the requested node name";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    String wanted = pod.getSpec().getNodeName();
    return wanted == null || wanted.isEmpty() || wanted.equals(node.name()) ? Status.SUCCESS
        : Status.unresolvable(ERR_REASON);
  }
}
