package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.Binding;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.FieldPath;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;

/**
 * pods/binding (pkg/registry/core/pod/storage BindingREST): assigns a pod to a node exactly once, in one
 * compare-and-swap, and marks it PodScheduled. A second binding is a 409 Conflict.
 */
public final class PodBindingRest {
  private final Registry<Pod> pods;

  public PodBindingRest(Registry<Pod> pods) {
    this.pods = pods;
  }

  public CompletionStage<Pod> bind(String namespace, String podName, Binding binding, Instant now) {
    if (binding.getMetadata() == null || !podName.equals(binding.getMetadata().getName())) {
      throw ApiException.badRequest("name in URL does not match name in Binding object");
    }
    List<FieldError> errs = new ArrayList<>();
    String kind = binding.getTarget() == null ? null : binding.getTarget().getKind();
    if (kind != null && !kind.isEmpty() && !kind.equals("Node")) {
      errs.add(FieldError.notSupported(FieldPath.root("target", "kind"), kind, List.of("Node", "<empty>")));
    }
    String node = binding.getTarget() == null ? null : binding.getTarget().getName();
    if (node == null || node.isEmpty()) {
      errs.add(FieldError.required(FieldPath.root("target", "name"), ""));
    }
    if (!errs.isEmpty()) {
      throw ApiException.invalid("", "Binding", podName, io.kemu.apiserver.validation.FieldErrors.invalidMessage(
          "Binding", podName, errs), errs.stream().map(e -> new ApiException.Cause(e.type().causeType(), e.body(),
          e.field())).toList());
    }
    String uid = binding.getMetadata().getUid();
    return pods.systemUpdate(namespace, podName, pod -> {
      if (uid != null && !uid.isEmpty() && !uid.equals(pod.getMetadata().getUid())) {
        throw ApiException.conflict("", "pods/binding", podName, "Precondition failed: UID in precondition: "
            + uid + ", UID in object meta: " + pod.getMetadata().getUid());
      }
      if (pod.getMetadata().getDeletionTimestamp() != null) {
        throw ApiException.conflict("", "pods/binding", podName, "pod " + podName
            + " is being deleted, cannot be assigned to a host");
      }
      String current = pod.getSpec().getNodeName();
      if (current != null && !current.isEmpty()) {
        throw ApiException.conflict("", "pods/binding", podName, "pod " + podName
            + " is already assigned to node \"" + current + "\"");
      }
      pod.getSpec().setNodeName(node);
      if (binding.getMetadata().getAnnotations() != null) {
        Map<String, String> ann = pod.getMetadata().getAnnotations() == null ? new HashMap<>()
            : new HashMap<>(pod.getMetadata().getAnnotations());
        ann.putAll(binding.getMetadata().getAnnotations());
        pod.getMetadata().setAnnotations(ann);
      }
      setCondition(pod, "PodScheduled", "True", null, null, now);
      return pod;
    });
  }

  /** podutil.UpdatePodCondition: the transition time moves only when the status changes. */
  public static void setCondition(Pod pod, String type, String status, String reason, String message, Instant now) {
    PodStatus ps = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    pod.setStatus(ps);
    List<PodCondition> conds = ps.getConditions() == null ? new ArrayList<>() : new ArrayList<>(ps.getConditions());
    PodCondition existing = conds.stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    PodCondition c = new PodCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastTransitionTime(existing != null && status.equals(existing.getStatus())
        ? existing.getLastTransitionTime() : KubeJson.timestamp(now));
    if (existing != null) {
      conds.set(conds.indexOf(existing), c);
    } else {
      conds.add(c);
    }
    ps.setConditions(conds);
  }
}
