package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The controller-manager's acceptance through the real kubectl on one 3-node cluster (2 kubelet JVMs) at
 * time-scale 10: Deployments roll out, update, roll back and scale; Services list their ready pods; deleting
 * cascades (or orphans); a deleted namespace is emptied and removed; Jobs complete or fail; a killed kubelet's node
 * goes Unknown, is tainted, and its pods are evicted and replaced elsewhere.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class ControllersIT {
  KemuCluster cluster;

  @BeforeAll
  void up() throws Exception {
    // kubelet-1: node-1 and node-2, kubelet-2: node-3; two controller-managers, one leading
    cluster = new KemuCluster(3, 2, 10).controllerManagers(2);
    KemuCluster.Result r = cluster.up();
    assertTrue(r.ok(), "cluster-up.sh failed: " + r.all());
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
      assertTrue(cluster.alivePids().isEmpty(), "JVMs left behind: " + cluster.alivePids());
    }
  }

  KemuCluster.Result ok(String... args) {
    KemuCluster.Result r = cluster.kubectl(args);
    assertTrue(r.ok(), "kubectl " + String.join(" ", args) + ": " + r.all());
    return r;
  }

  /** Pods of the selector that are Ready and not being deleted, with their images. */
  List<String> readyPods(String namespace, String selector) {
    KemuCluster.Result r = cluster.kubectl("get", "pods", "-n", namespace, "-l", selector, "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.metadata.deletionTimestamp} "
            + "{.status.conditions[?(@.type==\"Ready\")].status} {.spec.containers[0].image}{\"\\n\"}{end}");
    if (!r.ok()) {
      return null;
    }
    List<String> out = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      String[] f = line.trim().split("\\s+");
      // name, (no deletionTimestamp), True, image
      if (f.length == 3 && f[1].equals("True")) {
        out.add(f[0] + " " + f[2]);
      }
    }
    return out;
  }

  int count(String what, String namespace) {
    KemuCluster.Result r = cluster.kubectl("get", what, "-n", namespace, "-o", "name");
    return r.ok() ? (int) r.out().lines().filter(l -> !l.isBlank()).count() : -1;
  }

  @Test
  @Order(1)
  void createAndRolloutStatus() {
    ok("create", "deployment", "web", "--image=nginx:1.20.2", "--replicas=3");
    KemuCluster.Result r = ok("rollout", "status", "deployment/web", "--timeout=60s");
    assertTrue(r.out().contains("deployment \"web\" successfully rolled out"), r.out());
    JsonNode d = cluster.json("get", "deployment", "web");
    assertEquals(3, d.at("/status/readyReplicas").asInt());
    assertEquals(3, d.at("/status/availableReplicas").asInt());
    assertEquals(3, d.at("/status/updatedReplicas").asInt());
    assertEquals(d.at("/metadata/generation").asLong(), d.at("/status/observedGeneration").asLong());
    assertEquals("1", d.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText());
    List<String> reasons = new ArrayList<>();
    d.at("/status/conditions").forEach(c -> reasons.add(c.path("type").asText() + "=" + c.path("reason").asText()));
    assertTrue(reasons.contains("Available=MinimumReplicasAvailable"), reasons.toString());
    assertTrue(reasons.contains("Progressing=NewReplicaSetAvailable"), reasons.toString());
    JsonNode rs = cluster.json("get", "rs", "-l", "app=web").path("items").get(0);
    String hash = rs.at("/metadata/labels/pod-template-hash").asText();
    assertEquals("web-" + hash, rs.at("/metadata/name").asText());
    assertEquals(3, readyPods("default", "app=web").size());
  }

  @Test
  @Order(2)
  void setImageRollsWithoutDroppingBelowMinAvailableThenUndo() throws Exception {
    // replicas 3, maxUnavailable 25% -> 0: at least 3 ready pods throughout.
    AtomicBoolean sampling = new AtomicBoolean(true);
    List<String> violations = new CopyOnWriteArrayList<>();
    int[] samples = {0};
    Thread sampler = new Thread(() -> {
      while (sampling.get()) {
        List<String> ready = readyPods("default", "app=web");
        if (ready != null) {
          samples[0]++;
          if (ready.size() < 3) {
            violations.add(ready.toString());
          }
        }
      }
    });
    sampler.start();
    try {
      ok("set", "image", "deployment/web", "nginx=nginx:1.21");
      ok("rollout", "status", "deployment/web", "--timeout=90s");
    } finally {
      sampling.set(false);
      sampler.join();
    }
    assertTrue(violations.isEmpty(), "fewer than 3 ready pods during the rollout: " + violations);
    assertTrue(samples[0] >= 5, "sampled " + samples[0] + " times");
    KemuCluster.await("old pods gone", Duration.ofSeconds(30), () -> {
      List<String> ready = readyPods("default", "app=web");
      return ready != null && ready.size() == 3 && ready.stream().allMatch(p -> p.endsWith("nginx:1.21"));
    });
    assertEquals(2, count("rs", "default"));
    KemuCluster.Result history = ok("rollout", "history", "deployment/web");
    assertTrue(history.out().lines().anyMatch(l -> l.startsWith("2 ")), history.out());

    ok("rollout", "undo", "deployment/web");
    ok("rollout", "status", "deployment/web", "--timeout=90s");
    JsonNode d = cluster.json("get", "deployment", "web");
    assertEquals("nginx:1.20.2", d.at("/spec/template/spec/containers/0/image").asText());
    assertEquals("3", d.at("/metadata/annotations/deployment.kubernetes.io~1revision").asText());
    assertEquals(2, count("rs", "default"), "the first ReplicaSet is reused");
  }

  @Test
  @Order(3)
  void scaleUpAndDown() {
    ok("scale", "deployment", "web", "--replicas=5");
    ok("rollout", "status", "deployment/web", "--timeout=60s");
    KemuCluster.await("5 ready pods", Duration.ofSeconds(30), () -> {
      List<String> ready = readyPods("default", "app=web");
      return ready != null && ready.size() == 5;
    });
    ok("scale", "deployment", "web", "--replicas=10");
    ok("rollout", "status", "deployment/web", "--timeout=60s");
    assertEquals(10, cluster.json("get", "deployment", "web").at("/status/readyReplicas").asInt());
    ok("scale", "deployment", "web", "--replicas=2");
    KemuCluster.await("2 pods left", Duration.ofSeconds(60), () -> count("pods", "default") == 2);
    assertEquals(2, cluster.json("get", "deployment", "web").at("/status/availableReplicas").asInt());
  }

  static final String SERVICE = """
      apiVersion: v1
      kind: Service
      metadata:
        name: web
      spec:
        selector:
          app: web
        ports:
        - name: http
          port: 80
          targetPort: 80
      """;

  /** The IPs listed as ready in the Service's Endpoints. */
  List<String> endpointIps(String name) {
    KemuCluster.Result r = cluster.kubectl("get", "endpoints", name, "-o",
        "jsonpath={.subsets[*].addresses[*].ip}");
    return r.ok() ? List.of(r.out().trim().split("\\s+")).stream().filter(x -> !x.isEmpty()).sorted().toList()
        : List.of();
  }

  List<String> readyPodIps() {
    KemuCluster.Result r = cluster.kubectl("get", "pods", "-l", "app=web", "-o",
        "jsonpath={range .items[*]}{.status.podIP} {.metadata.deletionTimestamp} "
            + "{.status.conditions[?(@.type==\"Ready\")].status}{\"\\n\"}{end}");
    List<String> out = new ArrayList<>();
    for (String line : r.out().lines().toList()) {
      String[] f = line.trim().split("\\s+");
      if (f.length == 2 && f[1].equals("True")) {
        out.add(f[0]);
      }
    }
    return out.stream().sorted().toList();
  }

  @Test
  @Order(4)
  void serviceEndpointsFollowReadyPodsAndLeaveOnDeletion() {
    assertTrue(cluster.apply(SERVICE).ok());
    KemuCluster.await("endpoints = the 2 ready pod IPs", Duration.ofSeconds(30), () -> {
      List<String> ips = endpointIps("web");
      return ips.size() == 2 && ips.equals(readyPodIps());
    });
    JsonNode slices = cluster.json("get", "endpointslices", "-l", "kubernetes.io/service-name=web");
    assertEquals(1, slices.path("items").size());
    assertEquals(2, slices.path("items").get(0).path("endpoints").size());
    KemuCluster.Result describe = ok("describe", "service", "web");
    assertTrue(describe.out().contains(endpointIps("web").get(0)), describe.out());
    // A pod being deleted leaves the ready addresses while it still exists (terminating).
    String victim = cluster.json("get", "pods", "-l", "app=web").path("items").get(0).path("metadata")
        .path("name").asText();
    String victimIp = cluster.json("get", "pod", victim).at("/status/podIP").asText();
    ok("delete", "pod", victim, "--wait=false");
    KemuCluster.await("the terminating pod's IP leaves the endpoints", Duration.ofSeconds(30),
        () -> !endpointIps("web").contains(victimIp));
    KemuCluster.Result still = cluster.kubectl("get", "pod", victim, "-o", "jsonpath={.metadata.deletionTimestamp}");
    assertTrue(!still.ok() || !still.out().isBlank(), "left the list no later than it was gone");
    KemuCluster.await("a replacement listed", Duration.ofSeconds(60), () -> endpointIps("web").size() == 2);
    ok("delete", "service", "web");
  }

  @Test
  @Order(5)
  void deleteCascadesAndOrphanKeeps() {
    ok("delete", "deployment", "web");
    KemuCluster.await("no ReplicaSet or pod left", Duration.ofSeconds(60),
        () -> count("rs", "default") == 0 && count("pods", "default") == 0);

    ok("create", "deployment", "kept", "--image=nginx", "--replicas=2");
    ok("rollout", "status", "deployment/kept", "--timeout=60s");
    ok("delete", "deployment", "kept", "--cascade=orphan");
    KemuCluster.await("the deployment gone", Duration.ofSeconds(30), () -> count("deployments", "default") == 0);
    assertEquals(1, count("rs", "default"));
    assertEquals(2, readyPods("default", "app=kept").size());
    JsonNode rs = cluster.json("get", "rs", "-l", "app=kept").path("items").get(0);
    assertTrue(rs.at("/metadata/ownerReferences").isMissingNode() || rs.at("/metadata/ownerReferences").isEmpty(),
        rs.at("/metadata/ownerReferences").toString());
    ok("delete", "rs", "--all", "--cascade=foreground");
    KemuCluster.await("foreground deletion done", Duration.ofSeconds(60),
        () -> count("rs", "default") == 0 && count("pods", "default") == 0);
  }

  @Test
  @Order(6)
  void deletingANamespaceEmptiesAndRemovesIt() {
    ok("create", "namespace", "doomed");
    ok("create", "deployment", "w", "-n", "doomed", "--image=nginx", "--replicas=2");
    ok("rollout", "status", "deployment/w", "-n", "doomed", "--timeout=60s");
    ok("delete", "namespace", "doomed", "--wait=false");
    KemuCluster.await("the namespace removed", Duration.ofSeconds(90),
        () -> !cluster.kubectl("get", "namespace", "doomed").ok());
  }

  static final String JOB = """
      apiVersion: batch/v1
      kind: Job
      metadata:
        name: %s
      spec:
        completions: %d
        parallelism: %d
        backoffLimit: %d
        template:
          spec:
            restartPolicy: Never
            containers:
            - name: work
              image: busybox
              command: ["sh", "-c", "%s"]
      """;

  @Test
  @Order(7)
  void jobsCompleteOrFailAtTheirBackoffLimit() {
    assertTrue(cluster.apply(String.format(JOB, "five", 5, 2, 6, "sleep 1")).ok());
    assertTrue(cluster.apply(String.format(JOB, "doomed", 1, 1, 2, "exit 1")).ok());
    ok("wait", "--for=condition=complete", "job/five", "--timeout=90s");
    JsonNode five = cluster.json("get", "job", "five");
    assertEquals(5, five.at("/status/succeeded").asInt());
    assertEquals(5, cluster.json("get", "pods", "-l", "batch.kubernetes.io/job-name=five").path("items").size());
    ok("wait", "--for=condition=failed", "job/doomed", "--timeout=90s");
    JsonNode doomed = cluster.json("get", "job", "doomed");
    assertEquals(3, doomed.at("/status/failed").asInt());
    List<String> reasons = new ArrayList<>();
    doomed.at("/status/conditions").forEach(c -> reasons.add(c.path("type").asText() + "=" + c.path("reason").asText()));
    assertTrue(reasons.contains("Failed=BackoffLimitExceeded"), reasons.toString());
  }

  @Test
  @Order(8)
  void aLostNodesPodsAreEvictedAndReplaced() throws Exception {
    ok("create", "deployment", "survivor", "--image=nginx", "--replicas=6");
    ok("rollout", "status", "deployment/survivor", "--timeout=60s");
    long onNode3 = cluster.json("get", "pods", "-l", "app=survivor").path("items").findValues("nodeName").stream()
        .filter(n -> n.asText().equals("node-3")).count();
    assertTrue(onNode3 > 0, "some pods run on node-3");
    long pid = Long.parseLong(java.nio.file.Files.readString(cluster.runDir().resolve("pids/kubelet-2.pid")).trim());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9
    // node-monitor-grace-period 40 s / 10
    KemuCluster.await("node-3 Unknown", Duration.ofSeconds(30), () -> "Unknown".equals(cluster.kubectl("get", "node",
        "node-3", "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().trim()));
    JsonNode node = cluster.json("get", "node", "node-3");
    assertTrue(node.at("/spec/taints").toString().contains("node.kubernetes.io/unreachable"), node.toString());
    KemuCluster.Result wide = ok("get", "nodes");
    assertTrue(wide.out().lines().anyMatch(l -> l.startsWith("node-3") && l.contains("NotReady")), wide.out());
    // toleration 300 s / 10, then replacements on node-1 and node-2
    KemuCluster.await("6 ready pods off node-3", Duration.ofSeconds(90), () -> {
      JsonNode pods = cluster.json("get", "pods", "-l", "app=survivor");
      int good = 0;
      for (JsonNode p : pods.path("items")) {
        boolean deleting = !p.at("/metadata/deletionTimestamp").isMissingNode();
        boolean ready = p.at("/status/conditions").toString().contains("\"type\":\"Ready\"")
            && readyTrue(p);
        if (!deleting && ready && !p.at("/spec/nodeName").asText().equals("node-3")) {
          good++;
        }
      }
      return good == 6;
    });
    JsonNode d = cluster.json("get", "deployment", "survivor");
    assertEquals(6, d.at("/status/availableReplicas").asInt());
  }

  @Test
  @Order(9)
  void theStandbyControllerManagerTakesOverWhenTheLeaderIsKilled() throws Exception {
    String holder = cluster.json("get", "lease", "kube-controller-manager", "-n", "kube-system")
        .at("/spec/holderIdentity").asText();
    assertFalse(holder.isEmpty());
    // each controller-manager logs its Lease identity when it starts
    String leaderRole = null;
    for (int k = 1; k <= 2; k++) {
      String log = java.nio.file.Files.readString(cluster.runDir().resolve("logs/controller-manager-" + k + ".log"));
      if (log.contains("controller-manager " + holder + " started")) {
        leaderRole = "controller-manager-" + k;
      }
    }
    assertNotNull(leaderRole, "no controller-manager log names the holder " + holder);
    ok("create", "deployment", "handover", "--image=nginx", "--replicas=1");
    ok("rollout", "status", "deployment/handover", "--timeout=60s");
    long pid = Long.parseLong(java.nio.file.Files.readString(cluster.runDir().resolve("pids/" + leaderRole + ".pid"))
        .trim());
    ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9 the leader
    ok("scale", "deployment", "handover", "--replicas=3");
    // the standby acquires the Lease once it expires (15 s / 10) and scales the Deployment
    ok("rollout", "status", "deployment/handover", "--timeout=90s");
    assertEquals(3, cluster.json("get", "deployment", "handover").at("/status/readyReplicas").asInt());
    assertEquals(3, cluster.json("get", "pods", "-l", "app=handover").path("items").size(), "no pod created twice");
    String newHolder = cluster.json("get", "lease", "kube-controller-manager", "-n", "kube-system")
        .at("/spec/holderIdentity").asText();
    assertNotEquals(holder, newHolder);
  }

  static boolean readyTrue(JsonNode pod) {
    for (JsonNode c : pod.at("/status/conditions")) {
      if (c.path("type").asText().equals("Ready")) {
        return c.path("status").asText().equals("True");
      }
    }
    return false;
  }
}
