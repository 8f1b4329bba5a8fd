package io.kemu.controller;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kemu.api.KubeJson;
import io.kemu.api.client.cache.Keys;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** pkg/api/v1/pod (IsPodReady, IsPodAvailable) and pkg/controller's pod helpers (IsPodActive, ActivePods...). */
public final class PodUtil {
  private PodUtil() {}

  public static PodCondition condition(Pod pod, String type) {
    if (pod.getStatus() == null || pod.getStatus().getConditions() == null) {
      return null;
    }
    for (PodCondition c : pod.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  public static boolean isPodReady(Pod pod) {
    PodCondition c = condition(pod, "Ready");
    return c != null && "True".equals(c.getStatus());
  }

  /**
   * Ready for at least minReadySeconds, judged on the Ready condition's lastTransitionTime; {@code minReady} is the
   * real duration (the emulated seconds through the time scale).
   */
  public static boolean isPodAvailable(Pod pod, Duration minReady, Instant now) {
    if (!isPodReady(pod)) {
      return false;
    }
    if (minReady.isZero()) {
      return true;
    }
    Instant since = KubeJson.parseTime(condition(pod, "Ready").getLastTransitionTime());
    return since != null && since.plus(minReady).isBefore(now);
  }

  public static String phase(Pod pod) {
    return pod.getStatus() == null || pod.getStatus().getPhase() == null ? "" : pod.getStatus().getPhase();
  }

  public static boolean isTerminal(Pod pod) {
    String p = phase(pod);
    return p.equals("Succeeded") || p.equals("Failed");
  }

  /** controller.IsPodActive: not Succeeded, not Failed, not being deleted. */
  public static boolean isPodActive(Pod pod) {
    return !isTerminal(pod) && pod.getMetadata().getDeletionTimestamp() == null;
  }

  public static List<Pod> filterActivePods(Collection<Pod> pods) {
    List<Pod> out = new ArrayList<>();
    for (Pod p : pods) {
      if (isPodActive(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** controller.PodKey. */
  public static String key(Pod pod) {
    return Keys.key(pod);
  }

  static int phaseOrdinal(Pod pod) {
    return switch (phase(pod)) {
      case "Pending" -> 0;
      case "Unknown" -> 1;
      case "Running" -> 2;
      default -> -1;
    };
  }

  static int maxContainerRestarts(Pod pod) {
    int max = 0;
    if (pod.getStatus() != null && pod.getStatus().getContainerStatuses() != null) {
      for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
        max = Math.max(max, s.getRestartCount() == null ? 0 : s.getRestartCount());
      }
    }
    return max;
  }

  static Instant readyTime(Pod pod) {
    PodCondition c = condition(pod, "Ready");
    return c == null ? null : KubeJson.parseTime(c.getLastTransitionTime());
  }

  static long deletionCost(Pod pod) {
    Map<String, String> a = pod.getMetadata().getAnnotations();
    String v = a == null ? null : a.get("controller.kubernetes.io/pod-deletion-cost");
    try {
      return v == null ? 0 : Long.parseLong(v);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** logarithmicRankDiff: compares ages on a log2 scale, so that pods of similar age count as equals. */
  static int logarithmicRankDiff(Instant t1, Instant t2, Instant now) {
    long d1 = t1 == null ? 0 : Duration.between(t1, now).toNanos();
    long d2 = t2 == null ? 0 : Duration.between(t2, now).toNanos();
    int r1 = d1 > 0 ? (int) (Math.log(d1) / Math.log(2)) : -1;
    int r2 = d2 > 0 ? (int) (Math.log(d2) / Math.log(2)) : -1;
    return r1 - r2;
  }

  /**
   * controller.ActivePodsWithRanks' order (LogarithmicScaleDown and PodDeletionCost on, as in 1.32): the pods to
   * delete first come first. {@code rank}: how many related pods share the pod's node.
   */
  public static Comparator<Pod> deletionOrder(Map<Pod, Integer> rank, Instant now) {
    return (a, b) -> {
      String na = a.getSpec().getNodeName() == null ? "" : a.getSpec().getNodeName();
      String nb = b.getSpec().getNodeName() == null ? "" : b.getSpec().getNodeName();
      // 1. Unassigned < assigned
      if (!na.equals(nb) && (na.isEmpty() || nb.isEmpty())) {
        return na.isEmpty() ? -1 : 1;
      }
      // 2. PodPending < PodUnknown < PodRunning
      if (phaseOrdinal(a) != phaseOrdinal(b)) {
        return Integer.compare(phaseOrdinal(a), phaseOrdinal(b));
      }
      // 3. Not ready < ready
      if (isPodReady(a) != isPodReady(b)) {
        return isPodReady(a) ? 1 : -1;
      }
      // 4. Lower pod-deletion-cost < higher
      if (deletionCost(a) != deletionCost(b)) {
        return Long.compare(deletionCost(a), deletionCost(b));
      }
      // 5. Doubled up < not doubled up
      int ra = rank.getOrDefault(a, 0);
      int rb = rank.getOrDefault(b, 0);
      if (ra != rb) {
        return ra > rb ? -1 : 1;
      }
      // 6. Been ready for a shorter time < longer
      if (isPodReady(a) && isPodReady(b)) {
        Instant ta = readyTime(a);
        Instant tb = readyTime(b);
        if (ta != null && tb != null && !ta.equals(tb)) {
          int diff = logarithmicRankDiff(ta, tb, now);
          if (diff != 0) {
            return diff < 0 ? -1 : 1;
          }
          return uidOrder(a, b);
        }
      }
      // 7. Higher restart counts < lower
      if (maxContainerRestarts(a) != maxContainerRestarts(b)) {
        return maxContainerRestarts(a) > maxContainerRestarts(b) ? -1 : 1;
      }
      // 8. Newer < older
      Instant ca = KubeJson.parseTime(a.getMetadata().getCreationTimestamp());
      Instant cb = KubeJson.parseTime(b.getMetadata().getCreationTimestamp());
      if (ca != null && cb != null && !ca.equals(cb)) {
        int diff = logarithmicRankDiff(ca, cb, now);
        if (diff != 0) {
          return diff < 0 ? -1 : 1;
        }
        return uidOrder(a, b);
      }
      return 0;
    };
  }

  private static int uidOrder(Pod a, Pod b) {
    String ua = a.getMetadata().getUid() == null ? "" : a.getMetadata().getUid();
    String ub = b.getMetadata().getUid() == null ? "" : b.getMetadata().getUid();
    return ua.compareTo(ub);
  }

  /**
   * getPodsToDelete: the {@code diff} pods to delete first, ranked by how many related pods (the controller's
   * own and its siblings') run on the same node.
   */
  public static List<Pod> podsToDelete(List<Pod> filtered, List<Pod> related, int diff, Instant now) {
    if (diff >= filtered.size()) {
      return new ArrayList<>(filtered);
    }
    Map<String, Integer> onNode = new HashMap<>();
    for (Pod p : related) {
      if (isPodActive(p) && p.getSpec().getNodeName() != null) {
        onNode.merge(p.getSpec().getNodeName(), 1, Integer::sum);
      }
    }
    Map<Pod, Integer> rank = new java.util.IdentityHashMap<>();
    for (Pod p : filtered) {
      rank.put(p, p.getSpec().getNodeName() == null ? 0 : onNode.getOrDefault(p.getSpec().getNodeName(), 0));
    }
    List<Pod> sorted = new ArrayList<>(filtered);
    sorted.sort(deletionOrder(rank, now));
    return new ArrayList<>(sorted.subList(0, diff));
  }
}
