package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfo;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestNodeUnschedulable (node_unschedulable_test.go). */
class NodeUnschedulableTest {
  final NodeUnschedulable plugin = new NodeUnschedulable();

  @Test
  void doesNotScheduleToUnschedulableNode() {
    Status s = plugin.filter(new CycleState(), makePod().info(), nodeInfo(makeNode().name("n").unschedulable().obj()));
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of("node(s) were unschedulable"), s.reasons());
  }

  @Test
  void schedulesToSchedulableNode() {
    assertEquals(Status.SUCCESS, plugin.filter(new CycleState(), makePod().info(), nodeInfo(makeNode().name("n")
        .obj())));
  }

  @Test
  void schedulesToUnschedulableNodeWithPodToleratingTheUnschedulableTaint() {
    assertEquals(Status.SUCCESS, plugin.filter(new CycleState(),
        makePod().toleration("node.kubernetes.io/unschedulable", "Exists", null, "NoSchedule").info(),
        nodeInfo(makeNode().name("n").unschedulable().obj())));
  }
}
