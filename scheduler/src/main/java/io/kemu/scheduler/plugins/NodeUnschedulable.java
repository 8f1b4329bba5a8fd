package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;

/** plugins/nodeunschedulable: cordoned nodes take only pods that tolerate the unschedulable taint. */
public final class NodeUnschedulable implements Plugins.FilterPlugin {
  public static final String NAME = "NodeUnschedulable";
  public static final String ERR_REASON = "node(s) were unschedulable";
  private static final Taint UNSCHEDULABLE = new Taint("NoSchedule", "node.kubernetes.io/unschedulable", null, null);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    if (node.node().getSpec() == null || !Boolean.TRUE.equals(node.node().getSpec().getUnschedulable())) {
      return Status.SUCCESS;
    }
    return Tolerations.tolerated(pod.getSpec().getTolerations(), UNSCHEDULABLE) ? Status.SUCCESS
        : Status.unresolvable(ERR_REASON);
  }
}
