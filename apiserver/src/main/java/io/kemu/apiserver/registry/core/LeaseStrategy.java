package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;

/** pkg/registry/coordination/lease/strategy.go: node heartbeats and leader election records. */
public final class LeaseStrategy implements Strategy<Lease> {
  @Override
  public ResourceType type() {
    return Resources.LEASES;
  }
}
