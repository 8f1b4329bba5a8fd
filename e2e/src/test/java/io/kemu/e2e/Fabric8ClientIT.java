package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.Watch;
import io.fabric8.kubernetes.client.Watcher;
import io.fabric8.kubernetes.client.WatcherException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * A client library other than kubectl: the fabric8 Kubernetes client (vert.x HTTP), configured from the cluster's
 * kubeconfig, does CRUD with optimistic concurrency, the patch flavours, server-side apply, the scale subresource,
 * a watch, and a SharedIndexInformer (list + watch + cache) as an operator would.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class Fabric8ClientIT {
  KemuCluster cluster;
  KubernetesClient client;

  @BeforeAll
  void up() throws Exception {
    cluster = KemuCluster.started(2, 1, 10);
    Config config = Config.fromKubeconfig(Files.readString(cluster.runDir().resolve("kubeconfig")));
    client = new KubernetesClientBuilder().withConfig(config).build();
  }

  @AfterAll
  void down() {
    if (client != null) {
      client.close();
    }
    KemuCluster.stop(cluster);
  }

  @Test
  @Order(1)
  void versionAndDiscovery() {
    assertEquals("1", client.getKubernetesVersion().getMajor());
    assertEquals("32", client.getKubernetesVersion().getMinor());
    assertTrue(client.supports(Deployment.class), "apps/v1 Deployment is served");
    assertTrue(client.getApiGroups().getGroups().stream().anyMatch(g -> g.getName().equals("rbac.authorization.k8s.io")));
  }

  @Test
  @Order(2)
  void configMapCrudWithOptimisticConcurrency() {
    ConfigMap created = client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
        .withNewMetadata().withName("settings").addToLabels("app", "f8").endMetadata()
        .addToData("color", "blue").build()).create();
    assertNotNull(created.getMetadata().getUid());
    assertNotNull(created.getMetadata().getCreationTimestamp());

    KubernetesClientException exists = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("default").resource(created).create());
    assertEquals(409, exists.getCode());
    assertEquals("AlreadyExists", exists.getStatus().getReason());

    ConfigMap edited = client.configMaps().inNamespace("default").withName("settings")
        .edit(cm -> new ConfigMapBuilder(cm).addToData("size", "L").build());
    assertEquals(Map.of("color", "blue", "size", "L"), edited.getData());

    // an update carrying the first resourceVersion is stale now: 409 Conflict, nothing changed
    ConfigMap stale = new ConfigMapBuilder(created).addToData("color", "red").build();
    KubernetesClientException conflict = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("default").resource(stale).update());
    assertEquals(409, conflict.getCode());
    assertEquals("Conflict", conflict.getStatus().getReason());
    assertEquals("blue", client.configMaps().inNamespace("default").withName("settings").get().getData().get("color"));

    // JSON merge patch and JSON patch
    client.configMaps().inNamespace("default").withName("settings")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON_MERGE), "{\"data\":{\"size\":null,\"shape\":\"round\"}}");
    client.configMaps().inNamespace("default").withName("settings")
        .patch(io.fabric8.kubernetes.client.dsl.base.PatchContext.of(
            io.fabric8.kubernetes.client.dsl.base.PatchType.JSON), "[{\"op\":\"replace\",\"path\":\"/data/color\",\"value\":\"green\"}]");
    assertEquals(Map.of("color", "green", "shape", "round"),
        client.configMaps().inNamespace("default").withName("settings").get().getData());

    assertEquals(1, client.configMaps().inNamespace("default").withLabel("app", "f8").list().getItems().size());
    assertEquals(0, client.configMaps().inNamespace("default").withLabel("app", "other").list().getItems().size());

    assertEquals(1, client.configMaps().inNamespace("default").withName("settings").delete().size());
    assertNull(client.configMaps().inNamespace("default").withName("settings").get());
  }

  @Test
  @Order(3)
  void serverSideApplyAndScale() {
    Deployment d = new DeploymentBuilder()
        .withNewMetadata().withName("web").withNamespace("default").endMetadata()
        .withNewSpec().withReplicas(2)
        .withNewSelector().addToMatchLabels("app", "web").endSelector()
        .withNewTemplate().withNewMetadata().addToLabels("app", "web").endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage("nginx:1.20.2").endContainer().endSpec()
        .endTemplate().endSpec().build();
    Deployment applied = client.apps().deployments().inNamespace("default").resource(d)
        .fieldManager("f8-test").forceConflicts().serverSideApply();
    assertEquals(2, applied.getSpec().getReplicas());
    assertTrue(applied.getMetadata().getManagedFields().stream().anyMatch(f -> f.getManager().equals("f8-test")
        && f.getOperation().equals("Apply")), "managedFields record the apply manager");
    // defaults filled by the server
    assertEquals("RollingUpdate", applied.getSpec().getStrategy().getType());

    client.apps().deployments().inNamespace("default").withName("web").scale(4);
    assertEquals(4, client.apps().deployments().inNamespace("default").withName("web").get().getSpec().getReplicas());

    client.apps().deployments().inNamespace("default").withName("web").delete();
  }

  @Test
  @Order(4)
  void watchSeesAPodsLifeAndAnInformerCachesIt() throws Exception {
    List<String> watched = new CopyOnWriteArrayList<>();
    List<String> informed = new CopyOnWriteArrayList<>();
    Watch watch = client.pods().inNamespace("default").withLabel("app", "watched").watch(new Watcher<>() {
      @Override
      public void eventReceived(Action action, Pod pod) {
        watched.add(action + " " + pod.getMetadata().getName() + " " + pod.getStatus().getPhase());
      }

      @Override
      public void onClose(WatcherException cause) {
        watched.add("CLOSED " + cause);
      }
    });
    SharedIndexInformer<Pod> informer = client.pods().inNamespace("default").withLabel("app", "watched")
        .inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod pod) {
        informed.add("add " + pod.getMetadata().getName());
      }

      @Override
      public void onUpdate(Pod oldPod, Pod newPod) {
        informed.add("update " + newPod.getMetadata().getName() + " " + newPod.getStatus().getPhase());
      }

      @Override
      public void onDelete(Pod pod, boolean finalStateUnknown) {
        informed.add("delete " + pod.getMetadata().getName());
      }
    }, 0);
    try {
      informer.start().toCompletableFuture().get(30, TimeUnit.SECONDS);
      assertTrue(informer.hasSynced());

      client.pods().inNamespace("default").resource(new PodBuilder()
          .withNewMetadata().withName("watched").addToLabels("app", "watched").endMetadata()
          .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer()
          .withTerminationGracePeriodSeconds(0L).endSpec().build()).create();

      KemuCluster.await("the watch to see the pod Running", Duration.ofSeconds(60),
          () -> watched.contains("MODIFIED watched Running"));
      assertEquals("ADDED watched Pending", watched.get(0));
      KemuCluster.await("the informer's cache to hold the Running pod", Duration.ofSeconds(30), () -> {
        Pod cached = informer.getIndexer().getByKey("default/watched");
        return cached != null && "Running".equals(cached.getStatus().getPhase());
      });
      assertEquals("add watched", informed.get(0));

      client.pods().inNamespace("default").withName("watched").withGracePeriod(0).delete();
      KemuCluster.await("the watch to see the deletion", Duration.ofSeconds(60),
          () -> watched.stream().anyMatch(e -> e.startsWith("DELETED watched")));
      KemuCluster.await("the informer to see the deletion", Duration.ofSeconds(30),
          () -> informed.contains("delete watched") && informer.getIndexer().getByKey("default/watched") == null);
      assertTrue(watched.stream().noneMatch(e -> e.startsWith("CLOSED")), watched.toString());
      assertTrue(watched.stream().noneMatch(e -> e.startsWith("ERROR")), watched.toString());
    } finally {
      watch.close();
      informer.close();
    }
  }

  @Test
  @Order(5)
  void errorsArriveAsStatusObjects() {
    KubernetesClientException invalid = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("default").resource(new ConfigMapBuilder()
            .withNewMetadata().withName("Bad_Name").endMetadata().build()).create());
    assertEquals(422, invalid.getCode());
    assertEquals("Invalid", invalid.getStatus().getReason());
    assertEquals("metadata.name", invalid.getStatus().getDetails().getCauses().get(0).getField());

    KubernetesClientException missingNs = assertThrows(KubernetesClientException.class,
        () -> client.configMaps().inNamespace("nowhere").resource(new ConfigMapBuilder()
            .withNewMetadata().withName("x").endMetadata().build()).create());
    assertEquals(404, missingNs.getCode());
    assertEquals("namespaces \"nowhere\" not found", missingNs.getStatus().getMessage());
  }
}
