package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.ResourceQuotaValidation;

/** pkg/registry/core/resourcequota/strategy.go: users set spec, the quota controller (admission here) status. */
public final class ResourceQuotaStrategy implements Strategy<ResourceQuota> {
  @Override
  public ResourceType type() {
    return Resources.RESOURCE_QUOTAS;
  }

  @Override
  public void prepareForCreate(ResourceQuota q) {
    q.setStatus(new ResourceQuotaStatus());
  }

  @Override
  public void prepareForUpdate(ResourceQuota q, ResourceQuota old) {
    q.setStatus(old.getStatus());
  }

  @Override
  public void prepareForStatusUpdate(ResourceQuota q, ResourceQuota old) {
    q.setSpec(old.getSpec());
  }

  @Override
  public List<FieldError> validate(ResourceQuota obj) {
    return ResourceQuotaValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(ResourceQuota obj, ResourceQuota old) {
    return ResourceQuotaValidation.validateUpdate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(ResourceQuota obj, ResourceQuota old) {
    return ResourceQuotaValidation.validateStatusUpdate(obj, old);
  }
}
