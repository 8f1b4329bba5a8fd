package io.kemu.scheduler.framework;

import static io.kemu.scheduler.Fixtures.info;
import static io.kemu.scheduler.Fixtures.node;
import static io.kemu.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.kemu.scheduler.SchedulerRole;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class FrameworkTest {
  private final Framework framework = SchedulerRole.defaultProfile("default-scheduler");

  @Test
  void fitErrorCountsEachReasonPerNodeSortedLikeKubeScheduler() {
    Map<String, Status> statuses = new LinkedHashMap<>();
    statuses.put("a", Status.unschedulable("Insufficient cpu", "Insufficient memory"));
    statuses.put("b", Status.unschedulable("Insufficient cpu"));
    statuses.put("c", Status.unresolvable("node(s) didn't match Pod's node affinity/selector"));
    assertEquals("0/3 nodes are available: 1 Insufficient memory, 1 node(s) didn't match Pod's node "
        + "affinity/selector, 2 Insufficient cpu.", new FitError(3, statuses, "", "").message());
    assertEquals("no nodes available to schedule pods", FitError.NO_NODES.message());
  }

  @Test
  void aPodNoNodeFitsGetsTheAcceptanceMessage() {
    var nodes = List.of(info(node("n1", "8", "32Gi", 110)), info(node("n2", "8", "32Gi", 110)),
        info(node("n3", "8", "32Gi", 110)), info(node("n4", "8", "32Gi", 110)));
    var r = framework.schedule(new CycleState(), pod("big", "100", null), nodes);
    assertFalse(r.isSuccess());
    assertEquals("0/4 nodes are available: 4 Insufficient cpu.", r.fitError().message());
  }

  @Test
  void theLeastAllocatedNodeWins() {
    var busy = info(node("busy", "4", "8Gi", 110), pod("x", "3", "6Gi"));
    var idle = info(node("idle", "4", "8Gi", 110));
    for (int i = 0; i < 20; i++) {
      assertEquals("idle", framework.schedule(new CycleState(), pod("p" + i, "100m", "100Mi"),
          List.of(busy, idle)).node());
    }
  }
}
