package io.kemu.scheduler.plugins;

import com.typesafe.config.Config;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Status;
import java.util.List;

/**
 * noderesources/balanced_allocation.go: prefers nodes whose resource fractions (requested / allocatable, with this
 * pod) are close to each other: score = (1 - standard deviation) * 100. Best-effort pods skip it.
 */
public final class NodeResourcesBalancedAllocation implements Plugins.PreScorePlugin, Plugins.ScorePlugin {
  public static final String NAME = "NodeResourcesBalancedAllocation";
  private static final CycleState.Key PRE_SCORE_STATE_KEY = CycleState.key("PreScore" + NAME);

  private final ResourceAllocationScorer scorer;

  public NodeResourcesBalancedAllocation(List<ResourceAllocationScorer.ResourceSpec> resources) {
    this.scorer = new ResourceAllocationScorer(resources, true, NodeResourcesBalancedAllocation::balancedResourceScorer);
  }

  public static NodeResourcesBalancedAllocation withDefaults() {
    return new NodeResourcesBalancedAllocation(NodeResourcesFit.defaultResources());
  }

  /** NodeResourcesBalancedAllocationArgs: resources [{name, weight}] (weights are not used by the formula). */
  public static NodeResourcesBalancedAllocation fromArgs(Config args) {
    return new NodeResourcesBalancedAllocation(args.hasPath("resources")
        ? NodeResourcesFit.resourceSpecs(args.getConfigList("resources")) : NodeResourcesFit.defaultResources());
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Status preScore(CycleState state, PodInfo pod, List<NodeInfo> nodes) {
    long[] podRequests = scorer.podRequests(pod);
    if (ResourceAllocationScorer.isBestEffort(podRequests)) {
      // Best-effort pods would all pile onto one node (kubernetes#129138).
      return Status.SKIP;
    }
    state.write(PRE_SCORE_STATE_KEY, podRequests);
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

  static long balancedResourceScorer(long[] requested, long[] allocatable) {
    double[] fractions = new double[requested.length];
    int n = 0;
    double total = 0;
    for (int i = 0; i < requested.length; i++) {
      if (allocatable[i] == 0) {
        continue;
      }
      double f = (double) requested[i] / (double) allocatable[i];
      if (f > 1) {
        f = 1;
      }
      total += f;
      fractions[n++] = f;
    }
    double std = 0;
    if (n == 2) {
      std = Math.abs((fractions[0] - fractions[1]) / 2);
    } else if (n > 2) {
      double mean = total / n;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        sum += (fractions[i] - mean) * (fractions[i] - mean);
      }
      std = Math.sqrt(sum / n);
    }
    return (long) ((1 - std) * Plugins.MAX_NODE_SCORE);
  }
}
