package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.LeaseValidation;

/** pkg/registry/coordination/lease/strategy.go: node heartbeats and leader election records. */
public final class LeaseStrategy implements Strategy<Lease> {
  @Override
  public ResourceType type() {
    return Resources.LEASES;
  }

  @Override
  public List<FieldError> validate(Lease obj) {
    return LeaseValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(Lease obj, Lease old) {
    return LeaseValidation.validateUpdate(obj, old);
  }
}
