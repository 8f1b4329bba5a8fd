package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.kemu.scheduler.Fixtures.NodeWrapper;
import io.kemu.scheduler.Fixtures.PodWrapper;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Status;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestTaintTolerationFilter and TestTaintTolerationScore (taint_toleration_test.go). */
class TaintTolerationTest {
  final TaintToleration plugin = new TaintToleration();

  static NodeWrapper node(String name) {
    return makeNode().name(name);
  }

  Status filter(PodWrapper pod, Node node) {
    return plugin.filter(new CycleState(), pod.info(), nodeInfo(node));
  }

  static final String UNTOLERATED = "node(s) had untolerated taint {dedicated: user1}";

  @Test
  void aPodHavingNoTolerationsCantBeScheduledOntoANodeWithNonemptyTaints() {
    Status s = filter(makePod(), node("nodeA").taint("dedicated", "user1", "NoSchedule").obj());
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of(UNTOLERATED), s.reasons());
  }

  @Test
  void aPodWhichCanBeScheduledOnADedicatedNodeAssignedToUser1() {
    assertEquals(Status.SUCCESS, filter(makePod().toleration("dedicated", "Equal", "user1", "NoSchedule"),
        node("nodeA").taint("dedicated", "user1", "NoSchedule").obj()));
  }

  @Test
  void aPodWhichCantBeScheduledOnADedicatedNodeAssignedToUser2() {
    Status s = filter(makePod().toleration("dedicated", "Equal", "user2", "NoSchedule"),
        node("nodeA").taint("dedicated", "user1", "NoSchedule").obj());
    assertEquals(List.of(UNTOLERATED), s.reasons());
  }

  @Test
  void aTolerationWithOperatorExistsToleratesTheTaints() {
    assertEquals(Status.SUCCESS, filter(makePod().toleration("foo", "Exists", null, "NoSchedule"),
        node("nodeA").taint("foo", "bar", "NoSchedule").obj()));
  }

  @Test
  void multipleTolerationsMultipleTaintsAllTolerated() {
    assertEquals(Status.SUCCESS, filter(makePod().toleration("dedicated", "Equal", "user2", "NoSchedule")
        .toleration("foo", "Exists", null, "NoSchedule"), node("nodeA").taint("dedicated", "user2", "NoSchedule")
        .taint("foo", "bar", "NoSchedule").obj()));
  }

  @Test
  void keysAndValuesMatchButNonEmptyEffectDoesNot() {
    Status s = filter(makePod().toleration("foo", "Equal", "bar", "PreferNoSchedule"),
        node("nodeA").taint("foo", "bar", "NoSchedule").obj());
    assertEquals(List.of("node(s) had untolerated taint {foo: bar}"), s.reasons());
  }

  @Test
  void emptyTolerationEffectMatchesNoSchedule() {
    assertEquals(Status.SUCCESS, filter(makePod().toleration("foo", "Equal", "bar", null),
        node("nodeA").taint("foo", "bar", "NoSchedule").obj()));
  }

  @Test
  void preferNoScheduleTaintsNeverFilter() {
    assertEquals(Status.SUCCESS, filter(makePod().toleration("dedicated", "Equal", "user2", "NoSchedule"),
        node("nodeA").taint("dedicated", "user1", "PreferNoSchedule").obj()));
    assertEquals(Status.SUCCESS, filter(makePod(), node("nodeA").taint("dedicated", "user1", "PreferNoSchedule")
        .obj()));
  }

  @Test
  void noExecuteTaintsFilterToo() {
    Status s = filter(makePod(), node("nodeA").taint("dedicated", "user1", "NoExecute").obj());
    assertEquals(List.of(UNTOLERATED), s.reasons());
  }

  long[] scores(PodWrapper pod, Node... nodes) {
    PodInfo pi = pod.info();
    List<NodeInfo> infos = new ArrayList<>();
    for (Node n : nodes) {
      infos.add(nodeInfo(n));
    }
    CycleState s = new CycleState();
    plugin.preScore(s, pi, infos);
    long[] out = new long[infos.size()];
    for (int i = 0; i < out.length; i++) {
      out[i] = plugin.score(s, pi, infos.get(i));
    }
    plugin.normalizeScore(s, pi, infos, out);
    return out;
  }

  @Test
  void nodeWithTaintsToleratedScoresHigherThanOneWithIntolerableTaints() {
    assertArrayEquals(new long[] {100, 0}, scores(makePod().toleration("foo", "Equal", "bar", "PreferNoSchedule"),
        node("nodeA").taint("foo", "bar", "PreferNoSchedule").obj(),
        node("nodeB").taint("foo", "blah", "PreferNoSchedule").obj()));
  }

  @Test
  void nodesWhoseTaintsAreAllToleratedGetTheSameScore() {
    assertArrayEquals(new long[] {100, 100, 100}, scores(makePod()
            .toleration("cpu-type", "Equal", "arm64", "PreferNoSchedule")
            .toleration("disk-type", "Equal", "ssd", "PreferNoSchedule"),
        node("nodeA").obj(), node("nodeB").taint("cpu-type", "arm64", "PreferNoSchedule").obj(),
        node("nodeC").taint("cpu-type", "arm64", "PreferNoSchedule").taint("disk-type", "ssd", "PreferNoSchedule")
            .obj()));
  }

  @Test
  void theMoreIntolerableTaintsTheLowerTheScore() {
    assertArrayEquals(new long[] {100, 50, 0}, scores(makePod().toleration("foo", "Equal", "bar", "PreferNoSchedule"),
        node("nodeA").obj(), node("nodeB").taint("cpu-type", "arm64", "PreferNoSchedule").obj(),
        node("nodeC").taint("cpu-type", "arm64", "PreferNoSchedule").taint("disk-type", "ssd", "PreferNoSchedule")
            .obj()));
  }

  @Test
  void onlyPreferNoScheduleTaintsAndTolerationsAreChecked() {
    assertArrayEquals(new long[] {100, 100, 0}, scores(makePod()
            .toleration("cpu-type", "Equal", "arm64", "NoSchedule").toleration("disk-type", "Equal", "ssd", null),
        node("nodeA").obj(), node("nodeB").taint("cpu-type", "arm64", "NoSchedule").obj(),
        node("nodeC").taint("cpu-type", "arm64", "PreferNoSchedule").taint("disk-type", "ssd", "PreferNoSchedule")
            .obj()));
  }

  @Test
  void defaultBehaviourNoTaintsAndTolerationsLandsOnNodeWithNoTaints() {
    assertArrayEquals(new long[] {100, 0}, scores(makePod(), node("nodeA").obj(),
        node("nodeB").taint("cpu-type", "arm64", "PreferNoSchedule").obj()));
  }

  private static void assertArrayEquals(long[] want, long[] got) {
    org.junit.jupiter.api.Assertions.assertArrayEquals(want, got);
  }
}
