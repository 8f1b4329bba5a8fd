package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfos;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraint;
import io.fabric8.kubernetes.api.model.TopologySpreadConstraintBuilder;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Snapshot;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestSingleConstraint / TestMultipleConstraints (filtering_test.go) and TestPodTopologySpreadScore (scoring_test.go). */
class PodTopologySpreadTest {
  static TopologySpreadConstraint constraint(int maxSkew, String key, String when, Integer minDomains) {
    return new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(key).withWhenUnsatisfiable(when)
        .withMinDomains(minDomains).withLabelSelector(new LabelSelectorBuilder().addNewMatchExpression()
            .withKey("foo").withOperator("Exists").endMatchExpression().build()).build();
  }

  static Pod incoming(TopologySpreadConstraint... c) {
    Pod p = makePod().name("p").label("foo", "").obj();
    p.getSpec().setTopologySpreadConstraints(List.of(c));
    return p;
  }

  static Pod pod(String name, String node) {
    return makePod().name(name).node(node).label("foo", "").obj();
  }

  static Node node(String name, String zone) {
    var w = makeNode().name(name).label("node", name).label("kubernetes.io/hostname", name);
    if (zone != null) {
      w.label("zone", zone);
    }
    return w.obj();
  }

  static final List<Node> FOUR_NODES = List.of(node("node-a", "zone1"), node("node-b", "zone1"),
      node("node-x", "zone2"), node("node-y", "zone2"));

  static List<Status.Code> filter(Pod pod, List<Pod> existing, List<Node> nodes) {
    List<NodeInfo> infos = nodeInfos(nodes, existing);
    Framework fw = new Framework("t", null, Framework.Environment.forTests());
    fw.setSnapshot(Snapshot.of(infos));
    PodTopologySpread p = PodTopologySpread.withSystemDefaults(fw);
    CycleState s = new CycleState();
    PodInfo pi = PodInfo.of(pod);
    var pre = p.preFilter(s, pi, infos);
    List<Status.Code> out = new ArrayList<>();
    for (NodeInfo n : infos) {
      out.add(pre.status().isSkip() ? Status.Code.SUCCESS : p.filter(s, pi, n).code());
    }
    return out;
  }

  static final Status.Code OK = Status.Code.SUCCESS;
  static final Status.Code NO = Status.Code.UNSCHEDULABLE;
  static final Status.Code NEVER = Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE;

  @Test
  void noExistingPods() {
    assertEquals(List.of(OK, OK, OK, OK), filter(incoming(constraint(1, "zone", "DoNotSchedule", null)), List.of(),
        FOUR_NODES));
  }

  @Test
  void existingPodsInADifferentNamespaceDoNotCount() {
    Pod other = pod("p-a1", "node-a");
    other.getMetadata().setNamespace("ns1");
    List<Pod> existing = List.of(other, pod("p-b1", "node-b"), pod("p-x1", "node-x"), pod("p-x2", "node-x"),
        pod("p-y1", "node-y"));
    // zone1: 1 (default namespace), zone2: 3 -> zone1 ok (1+1-1), zone2 fails (3+1-1)
    assertEquals(List.of(OK, OK, NO, NO), filter(incoming(constraint(1, "zone", "DoNotSchedule", null)), existing,
        FOUR_NODES));
  }

  @Test
  void podsSpreadAcrossZonesAs3To3AllNodesFit() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"),
        pod("p-x1", "node-x"), pod("p-y1", "node-y"), pod("p-y2", "node-y"));
    assertEquals(List.of(OK, OK, OK, OK), filter(incoming(constraint(1, "zone", "DoNotSchedule", null)), existing,
        FOUR_NODES));
  }

  @Test
  void podsSpreadAcrossZonesAs1To2DueToAbsenceOfLabelZoneOnNodeB() {
    List<Node> nodes = List.of(node("node-a", "zone1"), node("node-b", null), node("node-x", "zone2"),
        node("node-y", "zone2"));
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-b1", "node-b"), pod("p-x1", "node-x"),
        pod("p-y1", "node-y"));
    assertEquals(List.of(OK, NEVER, NO, NO), filter(incoming(constraint(1, "zone", "DoNotSchedule", null)), existing,
        nodes));
  }

  @Test
  void podCannotBeScheduledAsAllNodesDontHaveLabelRack() {
    assertEquals(List.of(NEVER, NEVER, NEVER, NEVER), filter(incoming(constraint(1, "rack", "DoNotSchedule", null)),
        List.of(), FOUR_NODES));
  }

  @Test
  void podsSpreadAcrossNodesAs2_1_0_3OnlyNodeXFits() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"),
        pod("p-y1", "node-y"), pod("p-y2", "node-y"), pod("p-y3", "node-y"));
    assertEquals(List.of(NO, NO, OK, NO), filter(incoming(constraint(1, "node", "DoNotSchedule", null)), existing,
        FOUR_NODES));
  }

  @Test
  void podsSpreadAcrossNodesAs2_1_0_3MaxSkewIs2NodeBAndNodeXFit() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"),
        pod("p-y1", "node-y"), pod("p-y2", "node-y"), pod("p-y3", "node-y"));
    assertEquals(List.of(NO, OK, OK, NO), filter(incoming(constraint(2, "node", "DoNotSchedule", null)), existing,
        FOUR_NODES));
  }

  @Test
  void incomingPodDoesntMatchItselfSoItsSkewIsOneLess() {
    Pod p = incoming(constraint(1, "node", "DoNotSchedule", null));
    p.getMetadata().getLabels().clear();
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"));
    // min 0 (node-x, node-y): node-a 1, node-b 2 > 1
    assertEquals(List.of(OK, NO, OK, OK), filter(p, existing, FOUR_NODES));
  }

  @Test
  void minDomainsGreaterThanTheDomainsTreatsTheGlobalMinimumAsZero() {
    // zones 3/3 would all fit; with minDomains 3 and only 2 zones the minimum counts as 0: 3+1-0 > 1
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"),
        pod("p-x1", "node-x"), pod("p-y1", "node-y"), pod("p-y2", "node-y"));
    assertEquals(List.of(NO, NO, NO, NO), filter(incoming(constraint(1, "zone", "DoNotSchedule", 3)), existing,
        FOUR_NODES));
  }

  @Test
  void twoConstraintsOnZoneAndNode() {
    // TestMultipleConstraints "two Constraints on zone and node, spreads = [3/3, 2/1/0/3]": only node-x fits
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"),
        pod("p-y1", "node-y"), pod("p-y2", "node-y"), pod("p-y3", "node-y"));
    assertEquals(List.of(NO, NO, OK, NO), filter(incoming(constraint(1, "zone", "DoNotSchedule", null),
        constraint(1, "node", "DoNotSchedule", null)), existing, FOUR_NODES));
  }

  // ---- scoring

  static long[] scores(Pod pod, List<Pod> existing, List<Node> nodes, List<String> filtered) {
    List<NodeInfo> all = nodeInfos(nodes, existing);
    Framework fw = new Framework("t", null, Framework.Environment.forTests());
    fw.setSnapshot(Snapshot.of(all));
    PodTopologySpread p = PodTopologySpread.withSystemDefaults(fw);
    List<NodeInfo> candidates = all.stream().filter(n -> filtered.contains(n.name())).toList();
    CycleState s = new CycleState();
    PodInfo pi = PodInfo.of(pod);
    long[] out = new long[candidates.size()];
    if (p.preScore(s, pi, candidates).isSkip()) {
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = p.score(s, pi, candidates.get(i));
    }
    p.normalizeScore(s, pi, candidates, out);
    return out;
  }

  static List<Node> hostNodes(String... names) {
    List<Node> out = new ArrayList<>();
    for (String n : names) {
      out.add(makeNode().name(n).label("kubernetes.io/hostname", n).obj());
    }
    return out;
  }

  static Pod softOnHostname() {
    return incoming(constraint(1, "kubernetes.io/hostname", "ScheduleAnyway", null));
  }

  @Test
  void oneConstraintOnNodeNoExistingPods() {
    assertArrayEquals(new long[] {100, 100}, scores(softOnHostname(), List.of(), hostNodes("node-a", "node-b"),
        List.of("node-a", "node-b")));
  }

  @Test
  void oneConstraintOnNodeOnlyOneNodeIsCandidate() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"));
    assertArrayEquals(new long[] {100}, scores(softOnHostname(), existing, hostNodes("node-a", "node-b"),
        List.of("node-a")));
  }

  @Test
  void oneConstraintOnNodeAllNodesHaveTheSameNumberOfMatchingPods() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-b1", "node-b"));
    assertArrayEquals(new long[] {100, 100}, scores(softOnHostname(), existing, hostNodes("node-a", "node-b"),
        List.of("node-a", "node-b")));
  }

  @Test
  void oneConstraintOnNodeAll4NodesAreCandidates() {
    // matching pods 2/1/0/3, weight ln(4 + 2): raw 4/2/0/5 -> 20/60/100/0
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"),
        pod("p-d1", "node-d"), pod("p-d2", "node-d"), pod("p-d3", "node-d"));
    assertArrayEquals(new long[] {20, 60, 100, 0}, scores(softOnHostname(), existing,
        hostNodes("node-a", "node-b", "node-c", "node-d"), List.of("node-a", "node-b", "node-c", "node-d")));
  }

  @Test
  void podsWithoutConstraintsOrOwnersAreNotSpreadByDefault() {
    // the system default constraints select the pods of the same services/controllers: none here
    assertArrayEquals(new long[] {0, 0}, scores(makePod().obj(), List.of(), hostNodes("node-a", "node-b"),
        List.of("node-a", "node-b")));
  }

  static TopologySpreadConstraint constraintOn(int maxSkew, String key, String labelKey) {
    return new TopologySpreadConstraintBuilder().withMaxSkew(maxSkew).withTopologyKey(key)
        .withWhenUnsatisfiable("ScheduleAnyway").withLabelSelector(new LabelSelectorBuilder().addNewMatchExpression()
            .withKey(labelKey).withOperator("Exists").endMatchExpression().build()).build();
  }

  static Pod labelled(String name, String node, String... labels) {
    var w = makePod().name(name).node(node);
    for (String l : labels) {
      w.label(l, "");
    }
    return w.obj();
  }

  static Node zoned(String name, String zone) {
    return makeNode().name(name).label("zone", zone).label("kubernetes.io/hostname", name).obj();
  }

  static final List<Node> ZONED = List.of(zoned("node-a", "zone1"), zoned("node-b", "zone1"), zoned("node-x", "zone2"),
      zoned("node-y", "zone2"));

  @Test
  void oneConstraintOnNodeAll4NodesAreCandidatesMaxSkew2() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"),
        pod("p-d1", "node-d"), pod("p-d2", "node-d"), pod("p-d3", "node-d"));
    assertArrayEquals(new long[] {33, 66, 100, 16}, scores(incoming(constraint(2, "kubernetes.io/hostname",
        "ScheduleAnyway", null)), existing, hostNodes("node-a", "node-b", "node-c", "node-d"),
        List.of("node-a", "node-b", "node-c", "node-d")));
  }

  @Test
  void oneConstraintOnNode3OutOf4NodesAreCandidates() {
    // 4/2/1/~3~
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-a3", "node-a"),
        pod("p-a4", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"), pod("p-x1", "node-x"),
        pod("p-y1", "node-y"), pod("p-y2", "node-y"), pod("p-y3", "node-y"));
    assertArrayEquals(new long[] {33, 83, 100}, scores(softOnHostname(), existing,
        hostNodes("node-a", "node-b", "node-x", "node-y"), List.of("node-a", "node-b", "node-x")));
  }

  @Test
  void oneConstraintOnNode3OutOf4NodesAreCandidatesOneNodeDoesntMatchTopologyKey() {
    // 4/?2?/1/~3~
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-a3", "node-a"),
        pod("p-a4", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"), pod("p-x1", "node-x"),
        pod("p-y1", "node-y"), pod("p-y2", "node-y"), pod("p-y3", "node-y"));
    List<Node> nodes = List.of(makeNode().name("node-a").label("kubernetes.io/hostname", "node-a").obj(),
        makeNode().name("node-b").label("n", "node-b").obj(),
        makeNode().name("node-x").label("kubernetes.io/hostname", "node-x").obj(),
        makeNode().name("node-y").label("kubernetes.io/hostname", "node-y").obj());
    assertArrayEquals(new long[] {16, 0, 100}, scores(softOnHostname(), existing, nodes,
        List.of("node-a", "node-b", "node-x")));
  }

  @Test
  void oneConstraintOnZone3OutOf4NodesAreCandidates() {
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-a3", "node-a"),
        pod("p-a4", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"), pod("p-x1", "node-x"),
        pod("p-y1", "node-y"), pod("p-y2", "node-y"), pod("p-y3", "node-y"));
    assertArrayEquals(new long[] {75, 75, 100}, scores(incoming(constraintOn(1, "zone", "foo")), existing, ZONED,
        List.of("node-a", "node-b", "node-x")));
  }

  @Test
  void twoConstraintsOnZoneAndNode2OutOf4NodesAreCandidates() {
    // 2/~1~/2/~4~
    List<Pod> existing = List.of(pod("p-a1", "node-a"), pod("p-a2", "node-a"), pod("p-b1", "node-b"),
        pod("p-x1", "node-x"), pod("p-x2", "node-x"), pod("p-y1", "node-y"), pod("p-y2", "node-y"),
        pod("p-y3", "node-y"), pod("p-y4", "node-y"));
    assertArrayEquals(new long[] {100, 63}, scores(incoming(constraintOn(1, "zone", "foo"),
        constraintOn(1, "kubernetes.io/hostname", "foo")), existing, ZONED, List.of("node-a", "node-x")));
  }

  @Test
  void twoConstraintsOnZoneAndNodeWithDifferentLabelSelectors() {
    Pod p = makePod().name("p").label("foo", "").label("bar", "").obj();
    p.getSpec().setTopologySpreadConstraints(List.of(constraintOn(1, "zone", "foo"),
        constraintOn(1, "kubernetes.io/hostname", "bar")));
    List<Pod> existing = List.of(labelled("p-a1", "node-a", "foo"), labelled("p-b1", "node-b", "foo", "bar"),
        labelled("p-y1", "node-y", "foo"), labelled("p-y2", "node-y", "bar"));
    assertArrayEquals(new long[] {60, 20, 100, 60}, scores(p, existing, ZONED,
        List.of("node-a", "node-b", "node-x", "node-y")));
    // some nodes have 0 pods
    List<Pod> sparse = List.of(labelled("p-b1", "node-b", "bar"), labelled("p-x1", "node-x", "foo"),
        labelled("p-y1", "node-y", "foo", "bar"));
    assertArrayEquals(new long[] {100, 60, 40, 0}, scores(p, sparse, ZONED,
        List.of("node-a", "node-b", "node-x", "node-y")));
    // 3 out of 4 nodes are candidates
    assertArrayEquals(new long[] {50, 25, 100}, scores(p, existing, ZONED, List.of("node-a", "node-b", "node-x")));
  }

  @Test
  void existingPodsInADifferentNamespaceDoNotCountForScoring() {
    List<Pod> existing = List.of(makePod().name("p-a1").namespace("ns1").node("node-a").label("foo", "").obj(),
        pod("p-a2", "node-a"), pod("p-b1", "node-b"), pod("p-b2", "node-b"));
    assertArrayEquals(new long[] {100, 33}, scores(softOnHostname(), existing, hostNodes("node-a", "node-b"),
        List.of("node-a", "node-b")));
  }
}
