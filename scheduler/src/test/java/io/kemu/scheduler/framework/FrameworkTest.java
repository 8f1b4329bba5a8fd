package io.kemu.scheduler.framework;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfos;
import static io.kemu.scheduler.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.config.PluginRegistry;
import io.kemu.scheduler.config.Profiles;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** schedule_one_test.go: numFeasibleNodesToFind, FitError messages, and the scheduling algorithm end to end. */
class FrameworkTest {
  static Framework defaultProfile(Framework.Environment env) {
    return Profiles.build(ConfigFactory.parseString("schedulerName = default-scheduler"), PluginRegistry.inTree(), env);
  }

  @Test
  void numFeasibleNodesToFindIsAdaptive() {
    // TestNumFeasibleNodesToFind
    Framework f = defaultProfile(Framework.Environment.forTests());
    assertEquals(10, f.numFeasibleNodesToFind(10), "not set, nodes below 100: all");
    assertEquals(100, f.numFeasibleNodesToFind(100), "not set, 100 nodes: 50 % but at least 100");
    assertEquals(420, f.numFeasibleNodesToFind(1000), "not set, 1000 nodes: 50 - 1000/125 = 42 %");
    assertEquals(500, f.numFeasibleNodesToFind(5000), "5000 nodes: 10 %");
    assertEquals(300, f.numFeasibleNodesToFind(6000), "6000 nodes: at least 5 %");
    Framework twenty = Profiles.build(ConfigFactory.parseString("percentageOfNodesToScore = 40"),
        PluginRegistry.inTree(), Framework.Environment.forTests());
    assertEquals(400, twenty.numFeasibleNodesToFind(1000), "profile sets 40 %");
    assertEquals(100, twenty.numFeasibleNodesToFind(200), "set 40 %, 200 nodes: at least 100");
  }

  @Test
  void fitErrorMessagesCountEachReasonAndSortThem() {
    FitError.Diagnosis d = new FitError.Diagnosis();
    d.nodeToStatus.set("n1", Status.unschedulable("Insufficient cpu"));
    d.nodeToStatus.set("n2", Status.unschedulable("Insufficient cpu"));
    d.nodeToStatus.set("n3", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    d.nodeToStatus.set("n4", Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
    d.nodeToStatus.set("n5", Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
    assertEquals("0/5 nodes are available: 1 Insufficient memory, 2 node(s) didn't match Pod's node "
        + "affinity/selector, 3 Insufficient cpu.", new FitError(5, d).message());
  }

  @Test
  void fitErrorWithPreFilterMessageAndAbsentNodes() {
    FitError.Diagnosis d = new FitError.Diagnosis();
    d.preFilterMsg = "pod affinity terms conflict";
    assertEquals("0/3 nodes are available: pod affinity terms conflict.", new FitError(3, d).message());
    FitError.Diagnosis d2 = new FitError.Diagnosis();
    d2.nodeToStatus.setAbsentNodesStatus(Status.unresolvable("Preemption is not helpful for scheduling"));
    d2.nodeToStatus.set("n1", Status.unresolvable("No preemption victims found for incoming pod"));
    assertEquals("0/3 nodes are available: 1 No preemption victims found for incoming pod, "
        + "2 Preemption is not helpful for scheduling.", new FitError(3, d2).message());
  }

  static List<Node> nodes(int n, String cpu) {
    List<Node> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      out.add(makeNode().name("node-" + i).label("kubernetes.io/hostname", "node-" + i)
          .capacity(res("cpu", cpu, "memory", "4Gi", "pods", "110")).obj());
    }
    return out;
  }

  @Test
  void noNodesAtAll() {
    Framework f = defaultProfile(Framework.Environment.forTests());
    Framework.ScheduleFailure e = assertThrows(Framework.ScheduleFailure.class, () -> f.schedulePod(new CycleState(),
        makePod().info()));
    assertEquals("no nodes available to schedule pods", e.status().message());
  }

  @Test
  void theUnschedulableMessageOfTheIssue() {
    // 3 nodes too small, 2 with the wrong label: the example of kemu's issue 6
    List<Node> ns = nodes(5, "1");
    ns.get(3).getMetadata().getLabels().put("disk", "hdd");
    ns.get(4).getMetadata().getLabels().put("disk", "hdd");
    for (int i = 0; i < 3; i++) {
      ns.get(i).getMetadata().getLabels().put("disk", "ssd");
    }
    Framework f = Profiles.build(ConfigFactory.parseString("plugins.postFilter.disabled = [{name = \"*\"}]"),
        PluginRegistry.inTree(), Framework.Environment.forTests());
    f.setSnapshot(Snapshot.of(nodeInfos(ns, List.of())));
    Pod p = makePod().req(res("cpu", "2")).nodeSelector(Map.of("disk", "ssd")).obj();
    Framework.ScheduleFailure e = assertThrows(Framework.ScheduleFailure.class, () -> f.schedulePod(new CycleState(),
        io.kemu.scheduler.framework.PodInfo.of(p)));
    assertEquals("0/5 nodes are available: 2 node(s) didn't match Pod's node affinity/selector, 3 Insufficient cpu.",
        e.fitError().message());
    assertEquals(java.util.Set.of("NodeAffinity", "NodeResourcesFit"), e.fitError().diagnosis().unschedulablePlugins);
  }

  @Test
  void picksTheLeastAllocatedNodeAndEvaluatesAllBelow100Nodes() throws Exception {
    List<Node> ns = nodes(3, "4");
    List<Pod> existing = List.of(makePod().node("node-1").req(res("cpu", "3")).obj(),
        makePod().node("node-2").req(res("cpu", "2")).obj());
    Framework f = defaultProfile(Framework.Environment.forTests());
    f.setSnapshot(Snapshot.of(nodeInfos(ns, existing)));
    Framework.ScheduleResult r = f.schedulePod(new CycleState(), makePod().req(res("cpu", "1", "memory", "1Gi"))
        .info());
    assertEquals("node-3", r.suggestedHost());
    assertEquals(3, r.evaluatedNodes());
    assertEquals(3, r.feasibleNodes());
  }

  @Test
  void stopsFilteringOnceEnoughFeasibleNodesAreFound() throws Exception {
    Framework f = defaultProfile(Framework.Environment.forTests());
    f.setSnapshot(Snapshot.of(nodeInfos(nodes(1000, "4"), List.of())));
    Framework.ScheduleResult r = f.schedulePod(new CycleState(), makePod().req(res("cpu", "1")).info());
    assertEquals(420, r.feasibleNodes());
    assertEquals(420, r.evaluatedNodes());
  }

  @Test
  void parallelFilteringFindsTheSameNumberOfNodes() throws Exception {
    Framework.Environment env = new Framework.Environment(Handle.Listers.EMPTY, Handle.Nominator.NONE,
        new Parallelizer(4, 10), null, new java.util.Random(1), 0);
    Framework f = defaultProfile(env);
    List<Node> ns = nodes(2000, "4");
    List<Pod> full = new ArrayList<>();
    for (int i = 0; i < 2000; i += 2) {
      full.add(makePod().node("node-" + (i + 1)).req(res("cpu", "4")).obj());
    }
    f.setSnapshot(Snapshot.of(nodeInfos(ns, full)));
    Framework.ScheduleResult r = f.schedulePod(new CycleState(), makePod().req(res("cpu", "1")).info());
    assertEquals(680, r.feasibleNodes());
    assertTrue(r.evaluatedNodes() >= 1300, "half the nodes are full: about twice as many evaluated");
    env.parallelizer().shutdown();
  }

  @Test
  void nominatedPodsOfHigherPriorityAreCountedOnTheirNode() {
    PodInfo nominated = makePod().name("nominated").priority(100).req(res("cpu", "3")).info();
    Framework.Environment env = new Framework.Environment(Handle.Listers.EMPTY,
        node -> node.equals("node-1") ? List.of(nominated) : List.of(), Parallelizer.SEQUENTIAL, null,
        new java.util.Random(1), 0);
    Framework f = defaultProfile(env);
    f.setSnapshot(Snapshot.of(nodeInfos(nodes(1, "4"), List.of())));
    CycleState s = new CycleState();
    PodInfo low = makePod().priority(10).req(res("cpu", "2")).info();
    f.runPreFilterPlugins(s, low, f.snapshot().list());
    Status st = f.runFilterPluginsWithNominatedPods(s, low, f.snapshot().get("node-1"));
    assertEquals(List.of("Insufficient cpu"), st.reasons());
    PodInfo high = makePod().priority(200).req(res("cpu", "2")).info();
    CycleState s2 = new CycleState();
    f.runPreFilterPlugins(s2, high, f.snapshot().list());
    assertEquals(Status.SUCCESS, f.runFilterPluginsWithNominatedPods(s2, high, f.snapshot().get("node-1")));
  }
}
