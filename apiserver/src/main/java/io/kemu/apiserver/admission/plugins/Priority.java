package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import io.kemu.apiserver.errors.ApiException;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * plugin/pkg/admission/priority: a pod's priority comes from its PriorityClass (the two system classes are built
 * in); without one it is 0 with preemptionPolicy PreemptLowerPriority. A user may not set the number itself.
 */
public final class Priority implements AdmissionPlugin {
  public static final Map<String, Integer> SYSTEM_CLASSES = Map.of(
      "system-node-critical", 2_000_001_000,
      "system-cluster-critical", 2_000_000_000);

  @Override
  public String name() {
    return "Priority";
  }

  @Override
  public CompletionStage<Void> admit(AdmissionAttributes a) {
    if (a.operation() != Operation.CREATE || a.type() != Resources.PODS || !a.isMainResource()
        || !(a.object() instanceof Pod pod) || pod.getSpec() == null) {
      return CompletableFuture.completedFuture(null);
    }
    String className = pod.getSpec().getPriorityClassName();
    int priority;
    if (className == null || className.isEmpty()) {
      priority = 0;
    } else if (SYSTEM_CLASSES.containsKey(className)) {
      priority = SYSTEM_CLASSES.get(className);
    } else {
      throw ApiException.forbidden("", "pods", a.name(), "pods \"" + a.name() + "\" is forbidden: no PriorityClass "
          + "with name " + className + " was found");
    }
    if (pod.getSpec().getPriority() != null && !Objects.equals(pod.getSpec().getPriority(), priority)) {
      throw ApiException.forbidden("", "pods", a.name(), "pods \"" + a.name() + "\" is forbidden: the integer "
          + "value of priority (" + pod.getSpec().getPriority() + ") must not be provided in pod spec; priority "
          + "admission controller computed " + priority + " from the given PriorityClass name");
    }
    pod.getSpec().setPriority(priority);
    if (pod.getSpec().getPreemptionPolicy() == null) {
      pod.getSpec().setPreemptionPolicy("PreemptLowerPriority");
    }
    return CompletableFuture.completedFuture(null);
  }
}
