package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
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
 * The kubelet's pod lifecycle through the real kubectl, at time scale 10, on one cluster: container commands run in
 * the emulated shell and their logs reach {@code kubectl logs}; exit codes drive restartPolicy and
 * CrashLoopBackOff; image errors; init containers waiting for Services; probes, hooks and grace periods; and the
 * public example manifests of the Kubernetes documentation. Every pod is created up front so that their emulated
 * lives run side by side.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class KubeletIT {
  static final String PODS = """
      apiVersion: v1
      kind: Pod
      metadata: {name: counter}
      spec:
        containers:
        - name: count
          image: busybox:1.28
          args: [/bin/sh, -c, 'i=0; while true; do echo "$i: $(date)"; i=$((i+1)); sleep 1; done']
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: never-fail}
      spec:
        restartPolicy: Never
        containers:
        - {name: main, image: busybox:1.28, command: [sh, -c, 'echo failing; exit 1']}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: onfailure-ok}
      spec:
        restartPolicy: OnFailure
        containers:
        - {name: main, image: busybox:1.28, command: [sh, -c, 'echo fine']}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: onfailure-crash}
      spec:
        restartPolicy: OnFailure
        containers:
        - {name: main, image: busybox:1.28, command: [sh, -c, 'echo "run at $(date)"; exit 1']}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: always-ok}
      spec:
        restartPolicy: Always
        containers:
        - {name: main, image: busybox:1.28, command: [sh, -c, 'echo bye']}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: bad-name}
      spec:
        containers:
        - {name: main, image: 'Busybox::x'}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: no-such-image}
      spec:
        containers:
        - {name: main, image: 'nginx:doesnotexist'}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: never-pull}
      spec:
        containers:
        - {name: main, image: 'redis:6.2', imagePullPolicy: Never}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: deadline}
      spec:
        restartPolicy: Never
        activeDeadlineSeconds: 20
        containers:
        - {name: main, image: busybox:1.28, command: [sleep, '3600']}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: myapp-pod, labels: {app.kubernetes.io/name: MyApp}}
      spec:
        containers:
        - name: myapp-container
          image: busybox:1.28
          command: ['sh', '-c', 'echo The app is running! && sleep 3600']
        initContainers:
        - name: init-myservice
          image: busybox:1.28
          command: ['sh', '-c', "until nslookup myservice.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for myservice; sleep 2; done"]
        - name: init-mydb
          image: busybox:1.28
          command: ['sh', '-c', "until nslookup mydb.$(cat /var/run/secrets/kubernetes.io/serviceaccount/namespace).svc.cluster.local; do echo waiting for mydb; sleep 2; done"]
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: page}
      spec:
        initContainers:
        - name: write
          image: busybox:1.28
          command: [sh, -c, 'echo "<h1>made by init</h1>" > /work/page.html && chmod 644 /work/page.html']
          volumeMounts: [{name: html, mountPath: /work}]
        containers:
        - name: nginx
          image: nginx:1.29
          volumeMounts: [{name: html, mountPath: /usr/share/nginx/html}]
          readinessProbe:
            httpGet: {path: /page.html, port: 80}
            periodSeconds: 2
        volumes:
        - {name: html, emptyDir: {}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: env-config}
      spec:
        restartPolicy: Never
        containers:
        - name: main
          image: busybox:1.28
          command: [sh, -c, 'echo "$GREETING from $POD_NAME"']
          env:
          - name: GREETING
            valueFrom: {configMapKeyRef: {name: settings, key: greeting}}
          - name: POD_NAME
            valueFrom: {fieldRef: {fieldPath: metadata.name}}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: redis-ok}
      spec:
        containers:
        - name: redis
          image: redis:7
          livenessProbe: {tcpSocket: {port: 6379}, periodSeconds: 2}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: redis-wrong-port}
      spec:
        containers:
        - name: redis
          image: redis:7
          livenessProbe: {tcpSocket: {port: 6380}, periodSeconds: 2}
      """;

  /** Seed 1: a Deployment of 3 nginx replicas with startup, readiness and liveness httpGet probes. */
  static final String WEB_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 3
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers:
            - name: nginx
              image: nginx:1.29
              ports: [{containerPort: 80, name: http}]
              startupProbe: {httpGet: {path: /index.html, port: http}, failureThreshold: 30, periodSeconds: 1}
              readinessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 5}
              livenessProbe: {httpGet: {path: /index.html, port: 80}, periodSeconds: 5}
      """;

  static final String TERMINATION = """
      apiVersion: v1
      kind: Pod
      metadata: {name: tomcat}
      spec:
        terminationGracePeriodSeconds: 60
        containers:
        - name: tomcat
          image: tomcat:10
          lifecycle:
            postStart:
              exec: {command: [sh, -c, 'mkdir -p /usr/local/tomcat/webapps/ROOT && echo started >> /usr/local/tomcat/webapps/ROOT/index.html']}
            preStop:
              exec: {command: [sh, -c, 'while true; do sleep 1; done']}
          readinessProbe: {httpGet: {path: /index.html, port: 8080}, periodSeconds: 2}
      ---
      apiVersion: v1
      kind: Pod
      metadata: {name: prestop-sleep}
      spec:
        containers:
        - name: main
          image: busybox:1.28
          command: [sh, -c, "trap 'exit 0' TERM; while true; do sleep 1; done"]
          lifecycle:
            preStop:
              exec: {command: [sleep, '20']}
      """;

  static final List<String> MANIFESTS = List.of("commands.yaml", "exec-liveness.yaml", "http-liveness.yaml",
      "init-containers.yaml", "lifecycle-events.yaml", "shared-volume.yaml", "tcp-liveness-readiness.yaml");

  KemuCluster cluster;

  @BeforeAll
  void up() throws Exception {
    cluster = KemuCluster.started(2, 1, 10);
    apply(PODS);
    apply(WEB_DEPLOYMENT);
    apply(TERMINATION);
    for (String m : MANIFESTS) {
      apply(resource("manifests/" + m));
    }
  }

  @AfterAll
  void down() {
    KemuCluster.stop(cluster);
  }

  private void apply(String yaml) {
    KemuCluster.Result r = cluster.apply(yaml);
    assertTrue(r.ok(), r.all());
  }

  private static String resource(String name) throws IOException {
    try (InputStream in = KubeletIT.class.getClassLoader().getResourceAsStream(name)) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** NAME READY STATUS RESTARTS of one pod, as kubectl get prints them. */
  private String row(String pod) {
    KemuCluster.Result r = cluster.kubectl("get", "pod", pod, "--no-headers");
    return r.ok() ? r.out().trim().replaceAll("\\s+", " ") : r.all();
  }

  private String status(String pod) {
    String[] f = row(pod).split(" ");
    return f.length > 2 ? f[2] : "";
  }

  private int restarts(String pod) {
    String[] f = row(pod).split(" ");
    return f.length > 3 && f[3].matches("\\d+") ? Integer.parseInt(f[3]) : -1;
  }

  /** NAME READY STATUS RESTARTS AGE of the Deployment's pods. */
  private List<String> webRows() {
    KemuCluster.Result r = cluster.kubectl("get", "pods", "-l", "app=web", "--no-headers");
    return r.out().lines().map(l -> l.trim().replaceAll("\\s+", " ")).filter(l -> !l.isEmpty()).toList();
  }

  private void awaitStatus(String pod, String status, Duration timeout) {
    KemuCluster.await(pod + " " + status + " (last: " + row(pod) + ")", timeout, () -> status.equals(status(pod)));
  }

  private String events(String pod) {
    return cluster.kubectl("get", "events", "--field-selector", "involvedObject.name=" + pod).out();
  }

  @Test
  @Order(1)
  void logsOfALoggingLoop() throws Exception {
    awaitStatus("counter", "Running", Duration.ofSeconds(60));
    KemuCluster.await("counter lines", Duration.ofSeconds(20), () -> cluster.kubectl("logs", "counter").out()
        .lines().count() >= 3);
    List<String> lines = cluster.kubectl("logs", "counter").out().lines().toList();
    for (int i = 0; i < 3; i++) {
      assertTrue(lines.get(i).matches(i + ": \\w{3} \\w{3} [ \\d]\\d \\d\\d:\\d\\d:\\d\\d UTC \\d{4}"), lines.get(i));
    }
    List<String> tail = cluster.kubectl("logs", "counter", "--tail=1").out().lines().toList();
    assertEquals(1, tail.size());
    assertTrue(cluster.kubectl("logs", "counter", "-c", "count", "--timestamps", "--tail=1").out()
        .matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d+Z \\d+: .*\\n"));

    Path out = cluster.runDir().resolve("follow.txt");
    Process follow = cluster.kubectlBackground(out, "logs", "-f", "counter", "--tail=1");
    try {
      KemuCluster.await("kubectl logs -f to stream", Duration.ofSeconds(20), () -> lineCount(out) >= 5);
    } finally {
      follow.destroyForcibly();
    }
    List<String> followed = Files.readAllLines(out);
    int first = Integer.parseInt(followed.get(0).split(":")[0]);
    assertEquals(first + 1, Integer.parseInt(followed.get(1).split(":")[0]), followed.toString());

    KemuCluster.Result nope = cluster.kubectl("logs", "nope");
    assertFalse(nope.ok());
    assertTrue(nope.err().contains("(NotFound): pods \"nope\" not found"), nope.err());
  }

  private static long lineCount(Path p) {
    try {
      return Files.exists(p) ? Files.readAllLines(p).size() : 0;
    } catch (IOException e) {
      return 0;
    }
  }

  @Test
  @Order(2)
  void exitCodesAgainstRestartPolicy() {
    awaitStatus("never-fail", "Error", Duration.ofSeconds(30));
    assertEquals(0, restarts("never-fail"));
    assertEquals("Failed", cluster.json("get", "pod", "never-fail").at("/status/phase").asText());
    assertEquals("failing\n", cluster.kubectl("logs", "never-fail").out());

    awaitStatus("onfailure-ok", "Completed", Duration.ofSeconds(30));
    assertEquals("Succeeded", cluster.json("get", "pod", "onfailure-ok").at("/status/phase").asText());
    assertEquals(0, restarts("onfailure-ok"));

    awaitStatus("onfailure-crash", "CrashLoopBackOff", Duration.ofSeconds(30));
    KemuCluster.await("onfailure-crash to restart again", Duration.ofSeconds(30),
        () -> restarts("onfailure-crash") >= 3);
    JsonNode cs = cluster.json("get", "pod", "onfailure-crash").at("/status/containerStatuses/0");
    assertEquals(1, cs.at("/lastState/terminated/exitCode").asInt(), cs.toString());
    assertEquals("Error", cs.at("/lastState/terminated/reason").asText());
    String previous = cluster.kubectl("logs", "onfailure-crash", "--previous").out();
    assertTrue(previous.startsWith("run at "), previous);
    assertTrue(events("onfailure-crash").contains("Back-off restarting failed container main in pod onfailure-crash_default"));

    KemuCluster.await("always-ok to restart", Duration.ofSeconds(30), () -> restarts("always-ok") >= 2);
    assertEquals("Running", cluster.json("get", "pod", "always-ok").at("/status/phase").asText());
  }

  @Test
  @Order(3)
  void imageErrorsAndActiveDeadline() {
    awaitStatus("bad-name", "InvalidImageName", Duration.ofSeconds(30));
    awaitStatus("never-pull", "ErrImageNeverPull", Duration.ofSeconds(30));
    assertTrue(events("never-pull").contains("Container image \"redis:6.2\" is not present with pull policy of Never"));
    awaitStatus("no-such-image", "ImagePullBackOff", Duration.ofSeconds(30));
    String ev = events("no-such-image");
    assertTrue(ev.contains("Error: ErrImagePull") && ev.contains("Back-off pulling image \"nginx:doesnotexist\""), ev);

    KemuCluster.await("deadline to fail", Duration.ofSeconds(30), () -> "Failed".equals(
        cluster.json("get", "pod", "deadline").at("/status/phase").asText()));
    assertEquals("DeadlineExceeded", cluster.json("get", "pod", "deadline").at("/status/reason").asText());
  }

  @Test
  @Order(4)
  void initContainersWaitForServices() {
    awaitStatus("myapp-pod", "Init:0/2", Duration.ofSeconds(30));
    KemuCluster.sleep(1000);
    assertEquals("Init:0/2", status("myapp-pod"));
    assertTrue(cluster.kubectl("create", "service", "clusterip", "myservice", "--tcp=80:9376").ok());
    awaitStatus("myapp-pod", "Init:1/2", Duration.ofSeconds(20));
    assertTrue(cluster.kubectl("create", "service", "clusterip", "mydb", "--tcp=80:9377").ok());
    awaitStatus("myapp-pod", "Running", Duration.ofSeconds(20));
    assertEquals("The app is running!\n", cluster.kubectl("logs", "myapp-pod", "-c", "myapp-container").out());
    String init = cluster.kubectl("logs", "myapp-pod", "-c", "init-mydb").out();
    assertTrue(init.contains("waiting for mydb") && init.contains("Name:      mydb.default.svc.cluster.local"), init);
  }

  @Test
  @Order(5)
  void probes() {
    // seed 1: the Deployment becomes 3/3 Ready with 0 restarts...
    KemuCluster.Result rollout = cluster.kubectl("rollout", "status", "deployment/web", "--timeout=60s");
    assertTrue(rollout.ok(), rollout.all());
    List<String> rows = webRows();
    assertEquals(3, rows.size(), rows.toString());
    rows.forEach(r -> assertTrue(r.matches("web-\\S+ 1/1 Running 0 .*"), r));
    // ...and a liveness path nginx does not serve makes the new pods restart into CrashLoopBackOff, the back-off
    // growing (10s, 20s...). (Their readiness probe passes between restarts, so the rollout goes on replacing the
    // old pods, as it would on a real cluster.)
    KemuCluster.Result patch = cluster.kubectl("patch", "deployment", "web", "--type=json", "-p",
        "[{\"op\":\"replace\",\"path\":\"/spec/template/spec/containers/0/livenessProbe/httpGet/path\","
            + "\"value\":\"/nothing-here.html\"}]");
    assertTrue(patch.ok(), patch.all());
    java.util.Set<String> backOffs = new java.util.TreeSet<>();
    KemuCluster.await("a new pod in CrashLoopBackOff with back-off 10s then 20s (seen: " + backOffs + ", pods: "
        + webRows() + ")", Duration.ofSeconds(90), () -> {
          String messages = cluster.kubectl("get", "pods", "-l", "app=web", "-o",
              "jsonpath={range .items[*]}{.status.containerStatuses[0].state.waiting.message}{\"\\n\"}{end}").out();
          java.util.regex.Matcher m = java.util.regex.Pattern.compile("back-off (\\d+s) restarting failed container=nginx")
              .matcher(messages);
          while (m.find()) {
            backOffs.add(m.group(1));
          }
          return backOffs.contains("10s") && backOffs.contains("20s")
              && webRows().stream().anyMatch(r -> r.contains(" CrashLoopBackOff "));
        });
    String crashing = webRows().stream().filter(r -> r.contains(" CrashLoopBackOff ")).findFirst().orElseThrow()
        .split(" ")[0];
    assertTrue(restarts(crashing) >= 2, row(crashing));
    String ev = events(crashing);
    assertTrue(ev.contains("Liveness probe failed: HTTP probe failed with statuscode: 404"), ev);
    assertTrue(ev.contains("Container nginx failed liveness probe, will be restarted"), ev);
    assertTrue(ev.contains("Back-off restarting failed container nginx"), ev);
    cluster.kubectl("delete", "deployment", "web", "--wait=false");

    KemuCluster.await("page ready", Duration.ofSeconds(30), () -> row("page").startsWith("page 1/1 Running 0"));

    KemuCluster.await("redis-wrong-port restarted", Duration.ofSeconds(30), () -> restarts("redis-wrong-port") >= 1);
    assertTrue(events("redis-wrong-port").contains("Liveness probe failed: dial tcp"));
    assertTrue(row("redis-ok").startsWith("redis-ok 1/1 Running 0"), row("redis-ok"));
  }

  @Test
  @Order(6)
  void gracefulTerminationTakesThePreStopOrTheGracePeriod() throws Exception {
    KemuCluster.await("tomcat ready", Duration.ofSeconds(30), () -> row("tomcat").startsWith("tomcat 1/1 Running"));
    KemuCluster.await("prestop-sleep running", Duration.ofSeconds(30), () -> "Running".equals(status("prestop-sleep")));
    long t0 = System.nanoTime();
    Process tomcat = new ProcessBuilder("kubectl", "--kubeconfig", cluster.runDir().resolve("kubeconfig").toString(),
        "delete", "pod", "tomcat").start();
    Process sleeper = new ProcessBuilder("kubectl", "--kubeconfig", cluster.runDir().resolve("kubeconfig").toString(),
        "delete", "pod", "prestop-sleep").start();
    KemuCluster.await("Terminating", Duration.ofSeconds(5), () -> "Terminating".equals(status("tomcat")));
    assertTrue(sleeper.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    double sleeperSeconds = (System.nanoTime() - t0) / 1e9;
    assertTrue(tomcat.waitFor(30, java.util.concurrent.TimeUnit.SECONDS));
    double tomcatSeconds = (System.nanoTime() - t0) / 1e9;
    System.out.printf("[e2e] deletion at time scale 10: preStop sleep 20 -> %.2f s, grace 60 + 2 -> %.2f s%n",
        sleeperSeconds, tomcatSeconds);
    assertTrue(sleeperSeconds >= 1.9 && sleeperSeconds < 5, "preStop sleep 20 took " + sleeperSeconds);
    assertTrue(tomcatSeconds >= 6.1 && tomcatSeconds < 10, "grace 60 (+2) took " + tomcatSeconds);
  }

  @Test
  @Order(7)
  void documentationManifestsBehaveAsDocumented() {
    awaitStatus("command-demo", "Completed", Duration.ofSeconds(30));
    String printed = cluster.kubectl("logs", "command-demo").out();
    Matcher m = Pattern.compile("command-demo\ntcp://10\\.96\\.\\d+\\.\\d+:443\n").matcher(printed);
    assertTrue(m.matches(), printed);

    KemuCluster.await("liveness-exec restarted", Duration.ofSeconds(30), () -> restarts("liveness-exec") >= 1);
    String ev = events("liveness-exec");
    assertTrue(ev.contains("Liveness probe failed: cat: can't open '/tmp/healthy': No such file or directory"), ev);
    assertTrue(ev.contains("Container liveness failed liveness probe, will be restarted"), ev);

    KemuCluster.await("liveness-http restarted", Duration.ofSeconds(30), () -> restarts("liveness-http") >= 1);
    assertTrue(events("liveness-http").contains("Liveness probe failed: HTTP probe failed with statuscode: 500"));

    for (String pod : List.of("init-demo", "lifecycle-demo", "shared-volume-example", "goproxy")) {
      KemuCluster.await(pod + " ready", Duration.ofSeconds(30), () -> row(pod).startsWith(pod + " 1/1 Running 0"));
    }
    String init = cluster.kubectl("logs", "init-demo", "-c", "install").out();
    assertTrue(cluster.json("get", "pod", "init-demo").at("/status/initContainerStatuses/0/state/terminated/reason")
        .asText().equals("Completed"), init);
  }

  @Test
  @Order(8)
  void aMissingConfigMapKeyIsCreateContainerConfigErrorUntilItExists() {
    awaitStatus("env-config", "CreateContainerConfigError", Duration.ofSeconds(30));
    assertTrue(events("env-config").contains("Error: configmap \"settings\" not found"));
    assertTrue(cluster.kubectl("create", "configmap", "settings", "--from-literal=greeting=hello").ok());
    awaitStatus("env-config", "Completed", Duration.ofSeconds(30));
    assertEquals("hello from env-config\n", cluster.kubectl("logs", "env-config").out());
  }
}
