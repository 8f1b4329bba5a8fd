package io.kemu.controller.nodelifecycle;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kemu.api.KubeJson;
import io.kemu.controller.Fixtures;
import io.kemu.controller.Harness;
import io.kemu.controller.PodUtil;
import java.time.Duration;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Node health, taints and taint eviction (node_lifecycle_controller_test.go and taint_eviction_test.go's cases). */
class NodeLifecycleControllerTest {
  static final ActorTestKit kit = ActorTestKit.create();

  Harness h;
  NodeLifecycleController nlc;

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  static Toleration unreachableFor(Long seconds) {
    Toleration t = new Toleration();
    t.setKey(NodeLifecycleController.UNREACHABLE);
    t.setOperator("Exists");
    t.setEffect("NoExecute");
    t.setTolerationSeconds(seconds);
    return t;
  }

  Pod pod(String name, Toleration... tolerations) {
    Pod p = Fixtures.pod(name, Map.of("app", "web"), null, "node-1", "Running", true, h.clock.instant());
    p.getSpec().setTolerations(List.of(tolerations));
    p.getSpec().setTerminationGracePeriodSeconds(30L); // deleted gracefully: still there, with deletionTimestamp
    return p;
  }

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(kit.system());
    String now = KubeJson.timestamp(h.clock.instant());
    Node node = new NodeBuilder().withNewMetadata().withName("node-1").endMetadata().withNewSpec().endSpec()
        .withNewStatus().addNewCondition().withType("Ready").withStatus("True").withReason("KubeletReady")
        .withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition().endStatus().build();
    Lease lease = new LeaseBuilder().withNewMetadata().withNamespace("kube-node-lease").withName("node-1")
        .endMetadata().withNewSpec().withHolderIdentity("node-1").withLeaseDurationSeconds(40)
        .withRenewTime(h.clock.instant().atZone(ZoneOffset.UTC)).endSpec().build();
    h.api.seed(node, lease,
        pod("tolerates-300", unreachableFor(300L)),
        pod("intolerant"),
        pod("forever", unreachableFor(null)));
    nlc = new NodeLifecycleController(h.context, NodeLifecycleController.Settings.DEFAULTS);
    h.start(nlc, List.of(Node.class, Lease.class, Pod.class));
  }

  Node node() {
    return h.api.peek(Node.class, null, "node-1");
  }

  void monitor() throws Exception {
    h.sync(nlc, "monitor");
  }

  void pods() throws Exception {
    for (Pod p : h.api.all(Pod.class)) {
      h.sync(nlc, "pod/" + p.getMetadata().getNamespace() + "/" + p.getMetadata().getName());
    }
  }

  @Test
  void aSilentNodeTurnsUnknownIsTaintedAndItsPodsAreEvictedAfterTheirToleration() throws Exception {
    monitor();
    assertEquals("True", NodeLifecycleController.condition(node(), "Ready").getStatus());
    assertTrue(node().getSpec().getTaints().isEmpty());
    h.clock.advance(Duration.ofSeconds(41));
    monitor();
    NodeCondition ready = NodeLifecycleController.condition(node(), "Ready");
    assertEquals("Unknown", ready.getStatus());
    assertEquals("NodeStatusUnknown", ready.getReason());
    assertEquals("Kubelet stopped posting node status.", ready.getMessage());
    assertEquals("NodeStatusNeverUpdated", NodeLifecycleController.condition(node(), "MemoryPressure").getReason());
    List<String> taints = node().getSpec().getTaints().stream().map(t -> t.getKey() + ":" + t.getEffect()).toList();
    assertEquals(List.of("node.kubernetes.io/unreachable:NoSchedule", "node.kubernetes.io/unreachable:NoExecute"),
        taints);
    assertTrue(h.api.all(Pod.class).stream().noneMatch(PodUtil::isPodReady), "pods marked NotReady");

    pods();
    assertNotNull(h.api.peek(Pod.class, "default", "intolerant").getMetadata().getDeletionTimestamp(),
        "no toleration: evicted at once");
    assertEquals("DeletionByTaintManager",
        PodUtil.condition(h.api.peek(Pod.class, "default", "intolerant"), "DisruptionTarget").getReason());
    assertNull(h.api.peek(Pod.class, "default", "tolerates-300").getMetadata().getDeletionTimestamp());
    assertTrue(h.queuedAfter.stream().anyMatch(q -> q.startsWith("pod/default/tolerates-300 after 299s")
        || q.startsWith("pod/default/tolerates-300 after 300s")), h.queuedAfter.toString());
    h.clock.advance(Duration.ofSeconds(300));
    pods();
    assertNotNull(h.api.peek(Pod.class, "default", "tolerates-300").getMetadata().getDeletionTimestamp());
    assertNull(h.api.peek(Pod.class, "default", "forever").getMetadata().getDeletionTimestamp(),
        "tolerated without tolerationSeconds: never evicted");
    assertTrue(h.events.contains("Normal TaintManagerEviction Marking for deletion Pod default/intolerant"));

    // The kubelet comes back: Ready True, untainted.
    Node back = node();
    NodeCondition r = NodeLifecycleController.condition(back, "Ready");
    r.setStatus("True");
    r.setReason("KubeletReady");
    r.setLastHeartbeatTime(KubeJson.timestamp(h.clock.instant()));
    h.api.updateStatus(back).toCompletableFuture().get();
    h.settle();
    monitor();
    assertTrue(node().getSpec().getTaints().isEmpty(), node().getSpec().getTaints().toString());
  }

  @Test
  void leaseRenewalsKeepTheNodeHealthy() throws Exception {
    monitor();
    for (int i = 0; i < 3; i++) {
      h.clock.advance(Duration.ofSeconds(30));
      Lease l = h.api.peek(Lease.class, "kube-node-lease", "node-1");
      l.getSpec().setRenewTime(h.clock.instant().atZone(ZoneOffset.UTC));
      h.api.update(l).toCompletableFuture().get();
      h.settle();
      monitor();
    }
    assertEquals("True", NodeLifecycleController.condition(node(), "Ready").getStatus());
  }

  @Test
  void notReadyNodeGetsTheNotReadyTaints() throws Exception {
    Node n = node();
    NodeCondition r = NodeLifecycleController.condition(n, "Ready");
    r.setStatus("False");
    h.api.updateStatus(n).toCompletableFuture().get();
    h.settle();
    monitor();
    List<Taint> taints = node().getSpec().getTaints();
    assertEquals(List.of("node.kubernetes.io/not-ready:NoSchedule", "node.kubernetes.io/not-ready:NoExecute"),
        taints.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList());
    assertNotNull(taints.get(1).getTimeAdded());
  }
}
