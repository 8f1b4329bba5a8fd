package io.kemu.scheduler.plugins;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.AffinityTerm;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Handle;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.PreFilterExtensions;
import io.kemu.scheduler.framework.Plugins.PreFilterResult;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * plugins/interpodaffinity: required pod affinity and anti-affinity (the incoming pod's, and existing pods'
 * anti-affinity against it) filter nodes by topology domain; preferred terms (both ways) and existing pods'
 * required affinity (hardPodAffinityWeight) score them.
 */
public final class InterPodAffinity implements Plugins.PreFilterPlugin, Plugins.FilterPlugin, Plugins.PreScorePlugin,
    Plugins.ScorePlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "InterPodAffinity";
  public static final String ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH =
      "node(s) didn't satisfy existing pods anti-affinity rules";
  public static final String ERR_REASON_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod affinity rules";
  public static final String ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH = "node(s) didn't match pod anti-affinity rules";
  private static final CycleState.Key PRE_FILTER_STATE_KEY = CycleState.key("PreFilter" + NAME);
  private static final CycleState.Key PRE_SCORE_STATE_KEY = CycleState.key("PreScore" + NAME);

  private final Handle handle;
  private final int hardPodAffinityWeight;
  private final boolean ignorePreferredTermsOfExistingPods;

  public InterPodAffinity(Handle handle, int hardPodAffinityWeight, boolean ignorePreferredTermsOfExistingPods) {
    this.handle = handle;
    this.hardPodAffinityWeight = hardPodAffinityWeight;
    this.ignorePreferredTermsOfExistingPods = ignorePreferredTermsOfExistingPods;
  }

  /** InterPodAffinityArgs: hardPodAffinityWeight (default 1), ignorePreferredTermsOfExistingPods (false). */
  public static InterPodAffinity fromArgs(Handle handle, Config args) {
    return new InterPodAffinity(handle,
        args.hasPath("hardPodAffinityWeight") ? args.getInt("hardPodAffinityWeight") : 1,
        args.hasPath("ignorePreferredTermsOfExistingPods") && args.getBoolean("ignorePreferredTermsOfExistingPods"));
  }

  @Override
  public String name() {
    return NAME;
  }

  record TopologyPair(String key, String value) {}

  /** topologyToMatchedTermCount. */
  static final class Counts {
    final Map<TopologyPair, Long> m = new HashMap<>();

    void update(Node node, String tk, long value) {
      Map<String, String> labels = node.getMetadata().getLabels();
      String tv = labels == null ? null : labels.get(tk);
      if (tv != null) {
        TopologyPair p = new TopologyPair(tk, tv);
        long v = m.getOrDefault(p, 0L) + value;
        if (v == 0) {
          m.remove(p);
        } else {
          m.put(p, v);
        }
      }
    }

    void merge(Counts o) {
      o.m.forEach((k, v) -> m.merge(k, v, Long::sum));
    }

    long get(TopologyPair p) {
      return m.getOrDefault(p, 0L);
    }

    boolean isEmpty() {
      return m.isEmpty();
    }

    Counts copy() {
      Counts c = new Counts();
      c.m.putAll(m);
      return c;
    }

    /** updateWithAffinityTerms: all terms must match the pod, then each term's domain counts. */
    void updateWithAffinityTerms(List<AffinityTerm> terms, Pod pod, Map<String, String> nsLabels, Node node,
                                 long value) {
      if (podMatchesAllAffinityTerms(terms, pod, nsLabels)) {
        for (AffinityTerm t : terms) {
          update(node, t.topologyKey(), value);
        }
      }
    }

    /** updateWithAntiAffinityTerms: each matching term's domain counts. */
    void updateWithAntiAffinityTerms(List<AffinityTerm> terms, Pod pod, Map<String, String> nsLabels, Node node,
                                     long value) {
      for (AffinityTerm t : terms) {
        if (t.matches(pod, nsLabels)) {
          update(node, t.topologyKey(), value);
        }
      }
    }
  }

  static boolean podMatchesAllAffinityTerms(List<AffinityTerm> terms, Pod pod, Map<String, String> nsLabels) {
    if (terms.isEmpty()) {
      return false;
    }
    for (AffinityTerm t : terms) {
      if (!t.matches(pod, nsLabels)) {
        return false;
      }
    }
    return true;
  }

  static final class PreFilterState implements CycleState.StateData {
    Counts existingAntiAffinityCounts = new Counts();
    Counts affinityCounts = new Counts();
    Counts antiAffinityCounts = new Counts();
    PodInfo podInfo;
    List<AffinityTerm> requiredAffinityTerms;
    List<AffinityTerm> requiredAntiAffinityTerms;
    Map<String, String> namespaceLabels;

    @Override
    public PreFilterState copy() {
      PreFilterState c = new PreFilterState();
      c.existingAntiAffinityCounts = existingAntiAffinityCounts.copy();
      c.affinityCounts = affinityCounts.copy();
      c.antiAffinityCounts = antiAffinityCounts.copy();
      c.podInfo = podInfo;
      c.requiredAffinityTerms = requiredAffinityTerms;
      c.requiredAntiAffinityTerms = requiredAntiAffinityTerms;
      c.namespaceLabels = namespaceLabels;
      return c;
    }

    void updateWithPod(PodInfo p, Node node, long multiplier) {
      existingAntiAffinityCounts.updateWithAntiAffinityTerms(p.requiredAntiAffinityTerms(), podInfo.pod(),
          namespaceLabels, node, multiplier);
      affinityCounts.updateWithAffinityTerms(requiredAffinityTerms, p.pod(), null, node, multiplier);
      antiAffinityCounts.updateWithAntiAffinityTerms(requiredAntiAffinityTerms, p.pod(), null, node, multiplier);
    }
  }

  private List<AffinityTerm> resolveNamespaces(List<AffinityTerm> terms) {
    if (terms.isEmpty()) {
      return terms;
    }
    List<AffinityTerm> out = new ArrayList<>(terms.size());
    for (AffinityTerm t : terms) {
      out.add(t.withNamespacesResolved(sel -> handle.listers().namespacesMatching(sel)));
    }
    return out;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
    if (pod.parseError() != null) {
      return PreFilterResult.of(Status.unresolvable("parsing pod: " + pod.parseError()));
    }
    PreFilterState s = new PreFilterState();
    s.podInfo = pod;
    s.requiredAffinityTerms = resolveNamespaces(pod.requiredAffinityTerms());
    s.requiredAntiAffinityTerms = resolveNamespaces(pod.requiredAntiAffinityTerms());
    s.namespaceLabels = handle.listers().namespaceLabels(pod.namespace());

    List<NodeInfo> withAnti = handle.snapshot().havePodsWithRequiredAntiAffinityList();
    for (NodeInfo n : withAnti) {
      for (PodInfo existing : n.podsWithRequiredAntiAffinity()) {
        s.existingAntiAffinityCounts.updateWithAntiAffinityTerms(existing.requiredAntiAffinityTerms(), pod.pod(),
            s.namespaceLabels, n.node(), 1);
      }
    }
    if (!s.requiredAffinityTerms.isEmpty() || !s.requiredAntiAffinityTerms.isEmpty()) {
      Counts[] aff = new Counts[allNodes.size()];
      Counts[] anti = new Counts[allNodes.size()];
      handle.parallelizer().until(allNodes.size(), i -> {
        NodeInfo n = allNodes.get(i);
        Counts a = new Counts();
        Counts b = new Counts();
        for (PodInfo existing : n.pods()) {
          a.updateWithAffinityTerms(s.requiredAffinityTerms, existing.pod(), null, n.node(), 1);
          b.updateWithAntiAffinityTerms(s.requiredAntiAffinityTerms, existing.pod(), null, n.node(), 1);
        }
        aff[i] = a;
        anti[i] = b;
      });
      for (int i = 0; i < allNodes.size(); i++) {
        s.affinityCounts.merge(aff[i]);
        s.antiAffinityCounts.merge(anti[i]);
      }
    }
    if (s.existingAntiAffinityCounts.isEmpty() && s.requiredAffinityTerms.isEmpty()
        && s.requiredAntiAffinityTerms.isEmpty()) {
      return PreFilterResult.SKIP;
    }
    state.write(PRE_FILTER_STATE_KEY, s);
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public PreFilterExtensions preFilterExtensions() {
    return new PreFilterExtensions() {
      @Override
      public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_STATE_KEY);
        if (s != null) {
          s.updateWithPod(podToAdd, node.node(), 1);
        }
        return Status.SUCCESS;
      }

      @Override
      public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        PreFilterState s = state.read(PRE_FILTER_STATE_KEY);
        if (s != null) {
          s.updateWithPod(podToRemove, node.node(), -1);
        }
        return Status.SUCCESS;
      }
    };
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    PreFilterState s = state.read(PRE_FILTER_STATE_KEY);
    if (s == null) {
      return Status.error("reading \"" + PRE_FILTER_STATE_KEY + "\" from cycleState: not found");
    }
    if (!satisfyPodAffinity(s, nodeInfo)) {
      return Status.unresolvable(ERR_REASON_AFFINITY_RULES_NOT_MATCH);
    }
    if (!satisfyPodAntiAffinity(s, nodeInfo)) {
      return Status.unschedulable(ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    if (!satisfyExistingPodsAntiAffinity(s, nodeInfo)) {
      return Status.unschedulable(ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    }
    return Status.SUCCESS;
  }

  static boolean satisfyExistingPodsAntiAffinity(PreFilterState s, NodeInfo nodeInfo) {
    if (!s.existingAntiAffinityCounts.isEmpty()) {
      for (Map.Entry<String, String> l : nodeInfo.labels().entrySet()) {
        if (s.existingAntiAffinityCounts.get(new TopologyPair(l.getKey(), l.getValue())) > 0) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean satisfyPodAntiAffinity(PreFilterState s, NodeInfo nodeInfo) {
    if (!s.antiAffinityCounts.isEmpty()) {
      for (AffinityTerm t : s.requiredAntiAffinityTerms) {
        String tv = nodeInfo.labels().get(t.topologyKey());
        if (tv != null && s.antiAffinityCounts.get(new TopologyPair(t.topologyKey(), tv)) > 0) {
          return false;
        }
      }
    }
    return true;
  }

  static boolean satisfyPodAffinity(PreFilterState s, NodeInfo nodeInfo) {
    boolean podsExist = true;
    for (AffinityTerm t : s.requiredAffinityTerms) {
      String tv = nodeInfo.labels().get(t.topologyKey());
      if (tv == null) {
        return false; // every topology label must exist on the node
      }
      if (s.affinityCounts.get(new TopologyPair(t.topologyKey(), tv)) <= 0) {
        podsExist = false;
      }
    }
    if (!podsExist) {
      // The first of a series of pods with affinity to each other: allowed if no pod matches anywhere and the pod
      // matches its own terms.
      return s.affinityCounts.isEmpty()
          && podMatchesAllAffinityTerms(s.requiredAffinityTerms, s.podInfo.pod(), s.namespaceLabels);
    }
    return true;
  }

  // ---- scoring

  static final class PreScoreState {
    final Map<String, Map<String, Long>> topologyScore = new HashMap<>();
    PodInfo podInfo;
    List<AffinityTerm.Weighted> preferredAffinityTerms;
    List<AffinityTerm.Weighted> preferredAntiAffinityTerms;
    Map<String, String> namespaceLabels;
  }

  /** scoreMap.processTerm. */
  static void processTerm(Map<String, Map<String, Long>> m, AffinityTerm term, long weight, Pod pod,
                          Map<String, String> nsLabels, Node node, int multiplier) {
    if (term.matches(pod, nsLabels)) {
      Map<String, String> labels = node.getMetadata().getLabels();
      String tv = labels == null ? null : labels.get(term.topologyKey());
      if (tv != null) {
        m.computeIfAbsent(term.topologyKey(), k -> new HashMap<>()).merge(tv, weight * multiplier, Long::sum);
      }
    }
  }

  static void processTerms(Map<String, Map<String, Long>> m, List<AffinityTerm.Weighted> terms, Pod pod,
                           Map<String, String> nsLabels, Node node, int multiplier) {
    for (AffinityTerm.Weighted t : terms) {
      processTerm(m, t.term(), t.weight(), pod, nsLabels, node, multiplier);
    }
  }

  private void processExistingPod(PreScoreState s, PodInfo existing, NodeInfo existingNode, Pod incoming,
                                  Map<String, Map<String, Long>> topoScore) {
    Node node = existingNode.node();
    if (node.getMetadata().getLabels() == null || node.getMetadata().getLabels().isEmpty()) {
      return;
    }
    processTerms(topoScore, s.preferredAffinityTerms, existing.pod(), null, node, 1);
    processTerms(topoScore, s.preferredAntiAffinityTerms, existing.pod(), null, node, -1);
    if (hardPodAffinityWeight > 0) {
      for (AffinityTerm t : existing.requiredAffinityTerms()) {
        processTerm(topoScore, t, hardPodAffinityWeight, incoming, s.namespaceLabels, node, 1);
      }
    }
    processTerms(topoScore, existing.preferredAffinityTerms(), incoming, s.namespaceLabels, node, 1);
    processTerms(topoScore, existing.preferredAntiAffinityTerms(), incoming, s.namespaceLabels, node, -1);
  }

  @Override
  public Status preScore(CycleState cycleState, PodInfo pod, List<NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return Status.SKIP;
    }
    Affinity affinity = pod.pod().getSpec().getAffinity();
    boolean hasPreferredAffinity = affinity != null && affinity.getPodAffinity() != null
        && affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null
        && !affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty();
    boolean hasPreferredAnti = affinity != null && affinity.getPodAntiAffinity() != null
        && affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution() != null
        && !affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution().isEmpty();
    boolean hasConstraints = hasPreferredAffinity || hasPreferredAnti;
    if (ignorePreferredTermsOfExistingPods && !hasConstraints) {
      return Status.SKIP;
    }
    List<NodeInfo> allNodes = hasConstraints ? handle.snapshot().list() : handle.snapshot().havePodsWithAffinityList();
    PreScoreState s = new PreScoreState();
    s.podInfo = pod;
    s.preferredAffinityTerms = resolveWeighted(pod.preferredAffinityTerms());
    s.preferredAntiAffinityTerms = resolveWeighted(pod.preferredAntiAffinityTerms());
    s.namespaceLabels = handle.listers().namespaceLabels(pod.namespace());
    List<Map<String, Map<String, Long>>> partial = new ArrayList<>();
    for (NodeInfo n : allNodes) {
      List<PodInfo> podsToProcess = hasConstraints ? n.pods() : n.podsWithAffinity();
      Map<String, Map<String, Long>> topoScore = new HashMap<>();
      for (PodInfo existing : podsToProcess) {
        processExistingPod(s, existing, n, pod.pod(), topoScore);
      }
      if (!topoScore.isEmpty()) {
        partial.add(topoScore);
      }
    }
    if (partial.isEmpty()) {
      return Status.SKIP;
    }
    for (Map<String, Map<String, Long>> p : partial) {
      p.forEach((tk, values) -> values.forEach((tv, v) ->
          s.topologyScore.computeIfAbsent(tk, k -> new HashMap<>()).merge(tv, v, Long::sum)));
    }
    cycleState.write(PRE_SCORE_STATE_KEY, s);
    return Status.SUCCESS;
  }

  private List<AffinityTerm.Weighted> resolveWeighted(List<AffinityTerm.Weighted> terms) {
    if (terms.isEmpty()) {
      return terms;
    }
    List<AffinityTerm.Weighted> out = new ArrayList<>(terms.size());
    for (AffinityTerm.Weighted t : terms) {
      out.add(new AffinityTerm.Weighted(t.term().withNamespacesResolved(sel -> handle.listers()
          .namespacesMatching(sel)), t.weight()));
    }
    return out;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    PreScoreState s = state.read(PRE_SCORE_STATE_KEY);
    if (s == null) {
      return 0;
    }
    long score = 0;
    Map<String, String> labels = node.labels();
    for (Map.Entry<String, Map<String, Long>> e : s.topologyScore.entrySet()) {
      String v = labels.get(e.getKey());
      if (v != null) {
        score += e.getValue().getOrDefault(v, 0L);
      }
    }
    return score;
  }

  @Override
  public boolean hasNormalizeScore() {
    return true;
  }

  /** NormalizeScore: min-max scaling to [0, 100]; all equal gives 0. */
  @Override
  public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    PreScoreState s = state.read(PRE_SCORE_STATE_KEY);
    if (s == null || s.topologyScore.isEmpty()) {
      return Status.SUCCESS;
    }
    long min = Long.MAX_VALUE;
    long max = Long.MIN_VALUE;
    for (long v : scores) {
      max = Math.max(max, v);
      min = Math.min(min, v);
    }
    long diff = max - min;
    for (int i = 0; i < scores.length; i++) {
      double f = 0;
      if (diff > 0) {
        f = Plugins.MAX_NODE_SCORE * ((double) (scores[i] - min) / (double) diff);
      }
      scores[i] = (long) f;
    }
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(
        ClusterEvent.WithHint.of(ClusterEvent.Kind.POD, ClusterEvent.ADD | ClusterEvent.UPDATE_POD_LABEL
            | ClusterEvent.DELETE, InterPodAffinity::isSchedulableAfterPodChange),
        ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_LABEL));
  }

  /**
   * isSchedulableAfterPodChange: a scheduled pod that matches one of the pod's required affinity terms appeared,
   * or one that matched its anti-affinity (or whose anti-affinity matched it) went away.
   */
  static QueueingHint isSchedulableAfterPodChange(PodInfo pod, Object oldObj, Object newObj) {
    Pod changed = (Pod) (newObj != null ? newObj : oldObj);
    if (changed.getSpec().getNodeName() == null || changed.getSpec().getNodeName().isEmpty()) {
      return QueueingHint.QUEUE_SKIP;
    }
    if (newObj != null) {
      for (AffinityTerm t : pod.requiredAffinityTerms()) {
        if (t.matches(changed, null)) {
          return QueueingHint.QUEUE;
        }
      }
      return pod.requiredAffinityTerms().isEmpty() && oldObj != null ? QueueingHint.QUEUE : QueueingHint.QUEUE_SKIP;
    }
    for (AffinityTerm t : pod.requiredAntiAffinityTerms()) {
      if (t.matches(changed, null)) {
        return QueueingHint.QUEUE;
      }
    }
    PodInfo deleted = PodInfo.of(changed);
    return deleted.requiredAntiAffinityTerms().isEmpty() ? QueueingHint.QUEUE_SKIP : QueueingHint.QUEUE;
  }
}
