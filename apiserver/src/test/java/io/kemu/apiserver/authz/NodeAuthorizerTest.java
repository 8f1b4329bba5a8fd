package io.kemu.apiserver.authz;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.authz.RbacAuthorizer.Decision;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Mirrors plugin/pkg/auth/authorizer/node/node_authorizer_test.go TestAuthorizer (kube 1.32, selectors on). */
class NodeAuthorizerTest {
  static final UserInfo NODE0 = new UserInfo("system:node:node0", "", List.of("system:nodes",
      UserInfo.ALL_AUTHENTICATED));

  /** node0 runs ns0/pod0-node0, which uses secret0, configmap0, pvc0 and service account svcacct0. */
  static final Pod POD0 = new PodBuilder().withNewMetadata().withNamespace("ns0").withName("pod0-node0").endMetadata()
      .withNewSpec().withNodeName("node0").withServiceAccountName("svcacct0")
      .addNewVolume().withName("s").withNewSecret().withSecretName("secret0-pod0-node0").endSecret().endVolume()
      .addNewVolume().withName("c").withNewConfigMap().withName("configmap0-pod0-node0").endConfigMap().endVolume()
      .addNewVolume().withName("p").withNewPersistentVolumeClaim().withClaimName("pvc0-pod0-node0")
      .endPersistentVolumeClaim().endVolume()
      .addNewContainer().withName("c").withImage("x").endContainer().endSpec().build();
  static final Pod POD1 = new PodBuilder().withNewMetadata().withNamespace("ns0").withName("pod0-node1").endMetadata()
      .withNewSpec().withNodeName("node1")
      .addNewVolume().withName("s").withNewSecret().withSecretName("secret0-pod0-node1").endSecret().endVolume()
      .endSpec().build();

  static final NodeAuthorizer.Graph GRAPH = new NodeAuthorizer.Graph() {
    @Override
    public String nodeOf(String namespace, String name) {
      for (Pod p : List.of(POD0, POD1)) {
        if (p.getMetadata().getNamespace().equals(namespace) && p.getMetadata().getName().equals(name)) {
          return p.getSpec().getNodeName();
        }
      }
      return null;
    }

    @Override
    public List<Pod> podsOn(String nodeName) {
      return List.of(POD0, POD1).stream().filter(p -> p.getSpec().getNodeName().equals(nodeName)).toList();
    }
  };

  final NodeAuthorizer authz = new NodeAuthorizer(GRAPH);

  static Attributes attrs(String verb, String group, String resource, String sub, String ns, String name) {
    return Attributes.resource(NODE0, verb, group, resource, sub, ns, name);
  }

  void allowed(Attributes a) {
    Decision d = authz.authorize(a);
    assertTrue(d.allowed(), a + " -> " + d);
  }

  void denied(Attributes a, String reason) {
    Decision d = authz.authorize(a);
    assertFalse(d.allowed(), a.toString());
    assertEquals(reason, d.reason());
  }

  @Test
  void relatedObjectsMayBeRead() {
    allowed(attrs("get", "", "secrets", "", "ns0", "secret0-pod0-node0"));
    allowed(attrs("get", "", "configmaps", "", "ns0", "configmap0-pod0-node0"));
    allowed(attrs("get", "", "persistentvolumeclaims", "", "ns0", "pvc0-pod0-node0"));
    allowed(attrs("get", "", "pods", "", "ns0", "pod0-node0"));
    allowed(attrs("create", "", "serviceaccounts", "token", "ns0", "svcacct0"));
  }

  @Test
  void unrelatedObjectsAreDenied() {
    String none = "no relationship found between node 'node0' and this object";
    denied(attrs("get", "", "secrets", "", "ns0", "secret0-pod0-node1"), none);
    denied(attrs("get", "", "configmaps", "", "ns0", "configmap0-pod0-node1"), none);
    denied(attrs("get", "", "persistentvolumeclaims", "", "ns0", "pvc0-pod0-node1"), none);
    denied(attrs("get", "", "pods", "", "ns0", "pod0-node1"), none);
    denied(attrs("get", "", "pods", "", "ns0", "unknown"), none);
    denied(attrs("create", "", "serviceaccounts", "token", "ns0", "svcacct0-node1"), none);
  }

  @Test
  void secretsAndConfigmapsAreReadOnly() {
    denied(attrs("update", "", "secrets", "", "ns0", "secret0-pod0-node0"), "can only read resources of this type");
    denied(attrs("get", "", "secrets", "foo", "ns0", "secret0-pod0-node0"), "cannot read subresource");
    denied(attrs("list", "", "secrets", "", "", ""), "can only read namespaced object of this type");
    denied(attrs("list", "", "secrets", "", "ns0", ""), "No Object name found");
    denied(attrs("list", "", "persistentvolumeclaims", "", "ns0", ""),
        "can only get individual resources of this type");
    denied(attrs("get", "", "persistentvolumeclaims", "status", "ns0", "pvc0-pod0-node0"),
        "can only get/update/patch this type");
    allowed(attrs("update", "", "persistentvolumeclaims", "status", "ns0", "pvc0-pod0-node0"));
  }

  @Test
  void serviceAccountTokens() {
    denied(attrs("get", "", "serviceaccounts", "", "ns0", "svcacct0"),
        "can only create tokens for individual service accounts");
    denied(attrs("create", "", "serviceaccounts", "", "ns0", "svcacct0"),
        "can only create token subresource of serviceaccount");
  }

  @Test
  void leases() {
    allowed(attrs("get", "coordination.k8s.io", "leases", "", "kube-node-lease", "node0"));
    allowed(attrs("create", "coordination.k8s.io", "leases", "", "kube-node-lease", ""));
    allowed(attrs("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "node0"));
    denied(attrs("update", "coordination.k8s.io", "leases", "", "kube-node-lease", "node1"),
        "can only access node lease with the same name as the requesting node");
    denied(attrs("get", "coordination.k8s.io", "leases", "", "kube-system", "node0"),
        "can only access leases in the \"kube-node-lease\" system namespace");
    denied(attrs("list", "coordination.k8s.io", "leases", "", "kube-node-lease", ""),
        "can only get, create, update, patch, or delete a node lease");
  }

  @Test
  void nodesWithSelectors() {
    allowed(attrs("get", "", "nodes", "", "", "node0"));
    allowed(attrs("create", "", "nodes", "", "", ""));
    allowed(attrs("patch", "", "nodes", "status", "", "node1")); // NodeRestriction decides
    denied(attrs("get", "", "nodes", "", "", "node1"), "node 'node0' cannot read 'node1', only its own Node object");
    denied(attrs("list", "", "nodes", "", "", ""), "node 'node0' cannot read all nodes, only its own Node object");
    denied(attrs("delete", "", "nodes", "", "", "node0"), "");
  }

  @Test
  void podsWithSelectors() {
    allowed(attrs("list", "", "pods", "", "", "").withFieldSelector("spec.nodeName=node0"));
    allowed(attrs("watch", "", "pods", "", "", "").withFieldSelector("metadata.name=x,spec.nodeName=node0"));
    denied(attrs("list", "", "pods", "", "", "").withFieldSelector("spec.nodeName=node1"),
        "can only list/watch pods with spec.nodeName field selector");
    denied(attrs("list", "", "pods", "", "", ""), "can only list/watch pods with spec.nodeName field selector");
    allowed(attrs("create", "", "pods", "", "ns0", ""));
    allowed(attrs("delete", "", "pods", "", "ns0", "pod0-node1")); // NodeRestriction decides
    allowed(attrs("patch", "", "pods", "status", "ns0", "pod0-node1"));
    allowed(attrs("create", "", "pods", "eviction", "ns0", "pod0-node1"));
    denied(attrs("update", "", "pods", "", "ns0", "pod0-node0"), "");
    denied(attrs("get", "", "pods", "status", "ns0", "pod0-node0"), "");
  }

  @Test
  void otherResourcesFollowTheNodeRules() {
    allowed(attrs("create", "", "events", "", "ns0", ""));
    allowed(attrs("list", "", "services", "", "", ""));
    allowed(attrs("get", "", "endpoints", "", "ns0", "x"));
    denied(attrs("create", "apps", "deployments", "", "ns0", ""), "");
    denied(attrs("delete", "", "namespaces", "", "", "ns0"), "");
  }

  @Test
  void nonNodesAndUnknownNodes() {
    UserInfo alice = new UserInfo("alice", "", List.of("system:nodes"));
    assertEquals(new Decision(false, ""), authz.authorize(Attributes.resource(alice, "get", "", "pods", "",
        "ns0", "pod0-node0")));
    UserInfo notInGroup = new UserInfo("system:node:node0", "", List.of(UserInfo.ALL_AUTHENTICATED));
    assertEquals(new Decision(false, ""), authz.authorize(Attributes.resource(notInGroup, "get", "", "pods", "",
        "ns0", "pod0-node0")));
    UserInfo empty = new UserInfo("system:node:", "", List.of("system:nodes"));
    assertEquals(new Decision(false, "unknown node for user \"system:node:\""), authz.authorize(
        Attributes.resource(empty, "get", "", "pods", "", "ns0", "pod0-node0")));
  }

  @Test
  void theChainAsksRbacWhenTheNodeAuthorizerHasNoOpinion() {
    Authorizer chain = UnionAuthorizer.of(authz, a -> new Decision(false, ""));
    Decision d = chain.authorize(attrs("get", "", "pods", "", "ns0", "pod0-node1"));
    assertFalse(d.allowed());
    assertEquals("no relationship found between node 'node0' and this object", d.reason());
    Authorizer allowAll = UnionAuthorizer.of(authz, a -> new Decision(true, "rbac"));
    assertTrue(allowAll.authorize(attrs("get", "", "pods", "", "ns0", "pod0-node1")).allowed());
  }

  @Test
  void bootstrapPolicyBindsSystemNodeToNoOne() {
    RbacAuthorizer rbac = new RbacAuthorizer(BootstrapPolicy::new);
    assertFalse(rbac.authorize(attrs("get", "", "pods", "", "ns0", "pod0-node1")).allowed());
  }
}
