package io.kemu.scheduler.plugins;

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

  ResourceAllocationScorer(List<ResourceSpec> resources, boolean useRequested, Scorer scorer) {
    this.resources = resources;
    this.useRequested = useRequested;
    this.scorer = scorer;
  }

  /** calculatePodResourceRequestList. */
  long[] podRequests(PodInfo pod) {
    Resource r = useRequested ? pod.requests() : pod.nonZeroRequests();
    long[] out = new long[resources.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = r.get(resources.get(i).name());
    }
    return out;
  }

  long score(NodeInfo node, long[] podRequests) {
    long[] requested = new long[resources.size()];
    long[] allocatable = new long[resources.size()];
    for (int i = 0; i < resources.size(); i++) {
      String name = resources.get(i).name();
      long podRequest = podRequests[i];
      Resource used = useRequested ? node.requested() : node.nonZeroRequested();
      long alloc;
      long req;
      if (podRequest == 0 && Resource.isScalarResourceName(name)) {
        continue;
      }
      switch (name) {
        case "cpu" -> {
          alloc = node.allocatable().milliCpu;
          req = used.milliCpu + podRequest;
        }
        case "memory" -> {
          alloc = node.allocatable().memory;
          req = used.memory + podRequest;
        }
        case "ephemeral-storage" -> {
          alloc = node.allocatable().ephemeralStorage;
          req = node.requested().ephemeralStorage + podRequest;
        }
        default -> {
          if (!node.allocatable().scalar.containsKey(name)) {
            continue;
          }
          alloc = node.allocatable().scalar.get(name);
          req = node.requested().get(name) + podRequest;
        }
      }
      if (alloc == 0) {
        continue;
      }
      allocatable[i] = alloc;
      requested[i] = req;
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
