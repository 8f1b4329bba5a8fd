package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.PodValidation;
import java.util.List;
import java.util.Map;

/** pkg/registry/core/pod/strategy.go: podStrategy, podStatusStrategy, GetAttrs and CheckGracefulDelete. */
public final class PodStrategy implements Strategy<Pod> {
  @Override
  public ResourceType type() {
    return Resources.PODS;
  }

  /** A new pod is Pending with its QoS class; whatever status the user sent is dropped. */
  @Override
  public void prepareForCreate(Pod pod) {
    PodStatus status = new PodStatus();
    status.setPhase("Pending");
    status.setQosClass(PodValidation.computePodQOS(pod.getSpec()));
    pod.setStatus(status);
  }

  @Override
  public List<FieldError> validate(Pod pod) {
    return PodValidation.validateCreate(pod);
  }

  @Override
  public void prepareForUpdate(Pod pod, Pod old) {
    pod.setStatus(old.getStatus());
  }

  @Override
  public List<FieldError> validateUpdate(Pod pod, Pod old) {
    return PodValidation.validateUpdate(pod, old);
  }

  /** The status endpoint cannot change the spec, nor owner references (old kubelets corrupted them). */
  @Override
  public void prepareForStatusUpdate(Pod pod, Pod old) {
    pod.setSpec(old.getSpec());
    pod.getMetadata().setOwnerReferences(old.getMetadata().getOwnerReferences());
  }

  @Override
  public List<FieldError> validateStatusUpdate(Pod pod, Pod old) {
    return PodValidation.validateStatusUpdate(pod, old);
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    m.put("spec.nodeName", "/spec/nodeName");
    m.put("spec.restartPolicy", "/spec/restartPolicy");
    m.put("spec.schedulerName", "/spec/schedulerName");
    m.put("spec.serviceAccountName", "/spec/serviceAccountName");
    m.put("spec.hostNetwork", "/spec/hostNetwork");
    m.put("status.phase", "/status/phase");
    m.put("status.podIP", "/status/podIP");
    m.put("status.nominatedNodeName", "/status/nominatedNodeName");
    return m;
  }

  /**
   * CheckGracefulDelete: the requested period, else the pod's terminationGracePeriodSeconds; 0 for a pod that
   * no node runs (unscheduled) or that already finished.
   */
  @Override
  public Long gracePeriodSeconds(Pod pod, Long requested) {
    long period = requested != null ? requested
        : pod.getSpec() != null && pod.getSpec().getTerminationGracePeriodSeconds() != null
            ? pod.getSpec().getTerminationGracePeriodSeconds() : 0;
    if (pod.getSpec() == null || pod.getSpec().getNodeName() == null || pod.getSpec().getNodeName().isEmpty()) {
      period = 0;
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      period = 0;
    }
    return period;
  }
}
