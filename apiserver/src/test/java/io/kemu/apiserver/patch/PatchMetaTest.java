package io.kemu.apiserver.patch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.apiserver.patch.PatchMeta.Field;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The table against the struct tags of k8s.io/api v0.32. */
class PatchMetaTest {

  static Field field(String apiVersion, String kind, String path) {
    return PatchMeta.describe(apiVersion, kind, path)
        .orElseThrow(() -> new AssertionError("no " + path + " in " + kind));
  }

  static void merge(String apiVersion, String kind, String path, String mergeKey) {
    Field f = field(apiVersion, kind, path);
    assertEquals("merge", f.strategy(), kind + " " + path);
    assertEquals(mergeKey, f.mergeKey(), kind + " " + path);
  }

  @Test
  void podTemplatesEverywhere() {
    for (String[] k : List.of(new String[] {"v1", "Pod", "spec"},
        new String[] {"apps/v1", "Deployment", "spec.template.spec"},
        new String[] {"apps/v1", "ReplicaSet", "spec.template.spec"},
        new String[] {"apps/v1", "DaemonSet", "spec.template.spec"},
        new String[] {"apps/v1", "StatefulSet", "spec.template.spec"},
        new String[] {"batch/v1", "Job", "spec.template.spec"},
        new String[] {"batch/v1", "CronJob", "spec.jobTemplate.spec.template.spec"},
        new String[] {"v1", "ReplicationController", "spec.template.spec"},
        new String[] {"v1", "PodTemplate", "template.spec"})) {
      merge(k[0], k[1], k[2] + ".containers", "name");
      merge(k[0], k[1], k[2] + ".initContainers", "name");
      merge(k[0], k[1], k[2] + ".containers[].ports", "containerPort");
      merge(k[0], k[1], k[2] + ".containers[].env", "name");
      merge(k[0], k[1], k[2] + ".containers[].volumeMounts", "mountPath");
      merge(k[0], k[1], k[2] + ".containers[].volumeDevices", "devicePath");
      merge(k[0], k[1], k[2] + ".imagePullSecrets", "name");
      merge(k[0], k[1], k[2] + ".hostAliases", "ip");
      merge(k[0], k[1], k[2] + ".topologySpreadConstraints", "topologyKey");
      Field volumes = field(k[0], k[1], k[2] + ".volumes");
      assertEquals(List.of("merge", "retainKeys"), volumes.strategies());
      assertEquals("name", volumes.mergeKey());
      assertTrue(volumes.retainKeys());
    }
  }

  @Test
  void statusAndMetadata() {
    merge("v1", "Pod", "status.conditions", "type");
    merge("v1", "Pod", "status.podIPs", "ip");
    merge("v1", "Node", "status.conditions", "type");
    merge("v1", "Node", "status.addresses", "type");
    merge("v1", "Node", "spec.podCIDRs", "");
    merge("v1", "Namespace", "status.conditions", "type");
    merge("apps/v1", "Deployment", "status.conditions", "type");
    merge("batch/v1", "Job", "status.conditions", "type");
    merge("v1", "Service", "spec.ports", "port");
    merge("v1", "ServiceAccount", "secrets", "name");
    for (String[] k : List.of(new String[] {"v1", "ConfigMap"}, new String[] {"v1", "Secret"},
        new String[] {"coordination.k8s.io/v1", "Lease"}, new String[] {"rbac.authorization.k8s.io/v1", "Role"},
        new String[] {"v1", "Event"}, new String[] {"v1", "Endpoints"}, new String[] {"example.com/v1", "Widget"})) {
      merge(k[0], k[1], "metadata.ownerReferences", "uid");
      merge(k[0], k[1], "metadata.finalizers", "");
    }
    merge("apps/v1", "Deployment", "spec.template.metadata.ownerReferences", "uid");
  }

  @Test
  void replacedFields() {
    assertEquals("", field("v1", "ServiceAccount", "imagePullSecrets").strategy());
    assertEquals("", field("v1", "Pod", "spec.tolerations").strategy());
    assertEquals("", field("v1", "Pod", "status.containerStatuses").strategy());
    assertEquals("replace", field("policy/v1", "PodDisruptionBudget", "spec.selector").strategy());
    Field strategy = field("apps/v1", "Deployment", "spec.strategy");
    assertEquals(List.of("retainKeys"), strategy.strategies());
    assertEquals("", strategy.strategy());
    assertFalse(PatchMeta.describe("rbac.authorization.k8s.io/v1", "ClusterRole", "rules").isPresent());
  }

  @Test
  void theBuiltInTableCannotBeChanged() {
    PatchMeta.Type pod = PatchMeta.forKind("v1", "Pod").orElseThrow();
    assertThrows(IllegalStateException.class, () -> pod.field("spec", PatchMeta.Type.OPAQUE));
    PatchMeta.Type generic = PatchMeta.generic();
    assertThrows(IllegalStateException.class, () -> generic.field("spec", PatchMeta.Type.OPAQUE));
    assertEquals("merge", field("v1", "Pod", "spec.containers").strategy());
  }

  @Test
  void kindsAreKeyedByGroup() {
    assertTrue(PatchMeta.isKnown("apps/v1", "Deployment"));
    assertTrue(PatchMeta.isKnown("apps/v1beta2", "Deployment"));
    assertFalse(PatchMeta.isKnown("v1", "Deployment"));
    assertFalse(PatchMeta.isKnown("example.com/v1", "Pod"));
    assertTrue(PatchMeta.knownKinds().contains("/Pod"));
    assertTrue(PatchMeta.knownKinds().contains("coordination.k8s.io/Lease"));
  }
}
