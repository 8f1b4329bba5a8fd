package io.kemu.apiserver.registry.apps;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.DeploymentValidation;
import java.util.Objects;

/** pkg/registry/apps/deployment/strategy.go */
public final class DeploymentStrategy implements Strategy<Deployment> {
  @Override
  public ResourceType type() {
    return Resources.DEPLOYMENTS;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void prepareForCreate(Deployment d) {
    d.setStatus(new DeploymentStatus());
  }

  @Override
  public void prepareForUpdate(Deployment d, Deployment old) {
    d.setStatus(old.getStatus());
  }

  /** Annotations are copied to the ReplicaSets, so their changes bump the generation too (upstream's comment). */
  @Override
  public boolean bumpsGeneration(Deployment d, Deployment old) {
    return Strategy.super.bumpsGeneration(d, old)
        || !Objects.equals(d.getMetadata().getAnnotations(), old.getMetadata().getAnnotations());
  }

  @Override
  public void prepareForStatusUpdate(Deployment d, Deployment old) {
    d.setSpec(old.getSpec());
    d.getMetadata().setLabels(old.getMetadata().getLabels());
    d.getMetadata().setAnnotations(old.getMetadata().getAnnotations());
  }

  @Override
  public List<FieldError> validate(Deployment obj) {
    return DeploymentValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(Deployment obj, Deployment old) {
    return DeploymentValidation.validateUpdate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(Deployment obj, Deployment old) {
    return DeploymentValidation.validateStatusUpdate(obj, old);
  }
}
