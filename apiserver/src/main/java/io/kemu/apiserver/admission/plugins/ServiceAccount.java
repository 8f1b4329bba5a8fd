package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** plugin/pkg/admission/serviceaccount: a pod without a service account runs as "default". */
public final class ServiceAccount implements AdmissionPlugin {
  public static final String DEFAULT = "default";

  @Override
  public String name() {
    return "ServiceAccount";
  }

  @Override
  public CompletionStage<Void> admit(AdmissionAttributes a) {
    if (a.operation() == Operation.CREATE && a.type() == Resources.PODS && a.isMainResource()
        && a.object() instanceof Pod pod && pod.getSpec() != null) {
      String sa = pod.getSpec().getServiceAccountName();
      if (sa == null || sa.isEmpty()) {
        sa = pod.getSpec().getServiceAccount() == null || pod.getSpec().getServiceAccount().isEmpty()
            ? DEFAULT : pod.getSpec().getServiceAccount();
        pod.getSpec().setServiceAccountName(sa);
      }
      // v1 keeps the deprecated field in step with the new one.
      pod.getSpec().setServiceAccount(sa);
    }
    return CompletableFuture.completedFuture(null);
  }
}
