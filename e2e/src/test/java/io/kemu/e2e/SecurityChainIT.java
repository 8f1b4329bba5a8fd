package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
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
 * The rest of the security chain through the real kubectl: the Node authorizer and NodeRestriction keep a kubelet
 * identity off another node's pod, LimitRanger defaults a pod's resources, ResourceQuota refuses the pod over a
 * quota with kube's message, and PodSecurity refuses a privileged pod in a namespace enforcing baseline.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(300)
class SecurityChainIT {
  KemuCluster cluster;

  @BeforeAll
  void up() throws Exception {
    cluster = KemuCluster.started(4, 2, 10);
  }

  @AfterAll
  void down() {
    KemuCluster.stop(cluster);
  }

  KemuCluster.Result ok(KemuCluster.Result r) {
    assertTrue(r.ok(), r.all());
    return r;
  }

  @Test
  @Order(1)
  void aKubeletIdentityCannotTouchAnotherNodesPod() throws Exception {
    ok(cluster.kubectl("create", "namespace", "nodes"));
    ok(cluster.apply("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: on-node-2
          namespace: nodes
        spec:
          nodeName: node-2
          containers:
          - name: c
            image: nginx
        """));
    String node1 = cluster.tokenOf("system:node:node-1");

    KemuCluster.Result get = cluster.kubectl("--token", node1, "-n", "nodes", "get", "pod", "on-node-2");
    assertFalse(get.ok());
    assertTrue(get.err().contains("Error from server (Forbidden): pods \"on-node-2\" is forbidden: User "
        + "\"system:node:node-1\" cannot get resource \"pods\" in API group \"\" in the namespace \"nodes\": no "
        + "relationship found between node 'node-1' and this object"), get.err());

    KemuCluster.Result delete = cluster.kubectl("--token", node1, "-n", "nodes", "delete", "pod", "on-node-2",
        "--wait=false");
    assertFalse(delete.ok());
    assertTrue(delete.err().contains("Error from server (Forbidden): pods \"Unknown\" is forbidden: node \"node-1\" "
        + "can only delete pods with spec.nodeName set to itself"), delete.err());

    // kubectl patch would first read pods/status, which a node may not; PUT the status as the kubelet would
    Path body = cluster.runDir().resolve("on-node-2.json");
    Files.writeString(body, ok(cluster.kubectl("-n", "nodes", "get", "pod", "on-node-2", "-o", "json")).out());
    KemuCluster.Result status = cluster.kubectl("--token", node1, "replace", "--subresource=status", "-f",
        body.toString());
    assertFalse(status.ok());
    assertTrue(status.err().contains("pods \"on-node-2\" is forbidden: node \"node-1\" can only update pod status "
        + "for pods with spec.nodeName set to itself"), status.err());

    KemuCluster.Result list = cluster.kubectl("--token", node1, "get", "pods", "-A");
    assertFalse(list.ok());
    assertTrue(list.err().contains("can only list/watch pods with spec.nodeName field selector"), list.err());
    ok(cluster.kubectl("--token", node1, "get", "pods", "-A", "--field-selector", "spec.nodeName=node-1"));

    assertTrue(cluster.kubectl("-n", "nodes", "get", "pod", "on-node-2").ok(), "the pod is still there");
    // the kubelets themselves, under the same chain, still run their pods
    KemuCluster.await("on-node-2 Running", Duration.ofSeconds(60), () -> cluster.kubectl("-n", "nodes", "get", "pod",
        "on-node-2", "-o", "jsonpath={.status.phase}").out().equals("Running"));
  }

  @Test
  @Order(2)
  void aLimitRangeDefaultAppearsInACreatedPod() {
    ok(cluster.kubectl("create", "namespace", "limits"));
    ok(cluster.apply("""
        apiVersion: v1
        kind: LimitRange
        metadata:
          name: defaults
          namespace: limits
        spec:
          limits:
          - type: Container
            default:
              cpu: 500m
              memory: 128Mi
            defaultRequest:
              cpu: 100m
              memory: 64Mi
            max:
              cpu: "1"
        """));
    ok(cluster.kubectl("-n", "limits", "run", "web", "--image=nginx"));
    JsonNode pod = cluster.json("-n", "limits", "get", "pod", "web");
    JsonNode res = pod.at("/spec/containers/0/resources");
    assertEquals("100m", res.at("/requests/cpu").asText(), res.toString());
    assertEquals("64Mi", res.at("/requests/memory").asText(), res.toString());
    assertEquals("500m", res.at("/limits/cpu").asText(), res.toString());
    assertEquals("128Mi", res.at("/limits/memory").asText(), res.toString());
    assertEquals("LimitRanger plugin set: cpu, memory request for container web; cpu, memory limit for container web",
        pod.at("/metadata/annotations/kubernetes.io~1limit-ranger").asText());

    KemuCluster.Result big = cluster.kubectl("-n", "limits", "run", "big", "--image=nginx", "--overrides",
        "{\"spec\":{\"containers\":[{\"name\":\"big\",\"image\":\"nginx\",\"resources\":{\"limits\":{\"cpu\":\"2\"}}}]}}");
    assertFalse(big.ok());
    assertTrue(big.err().contains("Error from server (Forbidden): pods \"big\" is forbidden: maximum cpu usage per "
        + "Container is 1, but limit is 2"), big.err());
  }

  @Test
  @Order(3)
  void aQuotaOfTwoPodsRefusesTheThird() {
    ok(cluster.kubectl("create", "namespace", "quota"));
    ok(cluster.kubectl("-n", "quota", "create", "quota", "two-pods", "--hard=pods=2"));
    KemuCluster.await("the quota's status", Duration.ofSeconds(30), () -> cluster.kubectl("-n", "quota", "get",
        "quota", "two-pods", "-o", "jsonpath={.status.used.pods}").out().equals("0"));
    ok(cluster.kubectl("-n", "quota", "run", "one", "--image=nginx"));
    ok(cluster.kubectl("-n", "quota", "run", "two", "--image=nginx"));
    KemuCluster.Result third = cluster.kubectl("-n", "quota", "run", "three", "--image=nginx");
    assertFalse(third.ok());
    assertTrue(third.err().contains("Error from server (Forbidden): pods \"three\" is forbidden: exceeded quota: "
        + "two-pods, requested: pods=1, used: pods=2, limited: pods=2"), third.err());
    assertFalse(cluster.kubectl("-n", "quota", "get", "pod", "three").ok(), "nothing stored");
    String used = cluster.kubectl("-n", "quota", "describe", "quota", "two-pods").out();
    assertTrue(used.matches("(?s).*pods\\s+2\\s+2.*"), used);

    // deleting a pod gives the usage back (the apiserver's quota status controller)
    ok(cluster.kubectl("-n", "quota", "delete", "pod", "one", "--grace-period=0", "--force"));
    KemuCluster.await("usage given back", Duration.ofSeconds(30), () -> cluster.kubectl("-n", "quota", "get",
        "quota", "two-pods", "-o", "jsonpath={.status.used.pods}").out().equals("1"));
    ok(cluster.kubectl("-n", "quota", "run", "three", "--image=nginx"));
  }

  @Test
  @Order(4)
  void aPrivilegedPodIsRefusedWhereBaselineIsEnforced() {
    ok(cluster.kubectl("create", "namespace", "secure"));
    ok(cluster.kubectl("label", "namespace", "secure", "pod-security.kubernetes.io/enforce=baseline",
        "pod-security.kubernetes.io/warn=restricted"));
    KemuCluster.Result priv = cluster.kubectlStdin("""
        apiVersion: v1
        kind: Pod
        metadata:
          name: priv
          namespace: secure
        spec:
          containers:
          - name: nginx
            image: nginx
            securityContext:
              privileged: true
        """, "create", "-f", "-");
    assertFalse(priv.ok());
    assertTrue(priv.err().contains("Error from server (Forbidden): error when creating \"STDIN\": pods \"priv\" is "
        + "forbidden: violates PodSecurity \"baseline:latest\": privileged (container \"nginx\" must not set "
        + "securityContext.privileged=true)"), priv.err());
    assertFalse(cluster.kubectl("-n", "secure", "get", "pod", "priv").ok(), "nothing stored");

    KemuCluster.Result plain = ok(cluster.kubectl("-n", "secure", "run", "plain", "--image=nginx"));
    assertTrue(plain.err().contains("Warning: would violate PodSecurity \"restricted:latest\": "
        + "allowPrivilegeEscalation != false (container \"plain\" must set "
        + "securityContext.allowPrivilegeEscalation=false)"), plain.err());

    KemuCluster.Result badLabel = cluster.kubectl("label", "namespace", "secure",
        "pod-security.kubernetes.io/enforce=strict", "--overwrite");
    assertFalse(badLabel.ok());
    assertTrue(badLabel.err().contains("metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
        + "\"strict\": must be one of privileged, baseline, restricted"), badLabel.err());
    List.of("nodes", "limits", "quota", "secure").forEach(ns -> cluster.kubectl("delete", "namespace", ns,
        "--wait=false"));
  }

  String aliceToken;

  @Test
  @Order(5)
  void aUserBoundToViewInOneNamespaceReadsThereOnly() throws Exception {
    ok(cluster.kubectl("create", "namespace", "team-a"));
    ok(cluster.kubectl("create", "namespace", "team-b"));
    ok(cluster.kubectl("-n", "team-a", "create", "configmap", "a-settings", "--from-literal=k=v"));
    ok(cluster.kubectl("-n", "team-b", "create", "configmap", "b-settings", "--from-literal=k=v"));
    // a user added to the static token file is known without restarting the apiserver
    aliceToken = "alice-" + java.util.UUID.randomUUID().toString().replace("-", "");
    Path tokens = cluster.runDir().resolve("pki/tokens.csv");
    Files.writeString(tokens, aliceToken + ",alice,alice-uid,\"developers\"\n", java.nio.file.StandardOpenOption.APPEND);
    ok(cluster.kubectl("-n", "team-a", "create", "rolebinding", "alice-view", "--clusterrole=view", "--user=alice"));

    KemuCluster.Result list = ok(cluster.kubectl("--token", aliceToken, "-n", "team-a", "get", "configmaps"));
    assertTrue(list.out().contains("a-settings"), list.out());
    KemuCluster.Result other = cluster.kubectl("--token", aliceToken, "-n", "team-b", "get", "configmaps");
    assertFalse(other.ok());
    assertTrue(other.err().contains("Error from server (Forbidden): configmaps is forbidden: User \"alice\" cannot "
        + "list resource \"configmaps\" in API group \"\" in the namespace \"team-b\""), other.err());
    KemuCluster.Result write = cluster.kubectl("--token", aliceToken, "-n", "team-a", "delete", "configmap",
        "a-settings");
    assertFalse(write.ok());
    assertTrue(write.err().contains("User \"alice\" cannot delete resource \"configmaps\""), write.err());
    assertEquals("yes", cluster.kubectl("--token", aliceToken, "-n", "team-a", "auth", "can-i", "list", "pods")
        .out().trim());
    assertEquals("no", cluster.kubectl("--token", aliceToken, "-n", "team-b", "auth", "can-i", "list", "pods")
        .out().trim());
    // view does not grant secrets (kube's bootstrap policy)
    assertEquals("no", cluster.kubectl("--token", aliceToken, "-n", "team-a", "auth", "can-i", "get", "secrets")
        .out().trim());
    // removing the binding takes the access away
    ok(cluster.kubectl("-n", "team-a", "delete", "rolebinding", "alice-view"));
    KemuCluster.await("the binding's removal to take effect", Duration.ofSeconds(20),
        () -> !cluster.kubectl("--token", aliceToken, "-n", "team-a", "get", "configmaps").ok());
  }

  @Test
  @Order(6)
  void serviceAccountTokensFromKubectlCreateToken() {
    ok(cluster.kubectl("-n", "team-a", "create", "serviceaccount", "robot"));
    ok(cluster.kubectl("-n", "team-a", "create", "rolebinding", "robot-edit", "--clusterrole=edit",
        "--serviceaccount=team-a:robot"));
    String token = ok(cluster.kubectl("-n", "team-a", "create", "token", "robot")).out().trim();
    assertEquals(3, token.split("\\.").length, "a JWT: " + token);

    ok(cluster.kubectl("--token", token, "-n", "team-a", "create", "configmap", "made-by-robot"));
    KemuCluster.Result other = cluster.kubectl("--token", token, "-n", "team-b", "get", "configmaps");
    assertFalse(other.ok());
    assertTrue(other.err().contains("User \"system:serviceaccount:team-a:robot\" cannot list resource "
        + "\"configmaps\""), other.err());

    KemuCluster.Result tooShort = cluster.kubectl("-n", "team-a", "create", "token", "robot", "--duration=5m");
    assertFalse(tooShort.ok());
    assertTrue(tooShort.err().contains("spec.expirationSeconds: Invalid value: 300: may not specify a duration less "
        + "than 10 minutes"), tooShort.err());
    KemuCluster.Result noSa = cluster.kubectl("-n", "team-a", "create", "token", "ghost");
    assertFalse(noSa.ok());
    assertTrue(noSa.err().contains("serviceaccounts \"ghost\" not found"), noSa.err());

    // a deleted service account's tokens stop working
    ok(cluster.kubectl("-n", "team-a", "delete", "serviceaccount", "robot"));
    KemuCluster.await("the token to be refused", Duration.ofSeconds(20), () -> {
      KemuCluster.Result r = cluster.kubectl("--token", token, "-n", "team-a", "get", "configmaps");
      return !r.ok() && r.err().contains("Unauthorized");
    });
    List.of("team-a", "team-b").forEach(ns -> cluster.kubectl("delete", "namespace", ns, "--wait=false"));
  }

  @Test
  @Order(7)
  void rbacPreventsPrivilegeEscalation() {
    ok(cluster.kubectl("create", "namespace", "team-c"));
    ok(cluster.kubectl("-n", "team-c", "create", "rolebinding", "alice-admin", "--clusterrole=admin", "--user=alice"));
    // admin in team-c may hand out what it holds...
    ok(cluster.kubectl("--token", aliceToken, "-n", "team-c", "create", "rolebinding", "bob-view", "--clusterrole=view",
        "--user=bob"));
    ok(cluster.kubectl("--token", aliceToken, "-n", "team-c", "create", "role", "pod-reader", "--verb=get,list",
        "--resource=pods"));
    // ...but not cluster-admin, nor a role with rules it does not hold
    KemuCluster.Result bind = cluster.kubectl("--token", aliceToken, "-n", "team-c", "create", "rolebinding",
        "bob-root", "--clusterrole=cluster-admin", "--user=bob");
    assertFalse(bind.ok());
    assertTrue(bind.err().contains("error: failed to create rolebinding: rolebindings.rbac.authorization.k8s.io \"bob-root\" "
        + "is forbidden: user \"alice\" (groups=[\"developers\" \"system:authenticated\"]) is attempting to grant "
        + "RBAC permissions not currently held:"), bind.err());
    KemuCluster.Result role = cluster.kubectl("--token", aliceToken, "-n", "team-c", "create", "role", "node-reader",
        "--verb=get", "--resource=nodes");
    assertFalse(role.ok());
    assertTrue(role.err().contains("{APIGroups:[\"\"], Resources:[\"nodes\"], Verbs:[\"get\"]}"), role.err());
    assertFalse(cluster.kubectl("-n", "team-c", "get", "rolebinding", "bob-root").ok(), "nothing stored");
    assertFalse(cluster.kubectl("-n", "team-c", "get", "role", "node-reader").ok(), "nothing stored");
    cluster.kubectl("delete", "namespace", "team-c", "--wait=false");
  }
}
