package io.kemu.apiserver;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.DeleteOptionsBuilder;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kemu.api.KubeJson;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import io.kemu.etcd.EtcdStore;
import io.kemu.etcd.StoreSettings;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The apiserver role and the etcd-store role in one actor system, driven through the in-cluster client: the
 * same authentication, authorization, admission, registry, storage and watch cache as kubectl's requests,
 * without HTTPS in between.
 */
@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ApiServerInProcessTest {
  static final Path DIR = tempDir();

  static Path tempDir() {
    try {
      Path d = Files.createTempDirectory("apiserver-test");
      Files.writeString(d.resolve("tokens.csv"), """
          admin-token,admin,admin,"system:masters"
          viewer-token,viewer,viewer,"kemu:viewers"
          node1-token,system:node:node-1,system:node:node-1,"system:nodes"
          """);
      return d;
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Config config() {
    try {
      Path tls = Path.of(ApiServerInProcessTest.class.getResource("/io/kemu/apiserver/tls/ca.crt").toURI()).getParent();
      Files.copy(tls.resolve("ca.crt"), DIR.resolve("ca.crt"));
      Files.copy(tls.resolve("server-ec.crt"), DIR.resolve("apiserver.crt"));
      Files.copy(tls.resolve("server-ec.key"), DIR.resolve("apiserver.key"));
    } catch (java.io.IOException | URISyntaxException e) {
      throw new IllegalStateException(e);
    }
    return ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", "pekko.persistence.journal.leveldb",
        "pekko.persistence.journal.leveldb.dir", DIR.resolve("journal").toString(),
        "pekko.persistence.snapshot-store.plugin", "pekko.persistence.snapshot-store.local",
        "pekko.persistence.snapshot-store.local.dir", DIR.resolve("snapshots").toString(),
        "kemu.apiserver.port", 0,
        "kemu.apiserver.pki-dir", DIR.toString(),
        "kemu.apiserver.token-file", DIR.resolve("tokens.csv").toString(),
        "kemu.apiserver.watch-cache.window", 5))
        .withFallback(ConfigFactory.load());
  }

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(config()).build();

  ApiClient admin;
  ApiClient viewer;
  ApiClient kubelet;

  @BeforeAll
  void start() {
    Config c = testKit.system().settings().config();
    testKit.spawn(EtcdStore.create(StoreSettings.fromConfig(c)), "etcd");
    testKit.spawn(ApiServer.create(ApiServerSettings.fromConfig(c)), "apiserver");
    admin = ApiClient.create(testKit.system(), "admin-token", Duration.ofSeconds(10));
    viewer = admin.as("viewer-token");
    kubelet = admin.as("node1-token");
    // the bootstrap controller creates the system namespaces
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (true) {
      try {
        get(admin.get(Namespace.class, null, "default"));
        return;
      } catch (AssertionError | StatusException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        try {
          Thread.sleep(100);
        } catch (InterruptedException ie) {
          Thread.currentThread().interrupt();
        }
      }
    }
  }

  static <T> T get(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().get(15, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      if (e.getCause() instanceof StatusException se) {
        throw se;
      }
      throw new AssertionError(e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("default").addToLabels("app", "web")
        .endMetadata().withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec()
        .build();
  }

  @Test
  void createDefaultsAdmitsAndStoresAtARevision() {
    Pod created = get(admin.create(pod("p1")));
    assertNotNull(created.getMetadata().getUid());
    assertTrue(Long.parseLong(created.getMetadata().getResourceVersion()) > 0);
    assertEquals("Always", created.getSpec().getRestartPolicy());
    assertEquals("Always", created.getSpec().getContainers().get(0).getImagePullPolicy(), "untagged image");
    assertEquals("default", created.getSpec().getServiceAccountName());
    assertEquals(0, created.getSpec().getPriority());
    assertEquals(2, created.getSpec().getTolerations().size(), "DefaultTolerationSeconds");
    assertEquals("Pending", created.getStatus().getPhase());
    assertEquals("BestEffort", created.getStatus().getQosClass());
    StatusException dup = assertThrows(StatusException.class, () -> get(admin.create(pod("p1"))));
    assertEquals(409, dup.code());
    assertEquals("AlreadyExists", dup.reason());
  }

  @Test
  void theSecurityChainAnswersWithTheRightStatus() {
    StatusException anon = assertThrows(StatusException.class,
        () -> get(admin.as("nope").get(Pod.class, "default", "x")));
    assertEquals(401, anon.code());
    StatusException forbidden = assertThrows(StatusException.class, () -> get(viewer.create(pod("v1"))));
    assertEquals(403, forbidden.code());
    assertEquals("pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the "
        + "namespace \"default\"", forbidden.getMessage());
    Pod bad = pod("Bad");
    bad.getSpec().getContainers().get(0).setImage(null);
    StatusException invalid = assertThrows(StatusException.class, () -> get(admin.create(bad)));
    assertEquals(422, invalid.code());
    assertTrue(invalid.getMessage().contains("spec.containers[0].image: Required value"), invalid.getMessage());
    Pod elsewhere = pod("x");
    elsewhere.getMetadata().setNamespace("missing");
    StatusException noNs = assertThrows(StatusException.class, () -> get(admin.create(elsewhere)));
    assertEquals(404, noNs.code());
    assertEquals("namespaces \"missing\" not found", noNs.getMessage());
  }

  @Test
  void aStaleResourceVersionIsAConflict() {
    Pod p = get(admin.create(pod("cas")));
    p.getMetadata().getLabels().put("v", "1");
    Pod updated = get(admin.update(KubeJson.copy(p)));
    assertTrue(Long.parseLong(updated.getMetadata().getResourceVersion())
        > Long.parseLong(p.getMetadata().getResourceVersion()));
    p.getMetadata().getLabels().put("v", "2");
    StatusException conflict = assertThrows(StatusException.class, () -> get(admin.update(p)));
    assertEquals(409, conflict.code());
    assertEquals("Operation cannot be fulfilled on pods \"cas\": the object has been modified; please apply your "
        + "changes to the latest version and try again", conflict.getMessage());
  }

  @Test
  void aPodIsBoundOnceAndDeletedGracefully() {
    Pod p = get(admin.create(pod("bind-me")));
    get(admin.bind("default", "bind-me", p.getMetadata().getUid(), "node-1"));
    Pod bound = get(admin.get(Pod.class, "default", "bind-me"));
    assertEquals("node-1", bound.getSpec().getNodeName());
    assertEquals("PodScheduled", bound.getStatus().getConditions().get(0).getType());
    StatusException again = assertThrows(StatusException.class,
        () -> get(admin.bind("default", "bind-me", p.getMetadata().getUid(), "node-2")));
    assertEquals(409, again.code());
    assertEquals("Operation cannot be fulfilled on pods/binding \"bind-me\": pod bind-me is already assigned to node "
        + "\"node-1\"", again.getMessage());

    get(admin.delete(Pod.class, "default", "bind-me", null));
    Pod terminating = get(admin.get(Pod.class, "default", "bind-me"));
    assertNotNull(terminating.getMetadata().getDeletionTimestamp(), "a scheduled pod terminates first");
    assertEquals(30L, terminating.getMetadata().getDeletionGracePeriodSeconds());
    get(kubelet.delete(Pod.class, "default", "bind-me", new DeleteOptionsBuilder().withGracePeriodSeconds(0L)
        .build()));
    StatusException gone = assertThrows(StatusException.class, () -> get(admin.get(Pod.class, "default", "bind-me")));
    assertEquals(404, gone.code());
  }

  @Test
  void watchesDeliverChangesInOrderAndAnOldResourceVersionIsGone() throws Exception {
    Pod first = get(admin.create(pod("w0")));
    String from = first.getMetadata().getResourceVersion();
    var events = get(admin.watch(Pod.class, "default", ListOptions.fields("metadata.name=w0")
        .withResourceVersion(from)))
        .take(2).runWith(Sink.seq(), testKit.system());
    first.getMetadata().getLabels().put("step", "1");
    Pod second = get(admin.update(first));
    get(admin.delete(Pod.class, "default", "w0", null));
    List<ApiClient.Event<Pod>> got = events.toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(List.of("MODIFIED", "DELETED"), got.stream().map(ApiClient.Event::type).toList());
    assertEquals(second.getMetadata().getResourceVersion(), got.get(0).resourceVersion());

    for (int i = 0; i < 8; i++) { // more than the window of 5 events
      get(admin.create(pod("filler-" + i)));
    }
    var stale = get(admin.watch(Pod.class, "default", ListOptions.ALL.withResourceVersion(from)))
        .take(1).runWith(Sink.seq(), testKit.system()).toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals("ERROR", stale.get(0).type());
    assertEquals(410, KubeJson.tree(stale.get(0).raw()).path("code").asInt());
    assertNull(stale.get(0).object());
  }

  @Test
  void namespacesWithContentTerminateUntilFinalized() {
    get(admin.create(new NamespaceBuilder().withNewMetadata().withName("doomed").endMetadata().build()));
    get(admin.delete(Namespace.class, null, "doomed", null));
    Namespace ns = get(admin.get(Namespace.class, null, "doomed"));
    assertEquals("Terminating", ns.getStatus().getPhase());
    Pod late = pod("late");
    late.getMetadata().setNamespace("doomed");
    StatusException refused = assertThrows(StatusException.class, () -> get(admin.create(late)));
    assertEquals(403, refused.code());
    assertTrue(refused.getMessage().contains("because it is being terminated"), refused.getMessage());
  }
}
