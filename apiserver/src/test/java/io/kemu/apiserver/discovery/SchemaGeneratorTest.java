package io.kemu.apiserver.discovery;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.api.model.Container;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.patch.PatchMeta;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The generated components.schemas against what kube-apiserver v1.32 publishes for the same types. */
class SchemaGeneratorTest {
  /** The served table: every entry, present and future, must get its schemas. */
  static final List<ResourceType> TYPES = Resources.ALL;

  static OpenApi.Documents docs;
  static JsonNode core;
  static JsonNode apps;

  @BeforeAll
  static void generate() {
    docs = OpenApi.generate(TYPES);
    core = KubeJson.tree(docs.documents().get("api/v1"));
    apps = KubeJson.tree(docs.documents().get("apis/apps/v1"));
  }

  static JsonNode schema(JsonNode doc, String name) {
    JsonNode s = doc.path("components").path("schemas").path(name);
    assertTrue(s.isObject(), "no definition " + name);
    return s;
  }

  static JsonNode property(JsonNode doc, String name, String field) {
    JsonNode p = schema(doc, name).path("properties").path(field);
    assertTrue(p.isObject(), name + " has no property " + field);
    return p;
  }

  /** The definition a property refers to, through allOf, items or additionalProperties. */
  static String refOf(JsonNode p) {
    if (p.has("allOf")) {
      assertEquals(1, p.get("allOf").size(), p.toString());
      return refOf(p.get("allOf").get(0));
    }
    if (p.has("items")) {
      return refOf(p.get("items"));
    }
    if (p.has("additionalProperties")) {
      return refOf(p.get("additionalProperties"));
    }
    String ref = p.path("$ref").asText();
    assertTrue(ref.startsWith("#/components/schemas/"), p.toString());
    return ref.substring("#/components/schemas/".length());
  }

  @Test
  void namesFollowTheGoPackages() {
    assertEquals("io.k8s.api.core.v1.PodSpec", refOf(property(core, "io.k8s.api.core.v1.Pod", "spec")));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta",
        refOf(property(core, "io.k8s.api.core.v1.Pod", "metadata")));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.ListMeta",
        refOf(property(core, "io.k8s.api.core.v1.PodList", "metadata")));
    assertEquals("io.k8s.api.core.v1.Container", refOf(property(core, "io.k8s.api.core.v1.PodSpec", "containers")));
    assertEquals("io.k8s.api.core.v1.PodTemplateSpec",
        refOf(property(apps, "io.k8s.api.apps.v1.DeploymentSpec", "template")));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector",
        refOf(property(apps, "io.k8s.api.apps.v1.DeploymentSpec", "selector")));
    JsonNode pdb = KubeJson.tree(docs.documents().get("apis/policy/v1"));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.Condition",
        refOf(property(pdb, "io.k8s.api.policy.v1.PodDisruptionBudgetStatus", "conditions")));
    JsonNode rbac = KubeJson.tree(docs.documents().get("apis/rbac.authorization.k8s.io/v1"));
    assertEquals("io.k8s.api.rbac.v1.PolicyRule", refOf(property(rbac, "io.k8s.api.rbac.v1.ClusterRole", "rules")));
  }

  @Test
  void typesAndFormats() {
    JsonNode container = schema(core, "io.k8s.api.core.v1.Container");
    assertEquals("object", container.path("type").asText());
    JsonNode ports = property(core, "io.k8s.api.core.v1.Container", "ports");
    assertEquals("array", ports.path("type").asText());
    assertEquals("#/components/schemas/io.k8s.api.core.v1.ContainerPort", ports.path("items").path("$ref").asText());
    assertEquals("{\"type\":\"integer\",\"format\":\"int32\"}",
        property(core, "io.k8s.api.core.v1.ContainerPort", "containerPort").toString());
    assertEquals("{\"type\":\"integer\",\"format\":\"int64\"}",
        property(core, "io.k8s.api.core.v1.PodSpec", "terminationGracePeriodSeconds").toString());
    assertEquals("{\"type\":\"boolean\"}", property(core, "io.k8s.api.core.v1.Container", "tty").toString());
    assertEquals("{\"type\":\"string\"}", property(core, "io.k8s.api.core.v1.Container", "image").toString());
    assertEquals("{\"type\":\"array\",\"items\":{\"type\":\"string\"},\"x-kubernetes-list-type\":\"atomic\"}",
        property(core, "io.k8s.api.core.v1.Container", "command").toString());
    // maps are objects with additionalProperties
    assertEquals("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\"}}",
        property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "labels").toString());
    // []byte is a base64 string
    assertEquals("{\"type\":\"object\",\"additionalProperties\":{\"type\":\"string\",\"format\":\"byte\"}}",
        property(core, "io.k8s.api.core.v1.Secret", "data").toString());
    assertEquals("io.k8s.apimachinery.pkg.api.resource.Quantity",
        refOf(property(core, "io.k8s.api.core.v1.ResourceRequirements", "limits")));
    assertEquals("object", property(core, "io.k8s.api.core.v1.ResourceRequirements", "limits").path("type").asText());
    assertEquals("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        refOf(property(core, "io.k8s.api.core.v1.HTTPGetAction", "port")));
    assertEquals("io.k8s.apimachinery.pkg.util.intstr.IntOrString",
        refOf(property(apps, "io.k8s.api.apps.v1.RollingUpdateDeployment", "maxSurge")));
  }

  @Test
  void fabric8StringsThatAreTimesReferToTime() {
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        refOf(property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "creationTimestamp")));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.Time",
        refOf(property(core, "io.k8s.api.core.v1.PodCondition", "lastTransitionTime")));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        refOf(property(core, "io.k8s.api.core.v1.Event", "eventTime")));
    JsonNode lease = KubeJson.tree(docs.documents().get("apis/coordination.k8s.io/v1"));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime",
        refOf(property(lease, "io.k8s.api.coordination.v1.LeaseSpec", "renewTime")));
    assertEquals("io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1",
        refOf(property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ManagedFieldsEntry", "fieldsV1")));
  }

  @Test
  void valueTypesAreDefinedAsUpstreamDoes() {
    assertEquals("{\"type\":\"string\",\"format\":\"date-time\"}",
        schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.Time").toString());
    assertEquals("{\"type\":\"string\",\"format\":\"date-time\"}",
        schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.MicroTime").toString());
    assertEquals("{\"oneOf\":[{\"type\":\"string\"},{\"type\":\"number\"}]}",
        schema(core, "io.k8s.apimachinery.pkg.api.resource.Quantity").toString());
    assertEquals("{\"format\":\"int-or-string\",\"oneOf\":[{\"type\":\"integer\"},{\"type\":\"string\"}]}",
        schema(core, "io.k8s.apimachinery.pkg.util.intstr.IntOrString").toString());
    assertEquals("{\"type\":\"object\"}", schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.FieldsV1").toString());
    assertEquals("{\"type\":\"object\"}", schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.Patch").toString());
  }

  @Test
  void requiredAsUpstream() {
    assertEquals("[\"name\"]", schema(core, "io.k8s.api.core.v1.Container").path("required").toString());
    assertEquals("[\"containers\"]", schema(core, "io.k8s.api.core.v1.PodSpec").path("required").toString());
    assertEquals("[\"containerPort\"]", schema(core, "io.k8s.api.core.v1.ContainerPort").path("required").toString());
    assertEquals("[\"selector\",\"template\"]",
        schema(apps, "io.k8s.api.apps.v1.DeploymentSpec").path("required").toString());
    assertEquals("[\"apiVersion\",\"kind\",\"name\",\"uid\"]",
        schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference").path("required").toString());
    assertEquals("[\"items\"]", schema(core, "io.k8s.api.core.v1.PodList").path("required").toString());
    assertFalse(schema(core, "io.k8s.api.core.v1.Pod").has("required"));
    assertFalse(schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta").has("required"));
  }

  @Test
  void listAndMapExtensions() {
    JsonNode ports = property(core, "io.k8s.api.core.v1.Container", "ports");
    assertEquals("map", ports.path("x-kubernetes-list-type").asText());
    assertEquals("[\"containerPort\",\"protocol\"]", ports.path("x-kubernetes-list-map-keys").toString());
    JsonNode containers = property(core, "io.k8s.api.core.v1.PodSpec", "containers");
    assertEquals("map", containers.path("x-kubernetes-list-type").asText());
    assertEquals("[\"name\"]", containers.path("x-kubernetes-list-map-keys").toString());
    assertEquals("atomic", property(core, "io.k8s.api.core.v1.PodSpec", "nodeSelector")
        .path("x-kubernetes-map-type").asText());
    assertEquals("atomic", property(core, "io.k8s.api.core.v1.PodSpec", "tolerations")
        .path("x-kubernetes-list-type").asText());
    assertEquals("set", property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers")
        .path("x-kubernetes-list-type").asText());
    assertEquals("atomic", schema(core, "io.k8s.apimachinery.pkg.apis.meta.v1.OwnerReference")
        .path("x-kubernetes-map-type").asText());
    assertEquals("atomic", schema(apps, "io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector")
        .path("x-kubernetes-map-type").asText());
    assertEquals("[\"Always\",\"IfNotPresent\",\"Never\"]",
        property(core, "io.k8s.api.core.v1.Container", "imagePullPolicy").path("enum").toString());
    assertEquals("[\"Recreate\",\"RollingUpdate\"]",
        property(apps, "io.k8s.api.apps.v1.DeploymentStrategy", "type").path("enum").toString());
  }

  @Test
  void patchExtensionsComeFromPatchMeta() {
    JsonNode containers = property(core, "io.k8s.api.core.v1.PodSpec", "containers");
    assertEquals("merge", containers.path("x-kubernetes-patch-strategy").asText());
    assertEquals("name", containers.path("x-kubernetes-patch-merge-key").asText());
    JsonNode volumes = property(core, "io.k8s.api.core.v1.PodSpec", "volumes");
    assertEquals("merge,retainKeys", volumes.path("x-kubernetes-patch-strategy").asText());
    assertEquals("name", volumes.path("x-kubernetes-patch-merge-key").asText());
    JsonNode ports = property(core, "io.k8s.api.core.v1.Container", "ports");
    assertEquals("containerPort", ports.path("x-kubernetes-patch-merge-key").asText());
    JsonNode finalizers = property(core, "io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta", "finalizers");
    assertEquals("merge", finalizers.path("x-kubernetes-patch-strategy").asText());
    assertFalse(finalizers.has("x-kubernetes-patch-merge-key"));
    assertEquals("type", property(core, "io.k8s.api.core.v1.NodeStatus", "addresses")
        .path("x-kubernetes-patch-merge-key").asText());
    assertEquals("type", property(core, "io.k8s.api.core.v1.PodStatus", "conditions")
        .path("x-kubernetes-patch-merge-key").asText());
    // a reference with a strategy: the strategy sits next to allOf
    JsonNode strategy = property(apps, "io.k8s.api.apps.v1.DeploymentSpec", "strategy");
    assertEquals("retainKeys", strategy.path("x-kubernetes-patch-strategy").asText());
    assertEquals("io.k8s.api.apps.v1.DeploymentStrategy", refOf(strategy));
    JsonNode pdb = KubeJson.tree(docs.documents().get("apis/policy/v1"));
    assertEquals("replace", property(pdb, "io.k8s.api.policy.v1.PodDisruptionBudgetSpec", "selector")
        .path("x-kubernetes-patch-strategy").asText());
    assertFalse(property(core, "io.k8s.api.core.v1.PodSpec", "tolerations").has("x-kubernetes-patch-strategy"));
    // every strategy in the document is PatchMeta's
    for (String[] k : List.of(new String[] {"v1", "Pod", "spec.containers"},
        new String[] {"v1", "Pod", "spec.containers.env"}, new String[] {"v1", "Pod", "spec.imagePullSecrets"},
        new String[] {"v1", "Pod", "spec.topologySpreadConstraints"}, new String[] {"v1", "Pod", "status.podIPs"},
        new String[] {"v1", "Node", "spec.podCIDRs"})) {
      PatchMeta.Field f = PatchMeta.describe(k[0], k[1], k[2]).orElseThrow();
      String[] path = k[2].split("\\.");
      JsonNode s = schema(core, "io.k8s.api.core.v1." + k[1]);
      for (int i = 0; i < path.length - 1; i++) {
        s = schema(core, refOf(s.path("properties").path(path[i])));
      }
      JsonNode p = s.path("properties").path(path[path.length - 1]);
      assertEquals(String.join(",", f.strategies()), p.path("x-kubernetes-patch-strategy").asText(), k[2]);
      assertEquals(f.mergeKey(), p.path("x-kubernetes-patch-merge-key").asText(), k[2]);
    }
  }

  @Test
  void topLevelKindsCarryTheirGroupVersionKind() {
    assertEquals("[{\"group\":\"\",\"kind\":\"Pod\",\"version\":\"v1\"}]",
        schema(core, "io.k8s.api.core.v1.Pod").path("x-kubernetes-group-version-kind").toString());
    assertEquals("[{\"group\":\"\",\"kind\":\"PodList\",\"version\":\"v1\"}]",
        schema(core, "io.k8s.api.core.v1.PodList").path("x-kubernetes-group-version-kind").toString());
    assertEquals("[{\"group\":\"apps\",\"kind\":\"Deployment\",\"version\":\"v1\"}]",
        schema(apps, "io.k8s.api.apps.v1.Deployment").path("x-kubernetes-group-version-kind").toString());
    // the kinds subresources answer with
    assertEquals("[{\"group\":\"autoscaling\",\"kind\":\"Scale\",\"version\":\"v1\"}]",
        schema(apps, "io.k8s.api.autoscaling.v1.Scale").path("x-kubernetes-group-version-kind").toString());
    assertEquals("[{\"group\":\"\",\"kind\":\"Binding\",\"version\":\"v1\"}]",
        schema(core, "io.k8s.api.core.v1.Binding").path("x-kubernetes-group-version-kind").toString());
    assertFalse(schema(core, "io.k8s.api.core.v1.PodSpec").has("x-kubernetes-group-version-kind"));
    assertTrue(schema(core, "io.k8s.api.core.v1.Pod").path("description").asText().startsWith("Pod of v1"));
  }

  @Test
  void propertiesAreWhatStrictDecodingAccepts() {
    Set<String> fields = new TreeSet<>();
    schema(core, "io.k8s.api.core.v1.Container").path("properties").fieldNames().forEachRemaining(fields::add);
    assertEquals(SchemaGenerator.properties(Container.class).keySet(), fields);
    assertTrue(fields.containsAll(List.of("name", "image", "ports", "resources", "env", "volumeMounts")));
  }

  private static final Pattern REF = Pattern.compile("\"\\$ref\":\"#/components/schemas/([^\"]+)\"");

  @Test
  void everyServedKindIsDescribedAndEveryReferenceResolves() {
    for (ResourceType t : TYPES) {
      JsonNode doc = KubeJson.tree(docs.documents().get(OpenApi.groupVersionPath(t.group(), t.version())));
      boolean found = false;
      for (Iterator<JsonNode> it = doc.path("components").path("schemas").elements(); it.hasNext(); ) {
        JsonNode s = it.next();
        for (JsonNode gvk : s.path("x-kubernetes-group-version-kind")) {
          found |= gvk.path("group").asText().equals(t.group()) && gvk.path("version").asText().equals(t.version())
              && gvk.path("kind").asText().equals(t.kind());
        }
      }
      assertTrue(found, t.kind() + " has no definition");
    }
    for (Map.Entry<String, byte[]> e : docs.documents().entrySet()) {
      JsonNode schemas = KubeJson.tree(e.getValue()).path("components").path("schemas");
      Matcher m = REF.matcher(new String(e.getValue(), java.nio.charset.StandardCharsets.UTF_8));
      while (m.find()) {
        assertTrue(schemas.has(m.group(1)), e.getKey() + ": dangling " + m.group(1));
      }
      // nothing fell back to an opaque object: every bean got its own definition
      schemas.properties().forEach(s -> s.getValue().path("properties").properties().forEach(p -> {
        JsonNode v = p.getValue();
        assertFalse(v.path("type").asText().equals("object") && !v.has("additionalProperties"),
            e.getKey() + " " + s.getKey() + "." + p.getKey() + " is an opaque object");
      }));
    }
  }

  @Test
  void documentsHoldOnlyWhatTheirKindsReach() {
    JsonNode lease = KubeJson.tree(docs.documents().get("apis/coordination.k8s.io/v1"));
    Set<String> names = new TreeSet<>();
    lease.path("components").path("schemas").fieldNames().forEachRemaining(names::add);
    assertTrue(names.contains("io.k8s.api.coordination.v1.Lease"));
    assertTrue(names.contains("io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"));
    assertFalse(names.contains("io.k8s.api.core.v1.Pod"), names.toString());
    assertFalse(names.stream().anyMatch(n -> n.startsWith("io.k8s.api.core.")), names.toString());
    assertNotNull(schema(apps, "io.k8s.api.core.v1.Container"));
    assertFalse(apps.path("components").path("schemas").has("io.k8s.api.core.v1.Pod"));
  }
}
