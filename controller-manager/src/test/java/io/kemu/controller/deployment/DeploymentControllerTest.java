package io.kemu.controller.deployment;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import io.kemu.api.KubeJson;
import io.kemu.controller.Fixtures;
import io.kemu.controller.Harness;
import io.kemu.controller.OwnerRefs;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** pkg/controller/deployment's rollouts against the fake API; ReplicaSet statuses are set by the test. */
class DeploymentControllerTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Map<String, String> APP = Map.of("app", "web");

  Harness h;
  DeploymentController dc;

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() {
    h = new Harness(kit.system());
  }

  /** As the apiserver stores `kubectl create deployment web --image=nginx:1.20.2 --replicas=N`. */
  static Deployment deployment(int replicas, String image) {
    return new DeploymentBuilder().withNewMetadata().withNamespace("default").withName("web").withUid("web-uid")
        .withGeneration(1L).withLabels(APP).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(APP).endSelector()
        .withTemplate(Fixtures.template(APP, image))
        .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
        .withMaxSurge(new IntOrString("25%")).withMaxUnavailable(new IntOrString("25%")).endRollingUpdate()
        .endStrategy().withRevisionHistoryLimit(10).withProgressDeadlineSeconds(600).endSpec().build();
  }

  void start(Deployment d) throws Exception {
    h.api.seed(d);
    dc = new DeploymentController(h.context);
    h.start(dc, List.of(Deployment.class, ReplicaSet.class, Pod.class));
  }

  Deployment stored() {
    return h.api.peek(Deployment.class, "default", "web");
  }

  List<ReplicaSet> replicaSets() {
    List<ReplicaSet> all = new java.util.ArrayList<>(h.api.all(ReplicaSet.class));
    all.sort(Comparator.comparing(rs -> rs.getMetadata().getCreationTimestamp() + rs.getMetadata().getName()));
    return all;
  }

  ReplicaSet rsWithImage(String image) {
    return replicaSets().stream().filter(rs -> rs.getSpec().getTemplate().getSpec().getContainers().get(0)
        .getImage().equals(image)).findFirst().orElse(null);
  }

  /** What the ReplicaSet controller and the kubelets would report: every replica there, ready and available. */
  void replicaSetsCatchUp() throws Exception {
    for (ReplicaSet rs : h.api.all(ReplicaSet.class)) {
      int n = rs.getSpec().getReplicas();
      ReplicaSetStatus st = new ReplicaSetStatus();
      st.setReplicas(n);
      st.setReadyReplicas(n == 0 ? null : n);
      st.setAvailableReplicas(n == 0 ? null : n);
      st.setObservedGeneration(rs.getMetadata().getGeneration());
      rs.setStatus(st);
      h.api.updateStatus(rs).toCompletableFuture().get();
    }
    h.settle();
  }

  void update(Deployment d) throws Exception {
    h.api.update(d).toCompletableFuture().get();
    h.settle();
  }

  void sync() throws Exception {
    h.sync(dc, "default/web");
  }

  static DeploymentCondition cond(Deployment d, String type) {
    return DeploymentUtil.condition(d.getStatus(), type);
  }

  @Test
  void newDeploymentCreatesItsReplicaSetAndCompletes() throws Exception {
    start(deployment(3, "nginx:1.20.2"));
    sync();
    List<ReplicaSet> rss = replicaSets();
    assertEquals(1, rss.size());
    ReplicaSet rs = rss.get(0);
    String hash = rs.getMetadata().getLabels().get("pod-template-hash");
    assertNotNull(hash);
    assertEquals("web-" + hash, rs.getMetadata().getName());
    assertEquals(hash, rs.getSpec().getSelector().getMatchLabels().get("pod-template-hash"));
    assertEquals(hash, rs.getSpec().getTemplate().getMetadata().getLabels().get("pod-template-hash"));
    assertEquals(3, rs.getSpec().getReplicas());
    assertEquals("1", rs.getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
    assertEquals("3", rs.getMetadata().getAnnotations().get(DeploymentUtil.DESIRED_REPLICAS));
    assertEquals("4", rs.getMetadata().getAnnotations().get(DeploymentUtil.MAX_REPLICAS));
    assertTrue(OwnerRefs.isControlledBy(rs, stored()));
    assertEquals("1", stored().getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
    assertEquals(1L, stored().getMetadata().getGeneration(), "the revision annotation does not bump generation");
    assertTrue(h.events.contains("Normal ScalingReplicaSet Scaled up replica set web-" + hash + " from 0 to 3"),
        h.events.toString());
    DeploymentCondition progressing = cond(stored(), "Progressing");
    assertEquals("NewReplicaSetCreated", progressing.getReason());
    assertEquals("Created new replica set \"web-" + hash + "\"", progressing.getMessage());
    assertEquals("False", cond(stored(), "Available").getStatus());
    assertEquals("MinimumReplicasUnavailable", cond(stored(), "Available").getReason());
    assertEquals(1L, stored().getStatus().getObservedGeneration());

    replicaSetsCatchUp();
    sync();
    Deployment d = stored();
    assertEquals(3, d.getStatus().getReplicas());
    assertEquals(3, d.getStatus().getUpdatedReplicas());
    assertEquals(3, d.getStatus().getReadyReplicas());
    assertEquals(3, d.getStatus().getAvailableReplicas());
    assertNull(d.getStatus().getUnavailableReplicas());
    assertEquals("MinimumReplicasAvailable", cond(d, "Available").getReason());
    assertEquals("Deployment has minimum availability.", cond(d, "Available").getMessage());
    assertEquals("NewReplicaSetAvailable", cond(d, "Progressing").getReason());
    assertEquals("ReplicaSet \"web-" + hash + "\" has successfully progressed.", cond(d, "Progressing").getMessage());
    // A further sync with nothing new writes nothing.
    h.api.clearActions();
    sync();
    assertTrue(h.api.actions().stream().noneMatch(a -> a.verb().equals("update") || a.verb().equals("create")),
        h.api.actions().toString());
  }

  @Test
  void podTemplateHashIsStableAndFollowsTheTemplateAndCollisionCount() {
    PodTemplateSpec a = Fixtures.template(APP, "nginx:1.20.2");
    PodTemplateSpec b = Fixtures.template(APP, "nginx:1.20.2");
    assertEquals(DeploymentUtil.computeHash(a, null), DeploymentUtil.computeHash(b, null));
    assertNotEquals(DeploymentUtil.computeHash(a, null),
        DeploymentUtil.computeHash(Fixtures.template(APP, "nginx:1.21"), null));
    assertNotEquals(DeploymentUtil.computeHash(a, null), DeploymentUtil.computeHash(a, 1));
    assertTrue(DeploymentUtil.computeHash(a, null).matches("[bcdfghjklmnpqrstvwxz2456789]+"));
    PodTemplateSpec hashed = KubeJson.copy(a);
    hashed.getMetadata().setLabels(Map.of("app", "web", "pod-template-hash", "abc"));
    assertTrue(DeploymentUtil.equalIgnoreHash(a, hashed));
  }

  @Test
  void fencepostsFollowUpstreamRounding() {
    assertEquals(List.of(1, 0), List.of(DeploymentUtil.resolveFenceposts(new IntOrString("25%"),
        new IntOrString("25%"), 3)[0], DeploymentUtil.resolveFenceposts(new IntOrString("25%"),
        new IntOrString("25%"), 3)[1]));
    int[] ten = DeploymentUtil.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 10);
    assertEquals(3, ten[0]);
    assertEquals(2, ten[1]);
    int[] zero = DeploymentUtil.resolveFenceposts(new IntOrString(0), new IntOrString(0), 10);
    assertEquals(0, zero[0]);
    assertEquals(1, zero[1], "both zero: maxUnavailable becomes 1");
  }

  /** Syncs and lets the ReplicaSets catch up until nothing changes; checks the RollingUpdate bounds throughout. */
  int rollToCompletion(int replicas, int maxSurge, int maxUnavailable) throws Exception {
    return rollToCompletion(replicas, maxSurge, maxUnavailable, true);
  }

  /** The first rollout starts from nothing available: {@code fromComplete} false skips the availability bound. */
  int rollToCompletion(int replicas, int maxSurge, int maxUnavailable, boolean fromComplete) throws Exception {
    int steps = 0;
    for (int i = 0; i < 40; i++) {
      String before = KubeJson.string(h.api.all(ReplicaSet.class).stream()
          .map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas()).sorted().toList());
      sync();
      int total = h.api.all(ReplicaSet.class).stream().mapToInt(rs -> rs.getSpec().getReplicas()).sum();
      assertTrue(total <= replicas + maxSurge, "at most replicas + maxSurge pods: " + total);
      int available = h.api.all(ReplicaSet.class).stream().mapToInt(rs -> rs.getStatus() == null
          || rs.getStatus().getAvailableReplicas() == null ? 0
          : Math.min(rs.getStatus().getAvailableReplicas(), rs.getSpec().getReplicas())).sum();
      assertTrue(!fromComplete || available >= replicas - maxUnavailable, "at least replicas - maxUnavailable available: "
          + available);
      replicaSetsCatchUp();
      String after = KubeJson.string(h.api.all(ReplicaSet.class).stream()
          .map(rs -> rs.getMetadata().getName() + "=" + rs.getSpec().getReplicas()).sorted().toList());
      if (before.equals(after)) {
        sync();
        return steps;
      }
      steps++;
    }
    throw new AssertionError("the rollout did not settle");
  }

  @Test
  void rollingUpdateStaysWithinMaxSurgeAndMaxUnavailableThenRollsBack() throws Exception {
    start(deployment(3, "nginx:1.20.2"));
    rollToCompletion(3, 1, 0, false);
    ReplicaSet first = rsWithImage("nginx:1.20.2");
    // kubectl set image deployment/web nginx=nginx:1.21
    Deployment d = stored();
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:1.21");
    update(d);
    sync();
    ReplicaSet second = rsWithImage("nginx:1.21");
    assertNotNull(second);
    assertEquals(1, second.getSpec().getReplicas(), "maxSurge 1 of 3: one new pod first");
    assertEquals(3, rsWithImage("nginx:1.20.2").getSpec().getReplicas(), "maxUnavailable 0: nothing removed yet");
    assertEquals("NewReplicaSetCreated", cond(stored(), "Progressing").getReason());
    replicaSetsCatchUp();
    sync();
    assertEquals("ReplicaSetUpdated", cond(stored(), "Progressing").getReason(), "progress: one more updated pod");
    assertTrue(rollToCompletion(3, 1, 0) >= 2, "several steps");
    assertEquals(0, rsWithImage("nginx:1.20.2").getSpec().getReplicas());
    assertEquals(3, rsWithImage("nginx:1.21").getSpec().getReplicas());
    assertEquals("2", rsWithImage("nginx:1.21").getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
    assertEquals("2", stored().getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
    assertEquals(3, stored().getStatus().getUpdatedReplicas());
    assertEquals("NewReplicaSetAvailable", cond(stored(), "Progressing").getReason());
    assertTrue(h.events.stream().anyMatch(e -> e.startsWith("Normal ScalingReplicaSet Scaled down replica set "
        + first.getMetadata().getName() + " from 3 to 2")), h.events.toString());

    // kubectl rollout undo: the template of revision 1 (without its hash) patched back into the Deployment.
    d = stored();
    PodTemplateSpec old = KubeJson.copy(first.getSpec().getTemplate());
    old.getMetadata().getLabels().remove("pod-template-hash");
    d.getSpec().setTemplate(old);
    update(d);
    rollToCompletion(3, 1, 0);
    assertEquals(2, h.api.all(ReplicaSet.class).size(), "the old ReplicaSet is reused");
    ReplicaSet back = h.api.peek(ReplicaSet.class, "default", first.getMetadata().getName());
    assertEquals(3, back.getSpec().getReplicas());
    assertEquals("3", back.getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
    assertEquals("1", back.getMetadata().getAnnotations().get(DeploymentUtil.REVISION_HISTORY));
    assertEquals("3", stored().getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
  }

  @Test
  void revisionHistoryLimitDeletesTheOldestScaledDownReplicaSets() throws Exception {
    Deployment d0 = deployment(2, "nginx:1");
    d0.getSpec().setRevisionHistoryLimit(1);
    start(d0);
    rollToCompletion(2, 1, 0, false);
    for (String image : List.of("nginx:2", "nginx:3")) {
      Deployment d = stored();
      d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage(image);
      update(d);
      rollToCompletion(2, 1, 0);
    }
    assertNull(rsWithImage("nginx:1"), "revision 1 deleted");
    assertNotNull(rsWithImage("nginx:2"), "one old revision kept");
    assertNotNull(rsWithImage("nginx:3"));
  }

  @Test
  void scalingResizesTheOnlyActiveReplicaSet() throws Exception {
    start(deployment(3, "nginx"));
    rollToCompletion(3, 1, 0, false);
    Deployment d = stored();
    d.getSpec().setReplicas(5);
    update(d);
    sync();
    ReplicaSet rs = replicaSets().get(0);
    assertEquals(5, rs.getSpec().getReplicas());
    assertEquals("5", rs.getMetadata().getAnnotations().get(DeploymentUtil.DESIRED_REPLICAS));
    assertEquals("7", rs.getMetadata().getAnnotations().get(DeploymentUtil.MAX_REPLICAS));
    assertTrue(h.events.contains("Normal ScalingReplicaSet Scaled up replica set " + rs.getMetadata().getName()
        + " from 3 to 5"), h.events.toString());
    replicaSetsCatchUp();
    sync();
    assertEquals(5, stored().getStatus().getAvailableReplicas());
    assertEquals("NewReplicaSetAvailable", cond(stored(), "Progressing").getReason());
  }

  @Test
  void scalingMidRolloutIsProportional() throws Exception {
    Deployment d0 = deployment(10, "nginx:1");
    start(d0);
    rollToCompletion(10, 3, 2, false);
    Deployment d = stored();
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
    update(d);
    sync(); // new RS at 3 (maxSurge), old at 10: 13 = 10 + 3
    assertEquals(3, rsWithImage("nginx:2").getSpec().getReplicas());
    d = stored();
    d.getSpec().setReplicas(20);
    update(d);
    sync();
    // allowed 20 + 5 = 25, 12 to add between 10 (old) and 3 (new), in proportion to their max-replicas (13).
    int oldSize = rsWithImage("nginx:1").getSpec().getReplicas();
    int newSize = rsWithImage("nginx:2").getSpec().getReplicas();
    assertEquals(25, oldSize + newSize);
    assertEquals(19, oldSize);
    assertEquals(6, newSize);
  }

  @Test
  void recreateScalesTheOldReplicaSetDownBeforeCreatingTheNewOne() throws Exception {
    Deployment d0 = deployment(2, "nginx:1");
    d0.getSpec().getStrategy().setType("Recreate");
    d0.getSpec().getStrategy().setRollingUpdate(null);
    start(d0);
    rollToCompletion(2, 0, 0, false);
    ReplicaSet first = rsWithImage("nginx:1");
    h.api.seed(Fixtures.pod("old-pod", first.getSpec().getTemplate().getMetadata().getLabels(), first, "node-1",
        "Running", true, h.clock.instant()));
    h.settle();
    Deployment d = stored();
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
    update(d);
    sync();
    assertEquals(0, rsWithImage("nginx:1").getSpec().getReplicas());
    assertNull(rsWithImage("nginx:2"), "no new ReplicaSet while old pods run");
    replicaSetsCatchUp();
    sync();
    assertNull(rsWithImage("nginx:2"), "the old pod still runs");
    h.api.delete(Pod.class, "default", "old-pod", null).toCompletableFuture().get();
    h.settle();
    sync();
    assertEquals(2, rsWithImage("nginx:2").getSpec().getReplicas());
  }

  @Test
  void progressDeadlineExceeded() throws Exception {
    Deployment d0 = deployment(2, "nginx:1");
    d0.getSpec().setProgressDeadlineSeconds(10);
    start(d0);
    sync();
    assertEquals("NewReplicaSetCreated", cond(stored(), "Progressing").getReason());
    sync();
    assertTrue(h.queuedAfter.stream().anyMatch(q -> q.startsWith("default/web after 10s")), h.queuedAfter.toString());
    h.clock.advance(Duration.ofSeconds(11));
    sync();
    DeploymentCondition c = cond(stored(), "Progressing");
    assertEquals("False", c.getStatus());
    assertEquals("ProgressDeadlineExceeded", c.getReason());
    assertTrue(c.getMessage().endsWith("has timed out progressing."), c.getMessage());
  }

  @Test
  void pausedDeploymentDoesNotRollOut() throws Exception {
    start(deployment(2, "nginx:1"));
    rollToCompletion(2, 1, 0, false);
    Deployment d = stored();
    d.getSpec().setPaused(true);
    d.getSpec().getTemplate().getSpec().getContainers().get(0).setImage("nginx:2");
    update(d);
    sync();
    assertNull(rsWithImage("nginx:2"));
    assertEquals("DeploymentPaused", cond(stored(), "Progressing").getReason());
    assertEquals("Unknown", cond(stored(), "Progressing").getStatus());
    d = stored();
    d.getSpec().setPaused(false);
    update(d);
    sync();
    assertNotNull(rsWithImage("nginx:2"));
    assertFalse(h.api.all(ReplicaSet.class).isEmpty());
  }

  @Test
  void adoptsAnOrphanReplicaSetWithTheSameTemplate() throws Exception {
    Deployment d0 = deployment(2, "nginx:1");
    ReplicaSet orphan = Fixtures.rs("web-manual", 2, APP);
    orphan.getSpec().setTemplate(Fixtures.template(APP, "nginx:1"));
    h.api.seed(orphan);
    start(d0);
    sync();
    assertEquals(1, h.api.all(ReplicaSet.class).size(), "no new ReplicaSet: the orphan matches the template");
    assertTrue(OwnerRefs.isControlledBy(h.api.peek(ReplicaSet.class, "default", "web-manual"), stored()));
  }
}
