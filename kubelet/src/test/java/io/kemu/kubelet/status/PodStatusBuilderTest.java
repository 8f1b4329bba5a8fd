package io.kemu.kubelet.status;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kemu.kubelet.runtime.ContainerState;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The kubelet's status rules (kubelet_pods.go getPhase / generateAPIPodStatus). */
class PodStatusBuilderTest {
  static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
  static final PodStatusBuilder.Sandbox SANDBOX = new PodStatusBuilder.Sandbox(true, "10.244.0.2", "172.18.0.2", T0);

  static Pod pod(String restartPolicy, String... containers) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("p").withNamespace("default").endMetadata()
        .withNewSpec().withRestartPolicy(restartPolicy).endSpec();
    for (String c : containers) {
      b.editSpec().addNewContainer().withName(c).withImage("nginx").endContainer().endSpec();
    }
    Pod p = b.build();
    p.setStatus(new PodStatus());
    PodCondition scheduled = new PodCondition();
    scheduled.setType("PodScheduled");
    scheduled.setStatus("True");
    scheduled.setLastTransitionTime(T0.toString());
    p.getStatus().setConditions(List.of(scheduled));
    return p;
  }

  static ContainerState running(String name) {
    return ContainerState.waiting(name, "nginx", "ContainerCreating", 0)
        .running("docker.io/library/nginx:latest", "docker.io/library/nginx@sha256:x", "containerd://1", T0)
        .withReady(true);
  }

  static PodStatus build(Pod p, Map<String, ContainerState> cs, boolean terminal) {
    return PodStatusBuilder.build(p, SANDBOX, cs, terminal, T0.plusSeconds(5));
  }

  @Test
  void aContainerStillCreatingKeepsThePodPendingAndUnready() {
    PodStatus s = build(pod("Always", "a"), Map.of(), false);
    assertEquals("Pending", s.getPhase());
    assertEquals("ContainerCreating", s.getContainerStatuses().get(0).getState().getWaiting().getReason());
    PodCondition ready = s.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    assertEquals("False", ready.getStatus());
    assertEquals("ContainersNotReady", ready.getReason());
    assertEquals("containers with unready status: [a]", ready.getMessage());
  }

  @Test
  void conditionsComeInKubeletsOrderAndPodScheduledIsCarriedOver() {
    PodStatus s = build(pod("Always", "a"), Map.of("a", running("a")), false);
    assertEquals("Running", s.getPhase());
    assertEquals(List.of("PodReadyToStartContainers", "Initialized", "Ready", "ContainersReady", "PodScheduled"),
        s.getConditions().stream().map(PodCondition::getType).toList());
    s.getConditions().forEach(c -> assertEquals("True", c.getStatus(), c.getType()));
    assertEquals("10.244.0.2", s.getPodIP());
    assertEquals("172.18.0.2", s.getHostIPs().get(0).getIp());
  }

  @Test
  void phaseFollowsTheRestartPolicyOnceContainersExit() {
    Map<String, ContainerState> ok = new LinkedHashMap<>();
    ok.put("a", running("a").exited(0, "Completed", T0));
    Map<String, ContainerState> failed = new LinkedHashMap<>();
    failed.put("a", running("a").exited(1, "Error", T0));
    assertEquals("Succeeded", build(pod("Never", "a"), ok, false).getPhase());
    assertEquals("Failed", build(pod("Never", "a"), failed, false).getPhase());
    assertEquals("Succeeded", build(pod("OnFailure", "a"), ok, false).getPhase());
    assertEquals("Running", build(pod("OnFailure", "a"), failed, false).getPhase(), "will be restarted");
    assertEquals("Running", build(pod("Always", "a"), ok, false).getPhase(), "will be restarted");
  }

  @Test
  void aTerminatedPodIsGivenAFinalPhaseWhateverItsRestartPolicy() {
    Map<String, ContainerState> ok = Map.of("a", running("a").exited(0, "Completed", T0));
    PodStatus s = build(pod("Always", "a"), ok, true);
    assertEquals("Succeeded", s.getPhase());
    PodCondition ready = s.getConditions().stream().filter(c -> c.getType().equals("Ready")).findFirst().orElseThrow();
    assertEquals("PodCompleted", ready.getReason());
    assertEquals(0, s.getContainerStatuses().get(0).getState().getTerminated().getExitCode());
    assertEquals("Failed", build(pod("Always", "a"), Map.of("a", running("a").exited(137, "Error", T0)), true)
        .getPhase());
  }

  @Test
  void transitionTimesOnlyMoveWhenAConditionChanges() {
    Pod p = pod("Always", "a");
    PodStatus first = build(p, Map.of("a", running("a")), false);
    p.setStatus(first);
    PodStatus again = PodStatusBuilder.build(p, SANDBOX, Map.of("a", running("a")), false, T0.plusSeconds(60));
    assertEquals(first.getConditions().get(2).getLastTransitionTime(), again.getConditions().get(2).getLastTransitionTime());
    assertNull(again.getConditions().get(2).getReason());
  }
}
