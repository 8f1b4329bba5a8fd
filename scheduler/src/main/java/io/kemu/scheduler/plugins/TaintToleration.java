package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;

/**
 * plugins/tainttoleration: NoSchedule and NoExecute taints must be tolerated; PreferNoSchedule taints that are not
 * tolerated lower the score (normalized in reverse: fewest intolerable taints score 100).
 */
public final class TaintToleration implements Plugins.FilterPlugin, Plugins.PreScorePlugin, Plugins.ScorePlugin,
    Plugins.EnqueueExtensions {
  public static final String NAME = "TaintToleration";
  private static final CycleState.Key PRE_SCORE_STATE_KEY = CycleState.key("PreScore" + NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    List<Taint> taints = nodeInfo.taints();
    if (taints == null) {
      return Status.SUCCESS;
    }
    Taint taint = findUntoleratedDoNotScheduleTaint(taints, pod.pod().getSpec().getTolerations());
    if (taint == null) {
      return Status.SUCCESS;
    }
    return Status.unresolvable("node(s) had untolerated taint {" + taint.getKey() + ": "
        + (taint.getValue() == null ? "" : taint.getValue()) + "}");
  }

  /** v1helper.FindMatchingUntoleratedTaint with DoNotScheduleTaintsFilterFunc (NoSchedule, NoExecute). */
  static Taint findUntoleratedDoNotScheduleTaint(Node node, List<Toleration> tolerations) {
    return findUntoleratedDoNotScheduleTaint(node.getSpec() == null ? null : node.getSpec().getTaints(), tolerations);
  }

  static Taint findUntoleratedDoNotScheduleTaint(List<Taint> taints, List<Toleration> tolerations) {
    if (taints == null) {
      return null;
    }
    for (Taint t : taints) {
      boolean relevant = "NoSchedule".equals(t.getEffect()) || "NoExecute".equals(t.getEffect());
      if (relevant && !Tolerations.tolerated(tolerations, t)) {
        return t;
      }
    }
    return null;
  }

  private record PreScoreState(List<Toleration> tolerationsPreferNoSchedule) {}

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    state.write(PRE_SCORE_STATE_KEY, new PreScoreState(preferNoScheduleTolerations(pod.pod().getSpec()
        .getTolerations())));
    return Status.SUCCESS;
  }

  /** getAllTolerationPreferNoSchedule: an empty effect counts too. */
  static List<Toleration> preferNoScheduleTolerations(List<Toleration> tolerations) {
    List<Toleration> out = new ArrayList<>();
    if (tolerations != null) {
      for (Toleration t : tolerations) {
        if (t.getEffect() == null || t.getEffect().isEmpty() || "PreferNoSchedule".equals(t.getEffect())) {
          out.add(t);
        }
      }
    }
    return out;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    List<Taint> taints = nodeInfo.taints();
    if (taints == null) {
      return 0;
    }
    PreScoreState s = state.read(PRE_SCORE_STATE_KEY);
    List<Toleration> tolerations = s != null ? s.tolerationsPreferNoSchedule()
        : preferNoScheduleTolerations(pod.pod().getSpec().getTolerations());
    int intolerable = 0;
    for (Taint t : taints) {
      if ("PreferNoSchedule".equals(t.getEffect()) && !Tolerations.tolerated(tolerations, t)) {
        intolerable++;
      }
    }
    return intolerable;
  }

  @Override
  public boolean hasNormalizeScore() {
    return true;
  }

  @Override
  public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    Plugins.defaultNormalizeScore(Plugins.MAX_NODE_SCORE, true, scores);
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_TAINT,
        TaintToleration::isSchedulableAfterNodeChange),
        ClusterEvent.WithHint.of(ClusterEvent.Kind.POD, ClusterEvent.UPDATE_POD_TOLERATIONS));
  }

  /** isSchedulableAfterNodeChange: the pod tolerates the node now, and did not before. */
  static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObj, Object newObj) {
    List<Toleration> tol = pod.pod().getSpec().getTolerations();
    boolean wasUntolerated = oldObj instanceof Node o && findUntoleratedDoNotScheduleTaint(o, tol) != null;
    boolean isUntolerated = findUntoleratedDoNotScheduleTaint((Node) newObj, tol) != null;
    if (!isUntolerated && (oldObj == null || wasUntolerated)) {
      return QueueingHint.QUEUE;
    }
    return QueueingHint.QUEUE_SKIP;
  }
}
