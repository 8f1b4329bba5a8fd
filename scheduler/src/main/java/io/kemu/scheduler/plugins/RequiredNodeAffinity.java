package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import java.util.List;
import java.util.Map;

/**
 * component-helpers/scheduling/corev1/nodeaffinity: the pod's nodeSelector and required node affinity
 * (GetRequiredNodeAffinity), and the preferred terms' weights (PreferredSchedulingTerms). Terms are ORed,
 * their requirements ANDed; an empty or invalid term matches nothing; matchFields know metadata.name only.
 */
public final class RequiredNodeAffinity {
  private final Map<String, String> nodeSelector;
  private final List<NodeSelectorTerm> terms;

  private RequiredNodeAffinity(Map<String, String> nodeSelector, List<NodeSelectorTerm> terms) {
    this.nodeSelector = nodeSelector;
    this.terms = terms;
  }

  public static RequiredNodeAffinity of(Pod pod) {
    var a = pod.getSpec().getAffinity();
    List<NodeSelectorTerm> terms = null;
    if (a != null && a.getNodeAffinity() != null
        && a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
      var t = a.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
      terms = t == null ? List.of() : t;
    }
    Map<String, String> sel = pod.getSpec().getNodeSelector();
    return new RequiredNodeAffinity(sel == null || sel.isEmpty() ? null : sel, terms);
  }

  public boolean isEmpty() {
    return nodeSelector == null && terms == null;
  }

  public boolean match(Node node) {
    Map<String, String> labels = labels(node);
    if (nodeSelector != null) {
      for (Map.Entry<String, String> e : nodeSelector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    if (terms != null) {
      return matchesAnyTerm(terms, node);
    }
    return true;
  }

  public static boolean matchesAnyTerm(List<NodeSelectorTerm> terms, Node node) {
    for (NodeSelectorTerm t : terms) {
      if (termMatches(t, node)) {
        return true;
      }
    }
    return false;
  }

  /** An empty term matches nothing (nodeSelectorTerm.match). */
  public static boolean termMatches(NodeSelectorTerm term, Node node) {
    if (term == null) {
      return false;
    }
    List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels = labels(node);
    for (NodeSelectorRequirement r : exprs) {
      if (!requirementMatches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()), false)) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields) {
      if (!"metadata.name".equals(r.getKey())) {
        return false;
      }
      if (!requirementMatches(r, node.getMetadata().getName(), true, true)) {
        return false;
      }
    }
    return true;
  }

  /** nodeSelectorRequirementsAsSelector: In/NotIn need values, Exists/DoesNotExist none, Gt/Lt one integer. */
  static boolean requirementMatches(NodeSelectorRequirement r, String value, boolean present, boolean field) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    String op = r.getOperator() == null ? "" : r.getOperator();
    if (field && ((!op.equals("In") && !op.equals("NotIn")) || values.size() != 1)) {
      return false; // nodeSelectorRequirementsAsFieldSelector: In or NotIn with exactly one value
    }
    return switch (op) {
      case "In" -> !values.isEmpty() && present && values.contains(value);
      case "NotIn" -> !values.isEmpty() && (!present || !values.contains(value));
      case "Exists" -> values.isEmpty() && present;
      case "DoesNotExist" -> values.isEmpty() && !present;
      case "Gt", "Lt" -> {
        if (!present || values.size() != 1) {
          yield false;
        }
        try {
          long have = Long.parseLong(value);
          long want = Long.parseLong(values.get(0));
          yield op.equals("Gt") ? have > want : have < want;
        } catch (NumberFormatException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  /** PreferredSchedulingTerms.Score: the weights of the matching terms (weight 0 terms are ignored). */
  public static long preferredScore(List<PreferredSchedulingTerm> terms, Node node) {
    long total = 0;
    for (PreferredSchedulingTerm t : terms) {
      if (t.getWeight() != null && t.getWeight() != 0 && termMatches(t.getPreference(), node)) {
        total += t.getWeight();
      }
    }
    return total;
  }

  static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }
}
