package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makePod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.kemu.scheduler.framework.Plugins.QueuedPodInfo;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestLess (queuesort/priority_sort_test.go) and TestPreEnqueue (schedulinggates/scheduling_gates_test.go). */
class QueueSortAndGatesTest {
  final PrioritySort sort = new PrioritySort();

  @Test
  void p1HasHigherPriorityThanP2() {
    assertTrue(sort.less(new QueuedPodInfo(makePod().priority(100).info(), 2, 0),
        new QueuedPodInfo(makePod().priority(50).info(), 1, 0)));
  }

  @Test
  void p1HasLowerPriorityThanP2() {
    assertFalse(sort.less(new QueuedPodInfo(makePod().priority(50).info(), 1, 0),
        new QueuedPodInfo(makePod().priority(100).info(), 2, 0)));
  }

  @Test
  void equalPriorityP1AddedToScheduleQueueEarlierThanP2() {
    assertTrue(sort.less(new QueuedPodInfo(makePod().priority(100).info(), 1, 0),
        new QueuedPodInfo(makePod().priority(100).info(), 2, 0)));
  }

  @Test
  void equalPriorityP2AddedToScheduleQueueEarlierThanP1() {
    assertFalse(sort.less(new QueuedPodInfo(makePod().priority(100).info(), 2, 0),
        new QueuedPodInfo(makePod().priority(100).info(), 1, 0)));
  }

  @Test
  void podWithoutSchedulingGatesIsEnqueued() {
    assertEquals(Status.SUCCESS, new SchedulingGates().preEnqueue(makePod().obj()));
  }

  @Test
  void podWithSchedulingGatesWaits() {
    Pod p = makePod().obj();
    p.getSpec().setSchedulingGates(List.of(new PodSchedulingGate("foo"), new PodSchedulingGate("bar")));
    Status s = new SchedulingGates().preEnqueue(p);
    assertEquals(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE, s.code());
    assertEquals(List.of("waiting for scheduling gates: [foo bar]"), s.reasons());
  }
}
