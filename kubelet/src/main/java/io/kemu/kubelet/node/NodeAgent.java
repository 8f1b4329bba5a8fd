package io.kemu.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseBuilder;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.EventRecorder;
import io.kemu.api.client.Informer;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import io.kemu.kubelet.KubeletSettings;
import io.kemu.kubelet.pod.PodWorker;
import io.kemu.kubelet.runtime.LogStore;
import io.kemu.kubelet.runtime.NodeRuntime;
import io.kemu.kubelet.runtime.PodNetwork;
import io.kemu.kubelet.runtime.net.ClusterNet;
import io.kemu.kubelet.runtime.proc.Kernel;
import io.kemu.kubelet.status.StatusManager;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * One emulated node's kubelet: registers the Node, reports its status and renews its Lease in
 * kube-node-lease, watches the pods bound to it (spec.nodeName) and runs a {@link PodWorker} per pod UID.
 */
public final class NodeAgent {
  public sealed interface Command {}

  private enum Register implements Command { INSTANCE }

  private record Registered(Node node, Throwable error) implements Command {}

  private enum Heartbeat implements Command { INSTANCE }

  private record HeartbeatDone(NodeStatus status, Throwable error) implements Command {}

  private enum RenewLease implements Command { INSTANCE }

  private record LeaseDone(Lease lease, Throwable error) implements Command {}

  private record PodEvent(Pod pod, boolean deleted) implements Command {}

  private record WorkerStopped(String uid) implements Command {}

  public static Behavior<Command> create(int index, KubeletSettings settings, ApiClient client, ClusterNet net,
                                         LogStore logs) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new NodeAgent(ctx, timers, index, settings, client,
        net, logs).registering()));
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final int index;
  private final String name;
  private final KubeletSettings settings;
  private final ApiClient client;
  private final Clock clock = Clock.systemUTC();
  private final EventRecorder events;
  private final PodWorker.NodeContext podContext;
  private final Map<String, ActorRef<PodWorker.Command>> workers = new HashMap<>();
  private NodeStatus lastStatus;
  private String nodeUid;
  private Lease lease;
  private boolean heartbeatInFlight;
  private boolean leaseInFlight;
  private int heartbeatFailures;
  private int leaseFailures;

  private NodeAgent(ActorContext<Command> ctx, TimerScheduler<Command> timers, int index, KubeletSettings settings,
                    ApiClient client, ClusterNet net, LogStore logs) {
    this.ctx = ctx;
    this.timers = timers;
    this.index = index;
    this.name = settings.nodeName(index);
    this.settings = settings;
    this.client = client;
    this.events = new EventRecorder(client, "kubelet", name, clock);
    Set<String> imageCache = ConcurrentHashMap.newKeySet();
    ActorRef<StatusManager.Command> statusManager = ctx.spawn(StatusManager.create(client, name), "status-manager");
    var system = ctx.getSystem();
    var dispatcher = system.dispatchers().lookup(
        org.apache.pekko.actor.typed.DispatcherSelector.fromConfig("kemu-runtime-dispatcher"));
    Kernel kernel = new Kernel(dispatcher, (delay, task) -> {
      var c = system.scheduler().scheduleOnce(delay, task, dispatcher);
      return c::cancel;
    }, settings.timeScale(), clock);
    this.podContext = new PodWorker.NodeContext(name, Addressing.nodeIp(index - 1),
        new PodNetwork(Addressing.podCidr(index - 1)), imageCache, statusManager, events, settings, clock,
        new NodeRuntime(kernel, net), logs, client);
  }

  private Duration real(Duration emulated) {
    return settings.timeScale().real(emulated);
  }

  // ---------------------------------------------------------------- registration

  private Behavior<Command> registering() {
    ctx.getSelf().tell(Register.INSTANCE);
    return Behaviors.receive(Command.class)
        .onMessageEquals(Register.INSTANCE, () -> {
          Node node = NodeStatusBuilder.initialNode(name, index - 1, settings, clock.instant());
          ctx.pipeToSelf(client.create(node).handle((created, err) -> {
            StatusException se = StatusException.of(err);
            if (se != null && se.isAlreadyExists()) {
              return client.get(Node.class, null, name).thenCompose(existing -> {
                existing.getMetadata().getLabels().putAll(node.getMetadata().getLabels());
                return client.update(existing);
              });
            }
            return err != null ? java.util.concurrent.CompletableFuture.<Node>failedFuture(err)
                : java.util.concurrent.CompletableFuture.completedFuture(created);
          }).thenCompose(x -> x), Registered::new);
          return Behaviors.same();
        })
        .onMessage(Registered.class, r -> {
          if (r.error() != null) {
            ctx.getLog().info("node {} not registered yet ({}), retrying", name, r.error().getMessage());
            timers.startSingleTimer(Register.INSTANCE, Duration.ofSeconds(1));
            return Behaviors.same();
          }
          Flow.LOG.info("kubelet: registered node {}", name);
          lastStatus = r.node().getStatus();
          nodeUid = r.node().getMetadata().getUid();
          events.normal(r.node(), "Starting", "Starting kubelet.");
          events.normal(r.node(), "NodeReady", "Node " + name + " status is now: NodeReady");
          startPodInformer();
          timers.startTimerWithFixedDelay(Heartbeat.INSTANCE, real(settings.statusUpdatePeriod()));
          timers.startTimerWithFixedDelay(RenewLease.INSTANCE, real(settings.leaseRenewPeriod()));
          ctx.getSelf().tell(RenewLease.INSTANCE);
          return running();
        })
        .onAnyMessage(m -> Behaviors.same())
        .build();
  }

  private void startPodInformer() {
    ActorRef<Command> self = ctx.getSelf();
    new Informer<>(client, Pod.class, null, ListOptions.fields("spec.nodeName=" + name), new Informer.Handler<>() {
      public void onAdd(Pod p) {
        self.tell(new PodEvent(p, false));
      }

      public void onUpdate(Pod o, Pod p) {
        self.tell(new PodEvent(p, false));
      }

      public void onDelete(Pod p) {
        self.tell(new PodEvent(p, true));
      }
    }).start();
  }

  // ---------------------------------------------------------------- running

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(PodEvent.class, this::onPod)
        .onMessage(WorkerStopped.class, w -> {
          workers.remove(w.uid());
          return Behaviors.same();
        })
        .onMessageEquals(Heartbeat.INSTANCE, this::heartbeat)
        .onMessage(HeartbeatDone.class, h -> {
          heartbeatInFlight = false;
          if (h.error() == null) {
            lastStatus = h.status();
            heartbeatFailures = 0;
          } else if (++heartbeatFailures >= 3) {
            ctx.getLog().warn("node {}: {} heartbeats in a row not written: {}", name, heartbeatFailures,
                h.error().toString());
          } else {
            ctx.getLog().debug("node {} status not written: {}", name, h.error().toString());
          }
          return Behaviors.same();
        })
        .onMessageEquals(RenewLease.INSTANCE, this::renewLease)
        .onMessage(LeaseDone.class, l -> {
          leaseInFlight = false;
          if (l.error() == null) {
            lease = l.lease();
            leaseFailures = 0;
          } else {
            lease = null; // re-read on the next renewal (conflict, or gone)
            if (++leaseFailures >= 3) {
              ctx.getLog().warn("node {}: lease not renewed {} times in a row: {}", name, leaseFailures,
                  l.error().toString());
            }
          }
          return Behaviors.same();
        })
        .onMessage(Registered.class, r -> Behaviors.same())
        .onMessageEquals(Register.INSTANCE, Behaviors::same)
        .build();
  }

  private Behavior<Command> onPod(PodEvent e) {
    Pod pod = e.pod();
    String uid = pod.getMetadata().getUid();
    ActorRef<PodWorker.Command> worker = workers.get(uid);
    if (e.deleted()) {
      if (worker != null) {
        worker.tell(PodWorker.Removed.INSTANCE);
      }
      return Behaviors.same();
    }
    if (worker != null) {
      worker.tell(new PodWorker.Update(pod));
      return Behaviors.same();
    }
    String phase = pod.getStatus() == null ? null : pod.getStatus().getPhase();
    boolean finished = "Succeeded".equals(phase) || "Failed".equals(phase);
    if (finished && pod.getMetadata().getDeletionTimestamp() == null) {
      return Behaviors.same(); // a terminated pod never starts again
    }
    worker = ctx.spawn(PodWorker.create(pod, podContext), "pod-" + uid);
    ctx.watchWith(worker, new WorkerStopped(uid));
    workers.put(uid, worker);
    return Behaviors.same();
  }

  private Behavior<Command> heartbeat() {
    if (heartbeatInFlight) {
      return Behaviors.same();
    }
    heartbeatInFlight = true;
    NodeStatus status = NodeStatusBuilder.status(name, index - 1, settings, lastStatus, clock.instant());
    ctx.pipeToSelf(client.patch(Node.class, null, name, "status", "application/merge-patch+json",
        Map.of("status", Map.of("conditions", status.getConditions()))), (n, err) ->
        new HeartbeatDone(n == null ? null : n.getStatus(), err));
    return Behaviors.same();
  }

  /** nodelease controller: get or create the node's Lease, then renew its renewTime. */
  private Behavior<Command> renewLease() {
    if (leaseInFlight) {
      return Behaviors.same();
    }
    leaseInFlight = true;
    java.time.ZonedDateTime now = java.time.ZonedDateTime.now(clock);
    java.util.concurrent.CompletionStage<Lease> result;
    if (lease == null) {
      result = client.get(Lease.class, "kube-node-lease", name).handle((existing, err) -> {
        StatusException se = StatusException.of(err);
        if (se != null && se.isNotFound()) {
          Lease fresh = new LeaseBuilder().withNewMetadata().withName(name).withNamespace("kube-node-lease")
              .addNewOwnerReference().withApiVersion("v1").withKind("Node").withName(name)
              .withUid(nodeUid).endOwnerReference().endMetadata()
              .withNewSpec().withHolderIdentity(name).withLeaseDurationSeconds(settings.leaseDurationSeconds())
              .withRenewTime(now).endSpec().build();
          return client.create(fresh);
        }
        if (err != null) {
          return java.util.concurrent.CompletableFuture.<Lease>failedFuture(err);
        }
        existing.getSpec().setRenewTime(now);
        existing.getSpec().setHolderIdentity(name);
        return client.update(existing);
      }).thenCompose(x -> x);
    } else {
      Lease next = KubeJson.copy(lease);
      next.getSpec().setRenewTime(now);
      result = client.update(next);
    }
    ctx.pipeToSelf(result, LeaseDone::new);
    return Behaviors.same();
  }
}
