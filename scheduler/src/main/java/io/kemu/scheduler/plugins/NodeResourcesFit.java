package io.kemu.scheduler.plugins;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Resource;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * plugins/noderesources/fit.go: a pod fits a node when its requests plus what the node's pods request stay
 * within allocatable, for CPU, memory, ephemeral storage, pod count and extended resources. Scores with
 * LeastAllocated (prefer emptier nodes) or MostAllocated, over CPU and memory with weight 1 each.
 */
public final class NodeResourcesFit implements Plugins.PreFilterPlugin, Plugins.FilterPlugin, Plugins.ScorePlugin {
  public static final String NAME = "NodeResourcesFit";
  public static final String TOO_MANY_PODS = "Too many pods";
  private static final String STATE_KEY = "PreFilter" + NAME;

  public enum ScoringStrategy { LEAST_ALLOCATED, MOST_ALLOCATED }

  private final ScoringStrategy strategy;
  private final Map<String, Integer> resourceWeights;

  public NodeResourcesFit(ScoringStrategy strategy, Map<String, Integer> resourceWeights) {
    this.strategy = strategy;
    this.resourceWeights = resourceWeights;
  }

  public static NodeResourcesFit leastAllocated() {
    return new NodeResourcesFit(ScoringStrategy.LEAST_ALLOCATED, Map.of("cpu", 1, "memory", 1));
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preFilter(CycleState state, Pod pod, List<NodeInfo> nodes) {
    state.write(STATE_KEY, Resource.podRequests(pod, false));
    return Status.SUCCESS;
  }

  @Override
  public Status filter(CycleState state, Pod pod, NodeInfo node) {
    Resource req = state.read(STATE_KEY);
    if (req == null) {
      req = Resource.podRequests(pod, false);
    }
    List<String> reasons = insufficientResources(req, node);
    return reasons.isEmpty() ? Status.SUCCESS : Status.unschedulable(reasons.toArray(String[]::new));
  }

  /** fitsRequest: the reasons a node cannot take the request, in upstream's order. */
  public static List<String> insufficientResources(Resource req, NodeInfo node) {
    List<String> reasons = new ArrayList<>();
    Resource alloc = node.allocatable();
    Resource used = node.requested();
    if (node.podCount() + 1 > alloc.allowedPodNumber) {
      reasons.add(TOO_MANY_PODS);
    }
    if (req.milliCpu == 0 && req.memory == 0 && req.ephemeralStorage == 0 && req.scalar.values().stream()
        .allMatch(v -> v == 0)) {
      return reasons;
    }
    if (req.milliCpu > 0 && req.milliCpu > alloc.milliCpu - used.milliCpu) {
      reasons.add("Insufficient cpu");
    }
    if (req.memory > 0 && req.memory > alloc.memory - used.memory) {
      reasons.add("Insufficient memory");
    }
    if (req.ephemeralStorage > 0 && req.ephemeralStorage > alloc.ephemeralStorage - used.ephemeralStorage) {
      reasons.add("Insufficient ephemeral-storage");
    }
    req.scalar.forEach((name, quantity) -> {
      if (quantity > 0 && quantity > alloc.get(name) - used.get(name)) {
        reasons.add("Insufficient " + name);
      }
    });
    return reasons;
  }

  @Override
  public long score(CycleState state, Pod pod, NodeInfo node) {
    Resource req = Resource.podRequests(pod, true);
    long weighted = 0;
    long weights = 0;
    for (Map.Entry<String, Integer> e : resourceWeights.entrySet()) {
      long alloc = node.allocatable().get(e.getKey());
      long requested = node.nonZeroRequested().get(e.getKey()) + req.get(e.getKey());
      weighted += resourceScore(requested, alloc) * e.getValue();
      weights += e.getValue();
    }
    return weights == 0 ? 0 : weighted / weights;
  }

  private long resourceScore(long requested, long capacity) {
    if (capacity == 0) {
      return 0;
    }
    if (requested > capacity) {
      return 0;
    }
    return strategy == ScoringStrategy.LEAST_ALLOCATED
        ? (capacity - requested) * MAX_SCORE / capacity
        : requested * MAX_SCORE / capacity;
  }

  private static final long MAX_SCORE = Plugins.MAX_NODE_SCORE;
}
