package io.kemu.scheduler.plugins;

import com.typesafe.config.Config;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.FitError;
import io.kemu.scheduler.framework.Handle;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.NodeToStatus;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.PostFilterOutcome;
import io.kemu.scheduler.framework.Plugins.PostFilterResult;
import io.kemu.scheduler.framework.Status;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToLongFunction;

/**
 * plugins/defaultpreemption with framework/preemption's Evaluator: when no node fits, find nodes where removing
 * lower-priority pods would make room (dry runs on copies, reprieving as many victims as possible, PDB-violating
 * ones first), pick one as kube-scheduler does (fewest PDB violations, lowest highest victim priority, smallest
 * priority sum, fewest victims, latest start), delete its victims and nominate the node for the pod.
 */
public final class DefaultPreemption implements Plugins.PostFilterPlugin {
  public static final String NAME = "DefaultPreemption";

  private final Handle handle;
  private final int minCandidateNodesPercentage;
  private final int minCandidateNodesAbsolute;

  /** The victims of one candidate node. */
  public record Candidate(String name, List<Pod> victims, int numPdbViolations) {}

  public DefaultPreemption(Handle handle, int minCandidateNodesPercentage, int minCandidateNodesAbsolute) {
    this.handle = handle;
    this.minCandidateNodesPercentage = minCandidateNodesPercentage;
    this.minCandidateNodesAbsolute = minCandidateNodesAbsolute;
  }

  /** DefaultPreemptionArgs: minCandidateNodesPercentage (10), minCandidateNodesAbsolute (100). */
  public static DefaultPreemption fromArgs(Handle handle, Config args) {
    return new DefaultPreemption(handle,
        args.hasPath("minCandidateNodesPercentage") ? args.getInt("minCandidateNodesPercentage") : 10,
        args.hasPath("minCandidateNodesAbsolute") ? args.getInt("minCandidateNodesAbsolute") : 100);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public PostFilterOutcome postFilter(CycleState state, PodInfo pod, NodeToStatus m) {
    PostFilterOutcome o = preempt(state, pod, m);
    String msg = o.status() == null ? "" : o.status().message();
    if (!msg.isEmpty()) {
      return new PostFilterOutcome(o.result(), new Status(o.status().code(), List.of("preemption: " + msg),
          o.status().plugin()));
    }
    return o;
  }

  /** Evaluator.Preempt. */
  PostFilterOutcome preempt(CycleState state, PodInfo podInfo, NodeToStatus m) {
    Pod latest = handle.listers().pod(podInfo.namespace(), podInfo.name());
    PodInfo pod = latest == null ? podInfo : PodInfo.of(latest);
    String nominated = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
    String notEligible = podEligibleToPreemptOthers(pod, nominated == null ? null : m.get(nominated));
    if (notEligible != null) {
      return new PostFilterOutcome(null, Status.unschedulable(notEligible));
    }
    List<NodeInfo> allNodes = handle.snapshot().list();
    if (allNodes.isEmpty()) {
      return new PostFilterOutcome(null, Status.error("no nodes available"));
    }
    List<NodeInfo> potentialNodes = m.nodesForStatusCode(handle.snapshot(), Status.Code.UNSCHEDULABLE);
    List<Candidate> candidates = new ArrayList<>();
    NodeToStatus nodeStatuses = new NodeToStatus();
    if (potentialNodes.isEmpty()) {
      if (nominated != null && !nominated.isEmpty() && handle.api() != null) {
        handle.api().clearNominatedNodeName(pod.pod());
      }
    } else {
      List<PodDisruptionBudget> pdbs = handle.listers().podDisruptionBudgets();
      int offset = java.util.concurrent.ThreadLocalRandom.current().nextInt(potentialNodes.size());
      candidates = dryRunPreemption(state, pod, potentialNodes, pdbs, offset,
          numCandidates(potentialNodes.size()), nodeStatuses);
    }
    if (candidates.isEmpty()) {
      FitError.Diagnosis d = new FitError.Diagnosis(nodeStatuses);
      nodeStatuses.setAbsentNodesStatus(Status.unresolvable("Preemption is not helpful for scheduling"));
      return new PostFilterOutcome(PostFilterResult.CLEAR,
          Status.unschedulable(new FitError(allNodes.size(), d).message()));
    }
    Candidate best = selectCandidate(candidates);
    if (best == null || best.name().isEmpty()) {
      return new PostFilterOutcome(null, Status.unschedulable("no candidate node for preemption"));
    }
    prepareCandidate(best, pod);
    return new PostFilterOutcome(PostFilterResult.nominated(best.name()), Status.SUCCESS);
  }

  /** calculateNumCandidates: 10 % of the nodes, at least 100, at most all. */
  int numCandidates(int numNodes) {
    int n = numNodes * minCandidateNodesPercentage / 100;
    if (n < minCandidateNodesAbsolute) {
      n = minCandidateNodesAbsolute;
    }
    return Math.min(n, numNodes);
  }

  /** PodEligibleToPreemptOthers: null if eligible, else why not. */
  String podEligibleToPreemptOthers(PodInfo pod, Status nominatedNodeStatus) {
    if ("Never".equals(pod.pod().getSpec().getPreemptionPolicy())) {
      return "not eligible due to preemptionPolicy=Never.";
    }
    String nom = pod.pod().getStatus() == null ? null : pod.pod().getStatus().getNominatedNodeName();
    if (nom != null && !nom.isEmpty()) {
      if (nominatedNodeStatus != null && nominatedNodeStatus.code() == Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE) {
        return null;
      }
      NodeInfo n = handle.snapshot().get(nom);
      if (n != null) {
        for (PodInfo p : n.pods()) {
          if (p.priority() < pod.priority() && podTerminatingByPreemption(p.pod())) {
            return "not eligible due to a terminating pod on the nominated node.";
          }
        }
      }
    }
    return null;
  }

  static boolean podTerminatingByPreemption(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() == null || p.getStatus() == null
        || p.getStatus().getConditions() == null) {
      return false;
    }
    for (PodCondition c : p.getStatus().getConditions()) {
      if ("DisruptionTarget".equals(c.getType()) && "True".equals(c.getStatus())
          && "PreemptionByScheduler".equals(c.getReason())) {
        return true;
      }
    }
    return false;
  }

  /** DryRunPreemption: victims per node on copies, until enough candidates (one non-violating at least). */
  List<Candidate> dryRunPreemption(CycleState state, PodInfo pod, List<NodeInfo> potentialNodes,
                                   List<PodDisruptionBudget> pdbs, int offset, int numCandidates,
                                   NodeToStatus nodeStatuses) {
    List<Candidate> nonViolating = new ArrayList<>();
    List<Candidate> violating = new ArrayList<>();
    for (int i = 0; i < potentialNodes.size(); i++) {
      NodeInfo nodeCopy = potentialNodes.get((offset + i) % potentialNodes.size()).copy();
      CycleState stateCopy = state.copy();
      VictimsResult r = selectVictimsOnNode(stateCopy, pod, nodeCopy, pdbs);
      if (r.status().isSuccess() && !r.victims().isEmpty()) {
        Candidate c = new Candidate(nodeCopy.name(), r.victims(), r.numViolating());
        if (r.numViolating() == 0) {
          nonViolating.add(c);
        } else {
          violating.add(c);
        }
        if (!nonViolating.isEmpty() && nonViolating.size() + violating.size() >= numCandidates) {
          break;
        }
        continue;
      }
      Status s = r.status();
      if (s.isSuccess()) {
        s = Status.error("expected at least one victim pod on node \"" + nodeCopy.name() + "\"");
      }
      nodeStatuses.set(nodeCopy.name(), s);
    }
    List<Candidate> all = new ArrayList<>(nonViolating);
    all.addAll(violating);
    return all;
  }

  record VictimsResult(List<Pod> victims, int numViolating, Status status) {}

  /** SelectVictimsOnNode. */
  VictimsResult selectVictimsOnNode(CycleState state, PodInfo pod, NodeInfo nodeInfo,
                                    List<PodDisruptionBudget> pdbs) {
    List<PodInfo> potentialVictims = new ArrayList<>();
    for (PodInfo p : new ArrayList<>(nodeInfo.pods())) {
      if (p.priority() < pod.priority()) {
        potentialVictims.add(p);
        nodeInfo.removePod(p.uid());
        Status s = handle.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
        if (!s.isSuccess()) {
          return new VictimsResult(List.of(), 0, s);
        }
      }
    }
    if (potentialVictims.isEmpty()) {
      return new VictimsResult(List.of(), 0, Status.unresolvable("No preemption victims found for incoming pod"));
    }
    Status fits = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo);
    if (!fits.isSuccess()) {
      return new VictimsResult(List.of(), 0, fits);
    }
    potentialVictims.sort(MORE_IMPORTANT_FIRST);
    List<List<PodInfo>> split = filterPodsWithPdbViolation(potentialVictims, pdbs);
    List<Pod> victims = new ArrayList<>();
    int numViolating = 0;
    for (PodInfo p : split.get(0)) {
      if (!reprieve(state, pod, nodeInfo, p, victims)) {
        numViolating++;
      }
    }
    for (PodInfo p : split.get(1)) {
      reprieve(state, pod, nodeInfo, p, victims);
    }
    if (!split.get(0).isEmpty() && !split.get(1).isEmpty()) {
      victims.sort((a, b) -> MORE_IMPORTANT_FIRST.compare(PodInfo.of(a), PodInfo.of(b)));
    }
    return new VictimsResult(victims, numViolating, Status.SUCCESS);
  }

  /** Puts the pod back; if the preemptor no longer fits, it stays a victim. True if reprieved. */
  private boolean reprieve(CycleState state, PodInfo pod, NodeInfo nodeInfo, PodInfo p, List<Pod> victims) {
    nodeInfo.addPod(p);
    handle.runPreFilterExtensionAddPod(state, pod, p, nodeInfo);
    boolean fits = handle.runFilterPluginsWithNominatedPods(state, pod, nodeInfo).isSuccess();
    if (!fits) {
      nodeInfo.removePod(p.uid());
      handle.runPreFilterExtensionRemovePod(state, pod, p, nodeInfo);
      victims.add(p.pod());
    }
    return fits;
  }

  /** util.MoreImportantPod: higher priority, then the earlier start. */
  static final Comparator<PodInfo> MORE_IMPORTANT_FIRST = (a, b) -> {
    if (a.priority() != b.priority()) {
      return a.priority() > b.priority() ? -1 : 1;
    }
    return startTime(a.pod()).compareTo(startTime(b.pod()));
  };

  static Instant startTime(Pod p) {
    if (p.getStatus() != null && p.getStatus().getStartTime() != null) {
      try {
        return Instant.parse(p.getStatus().getStartTime());
      } catch (RuntimeException e) {
        // fall through
      }
    }
    return Instant.now();
  }

  /** filterPodsWithPDBViolation: [violating, nonViolating], each in the given order. */
  static List<List<PodInfo>> filterPodsWithPdbViolation(List<PodInfo> pods, List<PodDisruptionBudget> pdbs) {
    int[] allowed = new int[pdbs.size()];
    for (int i = 0; i < pdbs.size(); i++) {
      PodDisruptionBudget pdb = pdbs.get(i);
      allowed[i] = pdb.getStatus() == null || pdb.getStatus().getDisruptionsAllowed() == null ? 0
          : pdb.getStatus().getDisruptionsAllowed();
    }
    List<PodInfo> violating = new ArrayList<>();
    List<PodInfo> nonViolating = new ArrayList<>();
    for (PodInfo pi : pods) {
      Pod pod = pi.pod();
      boolean violated = false;
      Map<String, String> labels = pod.getMetadata().getLabels();
      if (labels != null && !labels.isEmpty()) {
        for (int i = 0; i < pdbs.size(); i++) {
          PodDisruptionBudget pdb = pdbs.get(i);
          if (!pod.getMetadata().getNamespace().equals(pdb.getMetadata().getNamespace())) {
            continue;
          }
          LabelSelector sel;
          try {
            sel = LabelSelector.fromLabelSelector(pdb.getSpec() == null ? null : pdb.getSpec().getSelector());
          } catch (RuntimeException e) {
            continue;
          }
          if (sel.isEmpty() || !sel.matches(labels)) {
            continue;
          }
          if (pdb.getStatus() != null && pdb.getStatus().getDisruptedPods() != null
              && pdb.getStatus().getDisruptedPods().containsKey(pod.getMetadata().getName())) {
            continue;
          }
          allowed[i]--;
          if (allowed[i] < 0) {
            violated = true;
          }
        }
      }
      (violated ? violating : nonViolating).add(pi);
    }
    return List.of(violating, nonViolating);
  }

  /** SelectCandidate with pickOneNodeForPreemption's tie-breakers, in order. */
  static Candidate selectCandidate(List<Candidate> candidates) {
    if (candidates.isEmpty()) {
      return null;
    }
    if (candidates.size() == 1) {
      return candidates.get(0);
    }
    Map<String, Candidate> byNode = new LinkedHashMap<>();
    for (Candidate c : candidates) {
      byNode.put(c.name(), c);
    }
    List<ToLongFunction<Candidate>> scoreFuncs = List.of(
        c -> -c.numPdbViolations(),
        c -> -(long) priority(c.victims().get(0)),
        c -> {
          long sum = 0;
          for (Pod p : c.victims()) {
            sum += (long) priority(p) + (long) Integer.MAX_VALUE + 1;
          }
          return -sum;
        },
        c -> -(long) c.victims().size(),
        c -> {
          Instant earliest = earliestStartTimeOfHighestPriorityVictims(c.victims());
          return earliest == null ? Long.MIN_VALUE : earliest.getEpochSecond() * 1_000_000_000L + earliest.getNano();
        });
    List<Candidate> all = new ArrayList<>(byNode.values());
    for (ToLongFunction<Candidate> f : scoreFuncs) {
      List<Candidate> selected = new ArrayList<>();
      long max = Long.MIN_VALUE;
      for (Candidate c : all) {
        long s = f.applyAsLong(c);
        if (s > max) {
          max = s;
          selected.clear();
        }
        if (s == max) {
          selected.add(c);
        }
      }
      if (selected.size() == 1) {
        return selected.get(0);
      }
      all = selected;
    }
    return all.get(0);
  }

  private static int priority(Pod p) {
    return p.getSpec().getPriority() == null ? 0 : p.getSpec().getPriority();
  }

  /** util.GetEarliestPodStartTime: the earliest start among the victims of the highest priority. */
  static Instant earliestStartTimeOfHighestPriorityVictims(List<Pod> victims) {
    if (victims.isEmpty()) {
      return null;
    }
    int highest = Integer.MIN_VALUE;
    for (Pod p : victims) {
      highest = Math.max(highest, priority(p));
    }
    Instant earliest = null;
    for (Pod p : victims) {
      if (priority(p) == highest) {
        Instant t = startTime(p);
        if (earliest == null || t.isBefore(earliest)) {
          earliest = t;
        }
      }
    }
    return earliest;
  }

  /**
   * prepareCandidate: delete the victims (with the DisruptionTarget condition; asynchronously, the cycle does
   * not wait) and clear the nomination of lower-priority pods nominated to the node.
   */
  void prepareCandidate(Candidate c, PodInfo pod) {
    if (handle.api() == null) {
      return;
    }
    for (Pod victim : c.victims()) {
      if (victim.getMetadata().getDeletionTimestamp() == null) {
        handle.api().preemptVictim(victim, pod.pod(), c.name());
      }
    }
    for (PodInfo p : handle.nominator().nominatedPodsForNode(c.name())) {
      if (p.priority() < pod.priority()) {
        handle.api().clearNominatedNodeName(p.pod());
      }
    }
  }
}
