package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * The extension points of the scheduling framework (pkg/scheduler/framework/interface.go), one small interface
 * each. A plugin implements those it needs; {@link Framework} calls them in a profile's order.
 */
public final class Plugins {
  private Plugins() {}

  public static final long MAX_NODE_SCORE = 100;
  public static final long MIN_NODE_SCORE = 0;

  public interface Plugin {
    String name();
  }

  /** Whether a pod may enter the active queue at all (scheduling gates). */
  public interface PreEnqueuePlugin extends Plugin {
    Status preEnqueue(Pod pod);
  }

  /** What the queue knows of a pod: framework.QueuedPodInfo, as QueueSort sees it. */
  public record QueuedPodInfo(PodInfo podInfo, long timestampNanos, int attempts) {}

  /** Orders the active queue; one per profile. */
  public interface QueueSortPlugin extends Plugin {
    boolean less(QueuedPodInfo a, QueuedPodInfo b);
  }

  /** framework.PreFilterResult: the nodes the pod may go to at all; null node names mean all nodes. */
  public record PreFilterResult(Set<String> nodeNames, Status status) {
    public static final PreFilterResult ALL_NODES = new PreFilterResult(null, Status.SUCCESS);
    public static final PreFilterResult SKIP = new PreFilterResult(null, Status.SKIP);

    public static PreFilterResult of(Status s) {
      return new PreFilterResult(null, s);
    }

    public boolean allNodes() {
      return nodeNames == null;
    }
  }

  public interface PreFilterPlugin extends Plugin {
    PreFilterResult preFilter(CycleState state, PodInfo pod, List<NodeInfo> nodes);

    /** AddPod/RemovePod, so that the state follows nominated pods and preemption victims; null if none. */
    default PreFilterExtensions preFilterExtensions() {
      return null;
    }
  }

  public interface PreFilterExtensions {
    Status addPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

    Status removePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);
  }

  /** Must be safe to call from several threads at once for different nodes. */
  public interface FilterPlugin extends Plugin {
    Status filter(CycleState state, PodInfo pod, NodeInfo node);
  }

  /** framework.PostFilterResult: the node nominated for the pod (by preemption), or none. */
  public record PostFilterResult(String nominatedNodeName, boolean clearNomination) {
    public static PostFilterResult nominated(String node) {
      return new PostFilterResult(node, false);
    }

    public static final PostFilterResult CLEAR = new PostFilterResult("", true);
  }

  /** Runs when no node fits (preemption). */
  public interface PostFilterPlugin extends Plugin {
    PostFilterOutcome postFilter(CycleState state, PodInfo pod, NodeToStatus filteredNodeStatus);
  }

  public record PostFilterOutcome(PostFilterResult result, Status status) {}

  public interface PreScorePlugin extends Plugin {
    Status preScore(CycleState state, PodInfo pod, List<NodeInfo> feasible);
  }

  /** Must be safe to call from several threads at once for different nodes. */
  public interface ScorePlugin extends Plugin {
    long score(CycleState state, PodInfo pod, NodeInfo node);

    /**
     * Scores nodes[from, to) into out[from, to): what the framework calls, a chunk of nodes per call, so that a
     * plugin can keep per-call scratch state out of the per-node path. Same results as {@link #score} per node.
     */
    default void score(CycleState state, PodInfo pod, List<NodeInfo> nodes, int from, int to, long[] out) {
      for (int i = from; i < to; i++) {
        out[i] = score(state, pod, nodes.get(i));
      }
    }

    /** ScoreExtensions.NormalizeScore: rescales raw scores (aligned with nodes) to [0, 100] in place. */
    default Status normalizeScore(CycleState state, PodInfo pod, List<NodeInfo> nodes, long[] scores) {
      return null;
    }

    default boolean hasNormalizeScore() {
      return false;
    }
  }

  public interface ReservePlugin extends Plugin {
    Status reserve(CycleState state, PodInfo pod, String nodeName);

    void unreserve(CycleState state, PodInfo pod, String nodeName);
  }

  /** Success, a rejection, or Wait with a timeout (the binding cycle then waits to be allowed or rejected). */
  public record PermitResult(Status status, java.time.Duration timeout) {}

  public interface PermitPlugin extends Plugin {
    PermitResult permit(CycleState state, PodInfo pod, String nodeName);
  }

  /** Runs in the binding cycle, off the scheduler's thread. */
  public interface PreBindPlugin extends Plugin {
    CompletionStage<Status> preBind(CycleState state, PodInfo pod, String nodeName);
  }

  /** Binding itself is asynchronous; Skip lets the next bind plugin decide. */
  public interface BindPlugin extends Plugin {
    CompletionStage<Status> bind(CycleState state, PodInfo pod, String nodeName);
  }

  public interface PostBindPlugin extends Plugin {
    void postBind(CycleState state, PodInfo pod, String nodeName);
  }

  /** EnqueueExtensions: the cluster events that may make a pod this plugin rejected schedulable. */
  public interface EnqueueExtensions extends Plugin {
    List<ClusterEvent.WithHint> eventsToRegister();
  }

  /**
   * helper.DefaultNormalizeScore: scales scores so that the highest becomes maxPriority; reversed, the lowest
   * does. All zero: unchanged, or all maxPriority when reversed.
   */
  public static void defaultNormalizeScore(long maxPriority, boolean reverse, long[] scores) {
    long max = 0;
    for (long s : scores) {
      max = Math.max(max, s);
    }
    if (max == 0) {
      if (reverse) {
        java.util.Arrays.fill(scores, maxPriority);
      }
      return;
    }
    for (int i = 0; i < scores.length; i++) {
      long s = maxPriority * scores[i] / max;
      scores[i] = reverse ? maxPriority - s : s;
    }
  }
}
