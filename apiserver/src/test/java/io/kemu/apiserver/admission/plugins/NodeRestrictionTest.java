package io.kemu.apiserver.admission.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.Eviction;
import io.fabric8.kubernetes.api.model.policy.v1.EvictionBuilder;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.Stages;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors plugin/pkg/admission/noderestriction/admission_test.go Test_nodePlugin_Admit. */
class NodeRestrictionTest {
  static final UserInfo MYNODE = new UserInfo("system:node:mynode", "", List.of("system:nodes"));
  static final UserInfo BOB = new UserInfo("bob", "", List.of());

  static Pod pod(String ns, String name, String node) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).addToLabels("foo", "bar")
        .endMetadata().withNewSpec().withNodeName(node).addNewContainer().withName("c").withImage("i").endContainer()
        .endSpec().build();
  }

  final Pod mypod = pod("ns", "mypod", "mynode");
  final Pod otherpod = pod("ns", "otherpod", "othernode");
  final Pod unboundpod = pod("ns", "unboundpod", "");
  final Map<String, Pod> pods = Map.of("mypod", mypod, "otherpod", otherpod, "unboundpod", unboundpod);
  final Node mynode = new NodeBuilder().withNewMetadata().withName("mynode").withUid("uid-1").endMetadata().build();

  final NodeRestriction plugin = new NodeRestriction((ns, name) -> pods.get(name),
      name -> name.equals("mynode") ? mynode : null);

  static AdmissionAttributes attrs(Operation op, ResourceType t, String sub, String ns, String name, HasMetadata obj,
                                   HasMetadata old, UserInfo user) {
    return new AdmissionAttributes(op, t, sub, ns, name, obj, old, user, false);
  }

  void ok(AdmissionAttributes a) {
    Stages.join(plugin.admit(a));
  }

  ApiException forbidden(AdmissionAttributes a, String message) {
    ApiException e = assertThrows(ApiException.class, () -> Stages.join(plugin.admit(a)));
    assertEquals(403, e.code());
    assertEquals(message, e.getMessage());
    return e;
  }

  @Test
  void deletingPods() {
    ok(attrs(Operation.DELETE, Resources.PODS, "", "ns", "mypod", null, null, MYNODE));
    forbidden(attrs(Operation.DELETE, Resources.PODS, "", "ns", "otherpod", null, null, MYNODE),
        "pods \"Unknown\" is forbidden: node \"mynode\" can only delete pods with spec.nodeName set to itself");
    forbidden(attrs(Operation.DELETE, Resources.PODS, "", "ns", "unboundpod", null, null, MYNODE),
        "pods \"Unknown\" is forbidden: node \"mynode\" can only delete pods with spec.nodeName set to itself");
    ApiException missing = assertThrows(ApiException.class, () -> ok(attrs(Operation.DELETE, Resources.PODS, "", "ns",
        "nopod", null, null, MYNODE)));
    assertEquals(404, missing.code());
    ok(attrs(Operation.DELETE, Resources.PODS, "", "ns", "otherpod", null, null, BOB));
  }

  @Test
  void podStatus() {
    Pod changed = pod("ns", "mypod", "mynode");
    changed.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withPhase("Running").build());
    ok(attrs(Operation.UPDATE, Resources.PODS, "status", "ns", "mypod", changed, mypod, MYNODE));
    Pod other = pod("ns", "otherpod", "othernode");
    forbidden(attrs(Operation.UPDATE, Resources.PODS, "status", "ns", "otherpod", other, otherpod, MYNODE),
        "pods \"otherpod\" is forbidden: node \"mynode\" can only update pod status for pods with spec.nodeName "
            + "set to itself");
    Pod relabeled = pod("ns", "mypod", "mynode");
    relabeled.getMetadata().getLabels().put("foo", "baz");
    forbidden(attrs(Operation.UPDATE, Resources.PODS, "status", "ns", "mypod", relabeled, mypod, MYNODE),
        "pods \"mypod\" is forbidden: node \"mynode\" cannot update labels through pod status");
    forbidden(attrs(Operation.DELETE, Resources.PODS, "status", "ns", "mypod", null, null, MYNODE),
        "pods \"Unknown\" is forbidden: unexpected operation \"DELETE\"");
  }

  @Test
  void podEvictions() {
    Eviction mine = new EvictionBuilder().withNewMetadata().withNamespace("ns").withName("mypod").endMetadata().build();
    Eviction others = new EvictionBuilder().withNewMetadata().withNamespace("ns").withName("otherpod").endMetadata()
        .build();
    ok(attrs(Operation.CREATE, Resources.PODS, "eviction", "ns", "mypod", mine, null, MYNODE));
    ok(attrs(Operation.CREATE, Resources.PODS, "eviction", "ns", "", mine, null, MYNODE));
    forbidden(attrs(Operation.CREATE, Resources.PODS, "eviction", "ns", "otherpod", others, null, MYNODE),
        "pods \"otherpod\" is forbidden: node mynode can only evict pods with spec.nodeName set to itself");
    forbidden(attrs(Operation.CREATE, Resources.PODS, "eviction", "ns", "", others, null, MYNODE),
        "pods \"otherpod\" is forbidden: node mynode can only evict pods with spec.nodeName set to itself");
  }

  @Test
  void podCreationIsForMirrorPodsOnly() {
    forbidden(attrs(Operation.CREATE, Resources.PODS, "", "ns", "mypod", pod("ns", "mypod", "mynode"), null, MYNODE),
        "pods \"mypod\" is forbidden: pod does not have \"kubernetes.io/config.mirror\" annotation, node \"mynode\" "
            + "can only create mirror pods");
    Pod mirror = pod("ns", "mirror", "mynode");
    mirror.getMetadata().setAnnotations(Map.of("kubernetes.io/config.mirror", "x"));
    forbidden(attrs(Operation.CREATE, Resources.PODS, "", "ns", "mirror", mirror, null, MYNODE),
        "pods \"mirror\" is forbidden: node \"mynode\" can only create pods with an owner reference set to itself");
    mirror.getMetadata().setOwnerReferences(List.of(new io.fabric8.kubernetes.api.model.OwnerReferenceBuilder()
        .withApiVersion("v1").withKind("Node").withName("mynode").withUid("uid-1").withController(true).build()));
    ok(attrs(Operation.CREATE, Resources.PODS, "", "ns", "mirror", mirror, null, MYNODE));
    mirror.getSpec().setNodeName("othernode");
    forbidden(attrs(Operation.CREATE, Resources.PODS, "", "ns", "mirror", mirror, null, MYNODE),
        "pods \"mirror\" is forbidden: node \"mynode\" can only create pods with spec.nodeName set to itself");
    forbidden(attrs(Operation.UPDATE, Resources.PODS, "", "ns", "mypod", mypod, mypod, MYNODE),
        "pods \"mypod\" is forbidden: unexpected operation \"UPDATE\", node \"mynode\" can only create and delete "
            + "mirror pods");
  }

  @Test
  void nodes() {
    Node own = new NodeBuilder().withNewMetadata().withName("mynode").addToLabels("kubernetes.io/hostname", "mynode")
        .addToLabels("kubernetes.io/os", "linux").endMetadata().build();
    ok(attrs(Operation.CREATE, Resources.NODES, "", "", "mynode", own, null, MYNODE));
    Node other = new NodeBuilder().withNewMetadata().withName("othernode").endMetadata().build();
    forbidden(attrs(Operation.UPDATE, Resources.NODES, "", "", "othernode", other, other, MYNODE),
        "nodes \"othernode\" is forbidden: node \"mynode\" is not allowed to modify node \"othernode\"");
    Node labelled = new NodeBuilder().withNewMetadata().withName("mynode")
        .addToLabels("node-restriction.kubernetes.io/foo", "bar").addToLabels("foo.k8s.io/bar", "x")
        .addToLabels("node.kubernetes.io/instance-type", "big").endMetadata().build();
    forbidden(attrs(Operation.CREATE, Resources.NODES, "", "", "mynode", labelled, null, MYNODE),
        "nodes \"mynode\" is forbidden: node \"mynode\" is not allowed to set the following labels: "
            + "foo.k8s.io/bar, node-restriction.kubernetes.io/foo");
    Node tainted = new NodeBuilder(own).editOrNewSpec().addNewTaint().withKey("k").withEffect("NoSchedule").endTaint()
        .endSpec().build();
    forbidden(attrs(Operation.UPDATE, Resources.NODES, "", "", "mynode", tainted, own, MYNODE),
        "nodes \"mynode\" is forbidden: node \"mynode\" is not allowed to modify taints");
    Node relabelled = new NodeBuilder(own).editMetadata().addToLabels("kubernetes.io/role", "master").endMetadata()
        .build();
    forbidden(attrs(Operation.UPDATE, Resources.NODES, "", "", "mynode", relabelled, own, MYNODE),
        "nodes \"mynode\" is forbidden: is not allowed to modify labels: kubernetes.io/role");
    ok(attrs(Operation.UPDATE, Resources.NODES, "status", "", "mynode", own, own, MYNODE));
  }

  @Test
  void leases() {
    Lease own = new LeaseBuilder().withNewMetadata().withNamespace("kube-node-lease").withName("mynode").endMetadata()
        .build();
    Lease other = new LeaseBuilder().withNewMetadata().withNamespace("kube-node-lease").withName("othernode")
        .endMetadata().build();
    ok(attrs(Operation.CREATE, Resources.LEASES, "", "kube-node-lease", "mynode", own, null, MYNODE));
    ok(attrs(Operation.UPDATE, Resources.LEASES, "", "kube-node-lease", "mynode", own, own, MYNODE));
    forbidden(attrs(Operation.CREATE, Resources.LEASES, "", "kube-node-lease", "othernode", other, null, MYNODE),
        "leases.coordination.k8s.io \"othernode\" is forbidden: can only access node lease with the same name as "
            + "the requesting node");
    forbidden(attrs(Operation.UPDATE, Resources.LEASES, "", "foo", "mynode", own, own, MYNODE),
        "leases.coordination.k8s.io \"mynode\" is forbidden: can only access leases in the \"kube-node-lease\" "
            + "system namespace");
    forbidden(attrs(Operation.DELETE, Resources.LEASES, "", "kube-node-lease", "othernode", null, null, MYNODE),
        "leases.coordination.k8s.io \"Unknown\" is forbidden: can only access node lease with the same name as the "
            + "requesting node");
  }

  @Test
  void unidentifiableNodes() {
    UserInfo unnamed = new UserInfo("system:node:", "", List.of("system:nodes"));
    forbidden(attrs(Operation.DELETE, Resources.PODS, "", "ns", "mypod", null, null, unnamed),
        "pods \"Unknown\" is forbidden: could not determine node from user \"system:node:\"");
  }
}
