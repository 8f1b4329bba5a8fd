package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kemu.api.KubeJson;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.RequestContext;
import io.kemu.apiserver.watchcache.CachedObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * pods/eviction (pkg/registry/core/pod/storage/eviction.go): deletes a pod unless the PodDisruptionBudget that
 * selects it has no disruption left, in which case the answer is 429 with the budget's figures. A pod that is not
 * running (pending, finished, already terminating) is evicted without looking at budgets.
 */
public final class PodEvictionRest {
  private final Registry<Pod> pods;
  private final Registry<PodDisruptionBudget> budgets;

  public PodEvictionRest(Registry<Pod> pods, Registry<PodDisruptionBudget> budgets) {
    this.pods = pods;
    this.budgets = budgets;
  }

  public CompletionStage<Void> evict(RequestContext rc, String namespace, String name, Eviction eviction) {
    if (eviction.getMetadata() != null && eviction.getMetadata().getName() != null
        && !eviction.getMetadata().getName().equals(name)) {
      throw ApiException.badRequest("name in URL does not match name in Eviction object");
    }
    DeleteOptions opts = eviction.getDeleteOptions() == null ? new DeleteOptions() : eviction.getDeleteOptions();
    return pods.get(namespace, name).thenCompose(pod -> {
      if (canIgnorePdb(pod)) {
        return pods.delete(rc, namespace, name, opts).thenApply(x -> (Void) null);
      }
      List<PodDisruptionBudget> matching = new ArrayList<>();
      for (CachedObject o : budgets.cachedIn(namespace)) {
        PodDisruptionBudget pdb = (PodDisruptionBudget) o.typed();
        LabelSelector sel = LabelSelector.fromLabelSelector(pdb.getSpec().getSelector());
        if (!sel.isEmpty() && sel.matches(pod.getMetadata().getLabels())) {
          matching.add(pdb);
        }
      }
      if (matching.size() > 1) {
        throw ApiException.internal("This pod has more than one PodDisruptionBudget, which the eviction "
            + "subresource does not support.");
      }
      if (matching.isEmpty()) {
        return pods.delete(rc, namespace, name, opts).thenApply(x -> (Void) null);
      }
      PodDisruptionBudget pdb = matching.get(0);
      Budget b = budget(pdb, namespace);
      if (b.allowed() <= 0) {
        throw new ApiException(429, "TooManyRequests", "Cannot evict pod as it would violate the pod's disruption "
            + "budget.", "policy", "poddisruptionbudgets", pdb.getMetadata().getName(),
            List.of(new ApiException.Cause("DisruptionBudget", "The disruption budget " + pdb.getMetadata().getName()
                + " needs " + b.desired() + " healthy pods and has " + b.healthy() + " currently", "")), null);
      }
      // Record the disruption before deleting, so that concurrent evictions cannot both spend it.
      return budgets.systemUpdate(namespace, pdb.getMetadata().getName(), live -> {
        PodDisruptionBudgetStatus st = live.getStatus() == null ? new PodDisruptionBudgetStatus() : live.getStatus();
        Budget now = budget(live, namespace);
        if (now.allowed() <= 0) {
          throw ApiException.conflict("policy", "poddisruptionbudgets", live.getMetadata().getName(),
              "the disruption budget changed; retry the eviction");
        }
        st.setCurrentHealthy(now.healthy());
        st.setDesiredHealthy(now.desired());
        st.setExpectedPods(now.expected());
        st.setDisruptionsAllowed(now.allowed() - 1);
        Map<String, String> disrupted = st.getDisruptedPods() == null ? new HashMap<>()
            : new HashMap<>(st.getDisruptedPods());
        disrupted.put(name, KubeJson.timestamp(rc.now()));
        st.setDisruptedPods(disrupted);
        live.setStatus(st);
        return live;
      }).thenCompose(x -> pods.delete(rc, namespace, name, opts)).thenApply(x -> (Void) null);
    });
  }

  /** canIgnorePDB: not running, or already going. */
  static boolean canIgnorePdb(Pod pod) {
    String phase = pod.getStatus() == null ? "" : pod.getStatus().getPhase();
    return pod.getMetadata().getDeletionTimestamp() != null || "Succeeded".equals(phase) || "Failed".equals(phase)
        || "Pending".equals(phase);
  }

  record Budget(int expected, int desired, int healthy) {
    int allowed() {
      return Math.max(0, healthy - desired);
    }
  }

  /**
   * What the disruption controller would write in the budget's status: pods it selects (expected), how many must
   * stay healthy (minAvailable, or expected − maxUnavailable; percentages round up), how many are Ready.
   */
  Budget budget(PodDisruptionBudget pdb, String namespace) {
    LabelSelector sel = LabelSelector.fromLabelSelector(pdb.getSpec().getSelector());
    int expected = 0;
    int healthy = 0;
    for (CachedObject o : pods.cachedIn(namespace)) {
      if (!sel.matches(o.labels()) || !o.tree().path("metadata").path("deletionTimestamp").isMissingNode()) {
        continue;
      }
      expected++;
      for (var c : o.tree().path("status").path("conditions")) {
        if ("Ready".equals(c.path("type").asText()) && "True".equals(c.path("status").asText())) {
          healthy++;
        }
      }
    }
    int desired;
    if (pdb.getSpec().getMinAvailable() != null) {
      desired = scaled(pdb.getSpec().getMinAvailable(), expected, true);
    } else if (pdb.getSpec().getMaxUnavailable() != null) {
      desired = Math.max(0, expected - scaled(pdb.getSpec().getMaxUnavailable(), expected, true));
    } else {
      desired = expected;
    }
    return new Budget(expected, desired, healthy);
  }

  /** intstr.GetScaledValueFromIntOrPercent */
  static int scaled(IntOrString v, int total, boolean roundUp) {
    if (v.getIntVal() != null) {
      return v.getIntVal();
    }
    String s = v.getStrVal();
    if (s == null || !s.endsWith("%")) {
      throw ApiException.badRequest("invalid value for IntOrString: invalid value \"" + s + "\"");
    }
    double pct = Integer.parseInt(s.substring(0, s.length() - 1)) / 100.0;
    return (int) (roundUp ? Math.ceil(pct * total) : Math.floor(pct * total));
  }
}
