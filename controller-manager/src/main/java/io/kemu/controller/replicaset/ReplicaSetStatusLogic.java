package io.kemu.controller.replicaset;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kemu.api.KubeJson;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.controller.PodControl;
import io.kemu.controller.PodUtil;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** pkg/controller/replicaset/replica_set_utils.go: the status a ReplicaSet's pods give it. */
public final class ReplicaSetStatusLogic {
  public static final String REPLICA_FAILURE = "ReplicaFailure";

  private ReplicaSetStatusLogic() {}

  public static int orZero(Integer i) {
    return i == null ? 0 : i;
  }

  /** Go's omitempty: a zero count is left out of the JSON. */
  static Integer omitZero(int i) {
    return i == 0 ? null : i;
  }

  /**
   * calculateStatus: replicas (the claimed active pods), fullyLabeledReplicas (pods carrying every template
   * label), readyReplicas, availableReplicas (ready for minReadySeconds); ReplicaFailure while creating or
   * deleting fails. {@code minReady} is the real duration of spec.minReadySeconds.
   */
  public static ReplicaSetStatus calculateStatus(ReplicaSet rs, List<Pod> pods, Throwable manageErr,
                                                 Duration minReady, Instant now) {
    ReplicaSetStatus status = rs.getStatus() == null ? new ReplicaSetStatus() : KubeJson.copy(rs.getStatus());
    LabelSelector templateLabels = LabelSelector.fromMap(rs.getSpec().getTemplate().getMetadata() == null ? null
        : rs.getSpec().getTemplate().getMetadata().getLabels());
    int fullyLabeled = 0;
    int ready = 0;
    int available = 0;
    for (Pod p : pods) {
      if (templateLabels.matches(p.getMetadata().getLabels())) {
        fullyLabeled++;
      }
      if (PodUtil.isPodReady(p)) {
        ready++;
        if (PodUtil.isPodAvailable(p, minReady, now)) {
          available++;
        }
      }
    }
    ReplicaSetCondition failure = condition(status, REPLICA_FAILURE);
    if (manageErr != null && failure == null) {
      int diff = pods.size() - ReplicaSetController.replicas(rs);
      String reason = diff < 0 ? "FailedCreate" : diff > 0 ? "FailedDelete" : "";
      ReplicaSetCondition c = new ReplicaSetCondition(KubeJson.timestamp(now), PodControl.message(manageErr),
          reason, "True", REPLICA_FAILURE);
      List<ReplicaSetCondition> conds = new ArrayList<>(status.getConditions() == null ? List.of()
          : status.getConditions());
      conds.add(c);
      status.setConditions(conds);
    } else if (manageErr == null && failure != null) {
      List<ReplicaSetCondition> conds = new ArrayList<>(status.getConditions());
      conds.removeIf(c -> REPLICA_FAILURE.equals(c.getType()));
      status.setConditions(conds.isEmpty() ? null : conds);
    }
    status.setReplicas(pods.size());
    status.setFullyLabeledReplicas(omitZero(fullyLabeled));
    status.setReadyReplicas(omitZero(ready));
    status.setAvailableReplicas(omitZero(available));
    return status;
  }

  static ReplicaSetCondition condition(ReplicaSetStatus status, String type) {
    if (status == null || status.getConditions() == null) {
      return null;
    }
    for (ReplicaSetCondition c : status.getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  /** The comparison updateReplicaSetStatus makes before writing. */
  static boolean sameCounts(ReplicaSetStatus a, ReplicaSetStatus b) {
    ReplicaSetStatus x = a == null ? new ReplicaSetStatus() : a;
    return orZero(x.getReplicas()) == orZero(b.getReplicas())
        && orZero(x.getFullyLabeledReplicas()) == orZero(b.getFullyLabeledReplicas())
        && orZero(x.getReadyReplicas()) == orZero(b.getReadyReplicas())
        && orZero(x.getAvailableReplicas()) == orZero(b.getAvailableReplicas())
        && Objects.equals(emptyToNull(x.getConditions()), emptyToNull(b.getConditions()));
  }

  private static <T> List<T> emptyToNull(List<T> l) {
    return l == null || l.isEmpty() ? null : l;
  }
}
