package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.kemu.api.selectors.LabelSelector;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * framework.AffinityTerm: a parsed PodAffinityTerm. Namespaces default to the pod's own when neither namespaces nor
 * a namespaceSelector are given (getNamespacesFromPodAffinityTerm).
 */
public final class AffinityTerm {
  private final Set<String> namespaces;
  private final LabelSelector selector;
  private final String topologyKey;
  private LabelSelector namespaceSelector;

  public AffinityTerm(Set<String> namespaces, LabelSelector selector, String topologyKey,
                      LabelSelector namespaceSelector) {
    this.namespaces = namespaces;
    this.selector = selector;
    this.topologyKey = topologyKey;
    this.namespaceSelector = namespaceSelector;
  }

  /** newAffinityTerm. */
  public static AffinityTerm of(Pod pod, PodAffinityTerm term) {
    Set<String> ns = new HashSet<>();
    if ((term.getNamespaces() == null || term.getNamespaces().isEmpty()) && term.getNamespaceSelector() == null) {
      ns.add(pod.getMetadata().getNamespace());
    } else if (term.getNamespaces() != null) {
      ns.addAll(term.getNamespaces());
    }
    return new AffinityTerm(ns, LabelSelector.fromLabelSelector(term.getLabelSelector()), term.getTopologyKey(),
        LabelSelector.fromLabelSelector(term.getNamespaceSelector()));
  }

  public Set<String> namespaces() {
    return namespaces;
  }

  public LabelSelector selector() {
    return selector;
  }

  public String topologyKey() {
    return topologyKey;
  }

  public LabelSelector namespaceSelector() {
    return namespaceSelector;
  }

  /** AffinityTerm.Matches: the pod is in one of the namespaces (or a selected one) and its labels match. */
  public boolean matches(Pod pod, Map<String, String> nsLabels) {
    if (namespaces.contains(pod.getMetadata().getNamespace()) || namespaceSelector.matches(nsLabels)) {
      return selector.matches(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels());
    }
    return false;
  }

  /**
   * mergeAffinityTermNamespacesIfNotEmpty: a non-empty namespace selector is resolved to names once per cycle and
   * then matches nothing by itself. Returns a new term; terms of a PodInfo are shared and never changed.
   */
  public AffinityTerm withNamespacesResolved(java.util.function.Function<LabelSelector, Set<String>> lister) {
    if (namespaceSelector.isEmpty() || namespaceSelector == LabelSelector.NOTHING) {
      return this;
    }
    Set<String> merged = new HashSet<>(namespaces);
    merged.addAll(lister.apply(namespaceSelector));
    return new AffinityTerm(merged, selector, topologyKey, LabelSelector.NOTHING);
  }

  /** framework.WeightedAffinityTerm. */
  public record Weighted(AffinityTerm term, int weight) {}
}
