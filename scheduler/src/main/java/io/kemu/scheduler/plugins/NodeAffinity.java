package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import java.util.Map;

/**
 * plugins/nodeaffinity: nodeSelector and requiredDuringScheduling node affinity must match the node's labels
 * (terms ORed, expressions ANDed; matchFields on metadata.name); preferred terms add their weights to the score.
 */
public final class NodeAffinity implements Plugins.FilterPlugin, Plugins.ScorePlugin {
  public static final String NAME = "NodeAffinity";
  public static final String ERR_REASON = "node(s) didn't match Pod's node affinity/selector";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    return requiredMatches(pod, node.node()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON);
  }

  public static boolean requiredMatches(Pod pod, Node node) {
    Map<String, String> labels = labels(node);
    Map<String, String> selector = pod.getSpec().getNodeSelector();
    if (selector != null) {
      for (Map.Entry<String, String> e : selector.entrySet()) {
        if (!e.getValue().equals(labels.get(e.getKey()))) {
          return false;
        }
      }
    }
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return true;
    }
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return false;
    }
    for (NodeSelectorTerm t : terms) {
      if (termMatches(t, node)) {
        return true;
      }
    }
    return false;
  }

  /** An empty term matches nothing (nodeaffinity.NodeSelectorTerms semantics). */
  static boolean termMatches(NodeSelectorTerm term, Node node) {
    List<NodeSelectorRequirement> exprs = term.getMatchExpressions() == null ? List.of() : term.getMatchExpressions();
    List<NodeSelectorRequirement> fields = term.getMatchFields() == null ? List.of() : term.getMatchFields();
    if (exprs.isEmpty() && fields.isEmpty()) {
      return false;
    }
    Map<String, String> labels = labels(node);
    for (NodeSelectorRequirement r : exprs) {
      if (!requirementMatches(r, labels.get(r.getKey()), labels.containsKey(r.getKey()))) {
        return false;
      }
    }
    for (NodeSelectorRequirement r : fields) {
      if (!"metadata.name".equals(r.getKey())) {
        return false;
      }
      if (!requirementMatches(r, node.getMetadata().getName(), true)) {
        return false;
      }
    }
    return true;
  }

  static boolean requirementMatches(NodeSelectorRequirement r, String value, boolean present) {
    List<String> values = r.getValues() == null ? List.of() : r.getValues();
    return switch (r.getOperator()) {
      case "In" -> present && values.contains(value);
      case "NotIn" -> !present || !values.contains(value);
      case "Exists" -> present;
      case "DoesNotExist" -> !present;
      case "Gt", "Lt" -> {
        if (!present || values.size() != 1) {
          yield false;
        }
        try {
          long have = Long.parseLong(value);
          long want = Long.parseLong(values.get(0));
          yield r.getOperator().equals("Gt") ? have > want : have < want;
        } catch (NumberFormatException e) {
          yield false;
        }
      }
      default -> false;
    };
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    var affinity = pod.getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() == null) {
      return 0;
    }
    long total = 0;
    for (PreferredSchedulingTerm t : affinity.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()) {
      if (t.getWeight() != null && t.getWeight() != 0 && termMatches(t.getPreference(), node.node())) {
        total += t.getWeight();
      }
    }
    return total;
  }

  @Override
  public void normalizeScores(CycleState state, Pod pod, Map<String, Long> scores) {
    Plugins.defaultNormalize(scores, false);
  }

  private static Map<String, String> labels(Node node) {
    return node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
  }
}
