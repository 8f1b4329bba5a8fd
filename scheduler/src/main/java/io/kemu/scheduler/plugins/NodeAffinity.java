package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.PreFilterResult;
import io.kemu.scheduler.framework.Status;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * plugins/nodeaffinity: nodeSelector and requiredDuringScheduling node affinity must match the node (PreFilter
 * narrows the nodes when every term names nodes by metadata.name); preferred terms add their weights to the score.
 */
public final class NodeAffinity implements Plugins.PreFilterPlugin, Plugins.FilterPlugin, Plugins.PreScorePlugin,
    Plugins.ScorePlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "NodeAffinity";
  public static final String ERR_REASON_POD = "node(s) didn't match Pod's node affinity/selector";
  public static final String ERR_REASON_CONFLICT = "pod affinity terms conflict";
  private static final CycleState.Key PRE_FILTER_STATE_KEY = CycleState.key("PreFilter" + NAME);
  private static final CycleState.Key PRE_SCORE_STATE_KEY = CycleState.key("PreScore" + NAME);

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    var affinity = pod.pod().getSpec().getAffinity();
    boolean noNodeAffinity = affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null;
    // fabric8 decodes an absent nodeSelector as an empty map where Go has nil; empty selects every node either way
    Map<String, String> nodeSelector = pod.pod().getSpec().getNodeSelector();
    if (noNodeAffinity && (nodeSelector == null || nodeSelector.isEmpty())) {
      return PreFilterResult.SKIP;
    }
    state.write(PRE_FILTER_STATE_KEY, RequiredNodeAffinity.of(pod.pod()));
    if (noNodeAffinity) {
      return PreFilterResult.ALL_NODES;
    }
    List<NodeSelectorTerm> terms = affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()
        .getNodeSelectorTerms();
    if (terms == null || terms.isEmpty()) {
      return PreFilterResult.ALL_NODES;
    }
    Set<String> nodeNames = null;
    for (NodeSelectorTerm t : terms) {
      Set<String> termNodeNames = null;
      for (NodeSelectorRequirement r : t.getMatchFields() == null ? List.<NodeSelectorRequirement>of()
          : t.getMatchFields()) {
        if ("metadata.name".equals(r.getKey()) && "In".equals(r.getOperator())) {
          Set<String> s = new HashSet<>(r.getValues() == null ? List.of() : r.getValues());
          if (termNodeNames == null) {
            termNodeNames = s;
          } else {
            termNodeNames.retainAll(s);
          }
        }
      }
      if (termNodeNames == null) {
        return PreFilterResult.ALL_NODES; // a term without node names: any node may do
      }
      if (nodeNames == null) {
        nodeNames = new HashSet<>();
      }
      nodeNames.addAll(termNodeNames);
    }
    if (nodeNames != null && nodeNames.isEmpty()) {
      return PreFilterResult.of(Status.unresolvable(ERR_REASON_CONFLICT));
    }
    return new PreFilterResult(nodeNames, Status.SUCCESS);
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    RequiredNodeAffinity required = state.read(PRE_FILTER_STATE_KEY);
    if (required == null) {
      required = RequiredNodeAffinity.of(pod.pod());
    }
    return required.match(node.node()) ? Status.SUCCESS : Status.unresolvable(ERR_REASON_POD);
  }

  private static List<PreferredSchedulingTerm> preferred(PodInfo pod) {
    var a = pod.pod().getSpec().getAffinity();
    if (a != null && a.getNodeAffinity() != null
        && a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null) {
      return a.getNodeAffinity().getPreferredDuringSchedulingIgnoredDuringExecution();
    }
    return null;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return Status.SUCCESS;
    }
    List<PreferredSchedulingTerm> terms = preferred(pod);
    if (terms == null) {
      return Status.SKIP;
    }
    state.write(PRE_SCORE_STATE_KEY, terms);
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    List<PreferredSchedulingTerm> terms = state.read(PRE_SCORE_STATE_KEY);
    if (terms == null) {
      terms = preferred(pod);
    }
    return terms == null ? 0 : RequiredNodeAffinity.preferredScore(terms, node.node());
  }

  @Override
  public boolean hasNormalizeScore() {
    return true;
  }

  @Override
  public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    Plugins.defaultNormalizeScore(Plugins.MAX_NODE_SCORE, false, scores);
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL,
        NodeAffinity::isSchedulableAfterNodeChange));
  }

  /** isSchedulableAfterNodeChange: the node matches now and did not before. */
  static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObj, Object newObj) {
    RequiredNodeAffinity req = RequiredNodeAffinity.of(pod.pod());
    if (!req.match((Node) newObj)) {
      return QueueingHint.QUEUE_SKIP;
    }
    if (oldObj instanceof Node o && req.match(o)) {
      return QueueingHint.QUEUE_SKIP;
    }
    return QueueingHint.QUEUE;
  }
}
