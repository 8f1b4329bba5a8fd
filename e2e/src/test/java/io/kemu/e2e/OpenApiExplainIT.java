package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
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
 * The OpenAPI v3 schemas through the real kubectl: {@code explain} reads them, {@code apply} computes its
 * strategic merge patch from them and leaves field validation to the server.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class OpenApiExplainIT {
  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: explained
        labels:
          app: %s
      spec:
        containers:
        - name: nginx
          image: nginx:%s
          ports:
          - containerPort: 80
          env:
          - name: A
            value: "1"
        - name: sidecar
          image: busybox:1.36
      """;

  KemuCluster cluster;

  @BeforeAll
  void up() throws Exception {
    cluster = KemuCluster.started(1, 1, 10);
  }

  @AfterAll
  void down() {
    KemuCluster.stop(cluster);
  }

  private String explain(String... args) {
    String[] cmd = new String[args.length + 1];
    cmd[0] = "explain";
    System.arraycopy(args, 0, cmd, 1, args.length);
    KemuCluster.Result r = cluster.kubectl(cmd);
    assertTrue(r.ok(), "kubectl explain " + String.join(" ", args) + ": " + r.all());
    return r.out();
  }

  /** A line of the FIELDS list: name, tab, type, optionally -required-. */
  private static void field(String out, String name, String type, boolean required) {
    Pattern p = Pattern.compile("(?m)^  " + Pattern.quote(name) + "\\t<" + Pattern.quote(type) + ">"
        + (required ? " -required-" : "") + "$");
    assertTrue(p.matcher(out).find(), "no field " + name + " <" + type + ">" + (required ? " -required-" : "")
        + " in:\n" + out);
  }

  @Test
  @Order(1)
  void explainContainers() {
    String out = explain("pod.spec.containers");
    assertTrue(out.startsWith("KIND:       Pod\nVERSION:    v1\n"), out);
    assertTrue(out.contains("FIELD: containers <[]Container>"), out);
    field(out, "name", "string", true);
    field(out, "image", "string", false);
    field(out, "ports", "[]ContainerPort", false);
    field(out, "resources", "ResourceRequirements", false);
    field(out, "env", "[]EnvVar", false);
    field(out, "command", "[]string", false);
    field(out, "livenessProbe", "Probe", false);
    field(out, "tty", "boolean", false);
    field(out, "imagePullPolicy", "string", false);
    assertTrue(out.contains("  enum: Always, IfNotPresent, Never"), out);

    String resources = explain("pod.spec.containers.resources");
    field(resources, "limits", "map[string]Quantity", false);
    field(resources, "requests", "map[string]Quantity", false);

    String pod = explain("pod");
    assertTrue(pod.contains("Pod of v1"), pod);
    field(pod, "apiVersion", "string", false);
    field(pod, "metadata", "ObjectMeta", false);
    field(pod, "spec", "PodSpec", false);
    field(pod, "status", "PodStatus", false);

    String meta = explain("pod.metadata");
    field(meta, "creationTimestamp", "string", false);
    field(meta, "labels", "map[string]string", false);
    field(meta, "ownerReferences", "[]OwnerReference", false);
    field(meta, "generation", "integer", false);

    String port = explain("pod.spec.containers.ports");
    field(port, "containerPort", "integer", true);
    String probe = explain("pod.spec.containers.livenessProbe.httpGet");
    field(probe, "port", "IntOrString", true);
  }

  @Test
  @Order(2)
  void explainRecursive() {
    String out = explain("pod", "--recursive");
    assertTrue(out.contains("FIELDS:\n"), out);
    for (String line : List.of("  apiVersion\t<string>", "  spec\t<PodSpec>", "    containers\t<[]Container> -required-",
        "      name\t<string> -required-", "      ports\t<[]ContainerPort>", "        containerPort\t<integer> -required-",
        "      resources\t<ResourceRequirements>", "        limits\t<map[string]Quantity>",
        "    nodeSelector\t<map[string]string>", "  status\t<PodStatus>", "    conditions\t<[]PodCondition>",
        "      lastTransitionTime\t<string>")) {
      assertTrue(out.lines().anyMatch(l -> l.equals(line)), "no line '" + line + "' in kubectl explain pod --recursive");
    }
    String nodes = explain("node.status");
    assertTrue(nodes.contains("FIELD: status <NodeStatus>"), nodes);
    field(nodes, "capacity", "map[string]Quantity", false);
    field(nodes, "addresses", "[]NodeAddress", false);
  }

  @Test
  @Order(3)
  void explainDeployment() {
    assumeTrue(cluster.kubectl("api-resources", "--api-group=apps", "-o", "name").out().contains("deployments"),
        "this build does not serve apps/v1 deployments");
    String strategy = explain("deployment.spec.strategy");
    assertTrue(strategy.startsWith("GROUP:      apps\nKIND:       Deployment\nVERSION:    v1\n"), strategy);
    assertTrue(strategy.contains("FIELD: strategy <DeploymentStrategy>"), strategy);
    field(strategy, "rollingUpdate", "RollingUpdateDeployment", false);
    field(strategy, "type", "string", false);
    assertTrue(strategy.contains("  enum: Recreate, RollingUpdate"), strategy);
    String spec = explain("deployment.spec");
    field(spec, "replicas", "integer", false);
    field(spec, "selector", "LabelSelector", true);
    field(spec, "template", "PodTemplateSpec", true);
    field(explain("deployment.spec.strategy.rollingUpdate"), "maxSurge", "IntOrString", false);
  }

  @Test
  @Order(4)
  void applyUsesTheSchemasForItsPatch() {
    KemuCluster.Result first = cluster.apply(POD.formatted("web", "1.25"));
    assertTrue(first.ok(), first.all());
    assertTrue(first.out().contains("pod/explained created"), first.all());
    // the second apply computes a strategic merge patch from the v3 schemas: containers merged by name (a pod
    // accepts changes to labels and images only)
    KemuCluster.Result second = cluster.apply(POD.formatted("web2", "1.26"));
    assertTrue(second.ok(), second.all());
    assertTrue(second.out().contains("pod/explained configured"), second.all());
    assertFalse(second.all().contains("warning"), second.all());
    JsonNode pod = cluster.json("get", "pod", "explained");
    assertEquals("web2", pod.at("/metadata/labels/app").asText());
    assertEquals(2, pod.at("/spec/containers").size());
    assertEquals("nginx:1.26", pod.at("/spec/containers/0/image").asText());
    assertEquals("busybox:1.36", pod.at("/spec/containers/1/image").asText());
    assertEquals("1", pod.at("/spec/containers/0/env/0/value").asText());
    KemuCluster.Result same = cluster.apply(POD.formatted("web2", "1.26"));
    assertTrue(same.ok() && same.out().contains("pod/explained unchanged"), same.all());
  }

  @Test
  @Order(5)
  void applyWithAnUnknownFieldGetsTheServersStrictError() {
    KemuCluster.Result r = cluster.apply("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: strict
        spec:
          containers:
          - name: nginx
            image: nginx:1.25
            bogus: 1
        """);
    assertFalse(r.ok(), r.all());
    assertTrue(r.err().contains("Error from server (BadRequest)"), r.all());
    assertTrue(r.err().contains("unknown field \"spec.containers[0].bogus\""), r.all());
  }

  @Test
  @Order(6)
  void applyDeployment() {
    assumeTrue(cluster.kubectl("api-resources", "--api-group=apps", "-o", "name").out().contains("deployments"),
        "this build does not serve apps/v1 deployments");
    String deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
        spec:
          replicas: %d
          selector:
            matchLabels: {app: web}
          strategy:
            type: RollingUpdate
            rollingUpdate: {maxSurge: 1}
          template:
            metadata:
              labels: {app: web}
            spec:
              containers:
              - name: nginx
                image: nginx:1.25
        """;
    KemuCluster.Result created = cluster.apply(deployment.formatted(1));
    assertTrue(created.ok() && created.out().contains("deployment.apps/web created"), created.all());
    KemuCluster.Result scaled = cluster.apply(deployment.formatted(2));
    assertTrue(scaled.ok() && scaled.out().contains("deployment.apps/web configured"), scaled.all());
    assertFalse(scaled.all().contains("warning"), scaled.all());
    assertEquals(2, cluster.json("get", "deployment", "web").at("/spec/replicas").asInt());
  }
}
