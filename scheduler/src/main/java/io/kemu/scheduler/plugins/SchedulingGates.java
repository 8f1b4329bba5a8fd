package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.List;

/** plugins/schedulinggates: a pod with scheduling gates stays out of the active queue until they are removed. */
public final class SchedulingGates implements Plugins.PreEnqueuePlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "SchedulingGates";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preEnqueue(Pod pod) {
    List<PodSchedulingGate> gates = pod.getSpec().getSchedulingGates();
    if (gates == null || gates.isEmpty()) {
      return Status.SUCCESS;
    }
    List<String> names = gates.stream().map(PodSchedulingGate::getName).toList();
    return Status.unresolvable("waiting for scheduling gates: " + names.toString().replace(",", ""));
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.Kind.POD,
        ClusterEvent.UPDATE_POD_SCHEDULING_GATES_ELIMINATED));
  }
}
