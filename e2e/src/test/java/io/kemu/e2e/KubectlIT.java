package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
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
 * The apiserver issue's kubectl acceptance list, command by command, with the real kubectl: each prints what it
 * prints against kube-apiserver (messages, table headers, exit codes).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class KubectlIT {
  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: web
        labels:
          app: web
      %s
      spec:
        containers:
        - name: nginx
          image: nginx:1.25
          ports:
          - containerPort: 80
      """;

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata:
        name: nginx-deployment
        labels:
          app: nginx
      spec:
        replicas: 3
        selector:
          matchLabels:
            app: nginx
        template:
          metadata:
            labels:
              app: nginx
          spec:
            containers:
            - name: nginx
              image: nginx:1.14.2
              ports:
              - containerPort: 80
      """;

  static final String COUNTER = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: counter
      spec:
        containers:
        - name: count
          image: busybox:1.28
          args: [/bin/sh, -c, 'i=0; while true; do echo "$i: hello"; i=$((i+1)); sleep 1; done']
      """;

  static final Pattern AGE = Pattern.compile("\\d+(s|m|h|d)\\S*");

  KemuCluster cluster;
  Path work;

  @BeforeAll
  void up() throws Exception {
    cluster = KemuCluster.started(2, 1, 10);
    work = Files.createTempDirectory(cluster.runDir(), "manifests");
  }

  @AfterAll
  void down() {
    KemuCluster.stop(cluster);
  }

  KemuCluster.Result ok(String... args) {
    KemuCluster.Result r = cluster.kubectl(args);
    assertTrue(r.ok(), "kubectl " + String.join(" ", args) + " failed: " + r.all());
    return r;
  }

  Path file(String name, String content) throws Exception {
    Path p = work.resolve(name);
    Files.writeString(p, content);
    return p;
  }

  static List<String> lines(String out) {
    List<String> l = new ArrayList<>();
    for (String s : out.split("\n")) {
      if (!s.isBlank()) {
        l.add(s);
      }
    }
    return l;
  }

  static List<String> header(String out) {
    return List.of(lines(out).get(0).trim().split("\\s{2,}"));
  }

  @Test
  @Order(1)
  void applyTwiceCreatesThenConfigures() throws Exception {
    Path pod = file("pod.yaml", POD.formatted(""));
    assertEquals("pod/web created\n", ok("apply", "-f", pod.toString()).out());
    Path changed = file("pod.yaml", POD.formatted("    tier: front"));
    assertEquals("pod/web configured\n", ok("apply", "-f", changed.toString()).out());
    assertEquals("pod/web unchanged\n", ok("apply", "-f", changed.toString()).out());
    JsonNode web = cluster.json("get", "pod", "web");
    assertEquals("front", web.at("/metadata/labels/tier").asText());
    assertTrue(web.at("/metadata/annotations").has("kubectl.kubernetes.io/last-applied-configuration"), web.toString());
    KemuCluster.await("web Running", Duration.ofSeconds(60),
        () -> "Running".equals(cluster.json("get", "pod", "web").at("/status/phase").asText()));
  }

  @Test
  @Order(2)
  void applyServerSide() throws Exception {
    Path cm = file("cm.yaml", """
        apiVersion: v1
        kind: ConfigMap
        metadata:
          name: settings
        data:
          mode: fast
        """);
    assertEquals("configmap/settings serverside-applied\n", ok("apply", "--server-side", "-f", cm.toString()).out());
    assertEquals("fast", cluster.json("get", "configmap", "settings").at("/data/mode").asText());
  }

  @Test
  @Order(3)
  void createDeployment() throws Exception {
    Path d = file("deployment.yaml", DEPLOYMENT);
    assertEquals("deployment.apps/nginx-deployment created\n", ok("create", "-f", d.toString()).out());
    KemuCluster.Result again = cluster.kubectl("create", "-f", d.toString());
    assertEquals(1, again.code());
    assertTrue(again.err().contains(
        "Error from server (AlreadyExists): error when creating \"" + d + "\": deployments.apps \"nginx-deployment\" already exists"),
        again.err());
  }

  @Test
  @Order(4)
  void getTables() {
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE"), header(ok("get", "pods").out()));
    assertEquals(List.of("NAME", "STATUS", "ROLES", "AGE", "VERSION"), header(ok("get", "nodes").out()));
    assertEquals(List.of("LAST SEEN", "TYPE", "REASON", "OBJECT", "MESSAGE"), header(ok("get", "events").out()));
    assertEquals(List.of("NAME", "STATUS", "AGE"), header(ok("get", "ns").out()));
    String nodes = ok("get", "nodes").out();
    assertTrue(nodes.contains("node-1") && nodes.contains("node-2") && nodes.contains(" Ready "), nodes);
    String ns = ok("get", "ns").out();
    for (String n : List.of("default", "kube-system", "kube-public", "kube-node-lease")) {
      assertTrue(Pattern.compile("(?m)^" + n + "\\s+Active\\s+").matcher(ns).find(), ns);
    }
    String all = ok("get", "all").out();
    assertTrue(all.contains("pod/web"), all);
    assertTrue(all.contains("service/kubernetes"), all);
    assertTrue(all.contains("deployment.apps/nginx-deployment"), all);
    String events = ok("get", "events").out();
    assertTrue(events.contains("Successfully assigned default/web to node-"), events);
  }

  @Test
  @Order(5)
  void getVariants() throws Exception {
    String wide = ok("get", "pods", "web", "-o", "wide").out();
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "IP", "NODE", "NOMINATED NODE", "READINESS GATES"),
        header(wide));
    assertTrue(Pattern.compile("(?m)^web\\s+1/1\\s+Running\\s+0\\s+\\S+\\s+10\\.244\\.\\d+\\.\\d+\\s+node-\\d\\s+<none>\\s+<none>$")
        .matcher(wide).find(), wide);

    String yaml = ok("get", "pod", "web", "-o", "yaml").out();
    assertTrue(yaml.startsWith("apiVersion: v1\nkind: Pod\nmetadata:\n"), yaml);
    assertTrue(yaml.contains("\n  phase: Running\n"), yaml);
    JsonNode json = new ObjectMapper().readTree(ok("get", "pod", "web", "-o", "json").out());
    assertEquals("Pod", json.path("kind").asText());

    String labels = ok("get", "pods", "web", "--show-labels").out();
    assertEquals(List.of("NAME", "READY", "STATUS", "RESTARTS", "AGE", "LABELS"), header(labels));
    assertTrue(labels.contains("app=web,tier=front"), labels);

    assertTrue(ok("get", "pods", "-l", "app=web").out().contains("web "));
    KemuCluster.Result none = ok("get", "pods", "-l", "app=x");
    assertEquals("", none.out());
    assertEquals("No resources found in default namespace.\n", none.err());
    assertTrue(ok("get", "pods", "-l", "app in (web,x),tier!=back").out().contains("web "));

    assertTrue(ok("get", "pods", "--field-selector", "status.phase=Running").out().contains("web "));
    assertEquals("No resources found in default namespace.\n",
        ok("get", "pods", "--field-selector", "status.phase=Pending,metadata.name=web").err());

    String allNs = ok("get", "pods", "-A").out();
    assertEquals(List.of("NAMESPACE", "NAME", "READY", "STATUS", "RESTARTS", "AGE"), header(allNs));
    assertTrue(Pattern.compile("(?m)^default\\s+web\\s+1/1\\s+Running").matcher(allNs).find(), allNs);

    List<String> sorted = lines(ok("get", "ns", "--sort-by=.metadata.name", "-o", "name").out());
    List<String> expected = new ArrayList<>(sorted);
    expected.sort(String::compareTo);
    assertEquals(expected, sorted);
    assertTrue(sorted.size() >= 4, sorted.toString());
  }

  @Test
  @Order(6)
  void watchPrintsTheCreationFlow() throws Exception {
    Path out = work.resolve("watch.txt");
    Process w = cluster.kubectlBackground(out, "get", "pods", "-w", "--output-watch-events");
    try {
      KemuCluster.await("watch lists web", Duration.ofSeconds(20), () -> read(out).contains("web"));
      assertTrue(cluster.kubectlStdin(POD.formatted("").replace("name: web", "name: watched"), "apply", "-f", "-").ok());
      KemuCluster.await("watch shows watched Running", Duration.ofSeconds(60),
          () -> Pattern.compile("(?m)^MODIFIED\\s+watched\\s+1/1\\s+Running").matcher(read(out)).find());
      String text = read(out);
      assertTrue(text.startsWith("EVENT"), text);
      assertTrue(Pattern.compile("(?m)^ADDED\\s+watched\\s+0/1\\s+Pending").matcher(text).find(), text);
    } finally {
      w.destroyForcibly();
    }
  }

  static String read(Path p) {
    try {
      return Files.readString(p);
    } catch (Exception e) {
      return "";
    }
  }

  @Test
  @Order(7)
  void describePodAndNode() {
    String pod = ok("describe", "pod", "web").out();
    assertTrue(pod.startsWith("Name:             web\nNamespace:        default\n"), pod);
    assertTrue(pod.contains("Status:           Running"), pod);
    assertTrue(Pattern.compile("Node:\\s+node-\\d/").matcher(pod).find(), pod);
    assertTrue(pod.contains("Successfully assigned default/web to node-"), pod);
    assertTrue(pod.contains("Started container nginx"), pod);
    String node = ok("describe", "node", "node-1").out();
    assertTrue(node.startsWith("Name:               node-1\n"), node);
    assertTrue(node.contains("KubeletReady                 kubelet is posting ready status"), node);
    assertTrue(node.contains("Non-terminated Pods:"), node);
    assertTrue(node.contains("Allocated resources:"), node);
  }

  @Test
  @Order(8)
  void logs() {
    assertTrue(cluster.apply(COUNTER).ok());
    KemuCluster.await("counter logs", Duration.ofSeconds(60), () -> {
      KemuCluster.Result r = cluster.kubectl("logs", "counter");
      return r.ok() && r.out().contains("1: hello");
    });
    String logs = ok("logs", "counter").out();
    assertTrue(logs.startsWith("0: hello\n1: hello\n"), logs);
    assertEquals(1, lines(ok("logs", "counter", "--tail=1").out()).size());
    KemuCluster.Result missing = cluster.kubectl("logs", "nope");
    assertEquals(1, missing.code());
    assertEquals("error: error from server (NotFound): pods \"nope\" not found in namespace \"default\"\n", missing.err());
  }

  @Test
  @Order(9)
  void labelAnnotatePatchEdit() throws Exception {
    assertEquals("pod/web labeled\n", ok("label", "pod", "web", "env=prod").out());
    KemuCluster.Result clash = cluster.kubectl("label", "pod", "web", "env=dev");
    assertEquals(1, clash.code());
    assertEquals("error: 'env' already has a value (prod), and --overwrite is false\n", clash.err());
    assertEquals("pod/web labeled\n", ok("label", "pod", "web", "env=dev", "--overwrite").out());
    assertEquals("pod/web unlabeled\n", ok("label", "pod", "web", "env-").out());
    assertEquals("pod/web annotated\n", ok("annotate", "pod", "web", "owner=team-a").out());
    assertEquals("team-a", cluster.json("get", "pod", "web").at("/metadata/annotations/owner").asText());

    assertEquals("pod/web patched\n", ok("patch", "pod", "web", "-p", "{\"metadata\":{\"labels\":{\"s\":\"1\"}}}").out());
    assertEquals("pod/web patched\n",
        ok("patch", "pod", "web", "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"m\":\"2\"}}}").out());
    assertEquals("pod/web patched\n", ok("patch", "pod", "web", "--type=json", "-p",
        "[{\"op\":\"add\",\"path\":\"/metadata/labels/j\",\"value\":\"3\"}]").out());
    assertEquals("pod/web patched (no change)\n",
        ok("patch", "pod", "web", "--type=merge", "-p", "{\"metadata\":{\"labels\":{\"m\":\"2\"}}}").out());
    // strategic merge on a list with a merge key: the container's image changes, the container stays
    assertEquals("pod/web patched\n", ok("patch", "pod", "web", "-p",
        "{\"spec\":{\"containers\":[{\"name\":\"nginx\",\"image\":\"nginx:1.26\"}]}}").out());
    JsonNode web = cluster.json("get", "pod", "web");
    assertEquals("1", web.at("/metadata/labels/s").asText());
    assertEquals("2", web.at("/metadata/labels/m").asText());
    assertEquals("3", web.at("/metadata/labels/j").asText());
    assertEquals(1, web.at("/spec/containers").size());
    assertEquals("nginx:1.26", web.at("/spec/containers/0/image").asText());

    Path editor = work.resolve("editor.sh");
    Files.writeString(editor, "#!/bin/sh\nsed -i 's/^  labels:/  labels:\\n    edited: \"yes\"/' \"$1\"\n");
    editor.toFile().setExecutable(true);
    KemuCluster.Result edit = cluster.kubectlEnv(java.util.Map.of("EDITOR", editor.toString()), "edit", "pod", "web");
    assertTrue(edit.ok(), edit.all());
    assertEquals("pod/web edited\n", edit.out());
    assertEquals("yes", cluster.json("get", "pod", "web").at("/metadata/labels/edited").asText());
  }

  @Test
  @Order(10)
  void scaleAndRolloutStatus() {
    KemuCluster.Result rollout = cluster.kubectl("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
    assertTrue(rollout.ok(), rollout.all());
    assertTrue(rollout.out().endsWith("deployment \"nginx-deployment\" successfully rolled out\n"), rollout.out());
    assertEquals("deployment.apps/nginx-deployment scaled\n",
        ok("scale", "deployment", "nginx-deployment", "--replicas=5").out());
    KemuCluster.Result again = cluster.kubectl("rollout", "status", "deployment/nginx-deployment", "--timeout=90s");
    assertTrue(again.ok(), again.all());
    assertEquals(5, cluster.json("get", "pods", "-l", "app=nginx", "--field-selector", "status.phase=Running")
        .path("items").size());
    String deploy = ok("get", "deployment", "nginx-deployment").out();
    assertTrue(Pattern.compile("(?m)^nginx-deployment\\s+5/5\\s+5\\s+5\\s+").matcher(deploy).find(), deploy);
  }

  @Test
  @Order(11)
  void createNamespace() {
    assertEquals("namespace/team-a created\n", ok("create", "namespace", "team-a").out());
    KemuCluster.Result again = cluster.kubectl("create", "namespace", "team-a");
    assertEquals(1, again.code());
    assertEquals("Error from server (AlreadyExists): namespaces \"team-a\" already exists\n", again.err());
  }

  @Test
  @Order(12)
  void authCanI() {
    assertEquals("yes\n", ok("auth", "can-i", "create", "pods").out());
    assertEquals("yes\n", ok("auth", "can-i", "delete", "nodes").out());
    assertEquals("yes\n", ok("--context", "viewer", "auth", "can-i", "list", "pods", "-A").out());
    KemuCluster.Result no = cluster.kubectl("--context", "viewer", "auth", "can-i", "create", "pods");
    assertEquals(1, no.code());
    assertEquals("no\n", no.out());
    KemuCluster.Result secrets = cluster.kubectl("--context", "viewer", "auth", "can-i", "get", "secrets");
    assertEquals("no\n", secrets.out());
  }

  @Test
  @Order(13)
  void explain() {
    String out = ok("explain", "pod.spec.containers").out();
    assertTrue(out.startsWith("KIND:       Pod\nVERSION:    v1\n\nFIELD: containers <[]Container>\n"), out);
    assertTrue(out.contains("DESCRIPTION:"), out);
    assertTrue(out.contains("FIELDS:"), out);
    assertTrue(Pattern.compile("(?m)^  image\\s+<string>").matcher(out).find(), out);
  }

  @Test
  @Order(14)
  void rawMetrics() {
    String out = ok("get", "--raw", "/metrics").out();
    assertTrue(out.contains("# TYPE apiserver_request_total counter"), out);
    assertTrue(Pattern.compile("(?m)^apiserver_request_total\\{.*verb=\"LIST\".*\\} \\d").matcher(out).find(), out);
    assertTrue(Pattern.compile("(?m)^apiserver_request_total\\{(?=[^}]*dry_run=\"\")(?=[^}]*verb=\"LIST\")")
        .matcher(out).find(), out);
  }

  @Test
  @Order(15)
  void deletePodGracefullyAndForcibly() {
    assertEquals("pod \"watched\" deleted\n", ok("delete", "pod", "watched").out());
    assertFalse(cluster.kubectl("get", "pod", "watched").ok());
    KemuCluster.Result force = ok("delete", "pod", "web", "--grace-period=0", "--force");
    assertEquals("pod \"web\" force deleted\n", force.out());
    assertTrue(force.err().startsWith("Warning: Immediate deletion does not wait for confirmation"), force.err());
    KemuCluster.Result gone = cluster.kubectl("get", "pod", "web");
    assertEquals(1, gone.code());
    assertEquals("Error from server (NotFound): pods \"web\" not found\n", gone.err());
  }

  @Test
  @Order(16)
  void noJvmLoggedAnError() throws Exception {
    assertEquals(List.of(), cluster.logLines(" ERROR "), "ERROR lines in the JVMs' logs");
  }
}
