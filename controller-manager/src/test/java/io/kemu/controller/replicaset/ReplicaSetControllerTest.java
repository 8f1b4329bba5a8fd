package io.kemu.controller.replicaset;

import static io.kemu.controller.Fixtures.pod;
import static io.kemu.controller.Fixtures.rs;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.testing.FakeKubeClient.Action;
import io.kemu.controller.Fixtures;
import io.kemu.controller.Harness;
import io.kemu.controller.OwnerRefs;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** pkg/controller/replicaset's behaviours against the fake API (replica_set_test.go's cases, in kemu's terms). */
class ReplicaSetControllerTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Map<String, String> APP = Map.of("app", "web");

  Harness h;
  ReplicaSetController rsc;

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    h = new Harness(kit.system());
  }

  void start(Object... objs) throws Exception {
    for (Object o : objs) {
      h.api.seed((io.fabric8.kubernetes.api.model.HasMetadata) o);
    }
    rsc = new ReplicaSetController(h.context);
    h.start(rsc, List.of(ReplicaSet.class, Pod.class));
  }

  List<Pod> podsOf(ReplicaSet rs) {
    return h.api.all(Pod.class).stream().filter(p -> OwnerRefs.isControlledBy(p, rs)).toList();
  }

  ReplicaSet stored(String name) {
    return h.api.peek(ReplicaSet.class, "default", name);
  }

  @Test
  void createsMissingPodsInSlowStartBatchesWithOwnerReferences() throws Exception {
    ReplicaSet rs = rs("web", 5, APP);
    start(rs);
    h.sync(rsc, "default/web");
    List<Pod> pods = podsOf(stored("web"));
    assertEquals(5, pods.size());
    for (Pod p : pods) {
      assertTrue(p.getMetadata().getName().startsWith("web-"), p.getMetadata().getName());
      assertEquals(APP, p.getMetadata().getLabels());
      assertEquals(Boolean.TRUE, OwnerRefs.controllerOf(p).getBlockOwnerDeletion());
    }
    assertEquals(5, h.events.stream().filter(e -> e.startsWith("Normal SuccessfulCreate Created pod: web-")).count());
    // The status counts the pods the sync started from (none), as upstream's calculateStatus does.
    assertEquals(0, stored("web").getStatus().getReplicas());
    assertEquals(1L, stored("web").getStatus().getObservedGeneration());
    // Every creation observed: the expectations are met, a second pass creates nothing and counts them.
    assertTrue(rsc.expectations().satisfied("default/web"));
    h.api.clearActions();
    h.sync(rsc, "default/web");
    assertEquals(0, h.api.actions("create", "pods").size());
    assertEquals(5, stored("web").getStatus().getReplicas());
  }

  @Test
  void slowStartStopsAfterTheFirstFailingBatch() throws Exception {
    start(rs("web", 10, APP));
    // batches 1, 2, 4, 3: the second call of the second batch fails, so the third batch is never sent.
    int[] calls = {0};
    h.api.failNext(a -> a.is("create", "pods") && ++calls[0] == 3,
        new StatusException(403, "Forbidden", "exceeded quota: q"));
    ExecutionException e = assertThrows(ExecutionException.class,
        () -> rsc.sync("default/web").toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertTrue(e.getCause().getMessage().contains("exceeded quota"), e.getCause().getMessage());
    h.settle();
    assertEquals(3, h.api.actions("create", "pods").size());
    assertEquals(2, podsOf(stored("web")).size());
    assertTrue(h.events.contains("Warning FailedCreate Error creating: exceeded quota: q"), h.events.toString());
    // The creations never sent are not expected: the next sync may act.
    assertTrue(rsc.expectations().satisfied("default/web"));
    var failure = stored("web").getStatus().getConditions().get(0);
    assertEquals("ReplicaFailure", failure.getType());
    assertEquals("FailedCreate", failure.getReason());
    h.sync(rsc, "default/web");
    assertEquals(10, podsOf(stored("web")).size());
    assertTrue(stored("web").getStatus().getConditions().isEmpty(), "ReplicaFailure removed once creating works");
  }

  @Test
  void outstandingExpectationsHoldTheControllerBack() throws Exception {
    start(rs("web", 3, APP));
    rsc.expectations().expectCreations("default/web", 2);
    h.sync(rsc, "default/web");
    assertEquals(0, h.api.actions("create", "pods").size(), "creations in flight: no new ones");
    // After the expectations time out (5 minutes), the controller acts again.
    h.clock.advance(Duration.ofMinutes(5).plusSeconds(1));
    h.sync(rsc, "default/web");
    assertEquals(3, h.api.actions("create", "pods").size());
  }

  @Test
  void scalingDownDeletesPodsInActivePodsOrder() throws Exception {
    ReplicaSet rs = rs("web", 2, APP);
    Instant t0 = h.clock.instant().minus(Duration.ofHours(1));
    start(rs,
        pod("running-old", APP, rs, "node-1", "Running", true, t0),
        pod("pending", APP, rs, "node-1", "Pending", false, t0),
        pod("unscheduled", APP, rs, null, "Pending", false, t0),
        pod("running-notready", APP, rs, "node-2", "Running", false, t0),
        pod("running-young", APP, rs, "node-2", "Running", true, h.clock.instant().minusSeconds(5)));
    h.sync(rsc, "default/web");
    Set<String> deleted = h.api.actions("delete", "pods").stream().map(Action::name).collect(Collectors.toSet());
    assertEquals(Set.of("unscheduled", "pending", "running-notready"), deleted);
    assertEquals(Set.of("running-old", "running-young"),
        podsOf(stored("web")).stream().map(p -> p.getMetadata().getName()).collect(Collectors.toSet()));
    assertEquals(3, h.events.stream().filter(e -> e.startsWith("Normal SuccessfulDelete")).count());
  }

  @Test
  void youngerReadyPodGoesFirstAndDoubledUpNodesBeforeSpreadOnes() {
    Instant now = Instant.parse("2026-01-01T00:00:00Z");
    ReplicaSet rs = rs("web", 1, APP);
    Pod a = pod("a", APP, rs, "node-1", "Running", true, now.minus(Duration.ofHours(10)));
    Pod b = pod("b", APP, rs, "node-2", "Running", true, now.minus(Duration.ofMinutes(1)));
    assertEquals(List.of(b), io.kemu.controller.PodUtil.podsToDelete(List.of(a, b), List.of(a, b), 1, now));
    // Same age: the pod sharing its node with another related pod goes first.
    Pod c = pod("c", APP, rs, "node-1", "Running", true, now.minus(Duration.ofHours(10)));
    Pod d = pod("d", APP, rs, "node-2", "Running", true, now.minus(Duration.ofHours(10)));
    Pod sibling = pod("sibling", APP, null, "node-1", "Running", true, now);
    assertEquals(List.of(c), io.kemu.controller.PodUtil.podsToDelete(List.of(c, d), List.of(c, d, sibling), 1, now));
    // A pod-deletion-cost lower than the others' wins over everything but readiness and phase.
    d.getMetadata().setAnnotations(Map.of("controller.kubernetes.io/pod-deletion-cost", "-10"));
    assertEquals(List.of(d), io.kemu.controller.PodUtil.podsToDelete(List.of(c, d), List.of(c, d, sibling), 1, now));
  }

  @Test
  void adoptsMatchingOrphansAndReleasesPodsThatNoLongerMatch() throws Exception {
    ReplicaSet rs = rs("web", 2, APP);
    Instant t0 = h.clock.instant();
    start(rs,
        pod("orphan", APP, null, "node-1", "Running", true, t0),
        pod("relabelled", Map.of("app", "other"), rs, "node-1", "Running", true, t0),
        pod("mine", APP, rs, "node-1", "Running", true, t0));
    h.sync(rsc, "default/web");
    assertTrue(OwnerRefs.isControlledBy(h.api.peek(Pod.class, "default", "orphan"), rs), "orphan adopted");
    assertTrue(h.api.peek(Pod.class, "default", "relabelled").getMetadata().getOwnerReferences().isEmpty(),
        "released");
    assertEquals(0, h.api.actions("create", "pods").size(), "adopted orphan counts: no creation");
    assertEquals(2, stored("web").getStatus().getReplicas());
  }

  @Test
  void statusCountsReadyAndAvailableWithMinReadySeconds() throws Exception {
    ReplicaSet rs = rs("web", 3, APP);
    rs.getSpec().setMinReadySeconds(10);
    rs.getSpec().getTemplate().getMetadata().setLabels(Map.of("app", "web", "tier", "front"));
    Instant now = h.clock.instant();
    start(rs,
        pod("long-ready", Map.of("app", "web", "tier", "front"), rs, "node-1", "Running", true,
            now.minusSeconds(60)),
        pod("just-ready", APP, rs, "node-1", "Running", true, now.minusSeconds(3)),
        pod("starting", APP, rs, "node-1", "Running", false, now));
    h.sync(rsc, "default/web");
    var st = stored("web").getStatus();
    assertEquals(3, st.getReplicas());
    assertEquals(1, st.getFullyLabeledReplicas());
    assertEquals(2, st.getReadyReplicas());
    assertEquals(1, st.getAvailableReplicas());
    // Once just-ready has been ready for minReadySeconds it counts as available.
    h.clock.advance(Duration.ofSeconds(8));
    h.sync(rsc, "default/web");
    assertEquals(2, stored("web").getStatus().getAvailableReplicas());
  }

  @Test
  void podHandlersObserveCreationsAndDeletionsAndWakeOwners() throws Exception {
    ReplicaSet rs = rs("web", 1, APP);
    start(rs);
    h.queued.clear();
    rsc.expectations().expectCreations("default/web", 1);
    h.api.create(pod("p", APP, rs, "node-1", "Running", false, h.clock.instant())).toCompletableFuture().get();
    Harness.await("the pod's owner queued", () -> h.queued.contains("default/web"));
    Harness.await("the creation observed", () -> rsc.expectations().satisfied("default/web"));
    // A graceful deletion counts as the deletion at once.
    rsc.expectations().expectDeletions("default/web", List.of("default/p"));
    h.api.delete(Pod.class, "default", "p", new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
        .withGracePeriodSeconds(30L).build()).toCompletableFuture().get();
    assertTrue(h.api.peek(Pod.class, "default", "p").getMetadata().getDeletionTimestamp() != null);
    Harness.await("the deletion observed", () -> rsc.expectations().satisfied("default/web"));
    // An orphan wakes every ReplicaSet whose selector matches.
    h.queued.clear();
    h.api.create(pod("stray", APP, null, null, "Pending", false, h.clock.instant())).toCompletableFuture().get();
    Harness.await("the matching ReplicaSet queued", () -> h.queued.contains("default/web"));
  }

  @Test
  void deletedReplicaSetIsForgotten() throws Exception {
    start();
    h.sync(rsc, "default/gone");
    assertEquals(0, h.api.actions().stream().filter(a -> !a.verb().equals("list") && !a.verb().equals("watch"))
        .count());
  }

  @Test
  void templateWithoutLabelsIsNotCreated() throws Exception {
    ReplicaSet rs = Fixtures.rs("web", 1, APP);
    rs.getSpec().getTemplate().getMetadata().setLabels(null);
    start(rs);
    assertThrows(ExecutionException.class,
        () -> rsc.sync("default/web").toCompletableFuture().get(10, TimeUnit.SECONDS));
    assertEquals(0, h.api.actions("create", "pods").size());
  }
}
