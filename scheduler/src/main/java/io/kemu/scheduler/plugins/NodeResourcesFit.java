package io.kemu.scheduler.plugins;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.Node;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.PreFilterResult;
import io.kemu.scheduler.framework.Resource;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * plugins/noderesources/fit.go: a pod fits a node when its requests plus what the node's pods request stay within
 * allocatable, for CPU, memory, ephemeral storage, the pod count and extended resources. Scores with the
 * configured strategy: LeastAllocated (default), MostAllocated or RequestedToCapacityRatio.
 */
public final class NodeResourcesFit implements Plugins.PreFilterPlugin, Plugins.FilterPlugin, Plugins.PreScorePlugin,
    Plugins.ScorePlugin, Plugins.EnqueueExtensions {
  public static final String NAME = "NodeResourcesFit";
  public static final String TOO_MANY_PODS = "Too many pods";
  private static final CycleState.Key PRE_FILTER_STATE_KEY = CycleState.key("PreFilter" + NAME);
  private static final CycleState.Key PRE_SCORE_STATE_KEY = CycleState.key("PreScore" + NAME);

  public enum ScoringStrategy { LEAST_ALLOCATED, MOST_ALLOCATED, REQUESTED_TO_CAPACITY_RATIO }

  /** config.UtilizationShapePoint: utilization 0-100, score 0-10. */
  public record ShapePoint(int utilization, int score) {}

  private final Set<String> ignoredResources;
  private final Set<String> ignoredResourceGroups;
  private final ResourceAllocationScorer scorer;

  public NodeResourcesFit(ScoringStrategy strategy, List<ResourceAllocationScorer.ResourceSpec> resources,
                          List<ShapePoint> shape, Set<String> ignoredResources, Set<String> ignoredResourceGroups) {
    this.ignoredResources = ignoredResources;
    this.ignoredResourceGroups = ignoredResourceGroups;
    long[] weights = weights(resources); // once, not per node scored
    ResourceAllocationScorer.Scorer s = switch (strategy) {
      case LEAST_ALLOCATED -> (req, alloc) -> leastAllocated(weights, req, alloc);
      case MOST_ALLOCATED -> (req, alloc) -> mostAllocated(weights, req, alloc);
      case REQUESTED_TO_CAPACITY_RATIO -> requestedToCapacityRatio(resources, shape);
    };
    this.scorer = new ResourceAllocationScorer(resources, false, s);
  }

  public static NodeResourcesFit leastAllocated() {
    return new NodeResourcesFit(ScoringStrategy.LEAST_ALLOCATED, defaultResources(), List.of(), Set.of(), Set.of());
  }

  public static NodeResourcesFit mostAllocated() {
    return new NodeResourcesFit(ScoringStrategy.MOST_ALLOCATED, defaultResources(), List.of(), Set.of(), Set.of());
  }

  static List<ResourceAllocationScorer.ResourceSpec> defaultResources() {
    return List.of(new ResourceAllocationScorer.ResourceSpec("cpu", 1),
        new ResourceAllocationScorer.ResourceSpec("memory", 1));
  }

  /** NodeResourcesFitArgs: ignoredResources, ignoredResourceGroups, scoringStrategy {type, resources, shape}. */
  public static NodeResourcesFit fromArgs(Config args) {
    ScoringStrategy strategy = ScoringStrategy.LEAST_ALLOCATED;
    List<ResourceAllocationScorer.ResourceSpec> resources = defaultResources();
    List<ShapePoint> shape = List.of(new ShapePoint(0, 10), new ShapePoint(100, 0));
    if (args.hasPath("scoringStrategy")) {
      Config ss = args.getConfig("scoringStrategy");
      if (ss.hasPath("type")) {
        strategy = switch (ss.getString("type")) {
          case "LeastAllocated" -> ScoringStrategy.LEAST_ALLOCATED;
          case "MostAllocated" -> ScoringStrategy.MOST_ALLOCATED;
          case "RequestedToCapacityRatio" -> ScoringStrategy.REQUESTED_TO_CAPACITY_RATIO;
          default -> throw new IllegalArgumentException("scoring strategy " + ss.getString("type")
              + " is not supported");
        };
      }
      if (ss.hasPath("resources")) {
        resources = resourceSpecs(ss.getConfigList("resources"));
      }
      if (ss.hasPath("requestedToCapacityRatio.shape")) {
        List<ShapePoint> points = new ArrayList<>();
        for (Config p : ss.getConfigList("requestedToCapacityRatio.shape")) {
          points.add(new ShapePoint(p.getInt("utilization"), p.getInt("score")));
        }
        shape = points;
      }
    }
    Set<String> ignored = args.hasPath("ignoredResources") ? new HashSet<>(args.getStringList("ignoredResources"))
        : Set.of();
    Set<String> groups = args.hasPath("ignoredResourceGroups")
        ? new HashSet<>(args.getStringList("ignoredResourceGroups")) : Set.of();
    return new NodeResourcesFit(strategy, resources, shape, ignored, groups);
  }

  static List<ResourceAllocationScorer.ResourceSpec> resourceSpecs(List<? extends Config> list) {
    List<ResourceAllocationScorer.ResourceSpec> out = new ArrayList<>();
    for (Config r : list) {
      out.add(new ResourceAllocationScorer.ResourceSpec(r.getString("name"),
          r.hasPath("weight") ? r.getLong("weight") : 1));
    }
    return out;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PreFilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    state.write(PRE_FILTER_STATE_KEY, pod.requests());
    return PreFilterResult.ALL_NODES;
  }

  @Override
  public Status filter(CycleState state, PodInfo pod, NodeInfo node) {
    Resource req = state.read(PRE_FILTER_STATE_KEY);
    if (req == null) {
      req = pod.requests();
    }
    List<String> reasons = insufficientResources(req, node, ignoredResources, ignoredResourceGroups);
    return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons.toArray(String[]::new));
  }

  /** fitsRequest: the reasons a node cannot take the request, in upstream's order. */
  public static List<String> insufficientResources(Resource req, NodeInfo node, Set<String> ignoredResources,
                                                   Set<String> ignoredResourceGroups) {
    List<String> reasons = null;
    Resource alloc = node.allocatable();
    Resource used = node.requested();
    if (node.podCount() + 1 > alloc.allowedPodNumber) {
      reasons = new ArrayList<>(2);
      reasons.add(TOO_MANY_PODS);
    }
    if (req.milliCpu == 0 && req.memory == 0 && req.ephemeralStorage == 0 && req.scalar.isEmpty()) {
      return reasons == null ? List.of() : reasons;
    }
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
      reasons = add(reasons, "Insufficient cpu");
    }
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
      reasons = add(reasons, "Insufficient memory");
    }
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      reasons = add(reasons, "Insufficient ephemeral-storage");
    }
    if (req.scalar.isEmpty()) {
      return reasons == null ? List.of() : reasons;
    }
    for (var e : req.scalar.entrySet()) {
      String name = e.getKey();
      long quantity = e.getValue();
      if (quantity == 0) {
        continue;
      }
      if (Resource.isExtendedResourceName(name)) {
        String group = name.substring(0, name.indexOf('/'));
        if (ignoredResources.contains(name) || ignoredResourceGroups.contains(group)) {
          continue;
        }
      }
      if (quantity > alloc.get(name) - used.get(name)) {
        reasons = add(reasons, "Insufficient " + name);
      }
    }
    return reasons == null ? List.of() : reasons;
  }

  private static List<String> add(List<String> l, String s) {
    List<String> out = l == null ? new ArrayList<>(2) : l;
    out.add(s);
    return out;
  }

  /** Fits: for preemption and queueing hints. */
  public static boolean fits(PodInfo pod, NodeInfo node) {
    return insufficientResources(pod.requests(), node, Set.of(), Set.of()).isEmpty();
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    state.write(PRE_SCORE_STATE_KEY, scorer.podRequests(pod));
    return Status.SUCCESS;
  }

  @Override
  public long score(CycleState state, PodInfo pod, NodeInfo node) {
    return scorer.score(node, scorer.podRequests(state, PRE_SCORE_STATE_KEY, pod));
  }

  @Override
  public void score(CycleState state, PodInfo pod, List<NodeInfo> nodes, int from, int to, long[] out) {
    scorer.score(nodes, from, to, scorer.podRequests(state, PRE_SCORE_STATE_KEY, pod), out);
  }

  private static long[] weights(List<ResourceAllocationScorer.ResourceSpec> resources) {
    long[] w = new long[resources.size()];
    for (int i = 0; i < w.length; i++) {
      w[i] = resources.get(i).weight();
    }
    return w;
  }

  /** leastResourceScorer: the weighted mean of leastRequestedScore over the resources the node has. */
  static long leastAllocated(long[] weights, long[] requested, long[] allocatable) {
    long nodeScore = 0;
    long weightSum = 0;
    for (int i = 0; i < requested.length; i++) {
      if (allocatable[i] == 0) {
        continue;
      }
      nodeScore += leastRequestedScore(requested[i], allocatable[i]) * weights[i];
      weightSum += weights[i];
    }
    return weightSum == 0 ? 0 : nodeScore / weightSum;
  }

  /** mostResourceScorer. */
  static long mostAllocated(long[] weights, long[] requested, long[] allocatable) {
    long nodeScore = 0;
    long weightSum = 0;
    for (int i = 0; i < requested.length; i++) {
      if (allocatable[i] == 0) {
        continue;
      }
      nodeScore += mostRequestedScore(requested[i], allocatable[i]) * weights[i];
      weightSum += weights[i];
    }
    return weightSum == 0 ? 0 : nodeScore / weightSum;
  }

  /** leastRequestedScore: (capacity - requested) * 100 / capacity; 0 when over capacity. */
  static long leastRequestedScore(long requested, long capacity) {
    if (capacity == 0 || requested > capacity) {
      return 0;
    }
    return (capacity - requested) * Plugins.MAX_NODE_SCORE / capacity;
  }

  /** mostRequestedScore: requested * 100 / capacity; requested is capped at capacity. */
  static long mostRequestedScore(long requested, long capacity) {
    if (capacity == 0) {
      return 0;
    }
    if (requested > capacity) {
      requested = capacity;
    }
    return requested * Plugins.MAX_NODE_SCORE / capacity;
  }

  /** requested_to_capacity_ratio.go: a broken linear function of utilization, shape scores scaled 0-10 to 0-100. */
  static ResourceAllocationScorer.Scorer requestedToCapacityRatio(List<ResourceAllocationScorer.ResourceSpec> resources,
                                                                  List<ShapePoint> shape) {
    long[] util = new long[shape.size()];
    long[] score = new long[shape.size()];
    for (int i = 0; i < shape.size(); i++) {
      util[i] = shape.get(i).utilization();
      score[i] = (long) shape.get(i).score() * (Plugins.MAX_NODE_SCORE / 10);
    }
    java.util.function.LongUnaryOperator raw = p -> {
      for (int i = 0; i < util.length; i++) {
        if (p <= util[i]) {
          if (i == 0) {
            return score[0];
          }
          return score[i - 1] + (score[i] - score[i - 1]) * (p - util[i - 1]) / (util[i] - util[i - 1]);
        }
      }
      return score[score.length - 1];
    };
    return (requested, allocatable) -> {
      long nodeScore = 0;
      long weightSum = 0;
      for (int i = 0; i < requested.length; i++) {
        if (allocatable[i] == 0) {
          continue;
        }
        long weight = resources.get(i).weight();
        long rs = requested[i] > allocatable[i] ? raw.applyAsLong(100)
            : raw.applyAsLong(requested[i] * 100 / allocatable[i]);
        if (rs > 0) {
          nodeScore += rs * weight;
          weightSum += weight;
        }
      }
      return weightSum == 0 ? 0 : Math.round((double) nodeScore / weightSum);
    };
  }

  @Override
  public List<ClusterEvent.WithHint> eventsToRegister() {
    return List.of(
        ClusterEvent.WithHint.of(ClusterEvent.Kind.POD, ClusterEvent.DELETE, NodeResourcesFit::isSchedulableAfterPodEvent),
        ClusterEvent.WithHint.of(ClusterEvent.Kind.NODE, ClusterEvent.ADD | ClusterEvent.UPDATE_NODE_ALLOCATABLE,
            NodeResourcesFit::isSchedulableAfterNodeChange));
  }

  /** isSchedulableAfterPodEvent: a scheduled pod went away. */
  static QueueingHint isSchedulableAfterPodEvent(PodInfo pod, Object oldObj, Object newObj) {
    if (newObj == null && oldObj instanceof io.fabric8.kubernetes.api.model.Pod deleted) {
      String node = deleted.getSpec().getNodeName();
      return node == null || node.isEmpty() ? QueueingHint.QUEUE_SKIP : QueueingHint.QUEUE;
    }
    return QueueingHint.QUEUE_SKIP;
  }

  /** isSchedulableAfterNodeChange: the (empty) node fits the pod, and it is new or grew. */
  static QueueingHint isSchedulableAfterNodeChange(PodInfo pod, Object oldObj, Object newObj) {
    Node n = (Node) newObj;
    NodeInfo modified = new NodeInfo(n);
    if (!fits(pod, modified)) {
      return QueueingHint.QUEUE_SKIP;
    }
    if (!(oldObj instanceof Node o)) {
      return QueueingHint.QUEUE;
    }
    Resource before = new NodeInfo(o).allocatable();
    Resource after = modified.allocatable();
    Resource req = pod.requests();
    if (after.allowedPodNumber > before.allowedPodNumber) {
      return QueueingHint.QUEUE;
    }
    if (req.isZero() && req.scalar.isEmpty()) {
      return QueueingHint.QUEUE_SKIP;
    }
    if ((req.milliCpu > 0 && after.milliCpu > before.milliCpu) || (req.memory > 0 && after.memory > before.memory)
        || (req.ephemeralStorage > 0 && after.ephemeralStorage > before.ephemeralStorage)) {
      return QueueingHint.QUEUE;
    }
    for (var e : req.scalar.entrySet()) {
      if (e.getValue() != 0 && after.get(e.getKey()) > before.get(e.getKey())) {
        return QueueingHint.QUEUE;
      }
    }
    return QueueingHint.QUEUE_SKIP;
  }
}
