package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.Plugins.FilterPlugin;
import io.kemu.scheduler.framework.Plugins.PreFilterPlugin;
import io.kemu.scheduler.framework.Plugins.PreScorePlugin;
import io.kemu.scheduler.framework.Plugins.ScorePlugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.random.RandomGenerator;

/**
 * One scheduling profile (frameworkImpl): the plugins enabled at each extension point, in order, with score
 * weights. {@link #schedule} is the scheduling cycle up to choosing a node (schedulePod of schedule_one.go).
 */
public final class Framework {
  public record WeightedScore(ScorePlugin plugin, int weight) {}

  /** The outcome of a cycle: a node, or why there is none. */
  public record ScheduleResult(String node, int evaluated, int feasible, FitError fitError) {
    public boolean isSuccess() {
      return node != null;
    }
  }

  private final String profileName;
  private final List<PreFilterPlugin> preFilters;
  private final List<FilterPlugin> filters;
  private final List<PreScorePlugin> preScores;
  private final List<WeightedScore> scores;
  private final RandomGenerator random;

  public Framework(String profileName, List<PreFilterPlugin> preFilters, List<FilterPlugin> filters,
                   List<PreScorePlugin> preScores, List<WeightedScore> scores, RandomGenerator random) {
    this.profileName = profileName;
    this.preFilters = List.copyOf(preFilters);
    this.filters = List.copyOf(filters);
    this.preScores = List.copyOf(preScores);
    this.scores = List.copyOf(scores);
    this.random = random;
  }

  public String profileName() {
    return profileName;
  }

  public ScheduleResult schedule(CycleState state, Pod pod, List<NodeInfo> nodes) {
    if (nodes.isEmpty()) {
      return new ScheduleResult(null, 0, 0, FitError.NO_NODES);
    }
    for (PreFilterPlugin p : preFilters) {
      Status s = p.preFilter(state, pod, nodes);
      if (!s.isSuccess() && s.code() != Status.Code.SKIP) {
        return new ScheduleResult(null, nodes.size(), 0,
            new FitError(nodes.size(), Map.of(), String.join(", ", s.reasons()), ""));
      }
    }
    List<NodeInfo> feasible = new ArrayList<>();
    Map<String, Status> failed = new LinkedHashMap<>();
    for (NodeInfo n : nodes) {
      Status s = runFilters(state, pod, n);
      if (s.isSuccess()) {
        feasible.add(n);
      } else {
        failed.put(n.name(), s);
      }
    }
    if (feasible.isEmpty()) {
      return new ScheduleResult(null, nodes.size(), 0, new FitError(nodes.size(), failed, "", ""));
    }
    if (feasible.size() == 1) {
      return new ScheduleResult(feasible.get(0).name(), nodes.size(), 1, null);
    }
    for (PreScorePlugin p : preScores) {
      p.preScore(state, pod, feasible);
    }
    Map<String, Long> total = new HashMap<>();
    feasible.forEach(n -> total.put(n.name(), 0L));
    for (WeightedScore ws : scores) {
      Map<String, Long> s = new LinkedHashMap<>();
      for (NodeInfo n : feasible) {
        s.put(n.name(), ws.plugin().score(state, pod, n));
      }
      ws.plugin().normalizeScores(state, pod, s);
      s.forEach((node, score) -> total.merge(node, score * ws.weight(), Long::sum));
    }
    return new ScheduleResult(selectHost(feasible, total), nodes.size(), feasible.size(), null);
  }

  /** Filters in order; the first rejection decides (RunFilterPlugins). */
  public Status runFilters(CycleState state, Pod pod, NodeInfo node) {
    for (FilterPlugin f : filters) {
      Status s = f.filter(state, pod, node);
      if (!s.isSuccess()) {
        return s.withPlugin(f.name());
      }
    }
    return Status.SUCCESS;
  }

  /** The highest total; ties are broken uniformly at random (reservoir sampling, as selectHost does). */
  private String selectHost(List<NodeInfo> feasible, Map<String, Long> total) {
    String best = null;
    long bestScore = Long.MIN_VALUE;
    int ties = 0;
    for (NodeInfo n : feasible) {
      long s = total.get(n.name());
      if (s > bestScore) {
        best = n.name();
        bestScore = s;
        ties = 1;
      } else if (s == bestScore) {
        ties++;
        if (random.nextInt(ties) == 0) {
          best = n.name();
        }
      }
    }
    return best;
  }
}
