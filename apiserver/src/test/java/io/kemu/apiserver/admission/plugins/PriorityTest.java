package io.kemu.apiserver.admission.plugins;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.Stages;
import io.kemu.apiserver.authn.UserInfo;
import io.kemu.apiserver.errors.ApiException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;

/** Mirrors plugin/pkg/admission/priority/admission_test.go TestPodAdmission (the cases kemu can express). */
class PriorityTest {
  static final UserInfo USER = new UserInfo("bob", "", List.of());

  final List<PriorityClass> classes = new ArrayList<>();
  final Priority plugin = new Priority(name -> CompletableFuture.completedFuture(
      classes.stream().filter(c -> c.getMetadata().getName().equals(name)).findFirst().orElse(null)), () -> classes);

  static PriorityClass pc(String name, int value, boolean globalDefault, String policy) {
    return new PriorityClassBuilder().withNewMetadata().withName(name).endMetadata().withValue(value)
        .withGlobalDefault(globalDefault).withPreemptionPolicy(policy).build();
  }

  static Pod pod(String className, Integer priority, String policy) {
    return new PodBuilder().withNewMetadata().withNamespace("ns").withName("p").endMetadata().withNewSpec()
        .withPriorityClassName(className).withPriority(priority).withPreemptionPolicy(policy).addNewContainer()
        .withName("c").withImage("i").endContainer().endSpec().build();
  }

  Pod admit(Pod p) {
    Stages.join(plugin.admit(new AdmissionAttributes(Operation.CREATE, Resources.PODS, "", "ns", "p", p, null, USER,
        false)));
    return p;
  }

  void forbidden(Pod p, String message) {
    ApiException e = assertThrows(ApiException.class, () -> admit(p));
    assertEquals(403, e.code());
    assertEquals(message, e.getMessage());
  }

  @Test
  void podWithAnExistingClassGetsItsValueAndPolicy() {
    classes.add(pc("default1", 1000, false, "PreemptLowerPriority"));
    classes.add(pc("nonpreempting", 1000, false, "Never"));
    Pod p = admit(pod("default1", null, null));
    assertEquals(1000, p.getSpec().getPriority());
    assertEquals("PreemptLowerPriority", p.getSpec().getPreemptionPolicy());
    assertEquals("Never", admit(pod("nonpreempting", null, null)).getSpec().getPreemptionPolicy());
  }

  @Test
  void podWithANonExistingClassIsForbidden() {
    forbidden(pod("non-existing", null, null), "pods \"p\" is forbidden: no PriorityClass with name non-existing was found");
  }

  @Test
  void podWithoutAClassGetsTheGlobalDefaultOfTheHighestValue() {
    classes.add(pc("default1", 1000, true, "PreemptLowerPriority"));
    classes.add(pc("default2", 2000, true, "PreemptLowerPriority"));
    classes.add(pc("other", 3000, false, "PreemptLowerPriority"));
    Pod p = admit(pod(null, null, null));
    assertEquals("default2", p.getSpec().getPriorityClassName());
    assertEquals(2000, p.getSpec().getPriority());
  }

  @Test
  void podWithoutAClassAndNoDefaultGetsZero() {
    classes.add(pc("other", 3000, false, "PreemptLowerPriority"));
    Pod p = admit(pod(null, null, null));
    assertEquals(0, p.getSpec().getPriority());
    assertEquals("PreemptLowerPriority", p.getSpec().getPreemptionPolicy());
    assertEquals(null, p.getSpec().getPriorityClassName());
  }

  @Test
  void aPriorityNumberInTheSpecMustMatchTheClass() {
    classes.add(pc("default1", 1000, false, "PreemptLowerPriority"));
    forbidden(pod("default1", 2000, null), "pods \"p\" is forbidden: the integer value of priority (2000) must not be "
        + "provided in pod spec; priority admission controller computed 1000 from the given PriorityClass name");
    assertEquals(1000, admit(pod("default1", 1000, null)).getSpec().getPriority());
  }

  @Test
  void aPreemptionPolicyInTheSpecMustMatchTheClass() {
    classes.add(pc("nonpreempting", 1000, false, "Never"));
    forbidden(pod("nonpreempting", null, "PreemptLowerPriority"), "pods \"p\" is forbidden: the string value of "
        + "PreemptionPolicy (PreemptLowerPriority) must not be provided in pod spec; priority admission controller "
        + "computed Never from the given PriorityClass name");
  }

  @Test
  void systemClassesAreKnownWithoutTheirObjects() {
    assertEquals(2_000_001_000, admit(pod("system-node-critical", null, null)).getSpec().getPriority());
    assertEquals(2_000_000_000, admit(pod("system-cluster-critical", null, null)).getSpec().getPriority());
  }

  @Test
  void anUpdateKeepsThePriorityOfTheOldPod() {
    Pod old = pod("x", 1000, "Never");
    Pod updated = pod("x", null, null);
    Stages.join(plugin.admit(new AdmissionAttributes(Operation.UPDATE, Resources.PODS, "", "ns", "p", updated, old,
        USER, false)));
    assertEquals(1000, updated.getSpec().getPriority());
    assertEquals("Never", updated.getSpec().getPreemptionPolicy());
  }
}
