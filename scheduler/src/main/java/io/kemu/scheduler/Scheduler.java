package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.auth.TokenFile;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.EventRecorder;
import io.kemu.api.client.Informer;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import io.kemu.scheduler.cache.SchedulerCache;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.Framework.ScheduleResult;
import io.kemu.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The scheduler role (schedule_one.go): informers keep the cache and the queue current; the actor takes one
 * pod at a time through the scheduling cycle (filter, score, reserve by assuming it on the node) and starts its
 * binding cycle asynchronously, so the next pod is scheduled while the binding is in flight.
 */
public final class Scheduler {

  public sealed interface Command {}

  private record NodeChanged(Node node, boolean deleted) implements Command {}

  private record PodChanged(Pod oldPod, Pod pod, boolean deleted) implements Command {}

  private record BindDone(Pod pod, String node, Throwable error) implements Command {}

  private record Synced(String informer) implements Command {}

  private enum ScheduleOne implements Command { INSTANCE }

  private enum Flush implements Command { INSTANCE }

  public static Behavior<Command> create(SchedulerSettings settings, Framework framework) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers -> new Scheduler(ctx, timers, settings, framework)
        .running()));
  }

  private final ActorContext<Command> ctx;
  private final SchedulerSettings settings;
  private final Framework framework;
  private final SchedulerCache cache = new SchedulerCache();
  private final SchedulingQueue queue;
  private final ApiClient client;
  private final EventRecorder events;
  private final Clock clock = Clock.systemUTC();
  private boolean scheduleRequested;
  /** Like kube-scheduler's WaitForCacheSync: no cycle runs before both informers listed once. */
  private final java.util.Set<String> synced = new java.util.HashSet<>();
  private final org.slf4j.Logger log;

  private Scheduler(ActorContext<Command> ctx, TimerScheduler<Command> timers, SchedulerSettings s, Framework f)
      throws java.io.IOException {
    this.ctx = ctx;
    this.log = ctx.getLog();
    this.settings = s;
    this.framework = f;
    this.queue = new SchedulingQueue(System::nanoTime, s.podInitialBackoff(), s.podMaxBackoff(),
        s.maxUnschedulable());
    this.client = ApiClient.create(ctx.getSystem(), TokenFile.tokenFor(s.tokenFile(), s.user()), s.apiTimeout());
    this.events = new EventRecorder(client, s.schedulerName(), hostname(), clock);
    ActorRef<Command> self = ctx.getSelf();
    new Informer<>(client, Node.class, null, ListOptions.ALL, new Informer.Handler<>() {
      public void onAdd(Node n) {
        self.tell(new NodeChanged(n, false));
      }

      public void onUpdate(Node o, Node n) {
        self.tell(new NodeChanged(n, false));
      }

      public void onDelete(Node n) {
        self.tell(new NodeChanged(n, true));
      }

      public void onSynced() {
        self.tell(new Synced("nodes"));
      }
    }).start();
    // The scheduler's pod informer: every pod that is not finished, bound or not.
    new Informer<>(client, Pod.class, null,
        ListOptions.fields("status.phase!=Succeeded,status.phase!=Failed"), new Informer.Handler<>() {
      public void onAdd(Pod p) {
        self.tell(new PodChanged(null, p, false));
      }

      public void onUpdate(Pod o, Pod p) {
        self.tell(new PodChanged(o, p, false));
      }

      public void onDelete(Pod p) {
        self.tell(new PodChanged(p, p, true));
      }

      public void onSynced() {
        self.tell(new Synced("pods"));
      }
    }).start();
    timers.startTimerWithFixedDelay(Flush.INSTANCE, s.flushInterval());
    ctx.getLog().info("scheduler {} started", s.schedulerName());
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(NodeChanged.class, this::onNode)
        .onMessage(PodChanged.class, this::onPod)
        .onMessageEquals(ScheduleOne.INSTANCE, this::scheduleOne)
        .onMessage(BindDone.class, this::onBindDone)
        .onMessage(Synced.class, sy -> {
          synced.add(sy.informer());
          if (synced.size() == 2) {
            ctx.getLog().info("scheduler caches synced: {} nodes", cache.nodeCount());
          }
          requestSchedule();
          return Behaviors.same();
        })
        .onMessageEquals(Flush.INSTANCE, () -> {
          queue.flush();
          requestSchedule();
          return Behaviors.same();
        })
        .build();
  }

  private Behavior<Command> onNode(NodeChanged e) {
    String name = e.node().getMetadata().getName();
    if (e.deleted()) {
      cache.removeNode(name);
    } else {
      var before = cache.node(name) == null ? null : cache.node(name).node();
      cache.addOrUpdateNode(e.node());
      if (before == null || NodeChanges.mayHelpPods(before, e.node())) {
        queue.moveAllUnschedulable(); // NodeAdd, or an update that can make pods schedulable
      }
    }
    requestSchedule();
    return Behaviors.same();
  }

  private Behavior<Command> onPod(PodChanged e) {
    Pod pod = e.pod();
    String uid = pod.getMetadata().getUid();
    boolean assigned = pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty();
    if (e.deleted()) {
      queue.delete(uid);
      if (cache.isBoundOrAssumed(uid)) {
        cache.removePod(uid);
        queue.moveAllUnschedulable(); // AssignedPodDelete frees resources
      }
    } else if (assigned) {
      queue.delete(uid);
      cache.addOrUpdatePod(pod);
    } else if (isOurs(pod) && pod.getMetadata().getDeletionTimestamp() == null) {
      queue.addOrUpdate(pod);
    }
    requestSchedule();
    return Behaviors.same();
  }

  private boolean isOurs(Pod pod) {
    String name = pod.getSpec().getSchedulerName();
    return name == null || name.isEmpty() || name.equals(settings.schedulerName());
  }

  private void requestSchedule() {
    if (!scheduleRequested && synced.size() == 2 && queue.activeCount() > 0) {
      scheduleRequested = true;
      ctx.getSelf().tell(ScheduleOne.INSTANCE);
    }
  }

  private Behavior<Command> scheduleOne() {
    scheduleRequested = false;
    SchedulingQueue.QueuedPod q = queue.pop();
    if (q == null) {
      return Behaviors.same();
    }
    Pod pod = q.pod();
    String uid = pod.getMetadata().getUid();
    if (cache.isBoundOrAssumed(uid)) {
      queue.done(uid);
      requestSchedule();
      return Behaviors.same();
    }
    Flow.LOG.info("scheduler: scheduling pod {}/{} (attempt {})", pod.getMetadata().getNamespace(),
        pod.getMetadata().getName(), q.attempts());
    ScheduleResult result = framework.schedule(new CycleState(), pod, cache.snapshot());
    if (result.isSuccess()) {
      cache.assume(pod, result.node());
      queue.done(uid);
      Flow.LOG.info("scheduler: assumed pod {}/{} on {} ({} of {} nodes feasible), binding",
          pod.getMetadata().getNamespace(), pod.getMetadata().getName(), result.node(), result.feasible(),
          result.evaluated());
      ctx.pipeToSelf(client.bind(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), uid, result.node()),
          (ok, err) -> new BindDone(pod, result.node(), err));
    } else {
      String message = result.fitError().message();
      Flow.LOG.info("scheduler: pod {}/{} is unschedulable: {}", pod.getMetadata().getNamespace(),
          pod.getMetadata().getName(), message);
      queue.unschedulable(q);
      markUnschedulable(pod, message);
      events.record(EventRecorder.reference(pod), "Warning", "FailedScheduling", message, "Scheduling");
    }
    requestSchedule();
    return Behaviors.same();
  }

  private Behavior<Command> onBindDone(BindDone d) {
    Pod pod = d.pod();
    String ns = pod.getMetadata().getNamespace();
    String name = pod.getMetadata().getName();
    if (d.error() == null) {
      Flow.LOG.info("scheduler: bound pod {}/{} to {}", ns, name, d.node());
      events.record(EventRecorder.reference(pod), "Normal", "Scheduled",
          "Successfully assigned " + ns + "/" + name + " to " + d.node(), "Binding");
      return Behaviors.same();
    }
    cache.forget(pod.getMetadata().getUid());
    StatusException se = StatusException.of(d.error());
    if (se != null && (se.isNotFound() || se.isConflict())) {
      // Deleted meanwhile, or someone else bound it: nothing to retry.
      ctx.getLog().info("binding {}/{} to {} not done: {}", ns, name, d.node(), se.getMessage());
      return Behaviors.same();
    }
    ctx.getLog().warn("binding {}/{} to {} failed: {}; retrying after back-off", ns, name, d.node(),
        d.error().toString());
    queue.addOrUpdate(pod);
    requestSchedule();
    return Behaviors.same();
  }

  private static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "kemu";
    }
  }

  /** updatePod of schedule_one.go: PodScheduled=False/Unschedulable, written only when it changes. */
  private void markUnschedulable(Pod pod, String message) {
    PodCondition current = pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
        : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
            .orElse(null);
    if (current != null && "False".equals(current.getStatus()) && "Unschedulable".equals(current.getReason())
        && Objects.equals(message, current.getMessage())) {
      return;
    }
    Map<String, Object> condition = new java.util.LinkedHashMap<>();
    condition.put("type", "PodScheduled");
    condition.put("status", "False");
    condition.put("reason", "Unschedulable");
    condition.put("message", message);
    condition.put("lastProbeTime", null);
    condition.put("lastTransitionTime", KubeJson.timestamp(clock.instant()));
    Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(condition)));
    client.patch(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
            "application/strategic-merge-patch+json", patch)
        .whenComplete((p, err) -> {
          if (err != null) {
            log.debug("status of {} not updated: {}", pod.getMetadata().getName(), err.toString());
          }
        });
  }

}
