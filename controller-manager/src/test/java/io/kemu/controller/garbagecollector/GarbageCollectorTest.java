package io.kemu.controller.garbagecollector;

import static io.kemu.controller.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kemu.controller.Fixtures;
import io.kemu.controller.Harness;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Cascading deletion as pkg/controller/garbagecollector does it: background, foreground and orphan. */
class GarbageCollectorTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Map<String, String> APP = Map.of("app", "web");

  Harness h;
  GarbageCollector gc;
  Deployment d;
  ReplicaSet rs;

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(kit.system());
    d = new DeploymentBuilder().withApiVersion("apps/v1").withKind("Deployment").withNewMetadata()
        .withNamespace("default").withName("web").withUid("d-uid").endMetadata()
        .withNewSpec().withReplicas(2).withNewSelector().withMatchLabels(APP).endSelector()
        .withTemplate(Fixtures.template(APP, "nginx")).endSpec().build();
    rs = Fixtures.rs("web-abc", 2, APP);
    rs.setApiVersion("apps/v1");
    rs.setKind("ReplicaSet");
    rs.getMetadata().setOwnerReferences(List.of(Fixtures.ref(d)));
    h.api.seed(d, rs,
        pod("web-abc-1", APP, rs, null, "Pending", false, h.clock.instant()),
        pod("web-abc-2", APP, rs, null, "Pending", false, h.clock.instant()));
    gc = new GarbageCollector(h.context);
    gc.register(h.queue);
    h.informers.start();
    h.informers.waitForCacheSync().get(10, java.util.concurrent.TimeUnit.SECONDS);
  }

  /** Runs the queued keys (the workers) until the queue is empty and nothing more arrives. */
  void drain() throws Exception {
    for (int round = 0; round < 50; round++) {
      Thread.sleep(50); // let the informers deliver what the last writes caused
      if (h.queued.isEmpty()) {
        return;
      }
      List<String> keys = new ArrayList<>(new java.util.LinkedHashSet<>(h.queued));
      h.queued.clear();
      for (String k : keys) {
        gc.sync(k).toCompletableFuture().get(10, java.util.concurrent.TimeUnit.SECONDS);
      }
    }
    throw new AssertionError("the garbage collector did not settle: " + h.queued);
  }

  <T extends HasMetadata> T get(Class<T> type, String name) {
    return h.api.peek(type, "default", name);
  }

  @Test
  void backgroundDeletionRemovesReplicaSetsThenPods() throws Exception {
    h.queued.clear();
    h.api.delete(Deployment.class, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Background")
        .build()).toCompletableFuture().get();
    drain();
    assertNull(get(ReplicaSet.class, "web-abc"));
    assertNull(get(Pod.class, "web-abc-1"));
    assertNull(get(Pod.class, "web-abc-2"));
    assertTrue(h.api.actions("delete", "replicasets").get(0).body().toString().contains("Background"));
  }

  @Test
  void orphanDeletionKeepsTheDependentsWithoutTheReference() throws Exception {
    h.queued.clear();
    h.api.delete(Deployment.class, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Orphan")
        .build()).toCompletableFuture().get();
    assertNotNull(get(Deployment.class, "web"), "held by the orphan finalizer");
    drain();
    assertNull(get(Deployment.class, "web"), "finalizer removed, deployment gone");
    ReplicaSet kept = get(ReplicaSet.class, "web-abc");
    assertNotNull(kept);
    assertTrue(kept.getMetadata().getOwnerReferences().isEmpty());
    assertNotNull(get(Pod.class, "web-abc-1"));
    assertEquals("web-abc", get(Pod.class, "web-abc-1").getMetadata().getOwnerReferences().get(0).getName());
  }

  @Test
  void foregroundDeletionWaitsForBlockingDependents() throws Exception {
    h.queued.clear();
    h.api.delete(Deployment.class, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Foreground")
        .build()).toCompletableFuture().get();
    assertTrue(get(Deployment.class, "web").getMetadata().getFinalizers().contains("foregroundDeletion"));
    drain();
    assertNull(get(Pod.class, "web-abc-1"));
    assertNull(get(ReplicaSet.class, "web-abc"));
    assertNull(get(Deployment.class, "web"), "finalizer removed once the dependents are gone");
    // The ReplicaSet, having dependents, went in the foreground too.
    assertTrue(h.api.actions("delete", "replicasets").get(0).body().toString().contains("Foreground"));
  }

  @Test
  void anObjectWithAnotherLiveOwnerOnlyLosesTheDanglingReference() throws Exception {
    ConfigMap keeper = new ConfigMapBuilder().withApiVersion("v1").withKind("ConfigMap").withNewMetadata()
        .withNamespace("default").withName("keeper").withUid("keeper-uid").endMetadata().build();
    ConfigMap shared = new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName("shared")
        .withUid("shared-uid").endMetadata().build();
    io.fabric8.kubernetes.api.model.OwnerReference toKeeper = new io.fabric8.kubernetes.api.model
        .OwnerReferenceBuilder().withApiVersion("v1").withKind("ConfigMap").withName("keeper")
        .withUid("keeper-uid").build();
    shared.getMetadata().setOwnerReferences(List.of(Fixtures.ref(d), toKeeper));
    h.api.seed(keeper, shared);
    h.settle();
    h.queued.clear();
    h.api.delete(Deployment.class, "default", "web", new DeleteOptionsBuilder().withPropagationPolicy("Orphan")
        .build()).toCompletableFuture().get();
    h.api.delete(ReplicaSet.class, "default", "web-abc", null).toCompletableFuture().get();
    drain();
    ConfigMap after = get(ConfigMap.class, "shared");
    assertNotNull(after);
    assertEquals(List.of("keeper"), after.getMetadata().getOwnerReferences().stream().map(r -> r.getName())
        .toList());
  }
}
