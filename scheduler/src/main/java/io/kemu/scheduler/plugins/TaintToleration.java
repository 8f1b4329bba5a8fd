package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/**
 * plugins/tainttoleration: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule taints that are
 * not tolerated lower the score.
 */
public final class TaintToleration implements Plugins.FilterPlugin, Plugins.ScorePlugin {
  public static final String NAME = "TaintToleration";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
    if (taints == null) {
      return Status.SUCCESS;
    }
    for (Taint t : taints) {
      boolean relevant = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
      if (relevant && !Tolerations.tolerated(pod.getSpec().getTolerations(), t)) {
        return Status.unresolvable("node(s) had untolerated taint {" + t.getKey() + ": "
            + (t.getValue() == null ? "" : t.getValue()) + "}");
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    List<Taint> taints = node.node().getSpec() == null ? null : node.node().getSpec().getTaints();
    if (taints == null) {
      return 0;
    }
    List<Toleration> preferring = pod.getSpec().getTolerations() == null ? List.of()
        : pod.getSpec().getTolerations().stream()
            .filter(t -> t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect()))
            .toList();
    return taints.stream().filter(t -> "PreferNoSchedule".equals(t.getEffect()))
        .filter(t -> !Tolerations.tolerated(preferring, t)).count();
  }

  @Override
  public void normalizeScores(CycleState state, Pod pod, Map<String, Long> scores) {
    Plugins.defaultNormalize(scores, true);
  }
}
