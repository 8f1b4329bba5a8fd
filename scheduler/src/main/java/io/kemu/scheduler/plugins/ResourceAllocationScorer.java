package io.kemu.scheduler.plugins;

import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Resource;
import java.util.List;

/**
 * noderesources/resource_allocation.go: the per-resource (requested, allocatable) vectors a scoring strategy
 * works on. {@code useRequested} false counts the non-zero defaults for CPU and memory (LeastAllocated,
 * MostAllocated); true counts exact requests (BalancedAllocation). Extended resources the pod does not request,
 * or the node does not have, are left out.
 */
final class ResourceAllocationScorer {
  /** config.ResourceSpec. */
  record ResourceSpec(String name, long weight) {}

  interface Scorer {
    long score(long[] requested, long[] allocatable);
  }

  final List<ResourceSpec> resources;
  private final boolean useRequested;
  private final Scorer scorer;
  // the resources as arrays: the score runs once per node and resource, for hundreds of nodes per pod
  private final String[] names;
  private final int[] kinds;
  private static final int CPU = 0;
  private static final int MEMORY = 1;
  private static final int EPHEMERAL = 2;
  private static final int SCALAR = 3;

  ResourceAllocationScorer(List<ResourceSpec> resources, boolean useRequested, Scorer scorer) {
    this.resources = resources;
    this.useRequested = useRequested;
    this.scorer = scorer;
    this.names = new String[resources.size()];
    this.kinds = new int[resources.size()];
    for (int i = 0; i < names.length; i++) {
      names[i] = resources.get(i).name();
      kinds[i] = switch (names[i]) {
        case "cpu" -> CPU;
        case "memory" -> MEMORY;
        case "ephemeral-storage" -> EPHEMERAL;
        default -> SCALAR;
      };
    }
  }

  /** calculatePodResourceRequestList. */
  long[] podRequests(PodInfo pod) {
    Resource r = useRequested ? pod.requests() : pod.nonZeroRequests();
    long[] out = new long[names.length];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get(names[i]);
    }
    return out;
  }

  /** The pod's request vector PreScore left in the cycle state under {@code key}, or computed now. */
  long[] podRequests(CycleState state, CycleState.Key key, PodInfo pod) {
    long[] r = state.read(key);
    return r != null ? r : podRequests(pod);
  }

  long score(NodeInfo node, long[] podRequests) {
    return score(node, podRequests, new long[names.length], new long[names.length]);
  }

  /** Scores nodes[from, to) into out, with one pair of vectors for the whole chunk. */
  void score(List<NodeInfo> nodes, int from, int to, long[] podRequests, long[] out) {
    long[] requested = new long[names.length];
    long[] allocatable = new long[names.length];
    for (int i = from; i < to; i++) {
      out[i] = score(nodes.get(i), podRequests, requested, allocatable);
    }
  }

  private long score(NodeInfo node, long[] podRequests, long[] requested, long[] allocatable) {
    Resource used = useRequested ? node.requested() : node.nonZeroRequested();
    Resource alloc = node.allocatable();
    for (int i = 0; i < names.length; i++) {
      long podRequest = podRequests[i];
      long a;
      long r;
      switch (kinds[i]) {
        case CPU -> {
          a = alloc.milliCpu;
          r = used.milliCpu + podRequest;
        }
        case MEMORY -> {
          a = alloc.memory;
          r = used.memory + podRequest;
        }
        case EPHEMERAL -> {
          a = alloc.ephemeralStorage;
          r = node.requested().ephemeralStorage + podRequest;
        }
        default -> {
          // an extended resource the pod does not request, or the node does not have, is not scored
          if (podRequest == 0 && Resource.isScalarResourceName(names[i]) || !alloc.scalar.containsKey(names[i])) {
            allocatable[i] = 0;
            requested[i] = 0;
            continue;
          }
          a = alloc.scalar.get(names[i]);
          r = node.requested().get(names[i]) + podRequest;
        }
      }
      if (a == 0) {
        allocatable[i] = 0;
        requested[i] = 0;
        continue;
      }
      allocatable[i] = a;
      requested[i] = r;
    }
    return scorer.score(requested, allocatable);
  }

  static boolean isBestEffort(long[] podRequests) {
    for (long r : podRequests) {
      if (r != 0) {
        return false;
      }
    }
    return true;
  }
}
