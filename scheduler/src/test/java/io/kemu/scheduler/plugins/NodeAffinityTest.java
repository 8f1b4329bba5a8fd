package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirementBuilder;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.NodeSelectorTermBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTermBuilder;
import io.kemu.scheduler.Fixtures.NodeWrapper;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins.PreFilterResult;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** TestNodeAffinity (Filter and PreFilter) and TestNodeAffinityPriority of node_affinity_test.go. */
class NodeAffinityTest {
  final NodeAffinity plugin = new NodeAffinity();

  static NodeSelectorRequirement req(String key, String op, String... values) {
    return new NodeSelectorRequirementBuilder().withKey(key).withOperator(op).withValues(values).build();
  }

  static NodeSelectorTerm term(NodeSelectorRequirement... exprs) {
    return new NodeSelectorTermBuilder().withMatchExpressions(exprs).build();
  }

  static NodeSelectorTerm fields(NodeSelectorRequirement... f) {
    return new NodeSelectorTermBuilder().withMatchFields(f).build();
  }

  static Pod podWithTerms(List<NodeSelectorTerm> terms) {
    Pod p = makePod().obj();
    p.getSpec().setAffinity(new AffinityBuilder().withNewNodeAffinity()
        .withNewRequiredDuringSchedulingIgnoredDuringExecution().withNodeSelectorTerms(terms)
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build());
    return p;
  }

  /** The status of PreFilter if it rejects, else of Filter (Skip from PreFilter means Filter does not run). */
  Status run(Pod pod, NodeWrapper node) {
    CycleState s = new CycleState();
    PodInfo pi = PodInfo.of(pod);
    NodeInfo n = nodeInfo(node.obj());
    PreFilterResult r = plugin.preFilter(s, pi, List.of(n));
    if (r.status().isSkip()) {
      return Status.SUCCESS;
    }
    if (!r.status().isSuccess()) {
      return r.status();
    }
    return plugin.filter(s, pi, n);
  }

  static final List<String> NO_MATCH = List.of(NodeAffinity.ERR_REASON_POD);

  @Test
  void preFilterSkipsAPodWithoutAffinityOrSelectorAsDecoded() {
    // fabric8 decodes a pod without nodeSelector with an empty map (Go: nil): nothing to filter either way
    Pod decoded = io.kemu.api.KubeJson.read(("{\"metadata\":{\"name\":\"p\",\"namespace\":\"d\"},"
        + "\"spec\":{\"containers\":[{\"name\":\"c\",\"image\":\"pause\"}]}}").getBytes(), Pod.class);
    assertEquals(Map.of(), decoded.getSpec().getNodeSelector());
    PreFilterResult r = plugin.preFilter(new CycleState(), PodInfo.of(decoded), List.of(nodeInfo(makeNode().name("n").obj())));
    assertEquals(true, r.status().isSkip());
  }

  @Test
  void missingLabels() {
    Status s = run(makePod().nodeSelector(Map.of("foo", "bar")).obj(), makeNode().name("n"));
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(NO_MATCH, s.reasons());
  }

  @Test
  void sameLabels() {
    assertEquals(Status.SUCCESS, run(makePod().nodeSelector(Map.of("foo", "bar")).obj(),
        makeNode().name("n").label("foo", "bar")));
  }

  @Test
  void nodeLabelsAreSuperset() {
    assertEquals(Status.SUCCESS, run(makePod().nodeSelector(Map.of("foo", "bar")).obj(),
        makeNode().name("n").label("foo", "bar").label("baz", "blah")));
  }

  @Test
  void nodeLabelsAreSubset() {
    assertEquals(NO_MATCH, run(makePod().nodeSelector(Map.of("foo", "bar", "baz", "blah")).obj(),
        makeNode().name("n").label("foo", "bar")).reasons());
  }

  @Test
  void matchExpressionsUsingInOperatorThatMatchesTheExistingNode() {
    assertEquals(Status.SUCCESS, run(podWithTerms(List.of(term(req("foo", "In", "bar", "value2")))),
        makeNode().name("n").label("foo", "bar")));
  }

  @Test
  void matchExpressionsUsingGtOperatorThatMatchesTheExistingNode() {
    assertEquals(Status.SUCCESS, run(podWithTerms(List.of(term(req("kernel-version", "Gt", "0204")))),
        makeNode().name("n").label("kernel-version", "0206")));
  }

  @Test
  void matchExpressionsUsingNotInOperatorThatMatchesTheExistingNode() {
    assertEquals(Status.SUCCESS, run(podWithTerms(List.of(term(req("mem-type", "NotIn", "DDR", "DDR2")))),
        makeNode().name("n").label("mem-type", "DDR3")));
  }

  @Test
  void matchExpressionsUsingExistsOperatorThatMatchesTheExistingNode() {
    assertEquals(Status.SUCCESS, run(podWithTerms(List.of(term(req("GPU", "Exists")))),
        makeNode().name("n").label("GPU", "NVIDIA-GRID-K1")));
  }

  @Test
  void affinityThatDoesntMatchNodesLabelsWontSchedule() {
    assertEquals(NO_MATCH, run(podWithTerms(List.of(term(req("foo", "In", "value1", "value2")))),
        makeNode().name("n").label("foo", "bar")).reasons());
  }

  @Test
  void aNilOrEmptyNodeSelectorTermListMatchesNothing() {
    assertEquals(NO_MATCH, run(podWithTerms(null), makeNode().name("n").label("foo", "bar")).reasons());
    assertEquals(NO_MATCH, run(podWithTerms(List.of()), makeNode().name("n").label("foo", "bar")).reasons());
  }

  @Test
  void emptyMatchExpressionsMatchNoObjects() {
    assertEquals(NO_MATCH, run(podWithTerms(List.of(term())), makeNode().name("n").label("foo", "bar")).reasons());
  }

  @Test
  void noAffinitySchedulesOntoANode() {
    assertEquals(Status.SUCCESS, run(makePod().obj(), makeNode().name("n").label("foo", "bar")));
  }

  @Test
  void multipleMatchExpressionsAndedInAffinityAllMatch() {
    assertEquals(Status.SUCCESS, run(podWithTerms(List.of(term(req("GPU", "Exists"), req("GPU", "NotIn", "AMD",
        "INTER")))), makeNode().name("n").label("GPU", "NVIDIA-GRID-K1")));
  }

  @Test
  void multipleMatchExpressionsAndedInAffinityOneDoesNotMatch() {
    assertEquals(NO_MATCH, run(podWithTerms(List.of(term(req("GPU", "Exists"), req("GPU", "In", "AMD", "INTER")))),
        makeNode().name("n").label("GPU", "NVIDIA-GRID-K1")).reasons());
  }

  @Test
  void multipleNodeSelectorTermsOred() {
    assertEquals(Status.SUCCESS, run(podWithTerms(List.of(term(req("foo", "In", "bar", "value2")),
        term(req("diffkey", "In", "wrong", "value2")))), makeNode().name("n").label("foo", "bar")));
  }

  @Test
  void affinityAndNodeSelectorBothSatisfied() {
    Pod p = podWithTerms(List.of(term(req("foo", "Exists"))));
    p.getSpec().setNodeSelector(Map.of("foo", "bar"));
    assertEquals(Status.SUCCESS, run(p, makeNode().name("n").label("foo", "bar")));
  }

  @Test
  void affinityMatchesButNodeSelectorNot() {
    Pod p = podWithTerms(List.of(term(req("foo", "Exists"))));
    p.getSpec().setNodeSelector(Map.of("foo", "bar"));
    assertEquals(NO_MATCH, run(p, makeNode().name("n").label("foo", "barrrrrr")).reasons());
  }

  @Test
  void matchFieldsMatchesTheNodeNameAndNarrowsPreFilter() {
    Pod p = podWithTerms(List.of(fields(req("metadata.name", "In", "node1"))));
    assertEquals(Status.SUCCESS, run(p, makeNode().name("node1")));
    assertEquals(NO_MATCH, run(p, makeNode().name("node2")).reasons());
    PreFilterResult r = plugin.preFilter(new CycleState(), PodInfo.of(p), List.of());
    assertEquals(Set.of("node1"), r.nodeNames());
  }

  @Test
  void twoTermsMatchFieldsDoesNotMatchButMatchExpressionsMatch() {
    Pod p = podWithTerms(List.of(fields(req("metadata.name", "In", "node1")), term(req("foo", "In", "bar"))));
    assertEquals(Status.SUCCESS, run(p, makeNode().name("node2").label("foo", "bar")));
    assertNull(plugin.preFilter(new CycleState(), PodInfo.of(p), List.of()).nodeNames(), "all nodes");
  }

  @Test
  void termsWithConflictingNodeNamesAreUnresolvableInPreFilter() {
    NodeSelectorTerm t = new NodeSelectorTermBuilder().withMatchFields(req("metadata.name", "In", "node1"),
        req("metadata.name", "In", "node2")).build();
    Status s = run(podWithTerms(List.of(t)), makeNode().name("node1"));
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of("pod affinity terms conflict"), s.reasons());
  }

  // ---- TestNodeAffinityPriority

  static Affinity preferred(Object[]... weightedTerms) {
    List<io.fabric8.kubernetes.api.model.PreferredSchedulingTerm> terms = new ArrayList<>();
    for (Object[] wt : weightedTerms) {
      terms.add(new PreferredSchedulingTermBuilder().withWeight((Integer) wt[0])
          .withPreference((NodeSelectorTerm) wt[1]).build());
    }
    return new AffinityBuilder().withNewNodeAffinity().withPreferredDuringSchedulingIgnoredDuringExecution(terms)
        .endNodeAffinity().build();
  }

  long[] scores(Pod pod, NodeWrapper... nodes) {
    PodInfo pi = PodInfo.of(pod);
    List<NodeInfo> infos = new ArrayList<>();
    for (NodeWrapper n : nodes) {
      infos.add(nodeInfo(n.obj()));
    }
    CycleState s = new CycleState();
    Status pre = plugin.preScore(s, pi, infos);
    long[] out = new long[infos.size()];
    if (pre.isSkip()) {
      return out;
    }
    for (int i = 0; i < out.length; i++) {
      out[i] = plugin.score(s, pi, infos.get(i));
    }
    plugin.normalizeScore(s, pi, infos, out);
    return out;
  }

  @Test
  void allNodesAreSameScoreWhenNoAffinity() {
    assertArrayEquals(new long[] {0, 0, 0}, scores(makePod().obj(), makeNode().name("node1").label("foo", "bar"),
        makeNode().name("node2").label("key", "value"), makeNode().name("node3").label("az", "az1")));
  }

  @Test
  void noNodeMatchesThePreferredTerms() {
    Pod p = makePod().obj();
    p.getSpec().setAffinity(preferred(new Object[] {2, term(req("foo", "In", "bar"))}));
    assertArrayEquals(new long[] {0, 0, 0}, scores(p, makeNode().name("node1").label("foo", "bar2"),
        makeNode().name("node2").label("key", "value"), makeNode().name("node3").label("az", "az1")));
  }

  @Test
  void onlyNode1MatchesThePreferredTerms() {
    Pod p = makePod().obj();
    p.getSpec().setAffinity(preferred(new Object[] {2, term(req("foo", "In", "bar"))}));
    assertArrayEquals(new long[] {100, 0, 0}, scores(p, makeNode().name("node1").label("foo", "bar"),
        makeNode().name("node2").label("key", "value"), makeNode().name("node3").label("az", "az1")));
  }

  @Test
  void allNodesMatchWithDifferentPriorities() {
    // weights 2 (foo=bar), 4 (key=value), 5 (foo=bar, key=value, az=az1): 2, 11, 4 -> 18, 100, 36
    Pod p = makePod().obj();
    p.getSpec().setAffinity(preferred(new Object[] {2, term(req("foo", "In", "bar"))},
        new Object[] {4, term(req("key", "In", "value"))},
        new Object[] {5, term(req("foo", "In", "bar"), req("key", "In", "value"), req("az", "In", "az1"))}));
    assertArrayEquals(new long[] {18, 100, 36}, scores(p, makeNode().name("node1").label("foo", "bar"),
        makeNode().name("node5").label("foo", "bar").label("key", "value").label("az", "az1"),
        makeNode().name("node2").label("key", "value")));
  }
}
