package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfos;
import static io.kemu.scheduler.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.kemu.scheduler.config.PluginRegistry;
import io.kemu.scheduler.config.Profiles;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins.PostFilterOutcome;
import io.kemu.scheduler.framework.Snapshot;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * DefaultPreemption (default_preemption_test.go: TestPostFilter, TestSelectNodesForPreemption,
 * TestPickOneNodeForPreemption) through the default profile, as the scheduling cycle runs it.
 */
class DefaultPreemptionTest {
  static Node node(String name, String cpu) {
    return makeNode().name(name).label("kubernetes.io/hostname", name).capacity(res("cpu", cpu, "memory", "1Gi",
        "pods", "110")).obj();
  }

  static Pod pod(String name, String node, int priority, String cpu) {
    return makePod().name(name).node(node).priority(priority).req(res("cpu", cpu)).obj();
  }

  record Outcome(String message, PostFilterOutcome postFilter) {}

  static Outcome schedule(Pod preemptor, List<Node> nodes, List<Pod> existing, List<PodDisruptionBudget> pdbs) {
    Framework.Environment env = new Framework.Environment(new io.kemu.scheduler.framework.Handle.Listers() {
      public Pod pod(String namespace, String name) {
        return null;
      }

      public java.util.Map<String, String> namespaceLabels(String namespace) {
        return null;
      }

      public java.util.Set<String> namespacesMatching(io.kemu.api.selectors.LabelSelector selector) {
        return java.util.Set.of();
      }

      public List<io.fabric8.kubernetes.api.model.Service> services(String namespace) {
        return List.of();
      }

      public io.fabric8.kubernetes.api.model.ReplicationController replicationController(String ns, String name) {
        return null;
      }

      public io.fabric8.kubernetes.api.model.apps.ReplicaSet replicaSet(String ns, String name) {
        return null;
      }

      public io.fabric8.kubernetes.api.model.apps.StatefulSet statefulSet(String ns, String name) {
        return null;
      }

      public List<PodDisruptionBudget> podDisruptionBudgets() {
        return pdbs;
      }
    }, io.kemu.scheduler.framework.Handle.Nominator.NONE, io.kemu.scheduler.framework.Parallelizer.SEQUENTIAL, null,
        new java.util.Random(1), 0);
    Framework fw = Profiles.build(ConfigFactory.parseString("schedulerName = default-scheduler"),
        PluginRegistry.inTree(), env);
    fw.setSnapshot(Snapshot.of(nodeInfos(nodes, existing)));
    CycleState state = new CycleState();
    PodInfo pi = PodInfo.of(preemptor);
    try {
      fw.schedulePod(state, pi);
      return new Outcome("scheduled", null);
    } catch (Framework.ScheduleFailure f) {
      PostFilterOutcome o = fw.runPostFilterPlugins(state, pi, f.fitError().diagnosis().nodeToStatus);
      f.fitError().diagnosis().postFilterMsg = o.status().message();
      return new Outcome(f.fitError().message(), o);
    }
  }

  @Test
  void noPreemptionVictimsFoundForIncomingPod() {
    Outcome o = schedule(pod("p", null, 100, "1"), List.of(node("node1", "1"), node("node2", "1")),
        List.of(pod("a", "node1", 100, "1"), pod("b", "node2", 200, "1")), List.of());
    assertEquals("0/2 nodes are available: 2 Insufficient cpu. preemption: 0/2 nodes are available: "
        + "2 No preemption victims found for incoming pod..", o.message());
    assertEquals(Status.Code.UNSCHEDULABLE, o.postFilter().status().code());
    assertEquals("", o.postFilter().result().nominatedNodeName());
  }

  @Test
  void preemptionIsNotHelpfulWhenFiltersRejectForGood() {
    Node cordoned = makeNode().name("node1").unschedulable().capacity(res("cpu", "1", "pods", "110")).obj();
    Outcome o = schedule(pod("p", null, 100, "1"), List.of(cordoned), List.of(), List.of());
    assertEquals("0/1 nodes are available: 1 node(s) were unschedulable. preemption: 0/1 nodes are available: "
        + "1 Preemption is not helpful for scheduling..", o.message());
  }

  @Test
  void aLowerPriorityPodIsPreemptedAndTheNodeNominated() {
    Outcome o = schedule(pod("p", null, 100, "1"), List.of(node("node1", "1"), node("node2", "1")),
        List.of(pod("low", "node1", 0, "1"), pod("high", "node2", 1000, "1")), List.of());
    assertEquals(Status.Code.SUCCESS, o.postFilter().status().code());
    assertEquals("node1", o.postFilter().result().nominatedNodeName());
    assertEquals("0/2 nodes are available: 2 Insufficient cpu.", o.message());
  }

  @Test
  void preemptionPolicyNeverIsNotEligible() {
    Pod p = pod("p", null, 100, "1");
    p.getSpec().setPreemptionPolicy("Never");
    Outcome o = schedule(p, List.of(node("node1", "1")), List.of(pod("low", "node1", 0, "1")), List.of());
    assertEquals("0/1 nodes are available: 1 Insufficient cpu. preemption: not eligible due to "
        + "preemptionPolicy=Never..", o.message());
    assertNull(o.postFilter().result());
  }

  @Test
  void asFewVictimsAsPossibleHigherPrioritiesReprievedFirst() {
    Framework fw = Profiles.build(ConfigFactory.parseString("schedulerName = x"), PluginRegistry.inTree(),
        Framework.Environment.forTests());
    List<Node> nodes = List.of(node("node1", "3"));
    List<Pod> existing = List.of(pod("p1", "node1", 1, "1"), pod("p2", "node1", 2, "1"), pod("p3", "node1", 3, "1"));
    fw.setSnapshot(Snapshot.of(nodeInfos(nodes, existing)));
    DefaultPreemption dp = new DefaultPreemption(fw, 10, 100);
    CycleState state = new CycleState();
    PodInfo preemptor = PodInfo.of(pod("p", null, 10, "1"));
    fw.runPreFilterPlugins(state, preemptor, fw.snapshot().list());
    var r = dp.selectVictimsOnNode(state, preemptor, fw.snapshot().get("node1").copy(), List.of());
    assertEquals(Status.Code.SUCCESS, r.status().code());
    assertEquals(List.of("p1"), r.victims().stream().map(v -> v.getMetadata().getName()).toList());
  }

  @Test
  void pdbViolatingVictimsAreCountedAndReprievedFirst() {
    Pod a = makePod().name("a").node("node1").priority(1).label("app", "db").req(res("cpu", "1")).obj();
    Pod b = makePod().name("b").node("node1").priority(1).req(res("cpu", "1")).obj();
    PodDisruptionBudget pdb = new PodDisruptionBudgetBuilder().withNewMetadata().withName("db").withNamespace("default")
        .endMetadata().withNewSpec().withSelector(new LabelSelectorBuilder().addToMatchLabels("app", "db").build())
        .endSpec().withNewStatus().withDisruptionsAllowed(0).endStatus().build();
    var split = DefaultPreemption.filterPodsWithPdbViolation(List.of(PodInfo.of(a), PodInfo.of(b)), List.of(pdb));
    assertEquals(List.of("a"), split.get(0).stream().map(PodInfo::name).toList());
    assertEquals(List.of("b"), split.get(1).stream().map(PodInfo::name).toList());
    // preemptor needs 1 of 2 cpus: the violating pod is reprieved first, the other one goes
    Outcome o = schedule(pod("p", null, 10, "1"), List.of(node("node1", "2")), List.of(a, b), List.of(pdb));
    assertEquals("node1", o.postFilter().result().nominatedNodeName());
  }

  // ---- pickOneNodeForPreemption

  static DefaultPreemption.Candidate candidate(String node, int pdbViolations, Pod... victims) {
    return new DefaultPreemption.Candidate(node, List.of(victims), pdbViolations);
  }

  @Test
  void fewestPdbViolationsWins() {
    assertEquals("node2", DefaultPreemption.selectCandidate(List.of(candidate("node1", 1, pod("a", "node1", 1, "1")),
        candidate("node2", 0, pod("b", "node2", 5, "1")))).name());
  }

  @Test
  void lowestHighestPriorityVictimWins() {
    assertEquals("node2", DefaultPreemption.selectCandidate(List.of(candidate("node1", 0, pod("a", "node1", 10, "1")),
        candidate("node2", 0, pod("b", "node2", 5, "1"), pod("c", "node2", 5, "1")))).name());
  }

  @Test
  void smallestSumOfPrioritiesWins() {
    assertEquals("node2", DefaultPreemption.selectCandidate(List.of(
        candidate("node1", 0, pod("a", "node1", 5, "1"), pod("b", "node1", 5, "1")),
        candidate("node2", 0, pod("c", "node2", 5, "1"), pod("d", "node2", 1, "1")))).name());
  }

  @Test
  void fewestVictimsWinsOnEqualPriorities() {
    assertEquals("node1", DefaultPreemption.selectCandidate(List.of(
        candidate("node1", 0, pod("a", "node1", 5, "1")),
        candidate("node2", 0, pod("c", "node2", 5, "1"), pod("d", "node2", 5, "1")))).name());
  }

  @Test
  void latestStartTimeWinsLast() {
    Pod early = makePod().name("a").node("node1").priority(5).startTime("2020-01-01T00:00:00Z").obj();
    Pod late = makePod().name("b").node("node2").priority(5).startTime("2021-01-01T00:00:00Z").obj();
    assertEquals("node2", DefaultPreemption.selectCandidate(List.of(candidate("node1", 0, early),
        candidate("node2", 0, late))).name());
    assertNotNull(DefaultPreemption.selectCandidate(List.of(candidate("only", 0, early))));
  }
}
