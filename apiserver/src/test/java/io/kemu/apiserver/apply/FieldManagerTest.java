package io.kemu.apiserver.apply;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.KubeJson;
import io.kemu.api.Resources;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The field manager on built-in kinds: what kube-apiserver's apply and writes record in managedFields
 * (k8s.io/apimachinery managedfields/internal tests: fieldmanager_test.go, conflict_test.go, skipnonapplied,
 * lastappliedmanager, capmanagers, stripmeta), and the 409 kubectl shows.
 */
class FieldManagerTest {
  static final Instant T0 = Instant.parse("2024-05-01T10:00:00Z");
  static final Instant T1 = Instant.parse("2024-05-01T10:05:00Z");

  static final String POD = """
      apiVersion: v1
      kind: Pod
      metadata:
        name: nginx
        namespace: default
        labels:
          app: %s
      spec:
        containers:
        - name: nginx
          image: nginx:1.25
          ports:
          - containerPort: 80
      """;

  static ObjectNode yaml(String s) {
    return (ObjectNode) Fixture.yaml(s);
  }

  static ObjectNode stored(ObjectNode obj) {
    ObjectNode o = obj.deepCopy();
    ((ObjectNode) o.get("metadata")).put("uid", "6f1c0d5e-0000-4000-8000-000000000001");
    ((ObjectNode) o.get("metadata")).put("resourceVersion", "12");
    return o;
  }

  static JsonNode entries(JsonNode obj) {
    return obj.path("metadata").path("managedFields");
  }

  @Test
  void applyCreatesWithAnApplyEntryLikeKube() {
    ObjectNode out = ServerSideApply.apply(null, yaml(POD.formatted("web")), "kubectl", false, T0);
    JsonNode mf = entries(out);
    assertEquals(1, mf.size(), mf.toString());
    JsonNode e = mf.get(0);
    assertEquals("kubectl", e.get("manager").asText());
    assertEquals("Apply", e.get("operation").asText());
    assertEquals("v1", e.get("apiVersion").asText());
    assertEquals("2024-05-01T10:00:00Z", e.get("time").asText());
    assertEquals("FieldsV1", e.get("fieldsType").asText());
    assertEquals("{\"f:metadata\":{\"f:labels\":{\"f:app\":{}}},\"f:spec\":{\"f:containers\":{"
        + "\"k:{\\\"name\\\":\\\"nginx\\\"}\":{\".\":{},\"f:image\":{},\"f:name\":{},\"f:ports\":{"
        + "\"k:{\\\"containerPort\\\":80,\\\"protocol\\\":\\\"TCP\\\"}\":{\".\":{},\"f:containerPort\":{}}}}}}}",
        KubeJson.string(e.get("fieldsV1")));
    assertEquals("web", out.at("/metadata/labels/app").asText());
    assertEquals("nginx:1.25", out.at("/spec/containers/0/image").asText());
  }

  @Test
  void reapplyingChangesTheLabelAndKeepsOneEntry() {
    ObjectNode live = stored(ServerSideApply.apply(null, yaml(POD.formatted("web")), "kubectl", false, T0));
    ObjectNode out = ServerSideApply.apply(live, yaml(POD.formatted("shop")), "kubectl", false, T1);
    assertEquals("shop", out.at("/metadata/labels/app").asText());
    assertEquals(1, entries(out).size());
    assertEquals("2024-05-01T10:05:00Z", entries(out).get(0).get("time").asText());
    assertEquals("6f1c0d5e-0000-4000-8000-000000000001", out.at("/metadata/uid").asText());
  }

  @Test
  void reapplyingTheSameConfigurationChangesNothing() {
    ObjectNode live = stored(ServerSideApply.apply(null, yaml(POD.formatted("web")), "kubectl", false, T0));
    ObjectNode out = ServerSideApply.apply(live, yaml(POD.formatted("web")), "kubectl", false, T1);
    assertEquals(live, out);
  }

  @Test
  void aFieldOwnedByAnUpdaterConflictsAndForceTakesItOver() {
    ObjectNode live = stored(ServerSideApply.apply(null, yaml(POD.formatted("web")), "kubectl", false, T0));
    // kubectl label pod nginx app=other --overwrite
    Pod labelled = KubeJson.convert(live, Pod.class);
    Pod before = KubeJson.copy(labelled);
    labelled.getMetadata().getLabels().put("app", "other");
    ManagedFieldsWrites.update(Resources.PODS, "", before, labelled, "kubectl-label", T1);
    ObjectNode live2 = KubeJson.MAPPER.valueToTree(labelled);
    assertEquals(2, entries(live2).size(), entries(live2).toString());

    ApiException e = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(live2, yaml(POD.formatted("web")), "kubectl", false, T1));
    assertEquals(409, e.code());
    assertEquals("Conflict", e.reason());
    assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-label\" using v1: .metadata.labels.app",
        e.getMessage());
    assertEquals(List.of(new ApiException.Cause("FieldManagerConflict", "conflict with \"kubectl-label\" using v1",
        ".metadata.labels.app")), e.causes());

    ObjectNode forced = ServerSideApply.apply(live2, yaml(POD.formatted("web")), "kubectl", true, T1);
    assertEquals("web", forced.at("/metadata/labels/app").asText());
    JsonNode mf = entries(forced);
    assertEquals(1, mf.size(), "kubectl-label owned nothing else: " + mf);
    assertEquals("kubectl", mf.get(0).get("manager").asText());
  }

  /** conflict_test.go: several conflicts are grouped by manager. */
  @Test
  void severalConflictsAreListedPerManager() {
    FieldManager fm = FieldManager.of(Resources.PODS, "");
    List<Updater.Conflict> conflicts = List.of(
        new Updater.Conflict(ManagedFields.identifier("foo", "Update", "v1", ""), Fixture.P("spec", "replicas")),
        new Updater.Conflict(ManagedFields.identifier("bar", "Apply", "", ""), Fixture.P("spec", "paused")),
        new Updater.Conflict(ManagedFields.identifier("foo", "Update", "v1", ""), Fixture.P("spec", "selector")),
        new Updater.Conflict(ManagedFields.identifier("kubelet", "Update", "v1", "status"),
            Fixture.P("status", "phase")));
    ApiException e = fm.conflictError(conflicts);
    assertEquals("Apply failed with 4 conflicts: conflicts with \"bar\":\n- .spec.paused\n"
        + "conflicts with \"foo\" using v1:\n- .spec.replicas\n- .spec.selector\n"
        + "conflicts with \"kubelet\" with subresource \"status\" using v1:\n- .status.phase", e.getMessage());
  }

  @Test
  void createRecordsAnUpdateEntryForTheCreator() {
    Pod pod = KubeJson.convert(yaml(POD.formatted("web")), Pod.class);
    ManagedFieldsWrites.update(Resources.PODS, "", null, pod, "kubectl-create", T0);
    assertEquals(1, pod.getMetadata().getManagedFields().size());
    var e = pod.getMetadata().getManagedFields().get(0);
    assertEquals("kubectl-create", e.getManager());
    assertEquals("Update", e.getOperation());
    assertEquals("v1", e.getApiVersion());
    assertEquals("2024-05-01T10:00:00Z", e.getTime());
    JsonNode f = KubeJson.MAPPER.valueToTree(e.getFieldsV1());
    // labels did not exist in the empty pod: the map itself is owned; the containers list existed (null)
    assertEquals("{\".\":{},\"f:app\":{}}", KubeJson.string(f.at("/f:metadata/f:labels")));
    assertFalse(f.at("/f:spec/f:containers").has("."), f.toString());
    assertTrue(f.at("/f:spec/f:containers").has("k:{\"name\":\"nginx\"}"), f.toString());
    assertFalse(f.at("/f:metadata").has("f:name"), "stripped: " + f);
    assertFalse(f.at("/f:metadata").has("f:namespace"), "stripped: " + f);
  }

  @Test
  void updatesOfAnUntrackedObjectAreNotTracked() {
    Pod live = KubeJson.convert(stored(yaml(POD.formatted("web"))), Pod.class);
    Pod updated = KubeJson.copy(live);
    updated.getMetadata().getLabels().put("app", "x");
    ManagedFieldsWrites.update(Resources.PODS, "", live, updated, "kubectl-label", T0);
    assertNull(updated.getMetadata().getManagedFields());
  }

  /** skipNonAppliedManager: the fields of an untracked object go to before-first-apply, which can conflict. */
  @Test
  void applyToAnUntrackedObjectAttributesItsFieldsToBeforeFirstApply() {
    ObjectNode live = stored(yaml(POD.formatted("web")));
    ApiException e = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(live, yaml(POD.formatted("shop")), "kubectl", false, T0));
    assertEquals("Apply failed with 1 conflict: conflict with \"before-first-apply\" using v1: .metadata.labels.app",
        e.getMessage());
    ObjectNode same = ServerSideApply.apply(live, yaml(POD.formatted("web")), "kubectl", false, T0);
    List<String> managers = entries(same).findValuesAsText("manager");
    assertEquals(List.of("kubectl", "before-first-apply"), managers);
  }

  /** lastAppliedManager: kubectl's server-side apply takes over what client-side apply last applied. */
  @Test
  void kubectlUpgradesFromClientSideApplyWithoutConflicts() {
    ObjectNode csa = yaml(POD.formatted("web"));
    String lastApplied = KubeJson.string(csa);
    ((ObjectNode) csa.get("metadata")).putObject("annotations").put(FieldManager.LAST_APPLIED, lastApplied);
    Pod pod = KubeJson.convert(csa, Pod.class);
    ManagedFieldsWrites.update(Resources.PODS, "", null, pod, "kubectl-client-side-apply", T0);
    ObjectNode live = stored(KubeJson.MAPPER.valueToTree(pod));

    ObjectNode out = ServerSideApply.apply(live, yaml(POD.formatted("shop")), "kubectl", false, T1);
    assertEquals("shop", out.at("/metadata/labels/app").asText());
    JsonNode ann = out.at("/metadata/annotations").get(FieldManager.LAST_APPLIED);
    assertTrue(ann.asText().contains("\"app\":\"shop\""), ann.asText());
    // another manager name gets the conflict
    ApiException e = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(live, yaml(POD.formatted("shop")), "other", false, T1));
    assertEquals(409, e.code());
    assertEquals("Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using v1: "
        + ".metadata.labels.app", e.getMessage());
  }

  @Test
  void applyRemovesWhatTheApplierNoLongerApplies() {
    String twoLabels = POD.replace("app: %s", "app: web\n    tier: front");
    ObjectNode live = stored(ServerSideApply.apply(null, yaml(twoLabels), "kubectl", false, T0));
    assertEquals("front", live.at("/metadata/labels/tier").asText());
    ObjectNode out = ServerSideApply.apply(live, yaml(POD.formatted("web")), "kubectl", false, T1);
    assertTrue(out.at("/metadata/labels/tier").isMissingNode(), out.toString());
  }

  @Test
  void appliersMustNameThemselvesAndNotSendManagedFields() {
    ApiException e = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(null, yaml(POD.formatted("web")), "", false, T0));
    assertEquals(422, e.code());
    assertEquals("PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply "
        + "patch", e.getMessage());
    ObjectNode withMf = yaml(POD.formatted("web"));
    ((ObjectNode) withMf.get("metadata")).putArray("managedFields").addObject().put("manager", "x");
    ApiException e2 = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(null, withMf, "kubectl", false, T0));
    assertEquals("metadata.managedFields must be nil", e2.getMessage());
  }

  @Test
  void theKindMustMatch() {
    ObjectNode svc = yaml(POD.formatted("web"));
    svc.put("kind", "Service");
    ApiException e = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(Resources.PODS, "", null, svc, "kubectl", false, T0));
    assertEquals("invalid object type: /v1, Kind=Service", e.getMessage());
  }

  @Test
  void invalidConfigurationsFailAsTypedPatchObjects() {
    ObjectNode unknown = yaml(POD.formatted("web"));
    ((ObjectNode) unknown.get("spec")).put("foo", 1);
    ApiException e = assertThrows(ApiException.class,
        () -> ServerSideApply.apply(null, unknown, "kubectl", false, T0));
    assertEquals(500, e.code());
    assertEquals("failed to create typed patch object (default/nginx; /v1, Kind=Pod): .spec.foo: field not "
        + "declared in schema", e.getMessage());
    ObjectNode dup = yaml(POD.formatted("web") + "  - name: nginx\n    image: other\n");
    ApiException e2 = assertThrows(ApiException.class, () -> ServerSideApply.apply(null, dup, "kubectl", false, T0));
    assertEquals("failed to create typed patch object (default/nginx; /v1, Kind=Pod): .spec.containers: duplicate "
        + "entries for key [name=\"nginx\"]", e2.getMessage());
  }

  @Test
  void statusWritesHaveTheirOwnEntryAndCannotOwnSpec() {
    Pod pod = KubeJson.convert(yaml(POD.formatted("web")), Pod.class);
    ManagedFieldsWrites.update(Resources.PODS, "", null, pod, "kubectl-create", T0);
    pod.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Pending").build());
    Pod live = KubeJson.convert(stored(KubeJson.MAPPER.valueToTree(pod)), Pod.class);
    Pod status = KubeJson.copy(live);
    status.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    ManagedFieldsWrites.update(Resources.PODS, "status", live, status, "kubelet", T1);
    var entries = status.getMetadata().getManagedFields();
    assertEquals(2, entries.size());
    var kubelet = entries.get(1);
    assertEquals("kubelet", kubelet.getManager());
    assertEquals("status", kubelet.getSubresource());
    assertEquals("{\"f:status\":{\"f:phase\":{}}}", KubeJson.string(kubelet.getFieldsV1()));
  }

  @Test
  void aWriteThatOnlyMovesTimestampsKeepsTheOldOnes() {
    Pod pod = KubeJson.convert(yaml(POD.formatted("web")), Pod.class);
    ManagedFieldsWrites.update(Resources.PODS, "", null, pod, "kubectl-create", T0);
    Pod live = KubeJson.convert(stored(KubeJson.MAPPER.valueToTree(pod)), Pod.class);
    Pod same = KubeJson.copy(live);
    ManagedFieldsWrites.update(Resources.PODS, "", live, same, "kubectl-create", T1);
    assertEquals("2024-05-01T10:00:00Z", same.getMetadata().getManagedFields().get(0).getTime());
  }

  @Test
  void theOldestUpdatersMergeIntoAncientChanges() {
    Pod pod = KubeJson.convert(yaml(POD.formatted("web")), Pod.class);
    ManagedFieldsWrites.update(Resources.PODS, "", null, pod, "creator", T0);
    Pod live = KubeJson.convert(stored(KubeJson.MAPPER.valueToTree(pod)), Pod.class);
    for (int i = 0; i < 11; i++) {
      Pod next = KubeJson.copy(live);
      next.getMetadata().getLabels().put("l" + i, "v");
      ManagedFieldsWrites.update(Resources.PODS, "", live, next, "writer-" + i, T0.plusSeconds(10 + i));
      live = next;
    }
    List<String> managers = live.getMetadata().getManagedFields().stream().map(e -> e.getManager()).toList();
    assertEquals(10, managers.size(), managers.toString());
    assertTrue(managers.contains("ancient-changes"), managers.toString());
    assertFalse(managers.contains("creator"), managers.toString());
  }

  @Test
  void managerOrUserAgent() {
    assertEquals("kubectl", ManagedFieldsWrites.managerOrUserAgent(null,
        "kubectl/v1.32.0 (linux/amd64) kubernetes/70d3cc9", null));
    assertEquals("mine", ManagedFieldsWrites.managerOrUserAgent("mine", "kubectl/v1.32.0", null));
    assertEquals("kubelet", ManagedFieldsWrites.managerOrUserAgent("", "",
        new UserInfo("system:node:node-1", "", List.of("system:nodes"))));
    assertEquals("kube-scheduler", ManagedFieldsWrites.managerOrUserAgent(null, "",
        new UserInfo("system:kube-scheduler", "", List.of())));
  }
}
