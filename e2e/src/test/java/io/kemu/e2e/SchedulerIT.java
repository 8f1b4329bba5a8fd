package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * The scheduler's acceptance (issue 6) through kubectl on a real cluster of 4 nodes (8 CPUs each) with two
 * scheduler JVMs: resource fit, nodeSelector, node affinity, taints and tolerations, anti-affinity spreading
 * replicas, topology spread, preemption, kube-scheduler's unschedulable messages, and leader failover.
 * The workload controllers do not exist yet, so "replicas" are several pods with the same labels.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(240)
class SchedulerIT {
  static final Duration WAIT = Duration.ofSeconds(60);

  KemuCluster cluster;

  @BeforeAll
  void up() throws Exception {
    cluster = new KemuCluster(4, 2, 2, 10);
    KemuCluster.Result r = cluster.up();
    assertTrue(r.ok(), "cluster-up.sh failed: " + r.all());
    // zones for node affinity and topology spread: node-1/2 in zone-a, node-3/4 in zone-b
    for (int i = 1; i <= 4; i++) {
      ok(cluster.kubectl("label", "node", "node-" + i, "topology.kubernetes.io/zone=zone-" + (i <= 2 ? "a" : "b")));
    }
  }

  @AfterAll
  void down() {
    if (cluster != null) {
      cluster.close();
    }
  }

  static KemuCluster.Result ok(KemuCluster.Result r) {
    assertTrue(r.ok(), r.all());
    return r;
  }

  static String pod(String name, String labels, String spec) {
    return """
        apiVersion: v1
        kind: Pod
        metadata:
          name: %s
          labels: {%s}
        spec:
          terminationGracePeriodSeconds: 3
          containers:
          - name: c
            image: busybox
            command: ["sleep", "3600"]
        %s""".formatted(name, labels, spec.indent(2));
  }

  static String requests(String cpu) {
    return """
        containers:
        - name: c
          image: busybox
          command: ["sleep", "3600"]
          resources:
            requests:
              cpu: "%s"
        """.formatted(cpu);
  }

  /** A pod with the given extra spec lines (replacing the containers when they are given). */
  static String podWith(String name, String labels, String spec) {
    if (spec.contains("containers:")) {
      return """
          apiVersion: v1
          kind: Pod
          metadata:
            name: %s
            labels: {%s}
          spec:
            terminationGracePeriodSeconds: 3
          %s""".formatted(name, labels, spec.indent(2));
    }
    return pod(name, labels, spec);
  }

  String nodeOf(String pod) {
    return cluster.kubectl("get", "pod", pod, "-o", "jsonpath={.spec.nodeName}").out();
  }

  String awaitBound(String pod) {
    KemuCluster.await(pod + " bound", WAIT, () -> !nodeOf(pod).isEmpty());
    return nodeOf(pod);
  }

  /** Waits for PodScheduled=False and returns its message. */
  String awaitUnschedulable(String pod) {
    String[] msg = new String[1];
    KemuCluster.await(pod + " unschedulable", WAIT, () -> {
      msg[0] = cluster.kubectl("get", "pod", pod, "-o",
          "jsonpath={.status.conditions[?(@.type==\"PodScheduled\")].message}").out();
      return !msg[0].isEmpty();
    });
    return msg[0];
  }

  void awaitFailedSchedulingEvent(String pod, String message) {
    KemuCluster.await("a FailedScheduling event for " + pod, WAIT, () -> {
      String d = cluster.kubectl("describe", "pod", pod).out();
      return d.contains("FailedScheduling") && d.contains(message.substring(0, Math.min(60, message.length())));
    });
  }

  void delete(String... pods) {
    List<String> args = new ArrayList<>(List.of("delete", "pod", "--grace-period=0", "--force", "--wait=false"));
    args.addAll(List.of(pods));
    cluster.kubectl(args.toArray(String[]::new));
    KemuCluster.await("pods deleted", WAIT, () -> {
      for (String p : pods) {
        if (cluster.kubectl("get", "pod", p).ok()) {
          return false;
        }
      }
      return true;
    });
  }

  int leader() {
    for (int k = 1; k <= 2; k++) {
      if (cluster.schedulerHttp(k, "/metrics").contains("leader_election_master_status{name=\"kube-scheduler\"} 1")) {
        return k;
      }
    }
    return 0;
  }

  @Test
  @Order(1)
  void oneOfTwoSchedulersLeadsThroughTheLease() {
    KemuCluster.await("a leader", WAIT, () -> leader() != 0);
    int leading = leader();
    int other = 3 - leading;
    assertTrue(cluster.schedulerHttp(other, "/metrics")
        .contains("leader_election_master_status{name=\"kube-scheduler\"} 0"), "the other one stands by");
    JsonNode lease = cluster.json("get", "lease", "kube-scheduler", "-n", "kube-system");
    assertFalse(lease.at("/spec/holderIdentity").asText().isEmpty());
    assertEquals(15, lease.at("/spec/leaseDurationSeconds").asInt());
    assertEquals("ok", cluster.schedulerHttp(leading, "/healthz"));
  }

  @Test
  @Order(2)
  void resourceFitSpreadsBigPodsAndExplainsWhatDoesNotFit() {
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= 4; i++) {
      names.add("big-" + i);
      ok(cluster.apply(podWith("big-" + i, "app: big", requests("5"))));
    }
    Set<String> nodes = new HashSet<>();
    for (String n : names) {
      nodes.add(awaitBound(n));
    }
    assertEquals(4, nodes.size(), "5 of 8 CPUs: one per node " + nodes);
    ok(cluster.apply(podWith("big-5", "app: big", requests("5"))));
    String expected = "0/4 nodes are available: 4 Insufficient cpu. preemption: 0/4 nodes are available: "
        + "4 No preemption victims found for incoming pod..";
    assertEquals(expected, awaitUnschedulable("big-5"));
    JsonNode cond = cluster.json("get", "pod", "big-5").at("/status/conditions/0");
    assertEquals("Unschedulable", cond.get("reason").asText());
    assertEquals("False", cond.get("status").asText());
    awaitFailedSchedulingEvent("big-5", expected);
    String scheduled = cluster.kubectl("describe", "pod", "big-1").out();
    assertTrue(scheduled.contains("Successfully assigned default/big-1 to " + nodeOf("big-1")), scheduled);
    // deleting a bound pod frees its node: the pending pod is retried (AssignedPodDelete) and fits
    String freed = nodeOf("big-1");
    delete("big-1");
    assertEquals(freed, awaitBound("big-5"));
    delete("big-2", "big-3", "big-4", "big-5");
  }

  @Test
  @Order(3)
  void nodeSelectorAndTheRetryWhenANodeGetsTheLabel() {
    ok(cluster.kubectl("label", "node", "node-2", "disk=ssd"));
    ok(cluster.apply(pod("on-ssd", "app: sel", "nodeSelector: {disk: ssd}")));
    assertEquals("node-2", awaitBound("on-ssd"));
    ok(cluster.apply(pod("on-nvme", "app: sel", "nodeSelector: {disk: nvme}")));
    String expected = "0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: "
        + "0/4 nodes are available: 4 Preemption is not helpful for scheduling..";
    assertEquals(expected, awaitUnschedulable("on-nvme"));
    awaitFailedSchedulingEvent("on-nvme", expected);
    ok(cluster.kubectl("label", "node", "node-3", "disk=nvme"));
    assertEquals("node-3", awaitBound("on-nvme"), "a label change on a node moves the pod back to the queue");
    delete("on-ssd", "on-nvme");
    ok(cluster.kubectl("label", "node", "node-2", "disk-"));
    ok(cluster.kubectl("label", "node", "node-3", "disk-"));
  }

  @Test
  @Order(4)
  void requiredAndPreferredNodeAffinity() {
    ok(cluster.apply(pod("in-zone-b", "app: aff", """
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: topology.kubernetes.io/zone, operator: In, values: [zone-b]}
        """)));
    assertTrue(Set.of("node-3", "node-4").contains(awaitBound("in-zone-b")));
    ok(cluster.apply(pod("prefers-node-1", "app: aff", """
        affinity:
          nodeAffinity:
            preferredDuringSchedulingIgnoredDuringExecution:
            - weight: 100
              preference:
                matchExpressions:
                - {key: kubernetes.io/hostname, operator: In, values: [node-1]}
        """)));
    assertEquals("node-1", awaitBound("prefers-node-1"));
    ok(cluster.apply(pod("in-zone-c", "app: aff", """
        affinity:
          nodeAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
              nodeSelectorTerms:
              - matchExpressions:
                - {key: topology.kubernetes.io/zone, operator: In, values: [zone-c]}
        """)));
    assertEquals("0/4 nodes are available: 4 node(s) didn't match Pod's node affinity/selector. preemption: "
        + "0/4 nodes are available: 4 Preemption is not helpful for scheduling..", awaitUnschedulable("in-zone-c"));
    delete("in-zone-b", "prefers-node-1", "in-zone-c");
  }

  @Test
  @Order(5)
  void taintsKeepPodsAwayUnlessTolerated() {
    for (int i = 1; i <= 3; i++) {
      ok(cluster.kubectl("taint", "node", "node-" + i, "dedicated=gpu:NoSchedule"));
    }
    ok(cluster.apply(pod("untainted-only", "app: taint", "")));
    assertEquals("node-4", awaitBound("untainted-only"));
    ok(cluster.apply(pod("tolerates", "app: taint", """
        nodeSelector: {kubernetes.io/hostname: node-1}
        tolerations:
        - {key: dedicated, operator: Equal, value: gpu, effect: NoSchedule}
        """)));
    assertEquals("node-1", awaitBound("tolerates"));
    ok(cluster.apply(pod("wants-node-1", "app: taint", "nodeSelector: {kubernetes.io/hostname: node-1}")));
    String expected = "0/4 nodes are available: 1 node(s) didn't match Pod's node affinity/selector, "
        + "3 node(s) had untolerated taint {dedicated: gpu}. preemption: 0/4 nodes are available: "
        + "4 Preemption is not helpful for scheduling..";
    assertEquals(expected, awaitUnschedulable("wants-node-1"));
    for (int i = 1; i <= 3; i++) {
      ok(cluster.kubectl("taint", "node", "node-" + i, "dedicated=gpu:NoSchedule-"));
    }
    assertEquals("node-1", awaitBound("wants-node-1"), "removing the taint moves the pod back to the queue");
    delete("untainted-only", "tolerates", "wants-node-1");
  }

  @Test
  @Order(6)
  void podAntiAffinitySpreadsReplicasAcrossNodes() {
    String antiAffinity = """
        affinity:
          podAntiAffinity:
            requiredDuringSchedulingIgnoredDuringExecution:
            - labelSelector:
                matchLabels: {app: web}
              topologyKey: kubernetes.io/hostname
        """;
    Set<String> nodes = new HashSet<>();
    for (int i = 1; i <= 4; i++) {
      ok(cluster.apply(pod("web-" + i, "app: web", antiAffinity)));
    }
    for (int i = 1; i <= 4; i++) {
      nodes.add(awaitBound("web-" + i));
    }
    assertEquals(Set.of("node-1", "node-2", "node-3", "node-4"), nodes);
    ok(cluster.apply(pod("web-5", "app: web", antiAffinity)));
    assertEquals("0/4 nodes are available: 4 node(s) didn't match pod anti-affinity rules. preemption: "
        + "0/4 nodes are available: 4 No preemption victims found for incoming pod..", awaitUnschedulable("web-5"));
    delete("web-1", "web-2", "web-3", "web-4", "web-5");
  }

  @Test
  @Order(7)
  void topologySpreadConstraintsBalanceZones() {
    String spread = """
        topologySpreadConstraints:
        - maxSkew: 1
          topologyKey: topology.kubernetes.io/zone
          whenUnsatisfiable: DoNotSchedule
          labelSelector:
            matchLabels: {app: spread}
        """;
    Map<String, Integer> perZone = new HashMap<>();
    for (int i = 1; i <= 6; i++) {
      ok(cluster.apply(pod("spread-" + i, "app: spread", spread)));
      String node = awaitBound("spread-" + i); // one at a time, as a ReplicaSet scaling up would
      perZone.merge(node.equals("node-1") || node.equals("node-2") ? "zone-a" : "zone-b", 1, Integer::sum);
    }
    assertEquals(Map.of("zone-a", 3, "zone-b", 3), perZone);
    List<String> names = new ArrayList<>();
    for (int i = 1; i <= 6; i++) {
      names.add("spread-" + i);
    }
    delete(names.toArray(String[]::new));
  }

  @Test
  @Order(8)
  void aHighPriorityPodPreemptsALowPriorityOne() throws IOException {
    ok(cluster.kubectl("create", "priorityclass", "high", "--value=1000000"));
    String priorityClass = "high";
    for (int i = 1; i <= 4; i++) {
      ok(cluster.apply(podWith("low-" + i, "app: low", requests("6"))));
    }
    Map<String, String> lowNodes = new HashMap<>();
    for (int i = 1; i <= 4; i++) {
      lowNodes.put(awaitBound("low-" + i), "low-" + i);
    }
    Path watch = cluster.runDir().resolve("preemption-watch.txt");
    Process w = cluster.kubectlBackground(watch, "get", "pods", "-l", "app=vip", "-w", "-o",
        "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName,NOMINATED:.status.nominatedNodeName");
    try {
      KemuCluster.sleep(1000); // the watch is established
      ok(cluster.apply(podWith("vip", "app: vip", "priorityClassName: " + priorityClass + "\n" + requests("4"))));
      String node = awaitBound("vip");
      assertEquals("1000000", cluster.kubectl("get", "pod", "vip", "-o", "jsonpath={.spec.priority}").out());
      String victim = lowNodes.get(node);
      KemuCluster.await("the victim gone", WAIT, () -> !cluster.kubectl("get", "pod", victim).ok());
      for (String other : lowNodes.values()) {
        if (!other.equals(victim)) {
          assertTrue(cluster.kubectl("get", "pod", other).ok(), "only one victim: " + other + " is still there");
        }
      }
      String events = cluster.kubectl("get", "events", "--field-selector", "involvedObject.name=" + victim).out();
      assertTrue(events.contains("Preempted") && events.contains("Preempted by pod "), events);
      KemuCluster.sleep(500);
      String seen = Files.readString(watch);
      assertTrue(seen.contains(node), "nominatedNodeName " + node + " shown while the victim went: " + seen);
      assertTrue(Pattern.compile("vip\\s+<none>\\s+" + node).matcher(seen).find(),
          "vip nominated to " + node + " before being bound: " + seen);
    } finally {
      w.destroy();
    }
    delete("vip", "low-1", "low-2", "low-3", "low-4");
  }

  @Test
  @Order(9)
  void theStandbyTakesOverWhenTheLeadersJvmIsKilledAndNoPodIsBoundTwice() throws Exception {
    int leading = leader();
    assertNotEquals(0, leading);
    String leaderName = "scheduler-" + leading;
    long pid = Long.parseLong(Files.readString(cluster.runDir().resolve("pids/" + leaderName + ".pid")).trim());
    String holder = cluster.json("get", "lease", "kube-scheduler", "-n", "kube-system").at("/spec/holderIdentity")
        .asText();
    // every change of every handover pod, as kubectl sees it: a pod's node, once set, must never change
    Path watch = cluster.runDir().resolve("handover-watch.txt");
    Process w = cluster.kubectlBackground(watch, "get", "pods", "-l", "app=handover", "-w", "-o",
        "custom-columns=NAME:.metadata.name,NODE:.spec.nodeName");
    try {
      KemuCluster.sleep(1000); // the watch is established
      for (int i = 1; i <= 20; i++) {
        ok(cluster.apply(pod("handover-" + i, "app: handover", "")));
      }
      ProcessHandle.of(pid).ifPresent(ProcessHandle::destroyForcibly); // kill -9 the leader mid-stream
      for (int i = 21; i <= 30; i++) {
        ok(cluster.apply(pod("handover-" + i, "app: handover", "")));
      }
      KemuCluster.await("the standby to lead", WAIT, () -> leader() == 3 - leading);
      for (int i = 1; i <= 30; i++) {
        awaitBound("handover-" + i);
      }
      KemuCluster.sleep(500);
    } finally {
      w.destroy();
    }
    Map<String, Set<String>> nodesSeen = new HashMap<>();
    Pattern row = Pattern.compile("^(handover-\\d+)\\s+(\\S+)\\s*$");
    for (String line : Files.readAllLines(watch)) {
      Matcher m = row.matcher(line);
      if (m.find() && !m.group(2).equals("<none>")) {
        nodesSeen.computeIfAbsent(m.group(1), k -> new HashSet<>()).add(m.group(2));
      }
    }
    assertEquals(30, nodesSeen.size(), "every pod seen bound by the watch: " + nodesSeen);
    nodesSeen.forEach((pod, nodes) -> assertEquals(1, nodes.size(), pod + " bound to " + nodes));
    // the flow logs of both schedulers name each successful binding: none twice; the pods created after the kill
    // were all bound by the new leader
    int standby = 3 - leading;
    Map<String, List<Integer>> boundBy = new HashMap<>();
    Pattern bound = Pattern.compile("scheduler: bound pod default/(handover-\\d+) to ");
    for (int k = 1; k <= 2; k++) {
      for (String line : Files.readAllLines(cluster.runDir().resolve("logs/scheduler-" + k + ".log"))) {
        Matcher m = bound.matcher(line);
        if (m.find()) {
          boundBy.computeIfAbsent(m.group(1), x -> new ArrayList<>()).add(k);
        }
      }
    }
    for (int i = 1; i <= 30; i++) {
      List<Integer> by = boundBy.getOrDefault("handover-" + i, List.of());
      assertTrue(by.size() <= 1, "handover-" + i + " bound more than once, by schedulers " + by);
      if (i > 20) {
        assertEquals(List.of(standby), by, "handover-" + i + " (created after the kill) bound by the new leader");
      }
    }
    JsonNode lease = cluster.json("get", "lease", "kube-scheduler", "-n", "kube-system");
    assertTrue(lease.at("/spec/leaseTransitions").asInt() >= 1, lease.toString());
    assertNotEquals(holder, lease.at("/spec/holderIdentity").asText(), lease.toString());
  }
}
