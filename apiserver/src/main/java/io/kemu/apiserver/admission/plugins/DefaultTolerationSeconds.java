package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * plugin/pkg/admission/defaulttolerationseconds: pods tolerate not-ready and unreachable nodes for 300 s, after
 * which the node lifecycle controller evicts them.
 */
public final class DefaultTolerationSeconds implements AdmissionPlugin {
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";

  private final long notReadySeconds;
  private final long unreachableSeconds;

  public DefaultTolerationSeconds(long notReadySeconds, long unreachableSeconds) {
    this.notReadySeconds = notReadySeconds;
    this.unreachableSeconds = unreachableSeconds;
  }

  @Override
  public String name() {
    return "DefaultTolerationSeconds";
  }

  @Override
  public CompletionStage<Void> admit(AdmissionAttributes a) {
    if (a.operation() != Operation.CREATE || a.type() != Resources.PODS || !a.isMainResource()
        || !(a.object() instanceof Pod pod) || pod.getSpec() == null) {
      return CompletableFuture.completedFuture(null);
    }
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? new ArrayList<>()
        : new ArrayList<>(pod.getSpec().getTolerations());
    boolean notReady = false;
    boolean unreachable = false;
    for (Toleration t : tolerations) {
      boolean noExecute = t.getEffect() == null || t.getEffect().isEmpty() || "NoExecute".equals(t.getEffect());
      boolean anyKey = t.getKey() == null || t.getKey().isEmpty();
      notReady |= (anyKey || NOT_READY.equals(t.getKey())) && noExecute;
      unreachable |= (anyKey || UNREACHABLE.equals(t.getKey())) && noExecute;
    }
    if (!notReady) {
      tolerations.add(toleration(NOT_READY, notReadySeconds));
    }
    if (!unreachable) {
      tolerations.add(toleration(UNREACHABLE, unreachableSeconds));
    }
    pod.getSpec().setTolerations(tolerations);
    return CompletableFuture.completedFuture(null);
  }

  private static Toleration toleration(String key, long seconds) {
    return new TolerationBuilder().withKey(key).withOperator("Exists").withEffect("NoExecute")
        .withTolerationSeconds(seconds).build();
  }
}
