package io.kemu.apiserver.registry;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.errors.ApiException;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;

/**
 * The scale subresource of Deployments and ReplicaSets (pkg/registry/apps/*\/storage ScaleREST): an
 * autoscaling/v1 Scale whose spec.replicas is the workload's, status.replicas and the label selector as a
 * string. Writing it changes only spec.replicas.
 */
public final class ScaleRest<T extends HasMetadata> {
  private final Registry<T> workloads;

  public ScaleRest(Registry<T> workloads) {
    this.workloads = workloads;
  }

  public CompletionStage<Scale> get(String namespace, String name) {
    return workloads.get(namespace, name).thenApply(ScaleRest::toScale);
  }

  /** PUT or PATCH of the Scale: {@code mutate} turns the current Scale into the wanted one. */
  public CompletionStage<Scale> update(RequestContext rc, String namespace, String name, UnaryOperator<Scale> mutate) {
    return workloads.update(rc, namespace, name, null, obj -> {
      Scale current = toScale(obj);
      Scale wanted = mutate.apply(current);
      if (wanted.getMetadata() != null && wanted.getMetadata().getResourceVersion() != null
          && !wanted.getMetadata().getResourceVersion().isEmpty()
          && !wanted.getMetadata().getResourceVersion().equals(obj.getMetadata().getResourceVersion())) {
        throw ApiException.conflictOnUpdate(workloads.type().group(), workloads.type().resource(), name);
      }
      int replicas = wanted.getSpec() == null || wanted.getSpec().getReplicas() == null ? 0
          : wanted.getSpec().getReplicas();
      if (replicas < 0) {
        throw ApiException.invalid("autoscaling", "Scale", name, "Scale.autoscaling \"" + name + "\" is invalid: "
                + "spec.replicas: Invalid value: " + replicas + ": must be greater than or equal to 0",
            java.util.List.of(new ApiException.Cause("FieldValueInvalid", "Invalid value: " + replicas
                + ": must be greater than or equal to 0", "spec.replicas")));
      }
      ObjectNode tree = KubeJson.MAPPER.valueToTree(obj);
      ((ObjectNode) tree.with("spec")).put("replicas", replicas);
      @SuppressWarnings("unchecked")
      T updated = (T) KubeJson.convert(tree, obj.getClass());
      return updated;
    }).thenApply(ScaleRest::toScale);
  }

  static Scale toScale(HasMetadata obj) {
    JsonNode tree = KubeJson.MAPPER.valueToTree(obj);
    Scale s = new Scale();
    s.setApiVersion("autoscaling/v1");
    s.setKind("Scale");
    io.fabric8.kubernetes.api.model.ObjectMeta m = new io.fabric8.kubernetes.api.model.ObjectMeta();
    m.setName(obj.getMetadata().getName());
    m.setNamespace(obj.getMetadata().getNamespace());
    m.setUid(obj.getMetadata().getUid());
    m.setResourceVersion(obj.getMetadata().getResourceVersion());
    m.setCreationTimestamp(obj.getMetadata().getCreationTimestamp());
    s.setMetadata(m);
    s.setSpec(new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleSpec(tree.at("/spec/replicas").asInt(1)));
    LabelSelector selector = KubeJson.convert(tree.at("/spec/selector"), LabelSelector.class);
    s.setStatus(new io.fabric8.kubernetes.api.model.autoscaling.v1.ScaleStatus(tree.at("/status/replicas").asInt(0),
        selector == null ? "" : io.kemu.api.selectors.LabelSelector.fromLabelSelector(selector).toString()));
    return s;
  }
}
