package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Service;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Instant;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/** pkg/quota/v1/evaluator/core/services.go: services, NodePorts and LoadBalancers; charged on create and update. */
public final class ServiceEvaluator implements Evaluator {
  static final List<String> RESOURCES = List.of("count/services", "services", "services.nodeports",
      "services.loadbalancers");

  @Override
  public String groupResource() {
    return "services";
  }

  @Override
  public boolean handles(AdmissionAttributes a) {
    return a.operation() == Operation.CREATE || a.operation() == Operation.UPDATE;
  }

  @Override
  public List<String> matchingResources(Collection<String> input) {
    return input.stream().filter(RESOURCES::contains).toList();
  }

  /** serviceEvaluator.Usage */
  @Override
  public Map<String, GoQuantity> usage(HasMetadata obj, Instant now) {
    Service svc = (Service) obj;
    Map<String, GoQuantity> out = new TreeMap<>();
    int ports = svc.getSpec() == null || svc.getSpec().getPorts() == null ? 0 : svc.getSpec().getPorts().size();
    out.put("count/services", ResourceLists.of(1));
    out.put("services", ResourceLists.of(1));
    out.put("services.loadbalancers", ResourceLists.ZERO);
    out.put("services.nodeports", ResourceLists.ZERO);
    String type = svc.getSpec() == null ? null : svc.getSpec().getType();
    if ("NodePort".equals(type)) {
      out.put("services.nodeports", ResourceLists.of(ports));
    } else if ("LoadBalancer".equals(type)) {
      Boolean allocate = svc.getSpec().getAllocateLoadBalancerNodePorts();
      if (allocate == null || allocate) {
        out.put("services.nodeports", ResourceLists.of(ports));
      }
      out.put("services.loadbalancers", ResourceLists.of(1));
    }
    return out;
  }
}
