package io.kemu.scheduler.queue;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.kemu.scheduler.config.PluginRegistry;
import io.kemu.scheduler.config.Profiles;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Status;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** scheduling_queue_test.go: ordering, back-off, queueing hints, the 5 minute leftover flush, gates, nominations. */
class SchedulingQueueTest {
  private final AtomicLong now = new AtomicLong(1_000_000_000L);
  private final Framework fw = Profiles.build(ConfigFactory.parseString("schedulerName = default-scheduler"),
      PluginRegistry.inTree(), Framework.Environment.forTests());
  private final Map<String, List<ClusterEvent.WithHint>> events = fw.eventsToRegister();
  private final SchedulingQueue q = new SchedulingQueue(now::get, Duration.ofSeconds(1), Duration.ofSeconds(10),
      Duration.ofMinutes(5), name -> new SchedulingQueue.ProfileHooks() {
        public Status preEnqueue(Pod pod) {
          return fw.runPreEnqueuePlugins(pod);
        }

        public boolean less(io.kemu.scheduler.framework.Plugins.QueuedPodInfo a,
                            io.kemu.scheduler.framework.Plugins.QueuedPodInfo b) {
          return fw.less(a, b);
        }

        public Map<String, List<ClusterEvent.WithHint>> eventsToRegister() {
          return events;
        }
      }, null);

  private static PodInfo withPriority(String name, int priority) {
    return makePod().name(name).priority(priority).info();
  }

  private void tick(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void higherPriorityFirstThenOlderFirst() {
    q.add(withPriority("low", 0));
    tick(Duration.ofNanos(1));
    q.add(withPriority("high", 100));
    tick(Duration.ofNanos(1));
    q.add(withPriority("low2", 0));
    assertEquals("high", q.pop().podInfo().name());
    assertEquals("low", q.pop().podInfo().name());
    assertEquals("low2", q.pop().podInfo().name());
    assertNull(q.pop());
  }

  @Test
  void backoffDoublesFromOneSecondUpToTen() {
    assertEquals(Duration.ofSeconds(1), q.backoffDuration(1));
    assertEquals(Duration.ofSeconds(2), q.backoffDuration(2));
    assertEquals(Duration.ofSeconds(4), q.backoffDuration(3));
    assertEquals(Duration.ofSeconds(8), q.backoffDuration(4));
    assertEquals(Duration.ofSeconds(10), q.backoffDuration(5));
    assertEquals(Duration.ofSeconds(10), q.backoffDuration(30));
  }

  @Test
  void aPodRejectedForResourcesWaitsForANodeThatFitsThenForItsBackoff() {
    PodInfo p = makePod().name("p").req(res("cpu", "2")).info();
    q.add(p);
    QueueEntry e = q.pop();
    q.addUnschedulableIfNotPresent(e, Set.of("NodeResourcesFit"), Set.of());
    assertEquals("unschedulable", q.whereIs(p.uid()));
    // a node too small does not help (NodeResourcesFit's queueing hint)
    Node small = makeNode().name("small").capacity(res("cpu", "1", "pods", "10")).obj();
    assertEquals(0, q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD, null, small, null));
    assertEquals("unschedulable", q.whereIs(p.uid()));
    // a big enough node does; within its 1 s back-off it waits in backoffQ
    Node big = makeNode().name("big").capacity(res("cpu", "4", "pods", "10")).obj();
    assertEquals(1, q.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD, null, big, null));
    assertEquals("backoff", q.whereIs(p.uid()));
    assertNull(q.pop(), "still within its 1 s back-off");
    tick(Duration.ofMillis(1001));
    assertEquals("p", q.pop().podInfo().name());
  }

  @Test
  void eventsThePluginsDidNotRegisterMoveNothing() {
    PodInfo p = makePod().name("p").info();
    q.add(p);
    q.addUnschedulableIfNotPresent(q.pop(), Set.of("NodeAffinity"), Set.of());
    // NodeAffinity registers node add and label changes, not pod deletions
    Pod deleted = makePod().name("other").node("n1").obj();
    assertEquals(0, q.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE, deleted, null, null));
    assertEquals("unschedulable", q.whereIs(p.uid()));
  }

  @Test
  void aScheduledPodDeletedFreesResources() {
    PodInfo p = makePod().name("p").req(res("cpu", "2")).info();
    q.add(p);
    q.addUnschedulableIfNotPresent(q.pop(), Set.of("NodeResourcesFit"), Set.of());
    tick(Duration.ofSeconds(2));
    Pod deleted = makePod().name("other").node("n1").obj();
    assertEquals(1, q.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE, deleted, null, null));
    assertEquals("active", q.whereIs(p.uid()), "back-off already over");
  }

  @Test
  void unschedulablePodsAreRetriedAfterFiveMinutesAnyway() {
    PodInfo p = makePod().name("p").info();
    q.add(p);
    q.addUnschedulableIfNotPresent(q.pop(), Set.of("NodeAffinity"), Set.of());
    tick(Duration.ofMinutes(4));
    q.flushUnschedulablePodsLeftover();
    assertEquals("unschedulable", q.whereIs(p.uid()));
    tick(Duration.ofMinutes(1).plusSeconds(1));
    q.flushUnschedulablePodsLeftover();
    assertEquals("active", q.whereIs(p.uid()));
  }

  @Test
  void errorsGoStraightToBackoff() {
    PodInfo p = makePod().name("p").info();
    q.add(p);
    QueueEntry e = q.pop();
    q.addUnschedulableIfNotPresent(e, Set.of(), Set.of());
    assertEquals("backoff", q.whereIs(p.uid()));
    tick(Duration.ofMillis(999));
    q.flushBackoffQCompleted();
    assertEquals("backoff", q.whereIs(p.uid()));
    tick(Duration.ofMillis(2));
    q.flushBackoffQCompleted();
    assertEquals("active", q.whereIs(p.uid()));
    assertEquals(2, q.pop().attempts());
  }

  @Test
  void anUpdateOfTheUnschedulablePodItselfRetriesIt() {
    Pod pod = makePod().name("p").obj();
    q.add(PodInfo.of(pod));
    q.addUnschedulableIfNotPresent(q.pop(), Set.of("NodeAffinity"), Set.of());
    tick(Duration.ofSeconds(2));
    Pod statusOnly = io.kemu.api.KubeJson.copy(pod);
    statusOnly.getStatus().setNominatedNodeName("x");
    q.update(PodInfo.of(statusOnly));
    assertEquals("unschedulable", q.whereIs(pod.getMetadata().getUid()), "a status change helps nothing");
    Pod relabeled = io.kemu.api.KubeJson.copy(pod);
    relabeled.getMetadata().getLabels().put("x", "y");
    q.update(PodInfo.of(relabeled));
    assertEquals("active", q.whereIs(pod.getMetadata().getUid()));
  }

  @Test
  void gatedPodsWaitUntilTheirGatesAreRemoved() {
    Pod pod = makePod().name("gated").obj();
    pod.getSpec().setSchedulingGates(List.of(new PodSchedulingGate("example.com/wait")));
    q.add(PodInfo.of(pod));
    assertNull(q.pop());
    assertEquals(Map.of("active", 0, "backoff", 0, "unschedulable", 0, "gated", 1), q.pendingByQueue());
    Pod open = io.kemu.api.KubeJson.copy(pod);
    open.getSpec().setSchedulingGates(List.of());
    q.update(PodInfo.of(open));
    assertEquals("gated", q.pop().podInfo().name());
  }

  @Test
  void nominatedPodsAreListedByNode() {
    PodInfo p = makePod().name("p").priority(10).info();
    q.addNominatedPod(p, "node-1");
    assertEquals(List.of(p), q.nominatedPodsForNode("node-1"));
    q.addNominatedPod(p, "node-2");
    assertEquals(List.of(), q.nominatedPodsForNode("node-1"));
    assertEquals(List.of(p), q.nominatedPodsForNode("node-2"));
    q.delete(p.uid());
    assertEquals(List.of(), q.nominatedPodsForNode("node-2"));
  }
}
