package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.Node;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.NodeValidation;
import java.util.List;
import java.util.Map;

/** pkg/registry/core/node/strategy.go: nodes may set their status on create (kubelet registration). */
public final class NodeStrategy implements Strategy<Node> {
  @Override
  public ResourceType type() {
    return Resources.NODES;
  }

  @Override
  public List<FieldError> validate(Node node) {
    return NodeValidation.validateCreate(node);
  }

  @Override
  public void prepareForUpdate(Node node, Node old) {
    node.setStatus(old.getStatus());
  }

  @Override
  public List<FieldError> validateUpdate(Node node, Node old) {
    return NodeValidation.validateUpdate(node, old);
  }

  @Override
  public void prepareForStatusUpdate(Node node, Node old) {
    node.setSpec(old.getSpec());
  }

  @Override
  public List<FieldError> validateStatusUpdate(Node node, Node old) {
    return NodeValidation.validateUpdate(node, old);
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    m.put("spec.unschedulable", "/spec/unschedulable");
    return m;
  }
}
