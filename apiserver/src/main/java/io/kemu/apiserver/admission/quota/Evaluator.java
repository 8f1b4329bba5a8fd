package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/** quota.Evaluator (k8s.io/apiserver/pkg/quota/v1): how one kind of object consumes quota. */
public interface Evaluator {
  /** The group-resource evaluated, e.g. {@code pods} or {@code deployments.apps}. */
  String groupResource();

  /** Handles: whether the operation can change usage. */
  boolean handles(AdmissionAttributes a);

  /** MatchingResources: the resource names of {@code input} this evaluator tracks. */
  List<String> matchingResources(Collection<String> input);

  /** The scope function (MatchesNoScopeFunc unless the kind has scopes). */
  default boolean matchesScope(ScopedResourceSelectorRequirement selector, HasMetadata obj) {
    return false;
  }

  /** Constraints: null when the object carries what the required resources need, else why not. */
  default String constraints(Collection<String> required, HasMetadata obj) {
    return null;
  }

  /** Usage of one object. */
  Map<String, GoQuantity> usage(HasMetadata obj, Instant now);

  /** generic.Matches: the quota tracks one of our resources and every scope selector matches the object. */
  default boolean matches(ResourceQuota quota, HasMetadata obj) {
    boolean matchResource = !matchingResources(ResourceLists.names(hard(quota))).isEmpty();
    boolean matchScope = true;
    for (ScopedResourceSelectorRequirement s : scopeSelectors(quota)) {
      matchScope = matchScope && matchesScope(s, obj);
    }
    return matchResource && matchScope;
  }

  /** getScopeSelectorsFromQuota: the scopes as Exists selectors, then the scope selector's expressions. */
  static List<ScopedResourceSelectorRequirement> scopeSelectors(ResourceQuota quota) {
    List<ScopedResourceSelectorRequirement> out = new ArrayList<>();
    if (quota.getSpec() == null) {
      return out;
    }
    if (quota.getSpec().getScopes() != null) {
      for (String scope : quota.getSpec().getScopes()) {
        out.add(new io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirementBuilder().withOperator("Exists")
            .withScopeName(scope).build());
      }
    }
    if (quota.getSpec().getScopeSelector() != null && quota.getSpec().getScopeSelector().getMatchExpressions() != null) {
      out.addAll(quota.getSpec().getScopeSelector().getMatchExpressions());
    }
    return out;
  }

  static Map<String, GoQuantity> hard(ResourceQuota q) {
    return ResourceLists.parse(q.getStatus() == null ? null : q.getStatus().getHard());
  }

  static Map<String, GoQuantity> used(ResourceQuota q) {
    return ResourceLists.parse(q.getStatus() == null ? null : q.getStatus().getUsed());
  }
}
