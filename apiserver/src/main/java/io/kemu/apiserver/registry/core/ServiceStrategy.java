package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.ServiceValidation;
import java.util.Map;

/** pkg/registry/core/service/strategy.go (IP and port allocation happens in ServiceRest). */
public final class ServiceStrategy implements Strategy<Service> {
  @Override
  public ResourceType type() {
    return Resources.SERVICES;
  }

  @Override
  public void prepareForCreate(Service svc) {
    svc.setStatus(new ServiceStatus());
  }

  @Override
  public void prepareForUpdate(Service svc, Service old) {
    svc.setStatus(old.getStatus());
  }

  @Override
  public void prepareForStatusUpdate(Service svc, Service old) {
    svc.setSpec(old.getSpec());
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    m.put("spec.clusterIP", "/spec/clusterIP");
    m.put("spec.type", "/spec/type");
    return m;
  }

  @Override
  public List<FieldError> validate(Service obj) {
    return ServiceValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(Service obj, Service old) {
    return ServiceValidation.validateUpdate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(Service obj, Service old) {
    return ServiceValidation.validateStatusUpdate(obj, old);
  }
}
