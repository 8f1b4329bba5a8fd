package io.kemu.apiserver.admission.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.Stages;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.LevelVersion;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.Policy;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Mirrors k8s.io/pod-security-admission/admission/admission_test.go and api/helpers_test.go. */
class PodSecurityTest {
  static final UserInfo USER = new UserInfo("u", "", List.of());
  static final LevelVersion PRIVILEGED = new LevelVersion("privileged", "latest");
  static final Policy DEFAULTS = new Policy(new LevelVersion("baseline", "latest"), PRIVILEGED, PRIVILEGED);

  final Map<String, Namespace> namespaces = new HashMap<>();
  final Map<String, List<Pod>> pods = new HashMap<>();
  final PodSecurity plugin = new PodSecurity(new PodSecurity.Config(DEFAULTS, Set.of("kube-system"), Set.of(),
      Set.of("kata")), name -> namespaces.containsKey(name) ? CompletableFuture.completedFuture(namespaces.get(name))
      : CompletableFuture.failedFuture(ApiException.notFound("", "namespaces", name)),
      ns -> pods.getOrDefault(ns, List.of()));

  void namespace(String name, String... labels) {
    NamespaceBuilder b = new NamespaceBuilder().withNewMetadata().withName(name).endMetadata();
    Namespace ns = b.build();
    Map<String, String> l = new HashMap<>();
    for (int i = 0; i < labels.length; i += 2) {
      l.put(labels[i], labels[i + 1]);
    }
    ns.getMetadata().setLabels(l);
    namespaces.put(name, ns);
  }

  static Pod privilegedPod(String ns, String name) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withNewSpec()
        .addNewContainer().withName("nginx").withImage("nginx").withNewSecurityContext().withPrivileged(true)
        .endSecurityContext().endContainer().endSpec().build();
  }

  static Pod plainPod(String ns, String name) {
    return new PodBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().withNewSpec()
        .addNewContainer().withName("nginx").withImage("nginx").endContainer().endSpec().build();
  }

  static AdmissionAttributes create(ResourceType t, String ns, HasMetadata obj) {
    return new AdmissionAttributes(Operation.CREATE, t, "", ns, obj.getMetadata().getName(), obj, null, USER, false);
  }

  void validate(AdmissionAttributes a) {
    Stages.join(plugin.validate(a));
  }

  @Test
  void enforceRefusesWithTheUpstreamMessage() {
    namespace("ns", "pod-security.kubernetes.io/enforce", "baseline");
    ApiException e = assertThrows(ApiException.class, () -> validate(create(Resources.PODS, "ns",
        privilegedPod("ns", "priv"))));
    assertEquals(403, e.code());
    assertEquals("pods \"priv\" is forbidden: violates PodSecurity \"baseline:latest\": privileged (container "
        + "\"nginx\" must not set securityContext.privileged=true)", e.getMessage());
  }

  @Test
  void theClusterDefaultAppliesToUnlabelledNamespacesAndKubeSystemIsExempt() {
    namespace("plain");
    namespace("kube-system");
    assertThrows(ApiException.class, () -> validate(create(Resources.PODS, "plain", privilegedPod("plain", "p"))));
    validate(create(Resources.PODS, "kube-system", privilegedPod("kube-system", "p")));
    namespace("open", "pod-security.kubernetes.io/enforce", "privileged");
    validate(create(Resources.PODS, "open", privilegedPod("open", "p")));
  }

  @Test
  void warnAddsWarningsToAllowedRequests() {
    namespace("ns", "pod-security.kubernetes.io/enforce", "baseline", "pod-security.kubernetes.io/warn",
        "restricted", "pod-security.kubernetes.io/warn-version", "v1.30");
    AdmissionAttributes a = create(Resources.PODS, "ns", plainPod("ns", "web"));
    validate(a);
    assertEquals(List.of("would violate PodSecurity \"restricted:v1.30\": allowPrivilegeEscalation != false "
        + "(container \"nginx\" must set securityContext.allowPrivilegeEscalation=false), unrestricted capabilities "
        + "(container \"nginx\" must set securityContext.capabilities.drop=[\"ALL\"]), runAsNonRoot != true (pod or "
        + "container \"nginx\" must set securityContext.runAsNonRoot=true), seccompProfile (pod or container "
        + "\"nginx\" must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\")"),
        a.warnings());
  }

  @Test
  void workloadsAreOnlyWarned() {
    namespace("ns", "pod-security.kubernetes.io/enforce", "restricted");
    Deployment d = new DeploymentBuilder().withNewMetadata().withNamespace("ns").withName("d").endMetadata()
        .withNewSpec().withNewTemplate().withSpec(privilegedPod("ns", "x").getSpec()).endTemplate().endSpec().build();
    AdmissionAttributes a = create(Resources.DEPLOYMENTS, "ns", d);
    validate(a);
    assertEquals(1, a.warnings().size());
    assertTrue(a.warnings().get(0).startsWith("would violate PodSecurity \"restricted:latest\": privileged "
        + "(container \"nginx\" must not set securityContext.privileged=true), allowPrivilegeEscalation != false"),
        a.warnings().get(0));
  }

  @Test
  void insignificantPodUpdatesAndStatusAreNotChecked() {
    namespace("ns", "pod-security.kubernetes.io/enforce", "baseline");
    Pod old = privilegedPod("ns", "p");
    Pod relabeled = privilegedPod("ns", "p");
    relabeled.getMetadata().setLabels(Map.of("a", "b"));
    validate(new AdmissionAttributes(Operation.UPDATE, Resources.PODS, "", "ns", "p", relabeled, old, USER, false));
    validate(new AdmissionAttributes(Operation.UPDATE, Resources.PODS, "status", "ns", "p", relabeled, old, USER,
        false));
    Pod newImage = privilegedPod("ns", "p");
    newImage.getSpec().getContainers().get(0).setImage("nginx:2");
    assertThrows(ApiException.class, () -> validate(new AdmissionAttributes(Operation.UPDATE, Resources.PODS, "",
        "ns", "p", newImage, old, USER, false)));
  }

  @Test
  void exemptRuntimeClasses() {
    namespace("ns", "pod-security.kubernetes.io/enforce", "baseline");
    Pod p = privilegedPod("ns", "p");
    p.getSpec().setRuntimeClassName("kata");
    validate(create(Resources.PODS, "ns", p));
  }

  @Test
  void namespaceLabelsMustParse() {
    Namespace bad = new NamespaceBuilder().withNewMetadata().withName("bad")
        .addToLabels("pod-security.kubernetes.io/enforce", "foo").endMetadata().build();
    ApiException e = assertThrows(ApiException.class, () -> validate(create(Resources.NAMESPACES, "", bad)));
    assertEquals(422, e.code());
    assertEquals("Namespace \"bad\" is invalid: metadata.labels[pod-security.kubernetes.io/enforce]: Invalid value: "
        + "\"foo\": must be one of privileged, baseline, restricted", e.getMessage());
  }

  @Test
  void raisingTheEnforceLevelWarnsAboutExistingPods() {
    pods.put("ns", List.of(privilegedPod("ns", "b"), privilegedPod("ns", "a"), plainPod("ns", "c")));
    Namespace old = new NamespaceBuilder().withNewMetadata().withName("ns").endMetadata().build();
    Namespace raised = new NamespaceBuilder().withNewMetadata().withName("ns")
        .addToLabels("pod-security.kubernetes.io/enforce", "restricted").endMetadata().build();
    AdmissionAttributes a = new AdmissionAttributes(Operation.UPDATE, Resources.NAMESPACES, "", "", "ns", raised, old,
        USER, false);
    validate(a);
    assertEquals(List.of("existing pods in namespace \"ns\" violate the new PodSecurity enforce level "
            + "\"restricted:latest\"",
        "a (and 1 other pod): privileged, allowPrivilegeEscalation != false, unrestricted capabilities, "
            + "runAsNonRoot != true, seccompProfile",
        "c: allowPrivilegeEscalation != false, unrestricted capabilities, runAsNonRoot != true, seccompProfile"),
        a.warnings());
  }

  @Test
  void policyToEvaluate() {
    var ev = PodSecurityPolicy.toEvaluate(Map.of("pod-security.kubernetes.io/enforce", "restricted"), DEFAULTS);
    assertEquals(new LevelVersion("restricted", "latest"), ev.policy().enforce());
    assertEquals(new LevelVersion("restricted", "latest"), ev.policy().warn(), "warn defaults to a stricter enforce");
    ev = PodSecurityPolicy.toEvaluate(Map.of("pod-security.kubernetes.io/enforce", "bogus",
        "pod-security.kubernetes.io/warn-version", "1.2"), DEFAULTS);
    assertEquals("restricted", ev.policy().enforce().level(), "an invalid enforce level fails closed");
    assertEquals(2, ev.errors().size());
    assertTrue(ev.errors().stream().anyMatch(e -> e.detail().equals("invalid version \"1.2\", must be \"latest\" or "
        + "\"v1.x\"")));
  }
}
