package io.kemu.kubelet.pod;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.Flow;
import io.kemu.api.client.Recorder;
import io.kemu.kubelet.KubeletSettings;
import io.kemu.kubelet.runtime.ContainerState;
import io.kemu.kubelet.runtime.Images;
import io.kemu.kubelet.runtime.PodNetwork;
import io.kemu.kubelet.status.PodStatusBuilder;
import io.kemu.kubelet.status.StatusManager;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One pod on one node (pkg/kubelet/pod_workers.go): the newest pod object wins; the worker goes
 * sync (sandbox, image pulls, containers started in order) → terminating (TERM, grace period, KILL) →
 * terminated (final status, then deletion with grace 0), and a terminated pod never starts again.
 */
public final class PodWorker {

  public sealed interface Command {}

  /** The newest version of the pod from the apiserver. */
  public record Update(Pod pod) implements Command {}

  /** The pod is gone from the apiserver (deleted with grace 0 elsewhere): stop everything now. */
  public enum Removed implements Command { INSTANCE }

  private enum SandboxReady implements Command { INSTANCE }

  private record Pulled(int index, Duration took) implements Command {}

  private record Created(int index) implements Command {}

  private record Started(int index) implements Command {}

  private record Exited(String container, int code, String reason) implements Command {}

  private enum GraceExpired implements Command { INSTANCE }

  private record FinalStatusWritten(String uid) implements Command {}

  /** What the node gives each of its pod workers. */
  public record NodeContext(String nodeName, String nodeIp, PodNetwork network, Set<String> imageCache,
                            ActorRef<StatusManager.Command> statusManager, Recorder events,
                            KubeletSettings settings, Clock clock) {}

  public static Behavior<Command> create(Pod pod, NodeContext node) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new PodWorker(ctx, timers, pod, node).start()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final NodeContext node;
  private final String uid;
  private final String key;
  private final Map<String, ContainerState> containers = new LinkedHashMap<>();
  private Pod pod;
  private String podIp;
  private boolean sandboxReady;
  private Instant startTime;

  private PodWorker(ActorContext<Command> ctx, TimerScheduler<Command> timers, Pod pod, NodeContext node) {
    this.ctx = ctx;
    this.timers = timers;
    this.node = node;
    this.pod = pod;
    this.uid = pod.getMetadata().getUid();
    this.key = pod.getMetadata().getNamespace() + "/" + pod.getMetadata().getName();
  }

  private Duration real(Duration emulated) {
    return node.settings().timeScale().real(emulated);
  }

  // ---------------------------------------------------------------- sync

  private Behavior<Command> start() {
    boolean restarted = pod.getStatus() != null && pod.getStatus().getPodIP() != null;
    for (Container c : pod.getSpec().getContainers()) {
      containers.put(c.getName(), ContainerState.waiting(c.getName(), c.getImage(), "ContainerCreating",
          previousRestarts(c.getName(), restarted)));
    }
    if (pod.getMetadata().getDeletionTimestamp() != null) {
      Flow.LOG.info("kubelet: {} received pod {} already being deleted", node.nodeName(), key);
      return beginTermination();
    }
    Flow.LOG.info("kubelet: {} received pod {}, creating its sandbox", node.nodeName(), key);
    startTime = node.clock().instant();
    if (restarted) {
      // The node's runtime is gone (the kubelet JVM restarted): like after a reboot, the sandbox is re-created.
      node.events().normal(pod, "SandboxChanged", "Pod sandbox changed, it will be killed and re-created.");
    }
    report(false);
    timers.startSingleTimer(SandboxReady.INSTANCE, real(node.settings().runtime().sandboxCreation()));
    return syncing();
  }

  private int previousRestarts(String name, boolean restarted) {
    if (!restarted || pod.getStatus().getContainerStatuses() == null) {
      return 0;
    }
    for (ContainerStatus s : pod.getStatus().getContainerStatuses()) {
      if (s.getName().equals(name)) {
        int count = s.getRestartCount() == null ? 0 : s.getRestartCount();
        boolean ran = s.getState() != null && (s.getState().getRunning() != null || s.getState().getTerminated() != null);
        return ran ? count + 1 : count;
      }
    }
    return 0;
  }

  private Behavior<Command> syncing() {
    return Behaviors.receive(Command.class)
        .onMessage(Update.class, u -> {
          pod = u.pod();
          return pod.getMetadata().getDeletionTimestamp() != null ? beginTermination() : Behaviors.same();
        })
        .onMessageEquals(Removed.INSTANCE, this::removed)
        .onMessageEquals(SandboxReady.INSTANCE, () -> {
          podIp = node.network().allocate();
          sandboxReady = true;
          Flow.LOG.info("kubelet: {} sandbox of pod {} ready with IP {}", node.nodeName(), key, podIp);
          report(false);
          return pullNext(0);
        })
        .onMessage(Pulled.class, p -> {
          Container c = container(p.index());
          String ref = Images.normalize(c.getImage());
          node.imageCache().add(ref);
          String took = seconds(p.took());
          node.events().normal(pod, "Pulled", "Successfully pulled image \"" + c.getImage() + "\" in " + took
              + " (" + took + " including waiting). Image size: " + Images.size(ref) + " bytes.");
          timers.startSingleTimer(new Created(p.index()), real(node.settings().runtime().containerCreate()));
          return Behaviors.same();
        })
        .onMessage(Created.class, c -> {
          node.events().normal(pod, "Created", "Created container: " + container(c.index()).getName());
          timers.startSingleTimer(new Started(c.index()), real(node.settings().runtime().containerStart()));
          return Behaviors.same();
        })
        .onMessage(Started.class, s -> {
          Container c = container(s.index());
          String ref = Images.normalize(c.getImage());
          ContainerState st = containers.get(c.getName())
              .running(ref, Images.imageId(ref), "containerd://" + randomId(), node.clock().instant())
              .withReady(true);
          containers.put(c.getName(), st);
          node.events().normal(pod, "Started", "Started container " + c.getName());
          Flow.LOG.info("kubelet: {} started container {} of pod {}", node.nodeName(), c.getName(), key);
          report(false);
          return pullNext(s.index() + 1);
        })
        .build();
  }

  private Behavior<Command> pullNext(int index) {
    List<Container> specs = pod.getSpec().getContainers();
    if (index >= specs.size()) {
      Flow.LOG.info("kubelet: {} pod {} is running", node.nodeName(), key);
      return Behaviors.same();
    }
    Container c = specs.get(index);
    String ref = Images.normalize(c.getImage());
    boolean cached = node.imageCache().contains(ref);
    if (cached && !"Always".equals(c.getImagePullPolicy())) {
      node.events().normal(pod, "Pulled", "Container image \"" + c.getImage() + "\" already present on machine");
      timers.startSingleTimer(new Created(index), real(node.settings().runtime().containerCreate()));
    } else {
      node.events().normal(pod, "Pulling", "Pulling image \"" + c.getImage() + "\"");
      Duration pull = node.settings().runtime().imagePull();
      timers.startSingleTimer(new Pulled(index, pull), real(pull));
    }
    return Behaviors.same();
  }

  // ---------------------------------------------------------------- terminating

  private Behavior<Command> beginTermination() {
    timers.cancelAll();
    long grace = pod.getMetadata().getDeletionGracePeriodSeconds() != null
        ? pod.getMetadata().getDeletionGracePeriodSeconds()
        : pod.getSpec().getTerminationGracePeriodSeconds() == null ? 30 : pod.getSpec().getTerminationGracePeriodSeconds();
    Flow.LOG.info("kubelet: {} terminating pod {} with a grace period of {}s", node.nodeName(), key, grace);
    for (ContainerState c : containers.values()) {
      if (c.phase() == ContainerState.Phase.RUNNING) {
        node.events().normal(pod, "Killing", "Stopping container " + c.name());
        // The emulated processes handle TERM by exiting (nginx: graceful shutdown).
        timers.startSingleTimer("exit-" + c.name(), new Exited(c.name(), 0, "Completed"),
            real(node.settings().runtime().stopOnTerm()));
      }
    }
    timers.startSingleTimer(GraceExpired.INSTANCE, real(Duration.ofSeconds(Math.max(grace, 0))));
    return terminatingOrDone();
  }

  private Behavior<Command> terminatingOrDone() {
    if (containers.values().stream().noneMatch(c -> c.phase() == ContainerState.Phase.RUNNING)) {
      return terminated();
    }
    return Behaviors.receive(Command.class)
        .onMessage(Update.class, u -> {
          pod = u.pod();
          return Behaviors.same();
        })
        .onMessageEquals(Removed.INSTANCE, this::removed)
        .onMessage(Exited.class, e -> {
          ContainerState c = containers.get(e.container());
          if (c != null && c.phase() == ContainerState.Phase.RUNNING) {
            containers.put(e.container(), c.exited(e.code(), e.reason(), node.clock().instant()));
          }
          return terminatingOrDone();
        })
        .onMessageEquals(GraceExpired.INSTANCE, () -> {
          for (ContainerState c : List.copyOf(containers.values())) {
            if (c.phase() == ContainerState.Phase.RUNNING) {
              containers.put(c.name(), c.exited(137, "Error", node.clock().instant()));
            }
          }
          return terminatingOrDone();
        })
        .build();
  }

  // ---------------------------------------------------------------- terminated

  private Behavior<Command> terminated() {
    timers.cancelAll();
    node.network().release(podIp);
    for (Map.Entry<String, ContainerState> e : containers.entrySet()) {
      if (e.getValue().phase() == ContainerState.Phase.WAITING) {
        // Never started: reported as terminated so that the pod's phase can be final.
        e.setValue(e.getValue().exited(137, "ContainerStatusUnknown", node.clock().instant()));
      }
    }
    sandboxReady = false;
    report(true);
    Flow.LOG.info("kubelet: {} pod {} terminated", node.nodeName(), key);
    ActorRef<String> ack = ctx.messageAdapter(String.class, FinalStatusWritten::new);
    node.statusManager().tell(new StatusManager.Finished(uid, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), ack));
    return Behaviors.receive(Command.class)
        .onMessage(FinalStatusWritten.class, f -> Behaviors.stopped())
        .onMessageEquals(Removed.INSTANCE, Behaviors::stopped)
        .onMessage(Update.class, u -> Behaviors.same())
        .build();
  }

  private Behavior<Command> removed() {
    Flow.LOG.info("kubelet: {} pod {} was removed from the apiserver, killing what runs", node.nodeName(), key);
    timers.cancelAll();
    node.network().release(podIp);
    return Behaviors.stopped();
  }

  // ---------------------------------------------------------------- helpers

  private void report(boolean terminal) {
    var status = PodStatusBuilder.build(pod, new PodStatusBuilder.Sandbox(sandboxReady, podIp, node.nodeIp(),
        startTime), containers, terminal, node.clock().instant());
    node.statusManager().tell(new StatusManager.SetStatus(uid, pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), status));
  }

  private Container container(int index) {
    return pod.getSpec().getContainers().get(index);
  }

  private static String randomId() {
    byte[] b = new byte[32];
    ThreadLocalRandom.current().nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** Go's Duration.String() for the sub-minute durations of a pull: 1.5s, 512ms. */
  static String seconds(Duration d) {
    long ms = d.toMillis();
    if (ms < 1000) {
      return ms + "ms";
    }
    String s = java.math.BigDecimal.valueOf(ms, 3).stripTrailingZeros().toPlainString();
    return s + "s";
  }
}
