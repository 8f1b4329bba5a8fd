package io.kemu.scheduler.framework;

import io.kemu.scheduler.framework.Plugins.BindPlugin;
import io.kemu.scheduler.framework.Plugins.EnqueueExtensions;
import io.kemu.scheduler.framework.Plugins.FilterPlugin;
import io.kemu.scheduler.framework.Plugins.PermitPlugin;
import io.kemu.scheduler.framework.Plugins.PermitResult;
import io.kemu.scheduler.framework.Plugins.Plugin;
import io.kemu.scheduler.framework.Plugins.PostBindPlugin;
import io.kemu.scheduler.framework.Plugins.PostFilterOutcome;
import io.kemu.scheduler.framework.Plugins.PostFilterPlugin;
import io.kemu.scheduler.framework.Plugins.PostFilterResult;
import io.kemu.scheduler.framework.Plugins.PreBindPlugin;
import io.kemu.scheduler.framework.Plugins.PreEnqueuePlugin;
import io.kemu.scheduler.framework.Plugins.PreFilterExtensions;
import io.kemu.scheduler.framework.Plugins.PreFilterPlugin;
import io.kemu.scheduler.framework.Plugins.PreFilterResult;
import io.kemu.scheduler.framework.Plugins.PreScorePlugin;
import io.kemu.scheduler.framework.Plugins.QueueSortPlugin;
import io.kemu.scheduler.framework.Plugins.QueuedPodInfo;
import io.kemu.scheduler.framework.Plugins.ReservePlugin;
import io.kemu.scheduler.framework.Plugins.ScorePlugin;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.random.RandomGenerator;

/**
 * One scheduling profile (runtime.frameworkImpl): the plugins enabled at each extension point, in order, with
 * score weights, and the scheduling algorithm of schedule_one.go up to choosing a node ({@link #schedulePod}).
 * The scheduling cycle runs on one thread; Filter and Score may fan out over nodes through the parallelizer.
 */
public final class Framework implements Handle {
  /** minFeasibleNodesToFind and minFeasibleNodesPercentageToFind of schedule_one.go. */
  public static final int MIN_FEASIBLE_NODES_TO_FIND = 100;
  public static final int MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND = 5;

  /** A successful cycle: the chosen node, and how many nodes were evaluated and found feasible. */
  public record ScheduleResult(String suggestedHost, int evaluatedNodes, int feasibleNodes) {}

  /** A failed cycle: a FitError (no node fits) or another status (an error, or no nodes at all). */
  public static final class ScheduleFailure extends Exception {
    private final transient Status status;
    private final transient FitError fitError;

    public ScheduleFailure(Status status, FitError fitError) {
      super(fitError != null ? fitError.message() : status.message(), null, false, false);
      this.status = status;
      this.fitError = fitError;
    }

    public Status status() {
      return status;
    }

    public FitError fitError() {
      return fitError;
    }
  }

  /** What a profile is built from: its name, ordered plugins per extension point and score weights. */
  public record Profile(String schedulerName, Integer percentageOfNodesToScore, List<Plugin> preEnqueue,
                        QueueSortPlugin queueSort, List<PreFilterPlugin> preFilter, List<FilterPlugin> filter,
                        List<PostFilterPlugin> postFilter, List<PreScorePlugin> preScore, List<ScorePlugin> score,
                        Map<String, Integer> scoreWeights, List<ReservePlugin> reserve, List<PermitPlugin> permit,
                        List<PreBindPlugin> preBind, List<BindPlugin> bind, List<PostBindPlugin> postBind,
                        List<EnqueueExtensions> enqueueExtensions) {}

  private final String profileName;
  private final Integer percentageOfNodesToScore;
  private List<PreEnqueuePlugin> preEnqueuePlugins = List.of();
  private QueueSortPlugin queueSortPlugin;
  private List<PreFilterPlugin> preFilterPlugins = List.of();
  private List<FilterPlugin> filterPlugins = List.of();
  private List<PostFilterPlugin> postFilterPlugins = List.of();
  private List<PreScorePlugin> preScorePlugins = List.of();
  private List<ScorePlugin> scorePlugins = List.of();
  private Map<String, Integer> scoreWeights = Map.of();
  private List<ReservePlugin> reservePlugins = List.of();
  private List<PermitPlugin> permitPlugins = List.of();
  private List<PreBindPlugin> preBindPlugins = List.of();
  private List<BindPlugin> bindPlugins = List.of();
  private List<PostBindPlugin> postBindPlugins = List.of();
  private List<EnqueueExtensions> enqueueExtensions = List.of();

  private final Listers listers;
  private final Nominator nominator;
  private final Parallelizer parallelizer;
  private final ApiActions api;
  private final RandomGenerator random;
  private final int globalPercentageOfNodesToScore;
  private volatile Snapshot snapshot = Snapshot.of(List.of());
  private int nextStartNodeIndex;
  private final Map<String, WaitingPod> waitingPods = new ConcurrentHashMap<>();

  /** The environment plugins see through {@link Handle}. */
  public record Environment(Listers listers, Nominator nominator, Parallelizer parallelizer, ApiActions api,
                            RandomGenerator random, int percentageOfNodesToScore) {
    public static Environment forTests() {
      return new Environment(Listers.EMPTY, Nominator.NONE, Parallelizer.SEQUENTIAL, null, new java.util.Random(1), 0);
    }
  }

  public Framework(String profileName, Integer percentageOfNodesToScore, Environment env) {
    this.profileName = profileName;
    this.percentageOfNodesToScore = percentageOfNodesToScore;
    this.listers = env.listers();
    this.nominator = env.nominator();
    this.parallelizer = env.parallelizer();
    this.api = env.api();
    this.random = env.random();
    this.globalPercentageOfNodesToScore = env.percentageOfNodesToScore();
  }

  /** Installs the plugins (they may need this framework as their Handle while being built). */
  public void setPlugins(Profile p) {
    List<PreEnqueuePlugin> pe = new ArrayList<>();
    for (Plugin pl : p.preEnqueue()) {
      pe.add((PreEnqueuePlugin) pl);
    }
    this.preEnqueuePlugins = List.copyOf(pe);
    this.queueSortPlugin = p.queueSort();
    this.preFilterPlugins = List.copyOf(p.preFilter());
    this.filterPlugins = List.copyOf(p.filter());
    this.postFilterPlugins = List.copyOf(p.postFilter());
    this.preScorePlugins = List.copyOf(p.preScore());
    this.scorePlugins = List.copyOf(p.score());
    this.scoreWeights = Map.copyOf(p.scoreWeights());
    this.reservePlugins = List.copyOf(p.reserve());
    this.permitPlugins = List.copyOf(p.permit());
    this.preBindPlugins = List.copyOf(p.preBind());
    this.bindPlugins = List.copyOf(p.bind());
    this.postBindPlugins = List.copyOf(p.postBind());
    this.enqueueExtensions = List.copyOf(p.enqueueExtensions());
  }

  public String profileName() {
    return profileName;
  }

  public QueueSortPlugin queueSortPlugin() {
    return queueSortPlugin;
  }

  public List<EnqueueExtensions> enqueueExtensions() {
    return enqueueExtensions;
  }

  public boolean hasPostFilterPlugins() {
    return !postFilterPlugins.isEmpty();
  }

  public boolean hasScorePlugins() {
    return !scorePlugins.isEmpty();
  }

  public boolean hasFilterPlugins() {
    return !filterPlugins.isEmpty();
  }

  public List<String> pluginNames(String extensionPoint) {
    List<? extends Plugin> l = switch (extensionPoint) {
      case "preEnqueue" -> preEnqueuePlugins;
      case "queueSort" -> queueSortPlugin == null ? List.of() : List.of(queueSortPlugin);
      case "preFilter" -> preFilterPlugins;
      case "filter" -> filterPlugins;
      case "postFilter" -> postFilterPlugins;
      case "preScore" -> preScorePlugins;
      case "score" -> scorePlugins;
      case "reserve" -> reservePlugins;
      case "permit" -> permitPlugins;
      case "preBind" -> preBindPlugins;
      case "bind" -> bindPlugins;
      case "postBind" -> postBindPlugins;
      default -> List.of();
    };
    return l.stream().map(Plugin::name).toList();
  }

  public int scoreWeight(String plugin) {
    return scoreWeights.getOrDefault(plugin, 1);
  }

  // ---- Handle

  @Override
  public Snapshot snapshot() {
    return snapshot;
  }

  public void setSnapshot(Snapshot s) {
    this.snapshot = s;
  }

  @Override
  public Listers listers() {
    return listers;
  }

  @Override
  public Nominator nominator() {
    return nominator;
  }

  @Override
  public Parallelizer parallelizer() {
    return parallelizer;
  }

  @Override
  public ApiActions api() {
    return api;
  }

  // ---- queue

  /** RunPreEnqueuePlugins: the first rejection keeps the pod out of the active queue (gated). */
  public Status runPreEnqueuePlugins(io.fabric8.kubernetes.api.model.Pod pod) {
    for (PreEnqueuePlugin p : preEnqueuePlugins) {
      Status s = p.preEnqueue(pod);
      if (!Status.isSuccess(s)) {
        return s.withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
    return queueSortPlugin.less(a, b);
  }

  // ---- the scheduling algorithm (schedulePod of schedule_one.go)

  /** Nodes must be in {@link #snapshot} (set by the caller after updating it from the cache). */
  public ScheduleResult schedulePod(CycleState state, PodInfo pod) throws ScheduleFailure {
    Snapshot snap = snapshot;
    if (snap.numNodes() == 0) {
      throw new ScheduleFailure(Status.unresolvable(FitError.NO_NODES_AVAILABLE), null);
    }
    FitError.Diagnosis diagnosis = new FitError.Diagnosis();
    List<NodeInfo> feasible = findNodesThatFitPod(state, pod, snap, diagnosis);
    if (feasible.isEmpty()) {
      throw new ScheduleFailure(Status.of(Status.Code.UNSCHEDULABLE), new FitError(snap.numNodes(), diagnosis));
    }
    if (feasible.size() == 1) {
      return new ScheduleResult(feasible.get(0).name(), 1 + diagnosis.nodeToStatus.len(), 1);
    }
    long[] totals = prioritizeNodes(state, pod, feasible);
    return new ScheduleResult(selectHost(feasible, totals), feasible.size() + diagnosis.nodeToStatus.len(),
        feasible.size());
  }

  /** findNodesThatFitPod: PreFilter, then the nominated node first, then Filter over (part of) the nodes. */
  List<NodeInfo> findNodesThatFitPod(CycleState state, PodInfo pod, Snapshot snap, FitError.Diagnosis diagnosis)
      throws ScheduleFailure {
    List<NodeInfo> allNodes = snap.list();
    PreFilterOutcome pre = runPreFilterPlugins(state, pod, allNodes);
    diagnosis.unschedulablePlugins.addAll(pre.pluginsWithNodes());
    Status s = pre.status();
    if (!s.isSuccess()) {
      if (!s.isRejected()) {
        throw new ScheduleFailure(s, null);
      }
      diagnosis.nodeToStatus.setAbsentNodesStatus(s);
      diagnosis.preFilterMsg = s.message();
      diagnosis.addPluginStatus(s);
      return List.of();
    }
    String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
    if (nominated != null && !nominated.isEmpty()) {
      NodeInfo n = snap.get(nominated);
      if (n != null) {
        List<NodeInfo> f = findNodesThatPassFilters(state, pod, diagnosis, List.of(n), allNodes.size());
        if (!f.isEmpty()) {
          return f;
        }
      }
    }
    List<NodeInfo> nodes = allNodes;
    if (!pre.result().allNodes()) {
      nodes = new ArrayList<>(pre.result().nodeNames().size());
      for (String name : pre.result().nodeNames()) {
        NodeInfo n = snap.get(name);
        if (n != null) {
          nodes.add(n);
        }
      }
      diagnosis.nodeToStatus.setAbsentNodesStatus(Status.unresolvable(
          "node(s) didn't satisfy plugin(s) " + new TreeSet<>(pre.pluginsWithNodes())));
    }
    return findNodesThatPassFilters(state, pod, diagnosis, nodes, allNodes.size());
  }

  /** numFeasibleNodesToFind: all below 100 nodes; else the percentage (adaptive: 50 - n/125, at least 5). */
  public int numFeasibleNodesToFind(int numAllNodes) {
    if (numAllNodes < MIN_FEASIBLE_NODES_TO_FIND) {
      return numAllNodes;
    }
    int percentage = percentageOfNodesToScore != null ? percentageOfNodesToScore : globalPercentageOfNodesToScore;
    if (percentage == 0) {
      percentage = 50 - numAllNodes / 125;
      if (percentage < MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND) {
        percentage = MIN_FEASIBLE_NODES_PERCENTAGE_TO_FIND;
      }
    }
    int numNodes = (int) ((long) numAllNodes * percentage / 100);
    return Math.max(numNodes, MIN_FEASIBLE_NODES_TO_FIND);
  }

  /** findNodesThatPassFilters: from where the last cycle stopped, until enough feasible nodes are found. */
  private List<NodeInfo> findNodesThatPassFilters(CycleState state, PodInfo pod, FitError.Diagnosis diagnosis,
                                                  List<NodeInfo> nodes, int allNodesCount) throws ScheduleFailure {
    int numAllNodes = nodes.size();
    if (numAllNodes == 0) {
      return List.of();
    }
    int numNodesToFind = numFeasibleNodesToFind(numAllNodes);
    if (!hasScorePlugins()) {
      numNodesToFind = 1;
    }
    int start = nextStartNodeIndex % numAllNodes;
    if (!hasFilterPlugins()) {
      List<NodeInfo> out = new ArrayList<>(numNodesToFind);
      for (int i = 0; i < numNodesToFind; i++) {
        out.add(nodes.get((start + i) % numAllNodes));
      }
      nextStartNodeIndex = (nextStartNodeIndex + out.size()) % Math.max(1, allNodesCount);
      return out;
    }
    NodeInfo[] feasible = new NodeInfo[numNodesToFind];
    Status[] statuses = new Status[numAllNodes];
    AtomicInteger feasibleLen = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    Status[] error = new Status[1];
    int toFind = numNodesToFind;
    parallelizer.until(numAllNodes, toFind, i -> {
      NodeInfo n = nodes.get((start + i) % numAllNodes);
      Status s = runFilterPluginsWithNominatedPods(state, pod, n);
      if (s.isSuccess()) {
        int len = feasibleLen.incrementAndGet();
        if (len > toFind) {
          stop.set(true);
          feasibleLen.decrementAndGet();
        } else {
          feasible[len - 1] = n;
          if (len == toFind) {
            stop.set(true);
          }
        }
      } else if (s.code() == Status.Code.ERROR) {
        synchronized (error) {
          error[0] = s;
        }
        stop.set(true);
      } else {
        statuses[i] = s;
      }
    }, stop);
    int processed = feasibleLen.get();
    for (int i = 0; i < numAllNodes; i++) {
      if (statuses[i] != null) {
        NodeInfo n = nodes.get((start + i) % numAllNodes);
        diagnosis.nodeToStatus.set(n.name(), statuses[i]);
        diagnosis.addPluginStatus(statuses[i]);
        processed++;
      }
    }
    nextStartNodeIndex = (nextStartNodeIndex + processed) % Math.max(1, allNodesCount);
    if (error[0] != null) {
      throw new ScheduleFailure(error[0], null);
    }
    List<NodeInfo> out = new ArrayList<>(feasibleLen.get());
    for (int i = 0; i < feasibleLen.get(); i++) {
      out.add(feasible[i]);
    }
    return out;
  }

  /** The PreFilter outcome: merged node restriction, status, and the plugins that restricted nodes. */
  public record PreFilterOutcome(PreFilterResult result, Status status, Set<String> pluginsWithNodes) {}

  /** RunPreFilterPlugins. */
  public PreFilterOutcome runPreFilterPlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    Set<String> nodeNames = null;
    List<String> pluginsWithNodes = new ArrayList<>();
    Set<String> skip = new HashSet<>();
    Status returnStatus = Status.SUCCESS;
    for (PreFilterPlugin pl : preFilterPlugins) {
      PreFilterResult r;
      try {
        r = pl.preFilter(state, pod, nodes);
      } catch (RuntimeException e) {
        return new PreFilterOutcome(PreFilterResult.ALL_NODES,
            Status.error("running PreFilter plugin \"" + pl.name() + "\": " + e.getMessage()).withPlugin(pl.name()),
            Set.of());
      }
      Status s = r == null || r.status() == null ? Status.SUCCESS : r.status();
      if (s.isSkip()) {
        skip.add(pl.name());
        continue;
      }
      if (!s.isSuccess()) {
        s = s.withPlugin(pl.name());
        if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
          return new PreFilterOutcome(PreFilterResult.ALL_NODES, s, Set.of());
        }
        if (s.code() == Status.Code.UNSCHEDULABLE) {
          returnStatus = s;
          continue;
        }
        return new PreFilterOutcome(PreFilterResult.ALL_NODES,
            Status.error("running PreFilter plugin \"" + pl.name() + "\": " + s.message()).withPlugin(pl.name()),
            Set.of());
      }
      if (r != null && !r.allNodes()) {
        pluginsWithNodes.add(pl.name());
        if (nodeNames == null) {
          nodeNames = new HashSet<>(r.nodeNames());
        } else {
          nodeNames.retainAll(r.nodeNames());
        }
        if (nodeNames.isEmpty()) {
          String msg = pluginsWithNodes.size() == 1
              ? "node(s) didn't satisfy plugin " + pluginsWithNodes.get(0)
              : "node(s) didn't satisfy plugin(s) " + pluginsWithNodes + " simultaneously";
          return new PreFilterOutcome(new PreFilterResult(nodeNames, Status.SUCCESS),
              Status.unresolvable(msg), new TreeSet<>(pluginsWithNodes));
        }
      }
    }
    state.setSkipFilterPlugins(skip);
    return new PreFilterOutcome(new PreFilterResult(nodeNames, Status.SUCCESS), returnStatus,
        new TreeSet<>(pluginsWithNodes));
  }

  /** RunFilterPlugins: in order; the first rejection decides. */
  public Status runFilterPlugins(CycleState state, PodInfo pod, NodeInfo node) {
    for (FilterPlugin f : activeFilterPlugins(state)) {
      Status s;
      try {
        s = f.filter(state, pod, node);
      } catch (RuntimeException e) {
        s = Status.error(e);
      }
      if (!Status.isSuccess(s)) {
        if (!s.isRejected()) {
          return Status.error("running \"" + f.name() + "\" filter plugin: " + s.message()).withPlugin(f.name());
        }
        return s.withPlugin(f.name());
      }
    }
    return Status.SUCCESS;
  }

  private static final int SCORE_CHUNK = 32;
  private static final CycleState.Key ACTIVE_FILTERS = CycleState.key("kemu/activeFilterPlugins");

  /** The filter plugins not skipped by PreFilter, worked out once per cycle rather than per node. */
  private FilterPlugin[] activeFilterPlugins(CycleState state) {
    Set<String> skip = state.skipFilterPlugins();
    Object[] cached = state.read(ACTIVE_FILTERS);
    if (cached != null && cached[0] == skip) {
      return (FilterPlugin[]) cached[1];
    }
    FilterPlugin[] active = filterPlugins.stream().filter(f -> skip.isEmpty() || !skip.contains(f.name()))
        .toArray(FilterPlugin[]::new);
    state.write(ACTIVE_FILTERS, new Object[] {skip, active});
    return active;
  }

  /**
   * RunFilterPluginsWithNominatedPods: with nominated pods of equal or higher priority added to the node, then,
   * if that passed, without them — the pod must fit either way.
   */
  @Override
  public Status runFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo info) {
    List<PodInfo> nominated = nominator.nominatedPodsForNode(info.name());
    if (nominated.isEmpty()) {
      return runFilterPlugins(state, pod, info);
    }
    NodeInfo nodeOut = null;
    CycleState stateOut = null;
    for (PodInfo pi : nominated) {
      if (pi.priority() >= pod.priority() && !pi.uid().equals(pod.uid())) {
        if (nodeOut == null) {
          nodeOut = info.copy();
          stateOut = state.copy();
        }
        nodeOut.addPod(pi);
        Status s = runPreFilterExtensionAddPod(stateOut, pod, pi, nodeOut);
        if (!Status.isSuccess(s)) {
          return Status.error(s.message());
        }
      }
    }
    if (nodeOut == null) {
      return runFilterPlugins(state, pod, info);
    }
    Status s = runFilterPlugins(stateOut, pod, nodeOut);
    if (!s.isSuccess()) {
      return s;
    }
    return runFilterPlugins(state, pod, info);
  }

  @Override
  public Status runPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd,
                                            NodeInfo node) {
    for (PreFilterPlugin pl : preFilterPlugins) {
      PreFilterExtensions ext = pl.preFilterExtensions();
      if (ext == null || state.skipFilterPlugins().contains(pl.name())) {
        continue;
      }
      Status s = ext.addPod(state, podToSchedule, podToAdd, node);
      if (!Status.isSuccess(s)) {
        return Status.error("running AddPod on PreFilter plugin \"" + pl.name() + "\": " + s.message());
      }
    }
    return Status.SUCCESS;
  }

  @Override
  public Status runPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove,
                                               NodeInfo node) {
    for (PreFilterPlugin pl : preFilterPlugins) {
      PreFilterExtensions ext = pl.preFilterExtensions();
      if (ext == null || state.skipFilterPlugins().contains(pl.name())) {
        continue;
      }
      Status s = ext.removePod(state, podToSchedule, podToRemove, node);
      if (!Status.isSuccess(s)) {
        return Status.error("running RemovePod on PreFilter plugin \"" + pl.name() + "\": " + s.message());
      }
    }
    return Status.SUCCESS;
  }

  /** RunPostFilterPlugins: the first success or UnschedulableAndUnresolvable wins; else the reasons add up. */
  public PostFilterOutcome runPostFilterPlugins(CycleState state, PodInfo pod, NodeToStatus statuses) {
    PostFilterResult result = null;
    List<String> reasons = new ArrayList<>();
    String rejector = null;
    for (PostFilterPlugin pl : postFilterPlugins) {
      PostFilterOutcome o;
      try {
        o = pl.postFilter(state, pod, statuses);
      } catch (RuntimeException e) {
        return new PostFilterOutcome(null, Status.error(e).withPlugin(pl.name()));
      }
      Status s = o.status() == null ? Status.SUCCESS : o.status();
      if (s.isSuccess()) {
        return o;
      } else if (s.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        return new PostFilterOutcome(o.result(), s.withPlugin(pl.name()));
      } else if (!s.isRejected()) {
        return new PostFilterOutcome(null, new Status(Status.Code.ERROR, s.reasons(), pl.name()));
      } else if (o.result() != null) {
        result = o.result();
      }
      reasons.addAll(s.reasons());
      if (rejector == null) {
        rejector = pl.name();
      }
    }
    return new PostFilterOutcome(result, new Status(Status.Code.UNSCHEDULABLE, List.copyOf(reasons), rejector));
  }

  /** prioritizeNodes: PreScore, Score per node, NormalizeScore per plugin, weights; totals aligned with nodes. */
  long[] prioritizeNodes(CycleState state, PodInfo pod, List<NodeInfo> nodes) throws ScheduleFailure {
    long[] totals = new long[nodes.size()];
    if (!hasScorePlugins()) {
      java.util.Arrays.fill(totals, 1);
      return totals;
    }
    Status pre = runPreScorePlugins(state, pod, nodes);
    if (!pre.isSuccess()) {
      throw new ScheduleFailure(pre, null);
    }
    Status s = runScorePlugins(state, pod, nodes, totals, null);
    if (!s.isSuccess()) {
      throw new ScheduleFailure(s, null);
    }
    return totals;
  }

  /** RunPreScorePlugins: Skip excludes the plugin's Score this cycle. */
  public Status runPreScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    Set<String> skip = new HashSet<>();
    for (PreScorePlugin p : preScorePlugins) {
      Status s;
      try {
        s = p.preScore(state, pod, nodes);
      } catch (RuntimeException e) {
        s = Status.error(e);
      }
      if (s != null && s.isSkip()) {
        skip.add(p.name());
      } else if (!Status.isSuccess(s)) {
        return Status.error("running PreScore plugin \"" + p.name() + "\": " + s.message()).withPlugin(p.name());
      }
    }
    state.setSkipScorePlugins(skip);
    return Status.SUCCESS;
  }

  /**
   * RunScorePlugins: adds each plugin's weighted, normalized score to {@code totals}; {@code perPlugin}, if given,
   * receives the weighted scores by plugin name.
   */
  public Status runScorePlugins(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] totals,
                                Map<String, long[]> perPlugin) {
    List<ScorePlugin> plugins = new ArrayList<>(scorePlugins.size());
    for (ScorePlugin p : scorePlugins) {
      if (!state.skipScorePlugins().contains(p.name())) {
        plugins.add(p);
      }
    }
    if (plugins.isEmpty()) {
      return Status.SUCCESS;
    }
    long[][] scores = new long[plugins.size()][nodes.size()];
    // chunks of nodes, each scored by one plugin after the other (upstream scores node by node; the scores do not
    // depend on the order, and a plugin working through a chunk keeps its call site and scratch state warm)
    int numNodes = nodes.size();
    int chunks = (numNodes + SCORE_CHUNK - 1) / SCORE_CHUNK;
    ScorePlugin[] active = plugins.toArray(ScorePlugin[]::new);
    parallelizer.until(chunks, numNodes, c -> {
      int from = c * SCORE_CHUNK;
      int to = Math.min(numNodes, from + SCORE_CHUNK);
      for (int p = 0; p < active.length; p++) {
        active[p].score(state, pod, nodes, from, to, scores[p]);
      }
    }, null);
    for (int p = 0; p < plugins.size(); p++) {
      ScorePlugin pl = plugins.get(p);
      if (pl.hasNormalizeScore()) {
        Status s = pl.normalizeScore(state, pod, nodes, scores[p]);
        if (!Status.isSuccess(s)) {
          return Status.error("running Normalize on Score plugin \"" + pl.name() + "\": " + s.message());
        }
      }
      int weight = scoreWeight(pl.name());
      long[] weighted = perPlugin == null ? null : new long[nodes.size()];
      for (int i = 0; i < nodes.size(); i++) {
        long sc = scores[p][i];
        if (sc > Plugins.MAX_NODE_SCORE || sc < Plugins.MIN_NODE_SCORE) {
          return Status.error("plugin \"" + pl.name() + "\" returns an invalid score " + sc
              + ", it should in the range of [0, 100] after normalizing");
        }
        totals[i] += sc * weight;
        if (weighted != null) {
          weighted[i] = sc * weight;
        }
      }
      if (perPlugin != null) {
        perPlugin.put(pl.name(), weighted);
      }
    }
    return Status.SUCCESS;
  }

  /** selectHost: the highest total; ties broken uniformly at random (reservoir sampling). */
  String selectHost(List<NodeInfo> nodes, long[] totals) {
    int best = 0;
    int ties = 1;
    for (int i = 1; i < nodes.size(); i++) {
      if (totals[i] > totals[best]) {
        best = i;
        ties = 1;
      } else if (totals[i] == totals[best]) {
        ties++;
        if (random.nextInt(ties) == 0) {
          best = i;
        }
      }
    }
    return nodes.get(best).name();
  }

  // ---- reserve, permit, binding

  /** RunReservePluginsReserve: the first failure stops (the caller then runs Unreserve). */
  public Status runReservePluginsReserve(CycleState state, PodInfo pod, String node) {
    for (ReservePlugin p : reservePlugins) {
      Status s = p.reserve(state, pod, node);
      if (!Status.isSuccess(s)) {
        if (s.isRejected()) {
          return s.withPlugin(p.name());
        }
        return Status.error("running Reserve plugin \"" + p.name() + "\": " + s.message()).withPlugin(p.name());
      }
    }
    return Status.SUCCESS;
  }

  /** RunReservePluginsUnreserve: in reverse order. */
  public void runReservePluginsUnreserve(CycleState state, PodInfo pod, String node) {
    for (int i = reservePlugins.size() - 1; i >= 0; i--) {
      reservePlugins.get(i).unreserve(state, pod, node);
    }
  }

  /** A pod some Permit plugin asked to wait for. */
  static final class WaitingPod {
    final CompletableFuture<Status> decision = new CompletableFuture<>();
    final Set<String> pendingPlugins = ConcurrentHashMap.newKeySet();
  }

  /** RunPermitPlugins: rejection, success, or Wait (the pod waits in the binding cycle, up to the timeout). */
  public Status runPermitPlugins(CycleState state, PodInfo pod, String node) {
    Duration wait = null;
    Set<String> waiting = new HashSet<>();
    for (PermitPlugin p : permitPlugins) {
      PermitResult r = p.permit(state, pod, node);
      Status s = r == null ? Status.SUCCESS : r.status();
      if (!Status.isSuccess(s)) {
        if (s.isRejected()) {
          return s.withPlugin(p.name());
        }
        if (s.isWait()) {
          Duration t = r.timeout() == null || r.timeout().compareTo(Duration.ofMinutes(15)) > 0
              ? Duration.ofMinutes(15) : r.timeout();
          wait = wait == null || t.compareTo(wait) < 0 ? t : wait;
          waiting.add(p.name());
          continue;
        }
        return Status.error("running Permit plugin \"" + p.name() + "\": " + s.message()).withPlugin(p.name());
      }
    }
    if (wait != null) {
      WaitingPod wp = new WaitingPod();
      wp.pendingPlugins.addAll(waiting);
      waitingPods.put(pod.uid(), wp);
      String plugins = String.join(", ", new TreeSet<>(waiting));
      Duration timeout = wait;
      CompletableFuture.delayedExecutor(timeout.toMillis(), TimeUnit.MILLISECONDS).execute(() ->
          wp.decision.complete(Status.unschedulable("rejected due to timeout after waiting " + timeout
              + " at plugin " + plugins)));
      return Status.waiting("one or more plugins asked to wait and no plugin rejected pod \"" + pod.name() + "\"");
    }
    return Status.SUCCESS;
  }

  /** WaitOnPermit: completes at once unless the pod waits. */
  public CompletionStage<Status> waitOnPermit(PodInfo pod) {
    WaitingPod wp = waitingPods.get(pod.uid());
    if (wp == null) {
      return CompletableFuture.completedFuture(Status.SUCCESS);
    }
    return wp.decision.whenComplete((s, e) -> waitingPods.remove(pod.uid()));
  }

  /** WaitingPod.Allow for one plugin; the pod goes on when no plugin is pending. */
  public void allowWaitingPod(String uid, String plugin) {
    WaitingPod wp = waitingPods.get(uid);
    if (wp != null) {
      wp.pendingPlugins.remove(plugin);
      if (wp.pendingPlugins.isEmpty()) {
        wp.decision.complete(Status.SUCCESS);
      }
    }
  }

  /** WaitingPod.Reject. */
  public boolean rejectWaitingPod(String uid, String plugin, String msg) {
    WaitingPod wp = waitingPods.get(uid);
    if (wp == null) {
      return false;
    }
    wp.decision.complete(Status.unschedulable(msg).withPlugin(plugin));
    return true;
  }

  /** RunPreBindPlugins, one after the other, asynchronously. */
  public CompletionStage<Status> runPreBindPlugins(CycleState state, PodInfo pod, String node) {
    CompletionStage<Status> chain = CompletableFuture.completedFuture(Status.SUCCESS);
    for (PreBindPlugin p : preBindPlugins) {
      chain = chain.thenCompose(prev -> !Status.isSuccess(prev) ? CompletableFuture.completedFuture(prev)
          : p.preBind(state, pod, node).thenApply(s -> Status.isSuccess(s) ? Status.SUCCESS
              : s.isRejected() ? s.withPlugin(p.name())
              : Status.error("running PreBind plugin \"" + p.name() + "\": " + s.message()).withPlugin(p.name())));
    }
    return chain;
  }

  /** RunBindPlugins: the first plugin that does not Skip binds. */
  public CompletionStage<Status> runBindPlugins(CycleState state, PodInfo pod, String node) {
    return bindFrom(0, state, pod, node);
  }

  private CompletionStage<Status> bindFrom(int i, CycleState state, PodInfo pod, String node) {
    if (i >= bindPlugins.size()) {
      return CompletableFuture.completedFuture(Status.SKIP);
    }
    BindPlugin p = bindPlugins.get(i);
    return p.bind(state, pod, node).thenCompose(s -> {
      if (s != null && s.isSkip()) {
        return bindFrom(i + 1, state, pod, node);
      }
      return CompletableFuture.completedFuture(Status.isSuccess(s) ? Status.SUCCESS : s.withPlugin(p.name()));
    });
  }

  public void runPostBindPlugins(CycleState state, PodInfo pod, String node) {
    for (PostBindPlugin p : postBindPlugins) {
      p.postBind(state, pod, node);
    }
  }

  /** The events each plugin registered, by plugin name. */
  public Map<String, List<ClusterEvent.WithHint>> eventsToRegister() {
    Map<String, List<ClusterEvent.WithHint>> m = new LinkedHashMap<>();
    for (EnqueueExtensions e : enqueueExtensions) {
      m.put(e.name(), e.eventsToRegister());
    }
    return m;
  }
}
