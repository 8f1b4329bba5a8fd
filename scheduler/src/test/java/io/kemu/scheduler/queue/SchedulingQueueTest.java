package io.kemu.scheduler.queue;

import static io.kemu.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class SchedulingQueueTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final SchedulingQueue q = new SchedulingQueue(now::get, Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofMinutes(5));

  private static Pod withPriority(String name, int priority) {
    Pod p = pod(name, null, null);
    p.getSpec().setPriority(priority);
    return p;
  }

  @Test
  void higherPriorityFirstThenOlderFirst() {
    q.addOrUpdate(withPriority("low", 0));
    now.addAndGet(1);
    q.addOrUpdate(withPriority("high", 100));
    now.addAndGet(1);
    q.addOrUpdate(withPriority("low2", 0));
    assertEquals("high", q.pop().pod().getMetadata().getName());
    assertEquals("low", q.pop().pod().getMetadata().getName());
    assertEquals("low2", q.pop().pod().getMetadata().getName());
    assertNull(q.pop());
  }

  @Test
  void backoffDoublesFromOneSecondUpToTen() {
    assertEquals(Duration.ofSeconds(1), q.backoffDuration(1));
    assertEquals(Duration.ofSeconds(2), q.backoffDuration(2));
    assertEquals(Duration.ofSeconds(8), q.backoffDuration(4));
    assertEquals(Duration.ofSeconds(10), q.backoffDuration(5));
    assertEquals(Duration.ofSeconds(10), q.backoffDuration(30));
  }

  @Test
  void anUnschedulablePodWaitsForAnEventThenItsBackoff() {
    q.addOrUpdate(pod("p", null, null));
    var entry = q.pop();
    q.unschedulable(entry);
    assertNull(q.pop(), "parked");
    q.moveAllUnschedulable(); // a node was added
    assertNull(q.pop(), "still within its 1 s back-off");
    now.addAndGet(Duration.ofMillis(1001).toNanos());
    assertEquals("p", q.pop().pod().getMetadata().getName());
  }

  @Test
  void unschedulablePodsAreRetriedAfterFiveMinutesAnyway() {
    q.addOrUpdate(pod("p", null, null));
    q.unschedulable(q.pop());
    now.addAndGet(Duration.ofMinutes(4).toNanos());
    q.flush();
    assertNull(q.pop());
    now.addAndGet(Duration.ofMinutes(1).toNanos());
    q.flush();
    assertEquals("p", q.pop().pod().getMetadata().getName());
  }

  @Test
  void deletedPodsLeaveEveryQueue() {
    Pod p = pod("p", null, null);
    q.addOrUpdate(p);
    q.delete(p.getMetadata().getUid());
    assertNull(q.pop());
  }
}
