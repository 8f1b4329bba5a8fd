package io.kemu.apiserver.registry.policy;

import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import io.kemu.apiserver.validation.PodDisruptionBudgetValidation;

/** pkg/registry/policy/poddisruptionbudget/strategy.go */
public final class PodDisruptionBudgetStrategy implements Strategy<PodDisruptionBudget> {
  @Override
  public ResourceType type() {
    return Resources.POD_DISRUPTION_BUDGETS;
  }

  @Override
  public boolean tracksGeneration() {
    return true;
  }

  @Override
  public void prepareForCreate(PodDisruptionBudget pdb) {
    pdb.setStatus(new PodDisruptionBudgetStatus());
  }

  @Override
  public void prepareForUpdate(PodDisruptionBudget pdb, PodDisruptionBudget old) {
    pdb.setStatus(old.getStatus());
  }

  @Override
  public void prepareForStatusUpdate(PodDisruptionBudget pdb, PodDisruptionBudget old) {
    pdb.setSpec(old.getSpec());
  }

  @Override
  public List<FieldError> validate(PodDisruptionBudget obj) {
    return PodDisruptionBudgetValidation.validateCreate(obj);
  }

  @Override
  public List<FieldError> validateUpdate(PodDisruptionBudget obj, PodDisruptionBudget old) {
    return PodDisruptionBudgetValidation.validateUpdate(obj, old);
  }

  @Override
  public List<FieldError> validateStatusUpdate(PodDisruptionBudget obj, PodDisruptionBudget old) {
    return PodDisruptionBudgetValidation.validateStatusUpdate(obj, old);
  }
}
