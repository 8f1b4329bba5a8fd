package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Map;

/**
 * The extension points of the scheduling framework (pkg/scheduler/framework/interface.go), one small
 * interface each. A plugin implements those it needs; {@link Framework} calls them in a profile's order.
 */
public final class Plugins {
  private Plugins() {}

  public static final int MAX_NODE_SCORE = 100;

  public interface Plugin {
    String name();
  }

  /** Whether a pod may enter the active queue at all (e.g. scheduling gates). */
  public interface PreEnqueuePlugin extends Plugin {
    Status preEnqueue(Pod pod);
  }

  /** Orders the active queue; one per profile. */
  public interface QueueSortPlugin extends Plugin {
    boolean less(QueuedPod a, QueuedPod b);
  }

  /** What the queue knows of a pod. */
  record QueuedPod(Pod pod, long timestampNanos, int attempts) {}

  public interface PreFilterPlugin extends Plugin {
    Status preFilter(CycleState state, Pod pod, List<NodeInfo> nodes);
  }

  public interface FilterPlugin extends Plugin {
    Status filter(CycleState state, Pod pod, NodeInfo node);
  }

  /** Runs when no node fits (preemption). */
  public interface PostFilterPlugin extends Plugin {
    /** The nominated node, or null; with a status explaining the outcome. */
    PostFilterResult postFilter(CycleState state, Pod pod, Map<String, Status> filteredNodes);
  }

  record PostFilterResult(String nominatedNodeName, Status status) {}

  public interface PreScorePlugin extends Plugin {
    Status preScore(CycleState state, Pod pod, List<NodeInfo> feasible);
  }

  public interface ScorePlugin extends Plugin {
    long score(CycleState state, Pod pod, NodeInfo node);

    /** Rescales raw scores to [0, MAX_NODE_SCORE] in place; the default leaves them. */
    default void normalizeScores(CycleState state, Pod pod, Map<String, Long> scores) {}
  }

  public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, Pod pod, String nodeName);

    void unreserve(CycleState state, Pod pod, String nodeName);
  }

  public interface PermitPlugin extends Plugin {
    Status permit(CycleState state, Pod pod, String nodeName);
  }

  public interface PreBindPlugin extends Plugin {
    Status preBind(CycleState state, Pod pod, String nodeName);
  }

  /** Binding itself is asynchronous: the binder answers later through the scheduler. */
  public interface BindPlugin extends Plugin {
    java.util.concurrent.CompletionStage<Status> bind(CycleState state, Pod pod, String nodeName);
  }

  public interface PostBindPlugin extends Plugin {
    void postBind(CycleState state, Pod pod, String nodeName);
  }

  /**
   * kube's DefaultNormalizeScore: scales scores so the highest becomes MAX_NODE_SCORE (reversed: the lowest).
   */
  public static void defaultNormalize(Map<String, Long> scores, boolean reverse) {
    long max = scores.values().stream().mapToLong(Long::longValue).max().orElse(0);
    if (max == 0) {
      if (reverse) {
        scores.replaceAll((k, v) -> (long) MAX_NODE_SCORE);
      }
      return;
    }
    scores.replaceAll((k, v) -> {
      long s = MAX_NODE_SCORE * v / max;
      return reverse ? MAX_NODE_SCORE - s : s;
    });
  }
}
