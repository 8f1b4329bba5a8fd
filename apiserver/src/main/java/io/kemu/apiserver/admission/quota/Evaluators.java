package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.validation.GoQuantity;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The quota registry of kube-apiserver and the quota controller (pkg/quota/v1/install): pods and services have
 * their own evaluators, configmaps, secrets and resourcequotas count under their bare names too, every other
 * stored kind under {@code count/<resource>.<group>}; events are ignored.
 */
public final class Evaluators {
  private Evaluators() {}

  /** DefaultIgnoredResources that kemu serves. */
  static final Set<String> IGNORED = Set.of("events", "events.events.k8s.io");

  private static final PodEvaluator PODS = new PodEvaluator();
  private static final ServiceEvaluator SERVICES = new ServiceEvaluator();

  /** The evaluator of a kind, or null when quota ignores it. */
  public static Evaluator forType(ResourceType t) {
    String gr = t.groupResource();
    if (IGNORED.contains(gr)) {
      return null;
    }
    if (t == Resources.PODS) {
      return PODS;
    }
    if (t == Resources.SERVICES) {
      return SERVICES;
    }
    if (t == Resources.CONFIGMAPS || t == Resources.SECRETS || t == Resources.RESOURCE_QUOTAS) {
      return new ObjectCountEvaluator(gr, t.resource());
    }
    return new ObjectCountEvaluator(gr, null);
  }

  /** The kinds whose objects a quota with these hard resources counts. */
  public static List<ResourceType> typesFor(Collection<String> hardResources, Collection<ResourceType> served) {
    List<ResourceType> out = new ArrayList<>();
    for (ResourceType t : served) {
      Evaluator e = forType(t);
      if (e != null && t.namespaced() && !e.matchingResources(hardResources).isEmpty()) {
        out.add(t);
      }
    }
    return out;
  }

  /**
   * quota.CalculateUsage for one quota: for every evaluator tracking one of its hard resources, the usage of the
   * objects matching its scopes, starting from zero for each tracked resource, masked to the hard resources.
   *
   * @param objects the namespace's objects of each kind {@link #typesFor} named
   */
  public static Map<String, GoQuantity> calculateUsage(ResourceQuota quota,
                                                       Map<ResourceType, List<HasMetadata>> objects, Instant now) {
    Set<String> hard = new TreeSet<>(ResourceLists.names(ResourceLists.parse(
        quota.getSpec() == null ? null : quota.getSpec().getHard())));
    Map<String, GoQuantity> used = new TreeMap<>();
    for (Map.Entry<ResourceType, List<HasMetadata>> e : objects.entrySet()) {
      Evaluator ev = forType(e.getKey());
      if (ev == null) {
        continue;
      }
      List<String> tracked = ev.matchingResources(hard);
      if (tracked.isEmpty()) {
        continue;
      }
      Map<String, GoQuantity> stats = new TreeMap<>();
      for (String r : tracked) {
        stats.put(r, ResourceLists.ZERO);
      }
      for (HasMetadata o : e.getValue()) {
        boolean matches = true;
        for (var s : Evaluator.scopeSelectors(quota)) {
          matches = matches && ev.matchesScope(s, o);
        }
        if (matches) {
          stats = ResourceLists.add(stats, ev.usage(o, now));
        }
      }
      used = ResourceLists.add(used, stats);
    }
    return ResourceLists.mask(used, hard);
  }
}
