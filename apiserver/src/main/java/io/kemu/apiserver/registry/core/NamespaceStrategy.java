package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.Namespace;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.defaults.NamespaceDefaults;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.NamespaceValidation;
import java.util.List;
import java.util.Map;

/** pkg/registry/core/namespace/strategy.go; deletion (Terminating, then finalize) lives in NamespaceRest. */
public final class NamespaceStrategy implements Strategy<Namespace> {
  @Override
  public ResourceType type() {
    return Resources.NAMESPACES;
  }

  @Override
  public void prepareForCreate(Namespace ns) {
    NamespaceDefaults.prepareForCreate(ns);
  }

  @Override
  public List<FieldError> validate(Namespace ns) {
    return NamespaceValidation.validateCreate(ns);
  }

  /** Finalizers change only through namespaces/finalize, the status only through namespaces/status. */
  @Override
  public void prepareForUpdate(Namespace ns, Namespace old) {
    ns.setSpec(old.getSpec());
    ns.setStatus(old.getStatus());
  }

  @Override
  public List<FieldError> validateUpdate(Namespace ns, Namespace old) {
    return NamespaceValidation.validateUpdate(ns, old);
  }

  @Override
  public void prepareForStatusUpdate(Namespace ns, Namespace old) {
    ns.setSpec(old.getSpec());
  }

  @Override
  public List<FieldError> validateStatusUpdate(Namespace ns, Namespace old) {
    return NamespaceValidation.validateStatusUpdate(ns, old);
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    m.put("status.phase", "/status/phase");
    return m;
  }
}
