package io.kemu.scheduler.framework;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * framework.FitError: why no node fits, in kube-scheduler's words:
 * {@code 0/4 nodes are available: 3 Insufficient cpu, 1 node(s) were unschedulable.} — each node counted once
 * per distinct reason, reasons sorted, then any PreFilter or PostFilter message.
 */
public record FitError(int numAllNodes, Map<String, Status> nodeStatuses, String preFilterMessage,
                       String postFilterMessage) {

  /** ErrNoNodesAvailable: the cluster has no node at all. */
  public static final FitError NO_NODES = new FitError(0, Map.of(), null, null);

  public String message() {
    if (numAllNodes == 0) {
      return "no nodes available to schedule pods";
    }
    StringBuilder sb = new StringBuilder("0/" + numAllNodes + " nodes are available:");
    if (preFilterMessage != null && !preFilterMessage.isEmpty()) {
      sb.append(' ').append(preFilterMessage).append('.');
    } else {
      Map<String, Integer> histogram = new TreeMap<>();
      for (Status s : nodeStatuses.values()) {
        for (String reason : new java.util.LinkedHashSet<>(s.reasons())) {
          histogram.merge(reason, 1, Integer::sum);
        }
      }
      List<String> parts = new ArrayList<>();
      histogram.forEach((reason, count) -> parts.add(count + " " + reason));
      Collections.sort(parts);
      if (!parts.isEmpty()) {
        sb.append(' ').append(String.join(", ", parts)).append('.');
      }
    }
    if (postFilterMessage != null && !postFilterMessage.isEmpty()) {
      sb.append(' ').append(postFilterMessage).append('.');
    }
    return sb.toString();
  }
}
