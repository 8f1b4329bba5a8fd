package io.kemu.apiserver.admission.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.Stages;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Test;

/** Mirrors staging/src/k8s.io/apiserver/pkg/admission/plugin/resourcequota/admission_test.go. */
class ResourceQuotaTest {
  static final UserInfo USER = new UserInfo("u", "", List.of());
  static final Clock CLOCK = Clock.fixed(Instant.ofEpochSecond(1000), ZoneOffset.UTC);

  /** An in-memory quota store whose status writes are compare-and-swaps on the stored copy. */
  static final class FakeQuotas implements ResourceQuota.Quotas {
    final Map<String, io.fabric8.kubernetes.api.model.ResourceQuota> byName = new LinkedHashMap<>();
    int writes;

    FakeQuotas(io.fabric8.kubernetes.api.model.ResourceQuota... quotas) {
      for (var q : quotas) {
        byName.put(q.getMetadata().getName(), q);
      }
    }

    @Override
    public List<io.fabric8.kubernetes.api.model.ResourceQuota> cached(String namespace) {
      return new ArrayList<>(byName.values());
    }

    @Override
    public CompletionStage<List<io.fabric8.kubernetes.api.model.ResourceQuota>> live(String namespace) {
      return CompletableFuture.completedFuture(cached(namespace));
    }

    @Override
    public CompletionStage<?> updateStatus(String namespace, String name,
                                           UnaryOperator<io.fabric8.kubernetes.api.model.ResourceQuota> mutate) {
      try {
        byName.put(name, mutate.apply(KubeJson.copy(byName.get(name))));
        writes++;
        return CompletableFuture.completedFuture(null);
      } catch (RuntimeException e) {
        return CompletableFuture.failedFuture(e);
      }
    }

    Map<String, Quantity> used(String name) {
      return byName.get(name).getStatus().getUsed();
    }
  }

  static Map<String, Quantity> list(String... kv) {
    Map<String, Quantity> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], new Quantity(kv[i + 1]));
    }
    return m;
  }

  static io.fabric8.kubernetes.api.model.ResourceQuota quota(String name, Map<String, Quantity> hard,
                                                             Map<String, Quantity> used, String... scopes) {
    return new ResourceQuotaBuilder().withNewMetadata().withName(name).withNamespace("test").withResourceVersion("124")
        .endMetadata().withNewSpec().withHard(hard).withScopes(scopes).endSpec()
        .withNewStatus().withHard(hard).withUsed(used).endStatus().build();
  }

  /** validPod */
  static Pod validPod(String name, int containers, Map<String, Quantity> requests, Map<String, Quantity> limits) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("test").endMetadata().withNewSpec()
        .endSpec();
    Pod p = b.build();
    List<io.fabric8.kubernetes.api.model.Container> cs = new ArrayList<>();
    for (int i = 0; i < containers; i++) {
      ResourceRequirements r = new ResourceRequirements();
      r.setRequests(requests.isEmpty() ? null : requests);
      r.setLimits(limits.isEmpty() ? null : limits);
      cs.add(new ContainerBuilder().withName("foo-" + i).withImage("foo:V" + i).withResources(r).build());
    }
    p.getSpec().setContainers(cs);
    return p;
  }

  static AdmissionAttributes attrs(Operation op, ResourceType t, String sub, HasMetadata obj, HasMetadata old) {
    return new AdmissionAttributes(op, t, sub, "test", obj == null ? "x" : obj.getMetadata().getName(), obj, old,
        USER, false);
  }

  static void admit(ResourceQuota plugin, AdmissionAttributes a) {
    Stages.join(plugin.validate(a));
  }

  static ApiException refused(ResourceQuota plugin, AdmissionAttributes a) {
    ApiException e = assertThrows(ApiException.class, () -> admit(plugin, a));
    assertEquals(403, e.code());
    return e;
  }

  static ResourceQuota plugin(FakeQuotas q) {
    return new ResourceQuota(q, CLOCK, ns -> CLOCK.instant());
  }

  @Test
  void admissionIgnoresDeleteAndSubresources() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("memory", "100Gi"), list("memory", "0")));
    ResourceQuota p = plugin(q);
    admit(p, attrs(Operation.DELETE, Resources.PODS, "", null, null));
    Pod pod = validPod("123", 1, list("cpu", "100m", "memory", "2Gi"), list());
    admit(p, attrs(Operation.CREATE, Resources.PODS, "subresource", pod, null));
    assertEquals(0, q.writes);
  }

  @Test
  void admitBelowQuotaLimit() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("cpu", "3", "memory", "100Gi", "pods", "5"),
        list("cpu", "1", "memory", "50Gi", "pods", "3")));
    admit(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("allowed-pod", 1,
        list("cpu", "100m", "memory", "2Gi"), list()), null));
    assertEquals(list("cpu", "1100m", "memory", "52Gi", "pods", "4"), q.used("quota"));
  }

  @Test
  void admitExceedQuotaLimit() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("cpu", "3", "memory", "100Gi", "pods", "5"),
        list("cpu", "1", "memory", "50Gi", "pods", "3")));
    ApiException e = refused(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("not-allowed-pod", 1,
        list("cpu", "3", "memory", "2Gi"), list()), null));
    assertEquals("pods \"not-allowed-pod\" is forbidden: exceeded quota: quota, requested: cpu=3, used: cpu=1, "
        + "limited: cpu=3", e.getMessage());
    assertEquals(0, q.writes);
  }

  @Test
  void aPodCountQuotaRefusesTheThirdPod() {
    FakeQuotas q = new FakeQuotas(quota("two-pods", list("pods", "2"), list("pods", "0")));
    ResourceQuota p = plugin(q);
    admit(p, attrs(Operation.CREATE, Resources.PODS, "", validPod("p1", 1, list(), list()), null));
    admit(p, attrs(Operation.CREATE, Resources.PODS, "", validPod("p2", 1, list(), list()), null));
    ApiException e = refused(p, attrs(Operation.CREATE, Resources.PODS, "", validPod("p3", 1, list(), list()),
        null));
    assertEquals("pods \"p3\" is forbidden: exceeded quota: two-pods, requested: pods=1, used: pods=2, limited: "
        + "pods=2", e.getMessage());
  }

  @Test
  void admitEnforceQuotaConstraints() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("cpu", "3", "memory", "100Gi", "limits.cpu", "2",
        "limits.memory", "80Gi", "pods", "5"), list("cpu", "1", "memory", "50Gi", "limits.cpu", "1",
        "limits.memory", "40Gi", "pods", "3")));
    ApiException e = refused(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("not-allowed-pod", 1,
        list("cpu", "100m", "memory", "200Mi"), list()), null));
    assertEquals("pods \"not-allowed-pod\" is forbidden: failed quota: quota: must specify limits.cpu for: foo-0; "
        + "limits.memory for: foo-0", e.getMessage());
  }

  @Test
  void statusUnknownForAQuotaWithoutUsage() {
    var fresh = new ResourceQuotaBuilder().withNewMetadata().withName("new").withNamespace("test").endMetadata()
        .withNewSpec().withHard(list("pods", "2")).endSpec().withNewStatus().withHard(list("pods", "2")).endStatus()
        .build();
    ApiException e = refused(plugin(new FakeQuotas(fresh)), attrs(Operation.CREATE, Resources.PODS, "",
        validPod("p", 1, list(), list()), null));
    assertEquals("pods \"p\" is forbidden: status unknown for quota: new, resources: pods", e.getMessage());
  }

  @Test
  void podInNamespaceWithoutQuotaIsAdmitted() {
    admit(plugin(new FakeQuotas()), attrs(Operation.CREATE, Resources.PODS, "", validPod("p", 1, list(), list()),
        null));
  }

  @Test
  void terminatingScopeCountsOnlyTerminatingPods() {
    FakeQuotas q = new FakeQuotas(
        quota("quota", list("cpu", "3", "memory", "100Gi", "pods", "5"), list("cpu", "1", "memory", "50Gi",
            "pods", "3")),
        quota("quota-terminating", list("pods", "1"), list("pods", "1"), "Terminating"));
    Pod pod = validPod("allowed-pod", 1, list("cpu", "100m", "memory", "2Gi"), list());
    admit(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", pod, null));
    assertEquals(list("pods", "1"), q.used("quota-terminating"));
    Pod terminating = validPod("terminating", 1, list("cpu", "100m", "memory", "2Gi"), list());
    terminating.getSpec().setActiveDeadlineSeconds(60L);
    ApiException e = refused(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", terminating, null));
    assertEquals("pods \"terminating\" is forbidden: exceeded quota: quota-terminating, requested: pods=1, used: "
        + "pods=1, limited: pods=1", e.getMessage());
  }

  @Test
  void bestEffortScope() {
    FakeQuotas q = new FakeQuotas(quota("quota-besteffort", list("pods", "5"), list("pods", "3"), "BestEffort"));
    admit(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("burstable", 1, list("cpu", "100m"),
        list()), null));
    assertEquals(list("pods", "3"), q.used("quota-besteffort"));
    admit(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("besteffort", 1, list(), list()), null));
    assertEquals(list("pods", "4"), q.used("quota-besteffort"));
  }

  @Test
  void priorityClassScopeSelector() {
    var q0 = quota("pc", list("pods", "1"), list("pods", "1"));
    q0.getSpec().setScopeSelector(new io.fabric8.kubernetes.api.model.ScopeSelectorBuilder().addNewMatchExpression()
        .withScopeName("PriorityClass").withOperator("In").withValues("high").endMatchExpression().build());
    FakeQuotas q = new FakeQuotas(q0);
    admit(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("low", 1, list(), list()), null));
    Pod high = validPod("high", 1, list(), list());
    high.getSpec().setPriorityClassName("high");
    assertTrue(refused(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", high, null)).getMessage()
        .endsWith("exceeded quota: pc, requested: pods=1, used: pods=1, limited: pods=1"));
  }

  @Test
  void servicesAndObjectCounts() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("services", "3", "services.nodeports", "1",
        "count/services", "3", "configmaps", "1", "count/deployments.apps", "1"),
        list("services", "0", "services.nodeports", "0", "count/services", "0", "configmaps", "1",
            "count/deployments.apps", "0")));
    ResourceQuota p = plugin(q);
    Service np = new ServiceBuilder().withNewMetadata().withName("np").withNamespace("test").endMetadata()
        .withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort().addNewPort().withPort(81).endPort()
        .endSpec().build();
    assertEquals("services \"np\" is forbidden: exceeded quota: quota, requested: services.nodeports=2, used: "
        + "services.nodeports=0, limited: services.nodeports=1",
        refused(p, attrs(Operation.CREATE, Resources.SERVICES, "", np, null)).getMessage());
    Service cip = new ServiceBuilder().withNewMetadata().withName("cip").withNamespace("test").endMetadata()
        .withNewSpec().withType("ClusterIP").addNewPort().withPort(80).endPort().endSpec().build();
    admit(p, attrs(Operation.CREATE, Resources.SERVICES, "", cip, null));
    assertEquals(list("configmaps", "1", "count/deployments.apps", "0", "count/services", "1", "services", "1",
        "services.nodeports", "0"), q.used("quota"));
    var cm = new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName("cm")
        .withNamespace("test").endMetadata().build();
    assertEquals("configmaps \"cm\" is forbidden: exceeded quota: quota, requested: configmaps=1, used: "
        + "configmaps=1, limited: configmaps=1",
        refused(p, attrs(Operation.CREATE, Resources.CONFIGMAPS, "", cm, null)).getMessage());
    var d = new io.fabric8.kubernetes.api.model.apps.DeploymentBuilder().withNewMetadata().withName("d")
        .withNamespace("test").endMetadata().build();
    admit(p, attrs(Operation.CREATE, Resources.DEPLOYMENTS, "", d, null));
    assertEquals(new Quantity("1"), q.used("quota").get("count/deployments.apps"));
  }

  @Test
  void updatesAreChargedTheirDelta() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("services.nodeports", "2", "services.loadbalancers", "1"),
        list("services.nodeports", "1", "services.loadbalancers", "0")));
    Service old = new ServiceBuilder().withNewMetadata().withName("s").withNamespace("test").withResourceVersion("1")
        .endMetadata().withNewSpec().withType("NodePort").addNewPort().withPort(80).endPort().endSpec().build();
    Service lb = new ServiceBuilder(old).editSpec().withType("LoadBalancer").endSpec().build();
    admit(plugin(q), attrs(Operation.UPDATE, Resources.SERVICES, "", lb, old));
    assertEquals(list("services.loadbalancers", "1", "services.nodeports", "1"), q.used("quota"));
  }

  @Test
  void negativeUsageIsRefused() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("cpu", "3"), list("cpu", "0")));
    assertEquals("pods \"neg\" is forbidden: quota usage is negative for resource(s): cpu,requests.cpu",
        refused(plugin(q), attrs(Operation.CREATE, Resources.PODS, "", validPod("neg", 1, list("cpu", "-1"),
            list()), null)).getMessage());
  }

  @Test
  void dryRunsAreCheckedButNotCharged() {
    FakeQuotas q = new FakeQuotas(quota("quota", list("pods", "2"), list("pods", "0")));
    Pod p = validPod("p", 1, list(), list());
    Stages.join(plugin(q).validate(new AdmissionAttributes(Operation.CREATE, Resources.PODS, "", "test", "p", p, null, USER,
        true)));
    assertEquals(0, q.writes);
  }
}
