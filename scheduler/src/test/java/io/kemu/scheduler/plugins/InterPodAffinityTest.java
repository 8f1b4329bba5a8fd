package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfos;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.LabelSelectorBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodAffinityTermBuilder;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTermBuilder;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Snapshot;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * TestRequiredAffinitySingleNode / TestRequiredAffinityMultipleNodes (filtering_test.go) and
 * TestPreferredAffinity (scoring_test.go) of plugins/interpodaffinity, on the same pods and nodes.
 */
class InterPodAffinityTest {
  static final String REGION = "region";
  static final String ZONE = "zone";

  static PodAffinityTerm term(String key, String op, String topologyKey, String... values) {
    return new PodAffinityTermBuilder().withLabelSelector(new LabelSelectorBuilder().addNewMatchExpression()
        .withKey(key).withOperator(op).withValues(values).endMatchExpression().build()).withTopologyKey(topologyKey)
        .build();
  }

  static Affinity affinity(List<PodAffinityTerm> required, List<PodAffinityTerm> requiredAnti) {
    AffinityBuilder b = new AffinityBuilder();
    if (required != null) {
      b.withNewPodAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(required).endPodAffinity();
    }
    if (requiredAnti != null) {
      b.withNewPodAntiAffinity().withRequiredDuringSchedulingIgnoredDuringExecution(requiredAnti)
          .endPodAntiAffinity();
    }
    return b.build();
  }

  static Pod pod(String name, String node, Affinity a, String... labels) {
    var w = makePod().name(name);
    for (int i = 0; i < labels.length; i += 2) {
      w.label(labels[i], labels[i + 1]);
    }
    if (node != null) {
      w.node(node);
    }
    Pod p = w.obj();
    p.getSpec().setAffinity(a);
    return p;
  }

  static final Node NODE1 = makeNode().name("node1").label(REGION, "r1").label(ZONE, "z11")
      .label("kubernetes.io/hostname", "node1").obj();

  /** Runs PreFilter then Filter on each node, as the framework does (Skip means pass). */
  static List<Status> filter(Pod pod, List<Pod> existing, List<Node> nodes) {
    List<NodeInfo> infos = nodeInfos(nodes, existing);
    Framework fw = new Framework("t", null, Framework.Environment.forTests());
    fw.setSnapshot(Snapshot.of(infos));
    InterPodAffinity p = new InterPodAffinity(fw, 1, false);
    CycleState s = new CycleState();
    PodInfo pi = PodInfo.of(pod);
    var pre = p.preFilter(s, pi, infos);
    List<Status> out = new ArrayList<>();
    for (NodeInfo n : infos) {
      out.add(pre.status().isSkip() ? Status.SUCCESS : p.filter(s, pi, n));
    }
    return out;
  }

  static Status single(Pod pod, Pod... existing) {
    return filter(pod, List.of(existing), List.of(NODE1)).get(0);
  }

  static void assertRejected(Status s, Status.Code code, String reason) {
    assertEquals(code, s.code());
    assertEquals(List.of(reason), s.reasons());
  }

  @Test
  void aPodThatHasNoRequiredPodAffinitySchedulingRulesCanScheduleOntoANodeWithNoExistingPods() {
    assertEquals(Status.SUCCESS, single(pod("p", null, null)));
  }

  @Test
  void satisfiesWithRequiredPodAffinityUsingInOperatorThatMatchesTheExistingPod() {
    assertEquals(Status.SUCCESS, single(pod("p", null, affinity(List.of(term("service", "In", REGION, "securityscan",
        "value2")), null)), pod("e", "node1", null, "service", "securityscan")));
  }

  @Test
  void satisfiesThePodAffinityWithNotInOperatorInLabelSelector() {
    assertEquals(Status.SUCCESS, single(pod("p", null, affinity(List.of(term("service", "NotIn", REGION,
        "securityscan3", "value3")), null)), pod("e", "node1", null, "service", "securityscan")));
  }

  @Test
  void doesNotSatisfyThePodAffinityBecauseOfDiffNamespace() {
    Pod existing = pod("e", "node1", null, "service", "securityscan");
    existing.getMetadata().setNamespace("ns1");
    Status s = single(pod("p", null, affinity(List.of(term("service", "In", REGION, "securityscan", "value2")),
        null)), existing);
    assertRejected(s, Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, InterPodAffinity.ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void doesntSatisfyThePodAffinityBecauseOfUnmatchingLabelSelector() {
    Status s = single(pod("p", null, affinity(List.of(term("service", "In", REGION, "antivirusscan", "value2")),
        null)), pod("e", "node1", null, "service", "securityscan"));
    assertRejected(s, Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, InterPodAffinity.ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void satisfiesThePodAntiAffinityWithExistingPodsButDoesntSatisfyTheAffinityOfTheExistingPod() {
    // the incoming pod's anti-affinity (service=securityscan in zone) hits the existing pod
    Status s = single(pod("p", null, affinity(null, List.of(term("service", "In", ZONE, "securityscan"))),
        "service", "other"), pod("e", "node1", null, "service", "securityscan"));
    assertRejected(s, Status.Code.UNSCHEDULABLE, InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void theExistingPodsAntiAffinityRejectsTheIncomingPod() {
    Status s = single(pod("p", null, null, "service", "securityscan"),
        pod("e", "node1", affinity(null, List.of(term("service", "In", ZONE, "securityscan"))), "app", "x"));
    assertRejected(s, Status.Code.UNSCHEDULABLE, InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void aPodWithAffinityToItselfCanBeTheFirstOfItsKind() {
    // "verify that PodAffinity is satisfied for a pod that is the first of its kind and matches its own terms"
    assertEquals(Status.SUCCESS, single(pod("p", null, affinity(List.of(term("service", "In", REGION,
        "securityscan")), null), "service", "securityscan")));
  }

  @Test
  void theFirstPodOfItsKindStillNeedsTheTopologyLabel() {
    Status s = single(pod("p", null, affinity(List.of(term("service", "In", "rack", "securityscan")), null),
        "service", "securityscan"));
    assertRejected(s, Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, InterPodAffinity.ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void antiAffinityAcrossNodesOfTheSameZone() {
    // TestRequiredAffinityMultipleNodes "NodeA and nodeB have same topologyKey and label value. NodeA has an existing
    // pod that matches the inter pod affinity rule. The pod can not be scheduled onto nodeA and nodeB."
    Node a = makeNode().name("nodeA").label("region", "r1").label("zone", "z1").obj();
    Node b = makeNode().name("nodeB").label("region", "r1").label("zone", "z2").obj();
    Node c = makeNode().name("nodeC").label("region", "r2").label("zone", "z3").obj();
    Pod incoming = pod("p", null, affinity(null, List.of(term("foo", "In", "region", "abc"))), "foo", "abc");
    List<Status> st = filter(incoming, List.of(pod("e", "nodeA", null, "foo", "abc")), List.of(a, b, c));
    assertEquals(Status.Code.UNSCHEDULABLE, st.get(0).code());
    assertEquals(Status.Code.UNSCHEDULABLE, st.get(1).code());
    assertEquals(Status.SUCCESS, st.get(2));
  }

  // TestRequiredAffinitySingleNode's symmetry cases (podLabel = service: securityscan, podLabel2 = security: S1)

  @Test
  void satisfiesThePodAffinityButDoesntSatisfyThePodAntiAffinityWithTheExistingPod() {
    Pod p = pod("p", null, affinity(List.of(term("service", "In", REGION, "securityscan", "value2")),
        List.of(term("service", "In", ZONE, "securityscan", "value2"))), "security", "S1");
    assertRejected(single(p, pod("e", "node1", null, "service", "securityscan")), Status.Code.UNSCHEDULABLE,
        InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void satisfiesThePodAffinityAndAntiAffinityButNotTheAntiAffinitySymmetryWithTheExistingPod() {
    Pod p = pod("p", null, affinity(List.of(term("service", "In", REGION, "securityscan", "value2")),
        List.of(term("service", "In", "node", "antivirusscan", "value2"))), "service", "securityscan");
    Pod existing = pod("e", "node1", affinity(null, List.of(term("service", "In", ZONE, "securityscan", "value2"))),
        "service", "securityscan");
    assertRejected(single(p, existing), Status.Code.UNSCHEDULABLE,
        InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void satisfiesThePodAffinityAndAntiAffinityAndTheAntiAffinitySymmetry() {
    Pod p = pod("p", null, affinity(List.of(term("service", "In", REGION, "securityscan", "value2")),
        List.of(term("service", "In", "node", "antivirusscan", "value2"))), "service", "securityscan");
    Pod existing = pod("e", "node1", affinity(null, List.of(term("service", "In", "node", "antivirusscan",
        "value2"))), "service", "securityscan");
    assertEquals(Status.SUCCESS, single(p, existing));
  }

  @Test
  void podMatchesItsOwnLabelInPodAffinityButTheMatchingPodIsOnAnotherNode() {
    // "pod matches its own Label in PodAffinity and that matches the existing pod Labels": the NotIn term does not
    // match the incoming pod itself, and the only existing pod runs elsewhere
    Pod p = pod("p", null, affinity(List.of(term("service", "NotIn", REGION, "securityscan", "value2")), null),
        "service", "securityscan");
    Node node2 = makeNode().name("node2").obj();
    Status s = filter(p, List.of(pod("e", "node2", null, "service", "securityscan")), List.of(NODE1, node2)).get(0);
    assertRejected(s, Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, InterPodAffinity.ERR_REASON_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void existingPodsAntiAffinityIsRespectedWhenThePodHasNone() {
    Pod p = pod("p", null, null, "service", "securityscan");
    assertRejected(single(p, pod("e", "node1", affinity(null, List.of(term("service", "In", ZONE, "securityscan",
        "value2"))), "service", "securityscan")), Status.Code.UNSCHEDULABLE,
        InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    assertEquals(Status.SUCCESS, single(p, pod("e", "node1", affinity(null, List.of(term("service", "NotIn", ZONE,
        "securityscan", "value2"))), "service", "securityscan")));
  }

  @Test
  void satisfiesTheAntiAffinityWithTheExistingPodButNotItsSymmetry() {
    // the incoming pod's terms: service Exists (region), security Exists (region); the existing pod has security=S1
    Pod p = pod("p", null, affinity(null, List.of(term("service", "Exists", REGION),
        term("security", "Exists", REGION))), "service", "securityscan");
    Pod existing = pod("e", "node1", affinity(null, List.of(term("security", "Exists", ZONE))), "security", "S1");
    assertRejected(single(p, existing), Status.Code.UNSCHEDULABLE,
        InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  }

  @Test
  void antiAffinitySymmetryWhenIncomingAndExistingPodsPartiallyMatchEachOther() {
    // a1: the incoming pod's anti-affinity matches the existing pod
    Pod a1 = pod("p", null, affinity(null, List.of(term("service", "Exists", ZONE), term("security", "Exists",
        ZONE))), "service", "securityscan");
    assertRejected(single(a1, pod("e", "node1", affinity(null, List.of(term("security", "Exists", ZONE))),
        "security", "S1")), Status.Code.UNSCHEDULABLE, InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    // a2: the existing pod's anti-affinity matches the incoming pod
    Pod a2 = pod("p", null, affinity(null, List.of(term("security", "Exists", ZONE))), "security", "S1");
    assertRejected(single(a2, pod("e", "node1", affinity(null, List.of(term("service", "Exists", ZONE),
        term("security", "Exists", ZONE))), "service", "securityscan")), Status.Code.UNSCHEDULABLE,
        InterPodAffinity.ERR_REASON_EXISTING_ANTI_AFFINITY_RULES_NOT_MATCH);
    // b1, b2: both have abc/def Exists terms, so each rejects the other; the incoming pod's own anti-affinity is
    // checked first (Filter: satisfyPodAffinity, satisfyPodAntiAffinity, then satisfyExistingPodsAntiAffinity)
    Affinity abcDef = affinity(null, List.of(term("abc", "Exists", ZONE), term("def", "Exists", ZONE)));
    assertRejected(single(pod("p", null, abcDef, "abc", "", "xyz", ""), pod("e", "node1", abcDef, "def", "", "xyz",
        "")), Status.Code.UNSCHEDULABLE, InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
    assertRejected(single(pod("p", null, abcDef, "def", "", "xyz", ""), pod("e", "node1", abcDef, "abc", "", "xyz",
        "")), Status.Code.UNSCHEDULABLE, InterPodAffinity.ERR_REASON_ANTI_AFFINITY_RULES_NOT_MATCH);
  }

  // ---- scoring

  static long[] scores(Pod pod, List<Pod> existing, List<Node> nodes) {
    List<NodeInfo> infos = nodeInfos(nodes, existing);
    Framework fw = new Framework("t", null, Framework.Environment.forTests());
    fw.setSnapshot(Snapshot.of(infos));
    InterPodAffinity p = new InterPodAffinity(fw, 1, false);
    CycleState s = new CycleState();
    PodInfo pi = PodInfo.of(pod);
    long[] out = new long[infos.size()];
    if (p.preScore(s, pi, infos).isSkip()) {
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = p.score(s, pi, infos.get(i));
    }
    p.normalizeScore(s, pi, infos, out);
    return out;
  }

  static Affinity preferred(int weight, PodAffinityTerm t, boolean anti) {
    var w = new WeightedPodAffinityTermBuilder().withWeight(weight).withPodAffinityTerm(t).build();
    AffinityBuilder b = new AffinityBuilder();
    if (anti) {
      b.withNewPodAntiAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(w).endPodAntiAffinity();
    } else {
      b.withNewPodAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(w).endPodAffinity();
    }
    return b.build();
  }

  static final Node MACHINE1 = makeNode().name("node1").label("region", "China").label("az", "az1").obj();
  static final Node MACHINE2 = makeNode().name("node2").label("region", "India").label("az", "az2").obj();
  static final Node MACHINE3 = makeNode().name("node3").label("region", "China").label("az", "az1").obj();

  @Test
  void allNodesScoreZeroWithoutAffinity() {
    assertArrayEquals(new long[] {0, 0, 0}, scores(pod("p", null, null), List.of(), List.of(MACHINE1, MACHINE2,
        MACHINE3)));
  }

  @Test
  void affinityPreferencesPullTowardsTheMatchingRegion() {
    // "Affinity: pod that matches topology key & pods in nodes will get high score comparing to others"
    // the existing security pod is on node1 (region China): node1 and node3 (China) score 100, node2 0
    Pod p = pod("p", null, preferred(5, term("security", "In", "region", "S1"), false));
    List<Pod> existing = List.of(pod("e", "node1", null, "security", "S1"));
    assertArrayEquals(new long[] {100, 0, 100}, scores(p, existing, List.of(MACHINE1, MACHINE2, MACHINE3)));
  }

  @Test
  void antiAffinityPreferencesPushAwayFromTheMatchingRegion() {
    Pod p = pod("p", null, preferred(5, term("security", "In", "region", "S1"), true));
    List<Pod> existing = List.of(pod("e", "node1", null, "security", "S1"));
    assertArrayEquals(new long[] {0, 100, 0}, scores(p, existing, List.of(MACHINE1, MACHINE2, MACHINE3)));
  }

  @Test
  void existingPodsRequiredAffinityCountsWithHardPodAffinityWeight() {
    // symmetry: the existing pod on node2 requires pods with security=S1 in its region; the incoming pod matches
    Pod p = pod("p", null, null, "security", "S1");
    List<Pod> existing = List.of(pod("e", "node2", affinity(List.of(term("security", "In", "region", "S1")), null)));
    assertArrayEquals(new long[] {0, 100, 0}, scores(p, existing, List.of(MACHINE1, MACHINE2, MACHINE3)));
  }
}
