package io.kemu.scheduler.plugins;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.kemu.api.selectors.LabelSelector;
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
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * plugins/podtopologyspread: DoNotSchedule constraints filter nodes whose domain would exceed maxSkew (taking
 * minDomains and the node inclusion policies into account); ScheduleAnyway constraints score domains with fewer
 * matching pods higher. Pods without constraints get the cluster defaults (hostname maxSkew 3, zone maxSkew 5,
 * ScheduleAnyway), selecting the pods of the same services, replication controllers, replica sets and stateful
 * sets.
 */
public final class PodTopologySpread implements Plugins.PreFilterPlugin, Plugins.FilterPlugin, Plugins.PreScorePlugin,
    Plugins.ScorePlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "PodTopologySpread";
  public static final String ERR_REASON_CONSTRAINTS_NOT_MATCH = "node(s) didn't match pod topology spread constraints";
  public static final String ERR_REASON_NODE_LABEL_NOT_MATCH = ERR_REASON_CONSTRAINTS_NOT_MATCH
      + " (missing required label)";
  static final String LABEL_HOSTNAME = "kubernetes.io/hostname";
  static final String LABEL_ZONE = "topology.kubernetes.io/zone";
  private static final CycleState.Key PRE_FILTER_STATE_KEY = CycleState.key("PreFilter" + NAME);
  private static final CycleState.Key PRE_SCORE_STATE_KEY = CycleState.key("PreScore" + NAME);
  private static final long INVALID_SCORE = -1;

  /** systemDefaultConstraints. */
  public static final List<TopologySpreadConstraint> SYSTEM_DEFAULT_CONSTRAINTS = List.of(
      constraint(LABEL_HOSTNAME, "ScheduleAnyway", 3), constraint(LABEL_ZONE, "ScheduleAnyway", 5));

  private static TopologySpreadConstraint constraint(String key, String when, int maxSkew) {
    TopologySpreadConstraint c = new TopologySpreadConstraint();
    c.setTopologyKey(key);
    c.setWhenUnsatisfiable(when);
    c.setMaxSkew(maxSkew);
    return c;
  }

  private final Handle handle;
  private final List<TopologySpreadConstraint> defaultConstraints;
  private final boolean systemDefaulted;

  public PodTopologySpread(Handle handle, List<TopologySpreadConstraint> defaultConstraints, boolean systemDefaulted) {
    this.handle = handle;
    this.defaultConstraints = defaultConstraints;
    this.systemDefaulted = systemDefaulted;
  }

  public static PodTopologySpread withSystemDefaults(Handle handle) {
    return new PodTopologySpread(handle, SYSTEM_DEFAULT_CONSTRAINTS, true);
  }

  /** PodTopologySpreadArgs: defaultingType System (default) or List with defaultConstraints. */
  public static PodTopologySpread fromArgs(Handle handle, Config args) {
    String type = args.hasPath("defaultingType") ? args.getString("defaultingType") : "System";
    if (type.equals("System")) {
      return withSystemDefaults(handle);
    }
    List<TopologySpreadConstraint> list = new ArrayList<>();
    if (args.hasPath("defaultConstraints")) {
      for (Config c : args.getConfigList("defaultConstraints")) {
        list.add(constraint(c.getString("topologyKey"), c.getString("whenUnsatisfiable"), c.getInt("maxSkew")));
      }
    }
    return new PodTopologySpread(handle, list, false);
  }

  @Override
  public String name() {
    return NAME;
  }

  /** topologySpreadConstraint: a parsed constraint. */
  record Constraint(int maxSkew, String topologyKey, LabelSelector selector, int minDomains,
                    boolean honorNodeAffinity, boolean honorNodeTaints) {
    /** matchNodeInclusionPolicies. */
    boolean matchNodeInclusionPolicies(Pod pod, Node node, RequiredNodeAffinity required) {
      if (honorNodeAffinity && !required.match(node)) {
        return false;
      }
      return !honorNodeTaints
          || TaintToleration.findUntoleratedDoNotScheduleTaint(node, pod.getSpec().getTolerations()) == null;
    }
  }

  record TopologyPair(String key, String value) {}

  /** filterTopologySpreadConstraints: those with the action; matchLabelKeys merged into the selector. */
  static List<Constraint> filterConstraints(List<TopologySpreadConstraint> constraints, Map<String, String> podLabels,
                                            String action) {
    List<Constraint> out = new ArrayList<>();
    for (TopologySpreadConstraint c : constraints) {
      if (!action.equals(c.getWhenUnsatisfiable())) {
        continue;
      }
      io.fabric8.kubernetes.api.model.LabelSelector sel = c.getLabelSelector();
      if (c.getMatchLabelKeys() != null && !c.getMatchLabelKeys().isEmpty() && podLabels != null) {
        Map<String, String> matchLabels = new TreeMap<>();
        for (String k : c.getMatchLabelKeys()) {
          if (podLabels.containsKey(k)) {
            matchLabels.put(k, podLabels.get(k));
          }
        }
        if (!matchLabels.isEmpty()) {
          LabelSelectorBuilder b = sel == null ? new LabelSelectorBuilder() : new LabelSelectorBuilder(sel);
          for (var e : matchLabels.entrySet()) {
            b.addNewMatchExpression().withKey(e.getKey()).withOperator("In").withValues(e.getValue())
                .endMatchExpression();
          }
          sel = b.build();
        }
      }
      out.add(new Constraint(c.getMaxSkew(), c.getTopologyKey(), LabelSelector.fromLabelSelector(sel),
          c.getMinDomains() == null ? 1 : c.getMinDomains(),
          !"Ignore".equals(c.getNodeAffinityPolicy()), "Honor".equals(c.getNodeTaintsPolicy())));
    }
    return out;
  }

  /** buildDefaultConstraints: the defaults with the selector of the pod's services and controller. */
  List<Constraint> buildDefaultConstraints(Pod p, String action) {
    List<Constraint> constraints = filterConstraints(defaultConstraints, p.getMetadata().getLabels(), action);
    if (constraints.isEmpty()) {
      return List.of();
    }
    LabelSelector selector = defaultSelector(p);
    if (selector.isEmpty()) {
      return List.of();
    }
    List<Constraint> out = new ArrayList<>(constraints.size());
    for (Constraint c : constraints) {
      out.add(new Constraint(c.maxSkew(), c.topologyKey(), selector, c.minDomains(), c.honorNodeAffinity(),
          c.honorNodeTaints()));
    }
    return out;
  }

  /** helper.DefaultSelector. */
  LabelSelector defaultSelector(Pod pod) {
    Map<String, String> labelSet = new TreeMap<>();
    Map<String, String> podLabels = pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels();
    for (Service s : handle.listers().services(pod.getMetadata().getNamespace())) {
      Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
      if (sel == null) {
        continue;
      }
      if (LabelSelector.fromMap(sel).matches(podLabels)) {
        labelSet.putAll(sel);
      }
    }
    OwnerReference owner = controllerOf(pod);
    if (owner != null) {
      String ns = pod.getMetadata().getNamespace();
      String gvk = owner.getApiVersion() + "/" + owner.getKind();
      switch (gvk) {
        case "v1/ReplicationController" -> {
          ReplicationController rc = handle.listers().replicationController(ns, owner.getName());
          if (rc != null && rc.getSpec() != null && rc.getSpec().getSelector() != null) {
            labelSet.putAll(rc.getSpec().getSelector());
          }
        }
        case "apps/v1/ReplicaSet" -> {
          ReplicaSet rs = handle.listers().replicaSet(ns, owner.getName());
          if (rs != null && rs.getSpec() != null) {
            return withRequirements(labelSet, rs.getSpec().getSelector());
          }
        }
        case "apps/v1/StatefulSet" -> {
          StatefulSet ss = handle.listers().statefulSet(ns, owner.getName());
          if (ss != null && ss.getSpec() != null) {
            return withRequirements(labelSet, ss.getSpec().getSelector());
          }
        }
        default -> {
        }
      }
    }
    return LabelSelector.fromMap(labelSet);
  }

  private static LabelSelector withRequirements(Map<String, String> labelSet,
                                                io.fabric8.kubernetes.api.model.LabelSelector other) {
    LabelSelectorBuilder b = new LabelSelectorBuilder().withMatchLabels(new HashMap<>(labelSet));
    if (other != null) {
      if (other.getMatchLabels() != null) {
        other.getMatchLabels().forEach((k, v) -> b.addNewMatchExpression().withKey(k).withOperator("In")
            .withValues(v).endMatchExpression());
      }
      if (other.getMatchExpressions() != null) {
        b.addAllToMatchExpressions(other.getMatchExpressions());
      }
    }
    return LabelSelector.fromLabelSelector(b.build());
  }

  static OwnerReference controllerOf(Pod pod) {
    if (pod.getMetadata().getOwnerReferences() == null) {
      return null;
    }
    for (OwnerReference r : pod.getMetadata().getOwnerReferences()) {
      if (Boolean.TRUE.equals(r.getController())) {
        return r;
      }
    }
    return null;
  }

  static boolean nodeLabelsMatchSpreadConstraints(Map<String, String> labels, List<Constraint> constraints) {
    for (Constraint c : constraints) {
      if (!labels.containsKey(c.topologyKey())) {
        return false;
      }
    }
    return true;
  }

  /** countPodsMatchSelector: terminating pods and other namespaces do not count. */
  static int countPodsMatchSelector(List<PodInfo> pods, LabelSelector selector, String ns) {
    if (selector.isEmpty()) {
      return 0;
    }
    int count = 0;
    for (PodInfo p : pods) {
      Pod pod = p.pod();
      if (pod.getMetadata().getDeletionTimestamp() != null || !ns.equals(pod.getMetadata().getNamespace())) {
        continue;
      }
      if (selector.matches(pod.getMetadata().getLabels() == null ? Map.of() : pod.getMetadata().getLabels())) {
        count++;
      }
    }
    return count;
  }

  // ---- filtering

  /** criticalPaths: the two domains with the fewest matching pods (the first is the minimum). */
  static final class CriticalPaths {
    final String[] value = new String[2];
    final int[] matchNum = {Integer.MAX_VALUE, Integer.MAX_VALUE};

    CriticalPaths copy() {
      CriticalPaths c = new CriticalPaths();
      System.arraycopy(value, 0, c.value, 0, 2);
      System.arraycopy(matchNum, 0, c.matchNum, 0, 2);
      return c;
    }

    void update(String tpVal, int num) {
      int i = -1;
      if (tpVal.equals(value[0])) {
        i = 0;
      } else if (tpVal.equals(value[1])) {
        i = 1;
      }
      if (i >= 0) {
        matchNum[i] = num;
        if (matchNum[0] > matchNum[1]) {
          swap();
        }
      } else if (num < matchNum[0]) {
        value[1] = value[0];
        matchNum[1] = matchNum[0];
        value[0] = tpVal;
        matchNum[0] = num;
      } else if (num < matchNum[1]) {
        value[1] = tpVal;
        matchNum[1] = num;
      }
    }

    private void swap() {
      String v = value[0];
      value[0] = value[1];
      value[1] = v;
      int n = matchNum[0];
      matchNum[0] = matchNum[1];
      matchNum[1] = n;
    }
  }

  static final class PreFilterState implements CycleState.StateData {
    List<Constraint> constraints = List.of();
    CriticalPaths[] criticalPaths = new CriticalPaths[0];
    List<Map<String, Integer>> tpValueToMatchNum = List.of();

    @Override
    public PreFilterState copy() {
      PreFilterState c = new PreFilterState();
      c.constraints = constraints;
      c.criticalPaths = new CriticalPaths[criticalPaths.length];
      for (int i = 0; i < criticalPaths.length; i++) {
        c.criticalPaths[i] = criticalPaths[i].copy();
      }
      List<Map<String, Integer>> m = new ArrayList<>();
      for (Map<String, Integer> x : tpValueToMatchNum) {
        m.add(new HashMap<>(x));
      }
      c.tpValueToMatchNum = m;
      return c;
    }

    /** minMatchNum: the global minimum, 0 while there are fewer domains than minDomains. */
    int minMatchNum(int i, int minDomains) {
      int min = criticalPaths[i].matchNum[0];
      if (tpValueToMatchNum.get(i).size() < minDomains) {
        min = 0;
      }
      return min;
    }
  }

  List<Constraint> getConstraints(Pod pod, String action) {
    if (pod.getSpec().getTopologySpreadConstraints() != null && !pod.getSpec().getTopologySpreadConstraints().isEmpty()) {
      return filterConstraints(pod.getSpec().getTopologySpreadConstraints(), pod.getMetadata().getLabels(), action);
    }
    return buildDefaultConstraints(pod, action);
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> allNodes) {
    List<Constraint> constraints = getConstraints(pod.pod(), "DoNotSchedule");
    if (constraints.isEmpty()) {
      return PreFilterResult.SKIP;
    }
    PreFilterState s = new PreFilterState();
    s.constraints = constraints;
    s.criticalPaths = new CriticalPaths[constraints.size()];
    List<Map<String, Integer>> counts = new ArrayList<>();
    for (int i = 0; i < constraints.size(); i++) {
      counts.add(new HashMap<>());
    }
    s.tpValueToMatchNum = counts;
    RequiredNodeAffinity required = RequiredNodeAffinity.of(pod.pod());
    for (NodeInfo n : allNodes) {
      Node node = n.node();
      if (!nodeLabelsMatchSpreadConstraints(n.labels(), constraints)) {
        continue;
      }
      for (int i = 0; i < constraints.size(); i++) {
        Constraint c = constraints.get(i);
        if (!c.matchNodeInclusionPolicies(pod.pod(), node, required)) {
          continue;
        }
        int count = countPodsMatchSelector(n.pods(), c.selector(), pod.namespace());
        counts.get(i).merge(n.labels().get(c.topologyKey()), count, Integer::sum);
      }
    }
    for (int i = 0; i < constraints.size(); i++) {
      CriticalPaths p = new CriticalPaths();
      counts.get(i).forEach(p::update);
      s.criticalPaths[i] = p;
    }
    state.write(PRE_FILTER_STATE_KEY, s);
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public PreFilterExtensions preFilterExtensions() {
    return new PreFilterExtensions() {
      @Override
      public Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node) {
        updateWithPod(state.read(PRE_FILTER_STATE_KEY), podToAdd.pod(), podToSchedule.pod(), node.node(), 1);
        return Status.SUCCESS;
      }

      @Override
      public Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node) {
        updateWithPod(state.read(PRE_FILTER_STATE_KEY), podToRemove.pod(), podToSchedule.pod(), node.node(), -1);
        return Status.SUCCESS;
      }
    };
  }

  static void updateWithPod(PreFilterState s, Pod updated, Pod preemptor, Node node, int delta) {
    if (s == null || !updated.getMetadata().getNamespace().equals(preemptor.getMetadata().getNamespace())
        || node == null) {
      return;
    }
    Map<String, String> labels = node.getMetadata().getLabels() == null ? Map.of() : node.getMetadata().getLabels();
    if (!nodeLabelsMatchSpreadConstraints(labels, s.constraints)) {
      return;
    }
    RequiredNodeAffinity required = RequiredNodeAffinity.of(preemptor);
    Map<String, String> podLabels = updated.getMetadata().getLabels() == null ? Map.of()
        : updated.getMetadata().getLabels();
    for (int i = 0; i < s.constraints.size(); i++) {
      Constraint c = s.constraints.get(i);
      if (!c.selector().matches(podLabels) || !c.matchNodeInclusionPolicies(preemptor, node, required)) {
        continue;
      }
      String v = labels.get(c.topologyKey());
      int n = s.tpValueToMatchNum.get(i).getOrDefault(v, 0) + delta;
      s.tpValueToMatchNum.get(i).put(v, n);
      s.criticalPaths[i].update(v, n);
    }
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo nodeInfo) {
    PreFilterState s = state.read(PRE_FILTER_STATE_KEY);
    if (s == null) {
      return Status.error("reading \"" + PRE_FILTER_STATE_KEY + "\" from cycleState: not found");
    }
    if (s.constraints.isEmpty()) {
      return Status.SUCCESS;
    }
    Map<String, String> podLabels = pod.pod().getMetadata().getLabels() == null ? Map.of()
        : pod.pod().getMetadata().getLabels();
    for (int i = 0; i < s.constraints.size(); i++) {
      Constraint c = s.constraints.get(i);
      String tpVal = nodeInfo.labels().get(c.topologyKey());
      if (tpVal == null) {
        return Status.unresolvable(ERR_REASON_NODE_LABEL_NOT_MATCH);
      }
      int minMatchNum = s.minMatchNum(i, c.minDomains());
      int selfMatchNum = c.selector().matches(podLabels) ? 1 : 0;
      int matchNum = s.tpValueToMatchNum.get(i).getOrDefault(tpVal, 0);
      int skew = matchNum + selfMatchNum - minMatchNum;
      if (skew > c.maxSkew()) {
        return Status.unschedulable(ERR_REASON_CONSTRAINTS_NOT_MATCH);
      }
    }
    return Status.SUCCESS;
  }

  // ---- scoring

  static final class PreScoreState {
    List<Constraint> constraints = List.of();
    final Set<String> ignoredNodes = new HashSet<>();
    final Map<TopologyPair, long[]> topologyPairToPodCounts = new HashMap<>();
    double[] topologyNormalizingWeight = new double[0];
  }

  @Override
  public Status preScore(CycleState cycleState, PodInfo pod, List<NodeInfo> filteredNodes) {
    List<NodeInfo> allNodes = handle.snapshot().list();
    if (allNodes.isEmpty()) {
      return Status.SKIP;
    }
    PreScoreState s = new PreScoreState();
    boolean requireAllTopologies = (pod.pod().getSpec().getTopologySpreadConstraints() != null
        && !pod.pod().getSpec().getTopologySpreadConstraints().isEmpty()) || !systemDefaulted;
    s.constraints = getConstraints(pod.pod(), "ScheduleAnyway");
    if (s.constraints.isEmpty()) {
      return Status.SKIP;
    }
    int[] topoSize = new int[s.constraints.size()];
    for (NodeInfo n : filteredNodes) {
      if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(n.labels(), s.constraints)) {
        s.ignoredNodes.add(n.name());
        continue;
      }
      for (int i = 0; i < s.constraints.size(); i++) {
        Constraint c = s.constraints.get(i);
        if (c.topologyKey().equals(LABEL_HOSTNAME)) {
          continue;
        }
        TopologyPair pair = new TopologyPair(c.topologyKey(), n.labels().get(c.topologyKey()));
        if (!s.topologyPairToPodCounts.containsKey(pair)) {
          s.topologyPairToPodCounts.put(pair, new long[1]);
          topoSize[i]++;
        }
      }
    }
    s.topologyNormalizingWeight = new double[s.constraints.size()];
    for (int i = 0; i < s.constraints.size(); i++) {
      int sz = topoSize[i];
      if (s.constraints.get(i).topologyKey().equals(LABEL_HOSTNAME)) {
        sz = filteredNodes.size() - s.ignoredNodes.size();
      }
      s.topologyNormalizingWeight[i] = Math.log(sz + 2);
    }
    RequiredNodeAffinity required = RequiredNodeAffinity.of(pod.pod());
    if (!s.topologyPairToPodCounts.isEmpty()) {
      for (NodeInfo n : allNodes) {
        if (requireAllTopologies && !nodeLabelsMatchSpreadConstraints(n.labels(), s.constraints)) {
          continue;
        }
        for (Constraint c : s.constraints) {
          if (!c.matchNodeInclusionPolicies(pod.pod(), n.node(), required)) {
            continue;
          }
          long[] count = s.topologyPairToPodCounts.get(new TopologyPair(c.topologyKey(),
              n.labels().get(c.topologyKey())));
          if (count == null) {
            continue;
          }
          count[0] += countPodsMatchSelector(n.pods(), c.selector(), pod.namespace());
        }
      }
    }
    cycleState.write(PRE_SCORE_STATE_KEY, s);
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    PreScoreState s = state.read(PRE_SCORE_STATE_KEY);
    if (s == null || s.ignoredNodes.contains(node.name())) {
      return 0;
    }
    double score = 0;
    for (int i = 0; i < s.constraints.size(); i++) {
      Constraint c = s.constraints.get(i);
      String tpVal = node.labels().get(c.topologyKey());
      if (tpVal != null) {
        long cnt;
        if (c.topologyKey().equals(LABEL_HOSTNAME)) {
          cnt = countPodsMatchSelector(node.pods(), c.selector(), pod.namespace());
        } else {
          long[] v = s.topologyPairToPodCounts.get(new TopologyPair(c.topologyKey(), tpVal));
          cnt = v == null ? 0 : v[0];
        }
        score += cnt * s.topologyNormalizingWeight[i] + (c.maxSkew() - 1);
      }
    }
    return Math.round(score);
  }

  @Override
  public boolean hasNormalizeScore() {
    return true;
  }

  @Override
  public Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
    PreScoreState s = state.read(PRE_SCORE_STATE_KEY);
    if (s == null) {
      return Status.SUCCESS;
    }
    long min = Long.MAX_VALUE;
    long max = 0;
    for (int i = 0; i < scores.length; i++) {
      if (s.ignoredNodes.contains(nodes.get(i).name())) {
        scores[i] = INVALID_SCORE;
        continue;
      }
      min = Math.min(min, scores[i]);
      max = Math.max(max, scores[i]);
    }
    for (int i = 0; i < scores.length; i++) {
      if (scores[i] == INVALID_SCORE) {
        scores[i] = 0;
        continue;
      }
      if (max == 0) {
        scores[i] = Plugins.MAX_NODE_SCORE;
        continue;
      }
      scores[i] = Plugins.MAX_NODE_SCORE * (max + min - scores[i]) / max;
    }
    return Status.SUCCESS;
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(
        ClusterEvent.WithHint.of(ClusterEvent.Kind.POD, ClusterEvent.ALL, this::isSchedulableAfterPodChange),
        ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.DELETE
            | ClusterEvent.UPDATE_NODE_LABEL | ClusterEvent.UPDATE_NODE_TAINT));
  }

  /** isSchedulableAfterPodChange: a scheduled pod in the namespace that one of the constraints selects changed. */
  QueueingHint isSchedulableAfterPodChange(PodInfo pod, Object oldObj, Object newObj) {
    Pod changed = (Pod) (newObj != null ? newObj : oldObj);
    if (changed.getSpec().getNodeName() == null || changed.getSpec().getNodeName().isEmpty()
        || !changed.getMetadata().getNamespace().equals(pod.namespace())) {
      return QueueingHint.QUEUE_SKIP;
    }
    List<Constraint> constraints = getConstraints(pod.pod(), "DoNotSchedule");
    Map<String, String> l = changed.getMetadata().getLabels() == null ? Map.of() : changed.getMetadata().getLabels();
    Map<String, String> lOld = oldObj instanceof Pod o && o.getMetadata().getLabels() != null
        ? o.getMetadata().getLabels() : Map.of();
    for (Constraint c : constraints) {
      if (c.selector().matches(l) || c.selector().matches(lOld)) {
        return QueueingHint.QUEUE;
      }
    }
    return QueueingHint.QUEUE_SKIP;
  }
}
