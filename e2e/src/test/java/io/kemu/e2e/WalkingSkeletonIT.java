package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The walking skeleton's acceptance, as a new user would check it: the scripts start a 4-node cluster of
 * separate JVMs, the real kubectl drives pods through the creation and deletion flow, the security chain
 * answers 401/403/422, and down + up keeps every object.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class WalkingSkeletonIT {
  static final String NGINX = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: %s
        labels:
          app: web
      spec:
        containers:
        - name: nginx
          image: nginx:1.25
          ports:
          - containerPort: 80
      """;

  KemuCluster cluster;

  @BeforeAll
  void up() throws Exception {
    cluster = new KemuCluster(4, 2, 10);
    KemuCluster.Result r = cluster.up();
    assertTrue(r.ok(), "cluster-up.sh failed: " + r.all());
    assertTrue(r.out().contains("export KUBECONFIG=" + cluster.runDir() + "/kubeconfig"), r.out());
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      List<Long> pids = cluster.pids();
      cluster.close();
      assertTrue(cluster.alivePids().isEmpty(), "JVMs left behind: " + cluster.alivePids() + " of " + pids);
    }
  }

  @Test
  @Order(1)
  void fourNodesAreReady() {
    KemuCluster.Result r = cluster.kubectl("get", "nodes");
    assertTrue(r.ok(), r.all());
    List<String> lines = r.out().lines().skip(1).toList();
    assertEquals(4, lines.size(), r.out());
    lines.forEach(l -> assertTrue(l.matches("node-\\d\\s+Ready\\s+<none>\\s+\\S+\\s+v1\\.32\\.4\\+kemu"), l));
    JsonNode node = cluster.json("get", "node", "node-1");
    assertEquals("110", node.at("/status/allocatable/pods").asText());
    assertEquals("node-1", node.at("/metadata/labels/kubernetes.io~1hostname").asText());
    assertEquals("linux", node.at("/metadata/labels/kubernetes.io~1os").asText());
    assertEquals("10.244.0.0/24", node.at("/spec/podCIDR").asText());
  }

  @Test
  @Order(2)
  void everyRoleRunsInItsOwnJvm() {
    Set<String> roles = new TreeSet<>();
    List<Long> pids = cluster.pids();
    assertEquals(6, pids.size(), "etcd, apiserver, scheduler, controller-manager and 2 kubelet JVMs");
    for (long pid : pids) {
      String cmd = KemuCluster.commandLine(pid);
      assertTrue(cmd.contains("io.kemu.conf.Kemu"), cmd);
      roles.add(cmd.replaceAll(".*--role (\\S+).*", "$1"));
    }
    assertEquals(Set.of("apiserver", "controller-manager", "etcd", "kubelet", "scheduler"), roles);
    assertTrue(Files.exists(cluster.runDir().resolve("logs/etcd.log")));
    assertTrue(Files.exists(cluster.runDir().resolve("logs/kubelet-2.log")));
  }

  @Test
  @Order(3)
  void anNginxPodGoesThroughTheWholeFlowToRunning() throws Exception {
    Path watchOut = cluster.runDir().resolve("watch.txt");
    Process watch = cluster.kubectlBackground(watchOut, "get", "pods", "-w");
    try {
      KemuCluster.await("the watch to start", Duration.ofSeconds(30), () -> size(watchOut) > 0
          || cluster.kubectl("get", "pods").ok());
      KemuCluster.sleep(1000);
      KemuCluster.Result created = cluster.apply(NGINX.formatted("nginx"));
      assertTrue(created.ok(), created.all());
      assertEquals("pod/nginx created\n", created.out());
      Duration took = KemuCluster.await("nginx Running", Duration.ofSeconds(60), () ->
          cluster.kubectl("get", "pod", "nginx", "--no-headers").out().matches("nginx\\s+1/1\\s+Running\\s+0\\s+.*\\n"));
      System.out.println("[e2e] kubectl apply -> Running 1/1 observed after " + took.toMillis() + " ms");

      String wide = cluster.kubectl("get", "pods", "-o", "wide").out();
      String row = wide.lines().filter(l -> l.startsWith("nginx ")).findFirst().orElseThrow();
      assertTrue(row.matches("nginx\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.\\d+\\.\\d+\\s+node-\\d\\s+<none>\\s+<none>"),
          row);

      JsonNode pod = cluster.json("get", "pod", "nginx");
      JsonNode st = pod.get("status");
      assertEquals("Running", st.get("phase").asText());
      List<String> types = new ArrayList<>();
      st.get("conditions").forEach(c -> {
        types.add(c.get("type").asText());
        assertEquals("True", c.get("status").asText(), c.toString());
      });
      assertTrue(types.containsAll(List.of("PodScheduled", "Initialized", "ContainersReady", "Ready")), types.toString());
      JsonNode cs = st.get("containerStatuses").get(0);
      assertTrue(cs.at("/state/running/startedAt").isTextual(), cs.toString());
      assertTrue(cs.get("ready").asBoolean());
      assertEquals(0, cs.get("restartCount").asInt());
      assertEquals("docker.io/library/nginx:1.25", cs.get("image").asText());
      assertTrue(st.get("hostIP").asText().startsWith("172.18."));
      assertTrue(st.get("podIP").asText().startsWith("10.244."));
      assertTrue(st.get("startTime").isTextual());
      // admission and defaulting happened on the way in
      JsonNode spec = pod.get("spec");
      assertEquals("Always", spec.get("restartPolicy").asText());
      assertEquals(30, spec.get("terminationGracePeriodSeconds").asInt());
      assertEquals("IfNotPresent", spec.at("/containers/0/imagePullPolicy").asText());
      assertEquals("TCP", spec.at("/containers/0/ports/0/protocol").asText());
      assertEquals("default-scheduler", spec.get("schedulerName").asText());
      assertEquals("default", spec.get("serviceAccountName").asText());

      String events = cluster.kubectl("get", "events", "--field-selector", "involvedObject.name=nginx").out();
      for (String reason : List.of("Scheduled", "Pulling", "Pulled", "Created", "Started")) {
        assertTrue(events.contains(reason), "missing " + reason + " in\n" + events);
      }

      KemuCluster.Result deleted = cluster.kubectl("delete", "pod", "nginx");
      assertTrue(deleted.ok(), deleted.all());
      assertEquals("pod \"nginx\" deleted\n", deleted.out());
      KemuCluster.Result gone = cluster.kubectl("get", "pod", "nginx");
      assertFalse(gone.ok());
      assertTrue(gone.err().contains("Error from server (NotFound): pods \"nginx\" not found"), gone.err());
      KemuCluster.sleep(1500);
    } finally {
      watch.destroy();
    }
    String seen = Files.readString(watchOut);
    List<String> statuses = seen.lines().filter(l -> l.startsWith("nginx ")).map(l -> l.split("\\s+")[2]).toList();
    assertTrue(statuses.contains("Pending"), seen);
    assertTrue(statuses.contains("ContainerCreating"), seen);
    assertTrue(statuses.contains("Running"), seen);
    assertTrue(statuses.indexOf("Pending") < statuses.indexOf("Running"), seen);
  }

  @Test
  @Order(4)
  void aWrongTokenIsUnauthorized() {
    KemuCluster.Result r = cluster.kubectl("--token", "not-a-token", "get", "pods");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("Unauthorized"), r.err());
  }

  @Test
  @Order(5)
  void theViewerMayReadButNotCreate() {
    assertTrue(cluster.kubectl("--context", "viewer", "get", "pods").ok());
    KemuCluster.Result r = cluster.kubectlStdin(NGINX.formatted("forbidden"), "--context", "viewer", "create", "-f", "-");
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("Error from server (Forbidden)") && r.err().contains(
        "pods is forbidden: User \"viewer\" cannot create resource \"pods\" in API group \"\" in the namespace \"default\""),
        r.err());
    assertFalse(cluster.kubectl("get", "pod", "forbidden").ok(), "nothing stored");
  }

  @Test
  @Order(6)
  void anInvalidPodIsRejectedNamingTheFieldsAndNothingIsStored() {
    KemuCluster.Result r = cluster.apply("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: bad-pod
        spec:
          containers:
          - name: c
            image: ""
            ports:
            - containerPort: 70000
          - name: c
            image: busybox
        """);
    assertNotEquals(0, r.code());
    assertTrue(r.err().contains("The Pod \"bad-pod\" is invalid"), r.err());
    assertTrue(r.err().contains("spec.containers[0].image: Required value"), r.err());
    assertTrue(r.err().contains("spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 "
        + "and 65535, inclusive"), r.err());
    assertTrue(r.err().contains("spec.containers[1].name: Duplicate value: \"c\""), r.err());
    assertFalse(cluster.kubectl("get", "pod", "bad-pod").ok(), "nothing stored");
  }

  @Test
  @Order(7)
  void aPodNoNodeFitsStaysPendingWithTheSchedulersReason() {
    assertTrue(cluster.apply("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: too-big
        spec:
          containers:
          - name: c
            image: busybox
            command: ["sleep", "3600"]
            resources:
              requests:
                cpu: "100"
        """).ok());
    // kube-scheduler's DefaultPreemption adds why preemption cannot help: no pod of lower priority to evict
    String expected = "0/4 nodes are available: 4 Insufficient cpu. preemption: 0/4 nodes are available: "
        + "4 No preemption victims found for incoming pod..";
    KemuCluster.await("PodScheduled=False", Duration.ofSeconds(60), () -> cluster.kubectl("get", "pod", "too-big",
        "-o", "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].reason}").out().equals("Unschedulable"));
    JsonNode cond = cluster.json("get", "pod", "too-big").at("/status/conditions/0");
    assertEquals("False", cond.get("status").asText());
    assertEquals(expected, cond.get("message").asText());
    assertTrue(cluster.kubectl("get", "pod", "too-big").out().contains("Pending"));
    KemuCluster.await("a FailedScheduling event", Duration.ofSeconds(30), () -> {
      String d = cluster.kubectl("describe", "pod", "too-big").out();
      return d.contains("FailedScheduling") && d.contains(expected) && d.contains("default-scheduler");
    });
    assertTrue(cluster.kubectl("delete", "pod", "too-big").ok());
  }

  @Test
  @Order(8)
  void deletingANamespaceEmptiesAndRemovesIt() {
    KemuCluster.Result created = cluster.kubectl("create", "namespace", "scratch"); // a protobuf request body
    assertTrue(created.ok(), created.all());
    assertEquals("namespace/scratch created\n", created.out());
    assertTrue(cluster.kubectlStdin(NGINX.formatted("inside"), "-n", "scratch", "apply", "-f", "-").ok());
    KemuCluster.await("the pod in scratch Running", Duration.ofSeconds(60), () ->
        cluster.kubectl("-n", "scratch", "get", "pod", "inside", "--no-headers").out().contains("Running"));
    KemuCluster.Result deleted = cluster.kubectl("delete", "namespace", "scratch", "--wait=false");
    assertTrue(deleted.ok(), deleted.all());
    assertTrue(cluster.kubectl("get", "namespace", "scratch").out().contains("Terminating"));
    KemuCluster.await("scratch gone", Duration.ofSeconds(90), () -> !cluster.kubectl("get", "namespace", "scratch").ok());
    assertTrue(cluster.kubectl("get", "pods", "-n", "scratch", "--no-headers").out().isBlank());
  }

  @Test
  @Order(9)
  void downAndUpKeepEveryObject() {
    assertTrue(cluster.apply(NGINX.formatted("survivor")).ok());
    KemuCluster.await("survivor Running", Duration.ofSeconds(60), () ->
        cluster.kubectl("get", "pod", "survivor", "--no-headers").out().contains("Running"));
    String uid = cluster.json("get", "pod", "survivor").at("/metadata/uid").asText();
    List<Long> before = cluster.pids();

    KemuCluster.Result down = cluster.down();
    assertTrue(down.ok(), down.all());
    for (long pid : before) {
      assertFalse(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "pid " + pid + " still alive");
    }
    assertTrue(cluster.pids().isEmpty(), "pid files removed");

    KemuCluster.Result up = cluster.up();
    assertTrue(up.ok(), up.all());
    JsonNode pod = cluster.json("get", "pod", "survivor");
    assertEquals(uid, pod.at("/metadata/uid").asText(), "the same object, not a new one");
    KemuCluster.await("survivor Running again", Duration.ofSeconds(60), () ->
        cluster.kubectl("get", "pod", "survivor", "--no-headers").out().contains("Running"));
  }

  private static long size(Path p) {
    try {
      return Files.size(p);
    } catch (Exception e) {
      return 0;
    }
  }
}
