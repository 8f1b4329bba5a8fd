package io.kemu.kubelet.status;

import io.fabric8.kubernetes.api.model.ContainerStateBuilder;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.kemu.api.KubeJson;
import io.kemu.kubelet.runtime.ContainerState;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * The pod status a kubelet reports (kubelet_pods.go generateAPIPodStatus / getPhase, status/generate.go): the
 * phase from the containers' states and the restart policy, the conditions in kubelet's order, the container
 * statuses. Pure: the pod, the runtime's view and the time in, the status out.
 */
public final class PodStatusBuilder {
  private PodStatusBuilder() {}

  /** What the pod worker knows of a pod besides its containers. */
  public record Sandbox(boolean ready, String podIp, String hostIp, Instant startTime) {}

  public static PodStatus build(Pod pod, Sandbox sandbox, Map<String, ContainerState> containers,
                                boolean podIsTerminal, Instant now) {
    return build(pod, sandbox, Map.of(), containers, podIsTerminal, now);
  }

  public static PodStatus build(Pod pod, Sandbox sandbox, Map<String, ContainerState> inits,
                                Map<String, ContainerState> containers, boolean podIsTerminal, Instant now) {
    PodStatus old = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
    List<ContainerStatus> statuses = new ArrayList<>();
    List<ContainerStatus> initStatuses = new ArrayList<>();
    List<String> incomplete = new ArrayList<>();
    boolean initFailed = false;
    String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    if (pod.getSpec().getInitContainers() != null) {
      for (var c : pod.getSpec().getInitContainers()) {
        ContainerState st = inits.get(c.getName());
        ContainerStatus cs = containerStatus(st == null ? ContainerState.waiting(c.getName(), c.getImage(),
            "PodInitializing", 0) : st, c.getName(), c.getImage());
        initStatuses.add(cs);
        boolean done = st != null && st.phase() == ContainerState.Phase.EXITED && st.exitCode() == 0;
        if (!done) {
          incomplete.add(c.getName());
          if (st != null && st.phase() == ContainerState.Phase.EXITED && policy.equals("Never")) {
            initFailed = true;
          }
        }
      }
    }
    boolean initialized = incomplete.isEmpty();
    pod.getSpec().getContainers().forEach(c -> statuses.add(containerStatus(containers.get(c.getName()), c.getName(),
        c.getImage())));
    String phase = initFailed ? "Failed" : !initialized && !podIsTerminal ? "Pending"
        : phase(pod, statuses, podIsTerminal);

    PodStatus s = new PodStatus();
    s.setPhase(phase);
    s.setQosClass(old.getQosClass());
    s.setNominatedNodeName(old.getNominatedNodeName());
    if (sandbox.hostIp() != null) {
      s.setHostIP(sandbox.hostIp());
      s.setHostIPs(List.of(new HostIP(sandbox.hostIp())));
    }
    if (sandbox.podIp() != null) {
      s.setPodIP(sandbox.podIp());
      s.setPodIPs(List.of(new PodIP(sandbox.podIp())));
    }
    if (sandbox.startTime() != null) {
      s.setStartTime(KubeJson.timestamp(sandbox.startTime()));
    }
    s.setContainerStatuses(statuses);
    if (!initStatuses.isEmpty()) {
      s.setInitContainerStatuses(initStatuses);
    }

    List<PodCondition> conds = new ArrayList<>();
    conds.add(condition(old, "PodReadyToStartContainers", sandbox.ready() ? "True" : "False", null, null, now));
    if (initialized) {
      conds.add(condition(old, "Initialized", "True", null, null, now));
    } else {
      conds.add(condition(old, "Initialized", "False", "ContainersNotInitialized",
          "containers with incomplete status: [" + String.join(" ", incomplete) + "]", now));
    }
    List<String> unready = statuses.stream().filter(c -> !Boolean.TRUE.equals(c.getReady()))
        .map(ContainerStatus::getName).toList();
    boolean terminal = phase.equals("Succeeded") || phase.equals("Failed");
    String reason = terminal ? "PodCompleted" : unready.isEmpty() ? null : "ContainersNotReady";
    String message = terminal || unready.isEmpty() ? null : "containers with unready status: [" + String.join(" ",
        unready) + "]";
    String ready = !terminal && unready.isEmpty() ? "True" : "False";
    conds.add(condition(old, "Ready", ready, reason, message, now));
    conds.add(condition(old, "ContainersReady", ready, reason, message, now));
    PodCondition scheduled = old.getConditions() == null ? null : old.getConditions().stream()
        .filter(c -> "PodScheduled".equals(c.getType())).findFirst().orElse(null);
    if (scheduled != null) {
      conds.add(scheduled); // owned by the scheduler; the kubelet carries it over
    }
    s.setConditions(conds);
    return s;
  }

  /**
   * getPhase for the app containers: Pending while any waits, Running while any runs (or will restart),
   * Succeeded/Failed once all exited and nothing will restart them (or the pod is terminal).
   */
  static String phase(Pod pod, List<ContainerStatus> statuses, boolean podIsTerminal) {
    int running = 0;
    int waiting = 0;
    int stopped = 0;
    int succeeded = 0;
    for (ContainerStatus c : statuses) {
      if (c.getState().getRunning() != null) {
        running++;
      } else if (c.getState().getTerminated() != null) {
        stopped++;
        if (c.getState().getTerminated().getExitCode() == 0) {
          succeeded++;
        }
      } else if (c.getLastState() != null && c.getLastState().getTerminated() != null) {
        stopped++; // waiting to restart after a termination
      } else {
        waiting++;
      }
    }
    String policy = pod.getSpec().getRestartPolicy() == null ? "Always" : pod.getSpec().getRestartPolicy();
    if (waiting > 0) {
      return "Pending";
    }
    if (running > 0) {
      return "Running";
    }
    if (stopped > 0) {
      if (podIsTerminal) {
        return stopped == succeeded ? "Succeeded" : "Failed";
      }
      if (policy.equals("Always")) {
        return "Running";
      }
      if (stopped == succeeded) {
        return "Succeeded";
      }
      return policy.equals("Never") ? "Failed" : "Running";
    }
    return "Pending";
  }

  static ContainerStatus containerStatus(ContainerState st, String name, String specImage) {
    if (st == null) {
      st = ContainerState.waiting(name, specImage, "ContainerCreating", 0);
    }
    ContainerStatusBuilder b = new ContainerStatusBuilder().withName(name).withRestartCount(st.restartCount())
        .withReady(st.ready()).withStarted(st.started()).withNewLastState().endLastState();
    if (st.last() != null) {
      ContainerState.Terminated t = st.last();
      b.withLastState(new ContainerStateBuilder().withNewTerminated().withExitCode(t.exitCode())
          .withReason(t.reason()).withMessage(t.message()).withContainerID(t.containerId())
          .withStartedAt(t.startedAt() == null ? null : KubeJson.timestamp(t.startedAt()))
          .withFinishedAt(t.finishedAt() == null ? null : KubeJson.timestamp(t.finishedAt())).endTerminated().build());
    }
    switch (st.phase()) {
      case WAITING -> b.withImage(st.imageRef() != null ? st.imageRef() : specImage)
          .withImageID(st.imageId() != null ? st.imageId() : "")
          .withContainerID(st.last() != null ? st.containerId() : null).withState(new ContainerStateBuilder().withNewWaiting()
          .withReason(st.waitingReason()).withMessage(st.waitingMessage()).endWaiting().build());
      case RUNNING -> b.withImage(st.imageRef()).withImageID(st.imageId()).withContainerID(st.containerId())
          .withState(new ContainerStateBuilder().withNewRunning()
              .withStartedAt(KubeJson.timestamp(st.startedAt())).endRunning().build());
      case EXITED -> b.withImage(st.imageRef()).withImageID(st.imageId()).withContainerID(st.containerId())
          .withState(new ContainerStateBuilder().withNewTerminated().withExitCode(st.exitCode())
              .withReason(st.terminatedReason()).withMessage(st.terminatedMessage()).withContainerID(st.containerId())
              .withStartedAt(st.startedAt() == null ? null : KubeJson.timestamp(st.startedAt()))
              .withFinishedAt(KubeJson.timestamp(st.finishedAt())).endTerminated().build());
    }
    return b.build();
  }

  /** The transition time moves only when the status changes (podutil.UpdatePodCondition). */
  static PodCondition condition(PodStatus old, String type, String status, String reason, String message,
                                Instant now) {
    PodCondition prev = old.getConditions() == null ? null : old.getConditions().stream()
        .filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    PodCondition c = new PodCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastProbeTime(null);
    c.setLastTransitionTime(prev != null && Objects.equals(prev.getStatus(), status)
        ? prev.getLastTransitionTime() : KubeJson.timestamp(now));
    return c;
  }
}
