package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;

/**
 * Server-side apply as kubectl uses it: {@code apply --server-side} creates and then changes a pod, a field
 * another manager owns conflicts with kube's message until {@code --force-conflicts} takes it over, and
 * {@code get --show-managed-fields} shows the entries.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class ServerSideApplyIT {
  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: ssa
        labels:
          app: %s
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
    cluster = KemuCluster.started(1, 1, 10);
  }

  @AfterAll
  void down() {
    KemuCluster.stop(cluster);
  }

  KemuCluster.Result serverSide(String yaml, String... extra) {
    List<String> args = new ArrayList<>(List.of("apply", "--server-side", "-f", "-"));
    args.addAll(List.of(extra));
    return cluster.kubectlStdin(yaml, args.toArray(String[]::new));
  }

  @Test
  @Order(1)
  void applyServerSideCreates() {
    KemuCluster.Result r = serverSide(POD.formatted("web"));
    assertTrue(r.ok(), r.all());
    assertEquals("pod/ssa serverside-applied\n", r.out());
    JsonNode pod = cluster.json("get", "pod", "ssa");
    assertEquals("web", pod.at("/metadata/labels/app").asText());
    assertTrue(pod.at("/metadata/managedFields").isMissingNode(), "kubectl hides managedFields: " + pod);
  }

  @Test
  @Order(2)
  void applyingAgainWithAChangedLabelChangesIt() {
    KemuCluster.Result r = serverSide(POD.formatted("shop"));
    assertTrue(r.ok(), r.all());
    assertEquals("pod/ssa serverside-applied\n", r.out());
    assertEquals("shop", cluster.json("get", "pod", "ssa").at("/metadata/labels/app").asText());
  }

  @Test
  @Order(3)
  void showManagedFieldsShowsTheApplyEntry() {
    JsonNode pod = cluster.json("get", "pod", "ssa", "--show-managed-fields");
    JsonNode kubectl = null;
    for (JsonNode e : pod.at("/metadata/managedFields")) {
      if (e.path("manager").asText().equals("kubectl")) {
        kubectl = e;
      }
    }
    assertTrue(kubectl != null, pod.at("/metadata/managedFields").toString());
    assertEquals("Apply", kubectl.path("operation").asText());
    assertEquals("v1", kubectl.path("apiVersion").asText());
    assertEquals("FieldsV1", kubectl.path("fieldsType").asText());
    assertTrue(kubectl.path("time").asText().matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\dZ"), kubectl.toString());
    assertTrue(kubectl.at("/fieldsV1/f:metadata/f:labels").has("f:app"), kubectl.toString());
    assertTrue(kubectl.at("/fieldsV1/f:spec/f:containers").has("k:{\"name\":\"nginx\"}"), kubectl.toString());
    String yaml = cluster.kubectl("get", "pod", "ssa", "-o", "yaml", "--show-managed-fields").out();
    assertTrue(yaml.contains("manager: kubectl\n"), yaml);
    assertTrue(yaml.contains("operation: Apply\n"), yaml);
    assertTrue(yaml.contains("fieldsType: FieldsV1\n"), yaml);
    assertFalse(cluster.kubectl("get", "pod", "ssa", "-o", "yaml").out().contains("managedFields"));
  }

  @Test
  @Order(4)
  void aFieldOwnedByAnotherManagerConflictsUntilForced() {
    KemuCluster.Result label = cluster.kubectl("label", "pod", "ssa", "app=other", "--overwrite");
    assertTrue(label.ok(), label.all());
    KemuCluster.Result r = serverSide(POD.formatted("shop"));
    assertFalse(r.ok(), r.all());
    assertTrue(r.err().contains("Apply failed with 1 conflict: conflict with \"kubectl-label\" using v1: "
        + ".metadata.labels.app"), r.err());
    assertTrue(r.err().contains("Please review the fields above--they currently have other managers."), r.err());
    assertEquals("other", cluster.json("get", "pod", "ssa").at("/metadata/labels/app").asText());

    KemuCluster.Result forced = serverSide(POD.formatted("shop"), "--force-conflicts");
    assertTrue(forced.ok(), forced.all());
    assertEquals("pod/ssa serverside-applied\n", forced.out());
    JsonNode pod = cluster.json("get", "pod", "ssa", "--show-managed-fields");
    assertEquals("shop", pod.at("/metadata/labels/app").asText());
    for (JsonNode e : pod.at("/metadata/managedFields")) {
      if (e.path("manager").asText().equals("kubectl-label")) {
        assertFalse(e.at("/fieldsV1/f:metadata/f:labels").has("f:app"), e.toString());
      }
    }
  }

  @Test
  @Order(5)
  void writesRecordUpdateEntries() {
    KemuCluster.Result created = cluster.kubectl("create", "configmap", "ssa-cm", "--from-literal=a=1");
    assertTrue(created.ok(), created.all());
    JsonNode cm = cluster.json("get", "configmap", "ssa-cm", "--show-managed-fields");
    JsonNode e = cm.at("/metadata/managedFields/0");
    assertEquals("kubectl-create", e.path("manager").asText(), cm.toString());
    assertEquals("Update", e.path("operation").asText());
    assertTrue(e.at("/fieldsV1/f:data").has("f:a"), e.toString());
  }
}
