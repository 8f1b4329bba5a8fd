package io.kemu.apiserver.registry.apps;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.ReplicaSetValidation;
import java.util.Map;

/** pkg/registry/apps/replicaset/strategy.go */
public final class ReplicaSetStrategy implements Strategy<ReplicaSet> {
  @Override
  public ResourceType type() {
    return Resources.REPLICA_SETS;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void prepareForCreate(ReplicaSet rs) {
    rs.setStatus(new ReplicaSetStatus());
  }

  @Override
  public void prepareForUpdate(ReplicaSet rs, ReplicaSet old) {
    rs.setStatus(old.getStatus());
  }

  @Override
  public void prepareForStatusUpdate(ReplicaSet rs, ReplicaSet old) {
    rs.setSpec(old.getSpec());
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    m.put("status.replicas", "/status/replicas");
    return m;
  }

  @Override
  public List<FieldError> validate(ReplicaSet obj) {
    return ReplicaSetValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(ReplicaSet obj, ReplicaSet old) {
    return ReplicaSetValidation.validateUpdate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(ReplicaSet obj, ReplicaSet old) {
    return ReplicaSetValidation.validateStatusUpdate(obj, old);
  }
}
