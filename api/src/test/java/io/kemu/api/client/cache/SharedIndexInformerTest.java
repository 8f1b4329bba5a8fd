package io.kemu.api.client.cache;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.PartialObjectMetadata;
import io.kemu.api.Resources;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.testing.FakeKubeClient;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Reflector and informer against the fake API: list, watch, resume after a broken stream, relist on 410. */
class SharedIndexInformerTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  static ConfigMap cm(String name, String value) {
    return new ConfigMapBuilder().withNewMetadata().withNamespace("default").withName(name)
        .addToLabels("app", "x").endMetadata().addToData("k", value).build();
  }

  static final class Recording implements ResourceEventHandler<ConfigMap> {
    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void onAdd(ConfigMap obj, boolean initialList) {
      events.add("add " + obj.getMetadata().getName() + (initialList ? " (initial)" : ""));
    }

    @Override
    public void onUpdate(ConfigMap oldObj, ConfigMap newObj) {
      events.add("update " + newObj.getMetadata().getName() + " " + newObj.getData().get("k"));
    }

    @Override
    public void onDelete(ConfigMap lastKnown) {
      events.add("delete " + lastKnown.getMetadata().getName());
    }
  }

  static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(10);
    }
  }

  @Test
  void listsWatchesResumesAndRelists() throws Exception {
    FakeKubeClient api = new FakeKubeClient(kit.system(), Clock.systemUTC());
    api.seed(cm("a", "1"));
    SharedInformerFactory factory = new SharedInformerFactory(api);
    SharedIndexInformer<ConfigMap> informer = factory.informerFor(ConfigMap.class);
    Recording rec = new Recording();
    informer.addEventHandler(rec);
    factory.start();
    factory.waitForCacheSync().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("add a (initial)"), rec.events);

    api.create(cm("b", "1")).toCompletableFuture().get();
    api.update(api.peek(ConfigMap.class, "default", "a").edit().addToData("k", "2").build());
    await("b added and a updated", () -> rec.events.size() == 3);
    assertEquals(List.of("add a (initial)", "add b", "update a 2"), rec.events);

    // A broken stream resumes from the last resourceVersion: nothing is replayed, nothing is lost.
    api.closeWatches();
    api.delete(ConfigMap.class, "default", "b", null).toCompletableFuture().get();
    await("b deleted", () -> rec.events.size() == 4);
    assertEquals("delete b", rec.events.get(3));

    // Too old a version (410): the reflector lists again and infers what it missed.
    api.closeWatches();
    api.compact();
    api.delete(ConfigMap.class, "default", "a", null).toCompletableFuture().get();
    api.create(cm("c", "1")).toCompletableFuture().get();
    await("relist", () -> rec.events.size() == 6);
    assertTrue(rec.events.containsAll(List.of("delete a", "add c")), rec.events.toString());
    assertEquals(1, informer.getIndexer().size());

    // A handler added late gets what is known as initial adds.
    Recording late = new Recording();
    informer.addEventHandler(late);
    assertEquals(List.of("add c (initial)"), late.events);
    factory.shutdown();
  }

  @Test
  void selectorsAndMetadataInformers() throws Exception {
    FakeKubeClient api = new FakeKubeClient(kit.system(), Clock.systemUTC());
    api.seed(cm("a", "1"));
    SharedInformerFactory factory = new SharedInformerFactory(api);
    SharedIndexInformer<ConfigMap> selected = factory.informerFor(ConfigMap.class, "default",
        ListOptions.labels("app=x"));
    SharedIndexInformer<PartialObjectMetadata> meta = factory.metadataInformerFor(Resources.CONFIGMAPS);
    meta.addIndexer(Indexer.OWNER_UID, Indexer::ownerUidIndex);
    factory.start();
    factory.waitForCacheSync().get(10, TimeUnit.SECONDS);
    assertEquals(1, selected.getIndexer().size());
    assertEquals("ConfigMap", meta.getIndexer().get("default/a").getKind());

    // The label goes: the object leaves the selection (a DELETED for this watch).
    ConfigMap a = api.peek(ConfigMap.class, "default", "a");
    a.getMetadata().setLabels(null);
    api.update(a).toCompletableFuture().get();
    await("a leaves the selection", () -> selected.getIndexer().size() == 0);
    assertEquals(1, meta.getIndexer().size());
    assertTrue(Duration.ofSeconds(1).toMillis() > 0);
    factory.shutdown();
  }
}
