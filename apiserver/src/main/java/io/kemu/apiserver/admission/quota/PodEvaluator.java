package io.kemu.apiserver.admission.quota;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
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
 * pkg/quota/v1/evaluator/core/pods.go (kube 1.32, InPlacePodVerticalScaling off): a pod counts against
 * {@code pods} and {@code count/pods}, and its requests and limits against the compute resources while it is not
 * terminal; scopes Terminating, NotTerminating, BestEffort, NotBestEffort, PriorityClass and
 * CrossNamespacePodAffinity.
 */
public final class PodEvaluator implements Evaluator {
  static final List<String> POD_RESOURCES = List.of("count/pods", "cpu", "memory", "ephemeral-storage",
      "requests.cpu", "requests.memory", "requests.ephemeral-storage", "limits.cpu", "limits.memory",
      "limits.ephemeral-storage", "pods");
  static final List<String> POD_RESOURCE_PREFIXES = List.of("hugepages-", "requests.hugepages-");
  /** validationSet: the resources every container must state when a quota limits them. */
  static final Set<String> VALIDATION_SET = Set.of("cpu", "memory", "requests.cpu", "requests.memory",
      "limits.cpu", "limits.memory");

  @Override
  public String groupResource() {
    return "pods";
  }

  @Override
  public boolean handles(AdmissionAttributes a) {
    return a.operation() == Operation.CREATE;
  }

  /** podEvaluator.MatchingResources */
  @Override
  public List<String> matchingResources(Collection<String> input) {
    List<String> out = new ArrayList<>();
    for (String r : input) {
      if (POD_RESOURCES.contains(r)) {
        out.add(r);
      }
    }
    for (String r : input) {
      if (POD_RESOURCE_PREFIXES.stream().anyMatch(r::startsWith) || isExtendedResourceNameForQuota(r)) {
        out.add(r);
      }
    }
    return out;
  }

  /** podMatchesScopeFunc */
  @Override
  public boolean matchesScope(ScopedResourceSelectorRequirement selector, HasMetadata obj) {
    Pod pod = (Pod) obj;
    switch (selector.getScopeName() == null ? "" : selector.getScopeName()) {
      case "Terminating":
        return isTerminating(pod);
      case "NotTerminating":
        return !isTerminating(pod);
      case "BestEffort":
        return isBestEffort(pod);
      case "NotBestEffort":
        return !isBestEffort(pod);
      case "PriorityClass": {
        String pc = pod.getSpec().getPriorityClassName() == null ? "" : pod.getSpec().getPriorityClassName();
        return matchesSelector(selector, pc);
      }
      case "CrossNamespacePodAffinity":
        return usesCrossNamespacePodAffinity(pod);
      default:
        return false;
    }
  }

  /** podMatchesSelector over the set {priorityClass: name} (empty when the pod has none). */
  private static boolean matchesSelector(ScopedResourceSelectorRequirement s, String priorityClass) {
    boolean has = !priorityClass.isEmpty();
    List<String> values = s.getValues() == null ? List.of() : s.getValues();
    return switch (s.getOperator() == null ? "" : s.getOperator()) {
      case "Exists" -> has;
      case "DoesNotExist" -> !has;
      case "In" -> has && values.contains(priorityClass);
      case "NotIn" -> !has || !values.contains(priorityClass);
      default -> false;
    };
  }

  static boolean isTerminating(Pod pod) {
    Long ads = pod.getSpec().getActiveDeadlineSeconds();
    return ads != null && ads >= 0;
  }

  /** qos.GetPodQOS == BestEffort: no container asks for or limits cpu or memory. */
  static boolean isBestEffort(Pod pod) {
    for (Container c : containers(pod)) {
      if (c.getResources() == null) {
        continue;
      }
      for (Map<String, GoQuantity> list : List.of(ResourceLists.parse(c.getResources().getRequests()),
          ResourceLists.parse(c.getResources().getLimits()))) {
        for (String r : List.of("cpu", "memory")) {
          GoQuantity q = list.get(r);
          if (q != null && q.value().signum() > 0) {
            return false;
          }
        }
      }
    }
    return true;
  }

  private static boolean usesCrossNamespacePodAffinity(Pod pod) {
    var aff = pod.getSpec().getAffinity();
    if (aff == null) {
      return false;
    }
    List<io.fabric8.kubernetes.api.model.PodAffinityTerm> terms = new ArrayList<>();
    if (aff.getPodAffinity() != null) {
      if (aff.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        terms.addAll(aff.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
      }
      if (aff.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
        aff.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
            .forEach(w -> terms.add(w.getPodAffinityTerm()));
      }
    }
    if (aff.getPodAntiAffinity() != null) {
      if (aff.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
        terms.addAll(aff.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution());
      }
      if (aff.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
        aff.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()
            .forEach(w -> terms.add(w.getPodAffinityTerm()));
      }
    }
    for (var t : terms) {
      if (t != null && ((t.getNamespaces() != null && !t.getNamespaces().isEmpty())
          || t.getNamespaceSelector() != null)) {
        return true;
      }
    }
    return false;
  }

  /** podEvaluator.Constraints: with a cpu or memory quota every container must state the resource. */
  @Override
  public String constraints(Collection<String> required, HasMetadata obj) {
    Pod pod = (Pod) obj;
    Set<String> requiredSet = new TreeSet<>(required);
    requiredSet.retainAll(VALIDATION_SET);
    Map<String, Set<String>> missing = new TreeMap<>();
    List<Container> cs = new ArrayList<>();
    if (pod.getSpec().getContainers() != null) {
      cs.addAll(pod.getSpec().getContainers());
    }
    if (pod.getSpec().getInitContainers() != null) {
      cs.addAll(pod.getSpec().getInitContainers());
    }
    for (Container c : cs) {
      Map<String, GoQuantity> usage = computeUsage(
          ResourceLists.parse(c.getResources() == null ? null : c.getResources().getRequests()),
          ResourceLists.parse(c.getResources() == null ? null : c.getResources().getLimits()));
      for (String r : requiredSet) {
        if (!usage.containsKey(r)) {
          missing.computeIfAbsent(r, k -> new TreeSet<>()).add(c.getName());
        }
      }
    }
    if (missing.isEmpty()) {
      return null;
    }
    List<String> messages = new ArrayList<>();
    missing.forEach((r, names) -> messages.add(r + " for: " + String.join(",", names)));
    return "must specify " + String.join("; ", messages);
  }

  /** PodUsageFunc */
  @Override
  public Map<String, GoQuantity> usage(HasMetadata obj, Instant now) {
    Pod pod = (Pod) obj;
    Map<String, GoQuantity> result = new TreeMap<>();
    result.put("count/pods", ResourceLists.of(1));
    if (!countsComputeResources(pod, now)) {
      return result;
    }
    return ResourceLists.add(result, computeUsage(podTotal(pod, true), podTotal(pod, false)));
  }

  /** QuotaV1Pod: terminal pods, and pods past their deletion grace, consume no compute resources. */
  static boolean countsComputeResources(Pod pod, Instant now) {
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    if ("Failed".equals(phase) || "Succeeded".equals(phase)) {
      return false;
    }
    var meta = pod.getMetadata();
    if (meta.getDeletionTimestamp() != null && meta.getDeletionGracePeriodSeconds() != null) {
      Instant deletion;
      try {
        deletion = Instant.parse(meta.getDeletionTimestamp());
      } catch (RuntimeException e) {
        deletion = null;
      }
      if (deletion != null && now.isAfter(deletion.plusSeconds(meta.getDeletionGracePeriodSeconds()))) {
        return false;
      }
    }
    return true;
  }

  /** podComputeUsageHelper */
  static Map<String, GoQuantity> computeUsage(Map<String, GoQuantity> requests, Map<String, GoQuantity> limits) {
    Map<String, GoQuantity> result = new TreeMap<>();
    result.put("pods", ResourceLists.of(1));
    for (String r : List.of("cpu", "memory", "ephemeral-storage")) {
      if (requests.containsKey(r)) {
        result.put(r, requests.get(r));
        result.put("requests." + r, requests.get(r));
      }
      if (limits.containsKey(r)) {
        result.put("limits." + r, limits.get(r));
      }
    }
    requests.forEach((r, q) -> {
      if (r.startsWith("hugepages-")) {
        result.put(r, q);
        result.put("requests." + r, q);
      }
      if (isExtendedResourceName(r)) {
        result.put("requests." + r, q);
      }
    });
    return result;
  }

  /** resourcehelper.PodRequests / PodLimits (no pod-level resources): containers summed, sidecars added, max with
   * init containers, plus the pod overhead (for limits only where a limit is set). */
  static Map<String, GoQuantity> podTotal(Pod pod, boolean requests) {
    Map<String, GoQuantity> total = new TreeMap<>();
    if (pod.getSpec().getContainers() != null) {
      for (Container c : pod.getSpec().getContainers()) {
        total = ResourceLists.add(total, list(c, requests));
      }
    }
    Map<String, GoQuantity> restartable = new TreeMap<>();
    Map<String, GoQuantity> init = new TreeMap<>();
    if (pod.getSpec().getInitContainers() != null) {
      for (Container c : pod.getSpec().getInitContainers()) {
        Map<String, GoQuantity> cr = list(c, requests);
        if ("Always".equals(c.getRestartPolicy())) {
          total = ResourceLists.add(total, cr);
          restartable = ResourceLists.add(restartable, cr);
          cr = restartable;
        } else {
          cr = ResourceLists.add(cr, restartable);
        }
        for (Map.Entry<String, GoQuantity> e : cr.entrySet()) {
          GoQuantity cur = init.get(e.getKey());
          if (cur == null || e.getValue().compareTo(cur) > 0) {
            init.put(e.getKey(), e.getValue());
          }
        }
      }
    }
    for (Map.Entry<String, GoQuantity> e : init.entrySet()) {
      GoQuantity cur = total.get(e.getKey());
      if (cur == null || e.getValue().compareTo(cur) > 0) {
        total.put(e.getKey(), e.getValue());
      }
    }
    Map<String, GoQuantity> overhead = ResourceLists.parse(pod.getSpec().getOverhead());
    if (requests) {
      total = ResourceLists.add(total, overhead);
    } else {
      for (Map.Entry<String, GoQuantity> e : overhead.entrySet()) {
        if (total.containsKey(e.getKey())) {
          total.put(e.getKey(), total.get(e.getKey()).add(e.getValue()));
        }
      }
    }
    return total;
  }

  private static Map<String, GoQuantity> list(Container c, boolean requests) {
    if (c.getResources() == null) {
      return Map.of();
    }
    return ResourceLists.parse(requests ? c.getResources().getRequests() : c.getResources().getLimits());
  }

  private static List<Container> containers(Pod pod) {
    List<Container> out = new ArrayList<>();
    if (pod.getSpec().getInitContainers() != null) {
      out.addAll(pod.getSpec().getInitContainers());
    }
    if (pod.getSpec().getContainers() != null) {
      out.addAll(pod.getSpec().getContainers());
    }
    return out;
  }

  /** helper.IsNativeResource: no domain, or a kubernetes.io one. */
  static boolean isNativeResource(String name) {
    return !name.contains("/") || name.contains("kubernetes.io/");
  }

  /** helper.IsExtendedResourceName: not native, not requests.-prefixed, a valid qualified name. */
  static boolean isExtendedResourceName(String name) {
    return !isNativeResource(name) && !name.startsWith("requests.");
  }

  /** isExtendedResourceNameForQuota: only requests.&lt;extended&gt; is quota-able. */
  static boolean isExtendedResourceNameForQuota(String name) {
    return !isNativeResource(name) && name.startsWith("requests.");
  }
}
