package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * generic.NewObjectCountEvaluator: each object counts 1 against {@code count/<resource>[.<group>]} and, for the
 * kinds quota tracked before object-count quota existed (configmaps, secrets, resourcequotas,
 * replicationcontrollers), against the bare resource name too. Only creation is charged.
 */
public final class ObjectCountEvaluator implements Evaluator {
  private final String groupResource;
  private final List<String> resourceNames = new ArrayList<>();

  public ObjectCountEvaluator(String groupResource, String alias) {
    this.groupResource = groupResource;
    resourceNames.add("count/" + groupResource);
    if (alias != null && !alias.isEmpty()) {
      resourceNames.add(alias);
    }
  }

  @Override
  public String groupResource() {
    return groupResource;
  }

  @Override
  public boolean handles(AdmissionAttributes a) {
    return a.operation() == Operation.CREATE;
  }

  @Override
  public List<String> matchingResources(Collection<String> input) {
    return input.stream().filter(resourceNames::contains).toList();
  }

  @Override
  public Map<String, GoQuantity> usage(HasMetadata obj, Instant now) {
    Map<String, GoQuantity> out = new TreeMap<>();
    for (String n : resourceNames) {
      out.put(n, ResourceLists.of(1));
    }
    return out;
  }
}
