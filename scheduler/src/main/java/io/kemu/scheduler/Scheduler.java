package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.EventRecorder;
import io.kemu.api.client.Informer;
import io.kemu.api.client.ListOptions;
import io.kemu.api.client.StatusException;
import io.kemu.scheduler.cache.SchedulerCache;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.FitError;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.Framework.ScheduleFailure;
import io.kemu.scheduler.framework.Framework.ScheduleResult;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins.PostFilterOutcome;
import io.kemu.scheduler.framework.Plugins.PostFilterResult;
import io.kemu.scheduler.framework.Snapshot;
import io.kemu.scheduler.framework.Status;
import io.kemu.scheduler.metrics.SchedulerMetrics;
import io.kemu.scheduler.queue.QueueEntry;
import io.kemu.scheduler.queue.SchedulingQueue;
import java.time.Clock;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.PostStop;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;

/**
 * The scheduler (schedule_one.go and eventhandlers.go): informers keep the cache and the queue current; while
 * this scheduler leads, the actor takes one pod at a time through the scheduling cycle (snapshot, filter, score,
 * assume, reserve, permit) and hands it to an asynchronous binding cycle (permit wait, pre-bind, bind with
 * retries, post-bind), so that the next pod is scheduled while bindings are in flight. A standby keeps its caches
 * warm and schedules nothing.
 */
public final class Scheduler {

  public sealed interface Command {}

  /** From the leader elector: start or stop scheduling. */
  public record SetLeading(boolean leading) implements Command {}

  private record NodeEvent(Node oldNode, Node node, boolean deleted) implements Command {}

  private record PodEvent(Pod oldPod, Pod pod, boolean deleted) implements Command {}

  private record Synced(String informer) implements Command {}

  private record BindingDone(BindingTask task, Status status) implements Command {}

  private enum Tick implements Command { SCHEDULE_ONE, FLUSH_BACKOFF, FLUSH_UNSCHEDULABLE, METRICS }

  /** One pod's binding cycle. */
  private record BindingTask(QueueEntry entry, PodInfo pod, String node, Framework fwk, CycleState state,
                             long startNanos, int attempts, long initialAttemptNanos, int evaluated, int feasible) {}

  public static Behavior<Command> create(SchedulerSettings settings, ApiClient client, SchedulerMetrics metrics,
                                         Clock clock, boolean leading) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new Scheduler(ctx, timers, settings, client, metrics, clock, leading).running()));
  }

  private final ActorContext<Command> ctx;
  private final SchedulerSettings settings;
  private final ApiClient client;
  private final SchedulerMetrics metrics;
  private final Clock clock;
  private final org.slf4j.Logger log;
  private final EventSink events;
  private final SchedulerCache cache = new SchedulerCache();
  private final Snapshot snapshot = Snapshot.of(List.of());
  private final SchedulingQueue queue;
  private final Map<String, Framework> profiles;
  private final io.kemu.scheduler.framework.Parallelizer parallelizer;
  private final InformerListers listers;
  private final List<Informer<?>> informers = new ArrayList<>();
  private final Set<String> waitingFor = new HashSet<>();
  private boolean leading;
  private boolean scheduleRequested;
  private int bindingsInFlight;
  private final ArrayDeque<BindingTask> pendingBindings = new ArrayDeque<>();

  private Scheduler(ActorContext<Command> ctx, TimerScheduler<Command> timers, SchedulerSettings s, ApiClient client,
                    SchedulerMetrics metrics, Clock clock, boolean leading) {
    this.ctx = ctx;
    this.log = ctx.getLog();
    this.settings = s;
    this.client = client;
    this.metrics = metrics;
    this.clock = clock;
    this.leading = leading;
    EventRecorder recorder = new EventRecorder(client, "default-scheduler", hostname(), clock);
    this.events = new EventSink(recorder, 32, log);
    this.parallelizer = new io.kemu.scheduler.framework.Parallelizer(s.parallelism(), s.parallelMinNodes());
    this.listers = new InformerListers(client);
    SchedulingQueue[] q = new SchedulingQueue[1];
    Framework.Environment env = new Framework.Environment(listers, node -> q[0].nominatedPodsForNode(node),
        parallelizer, new ClientActions(client, events, log), new java.util.Random(),
        s.percentageOfNodesToScore());
    this.profiles = io.kemu.scheduler.config.Profiles.build(s.profiles(),
        io.kemu.scheduler.config.PluginRegistry.inTree(), env);
    Framework defaultProfile = profiles.values().iterator().next();
    Map<String, SchedulingQueue.ProfileHooks> hooks = new LinkedHashMap<>();
    profiles.forEach((name, f) -> hooks.put(name, hooks(f)));
    SchedulingQueue.ProfileHooks fallback = hooks(defaultProfile);
    this.queue = new SchedulingQueue(System::nanoTime, s.podInitialBackoff(), s.podMaxBackoff(),
        s.maxUnschedulable(), name -> hooks.getOrDefault(name == null || name.isEmpty() ? "default-scheduler" : name,
        fallback), metrics::incoming);
    q[0] = queue;

    ActorRef<Command> self = ctx.getSelf();
    waitingFor.add("nodes");
    waitingFor.add("pods");
    informers.add(new Informer<>(client, Node.class, null, ListOptions.ALL, new Informer.Handler<>() {
      public void onAdd(Node n) {
        self.tell(new NodeEvent(null, n, false));
      }

      public void onUpdate(Node o, Node n) {
        self.tell(new NodeEvent(o, n, false));
      }

      public void onDelete(Node n) {
        self.tell(new NodeEvent(n, n, true));
      }

      public void onSynced() {
        self.tell(new Synced("nodes"));
      }
    }).start());
    // kube-scheduler's pod informer: every pod that has not finished, bound or not
    Informer<Pod> pods = new Informer<>(client, Pod.class, null,
        ListOptions.fields("status.phase!=Succeeded,status.phase!=Failed"), new Informer.Handler<>() {
      public void onAdd(Pod p) {
        self.tell(new PodEvent(null, p, false));
      }

      public void onUpdate(Pod o, Pod p) {
        self.tell(new PodEvent(o, p, false));
      }

      public void onDelete(Pod p) {
        self.tell(new PodEvent(p, p, true));
      }

      public void onSynced() {
        self.tell(new Synced("pods"));
      }
    });
    listers.pods = pods;
    informers.add(pods.start());
    listers.startOptional(informers);

    timers.startTimerWithFixedDelay(Tick.FLUSH_BACKOFF, s.backoffFlushInterval());
    timers.startTimerWithFixedDelay(Tick.FLUSH_UNSCHEDULABLE, s.unschedulableFlushInterval());
    timers.startTimerWithFixedDelay(Tick.METRICS, java.time.Duration.ofSeconds(1));
    log.info("scheduler started with profiles {} ({})", profiles.keySet(), leading ? "leading" : "standing by");
  }

  private static SchedulingQueue.ProfileHooks hooks(Framework f) {
    Map<String, List<ClusterEvent.WithHint>> events = f.eventsToRegister();
    return new SchedulingQueue.ProfileHooks() {
      public Status preEnqueue(Pod pod) {
        return f.runPreEnqueuePlugins(pod);
      }

      public boolean less(io.kemu.scheduler.framework.Plugins.QueuedPodInfo a,
                          io.kemu.scheduler.framework.Plugins.QueuedPodInfo b) {
        return f.less(a, b);
      }

      public Map<String, List<ClusterEvent.WithHint>> eventsToRegister() {
        return events;
      }
    };
  }

  private Behavior<Command> running() {
    return Behaviors.receive(Command.class)
        .onMessage(NodeEvent.class, this::onNode)
        .onMessage(PodEvent.class, this::onPod)
        .onMessage(Synced.class, this::onSynced)
        .onMessage(SetLeading.class, this::onLeading)
        .onMessage(BindingDone.class, this::onBindingDone)
        .onMessageEquals(Tick.SCHEDULE_ONE, this::scheduleOne)
        .onMessageEquals(Tick.FLUSH_BACKOFF, () -> {
          queue.flushBackoffQCompleted();
          requestSchedule();
          return Behaviors.same();
        })
        .onMessageEquals(Tick.FLUSH_UNSCHEDULABLE, () -> {
          queue.flushUnschedulablePodsLeftover();
          requestSchedule();
          return Behaviors.same();
        })
        .onMessageEquals(Tick.METRICS, () -> {
          metrics.pending(queue.pendingByQueue());
          metrics.cache(cache.nodeCount(), cache.podCount(), cache.assumedPodCount());
          metrics.bindings(bindingsInFlight, pendingBindings.size());
          return Behaviors.same();
        })
        .onSignal(PostStop.class, sig -> {
          informers.forEach(Informer::stop);
          parallelizer.shutdown();
          return Behaviors.same();
        })
        .build();
  }

  public boolean synced() {
    return waitingFor.isEmpty();
  }

  private Behavior<Command> onSynced(Synced s) {
    waitingFor.remove(s.informer());
    if (waitingFor.isEmpty()) {
      log.info("scheduler caches synced: {} nodes, {} pods", cache.nodeCount(), cache.podCount());
    }
    requestSchedule();
    return Behaviors.same();
  }

  private Behavior<Command> onLeading(SetLeading l) {
    leading = l.leading();
    log.info("scheduler {}", leading ? "leads: scheduling" : "stands by");
    requestSchedule();
    return Behaviors.same();
  }

  // ---- informer events (eventhandlers.go)

  private Behavior<Command> onNode(NodeEvent e) {
    Node node = e.node();
    if (e.deleted()) {
      cache.removeNode(node.getMetadata().getName());
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_DELETE, node, null, null);
    } else if (e.oldNode() == null || cache.node(node.getMetadata().getName()) == null
        || cache.node(node.getMetadata().getName()).node() == null) {
      cache.addOrUpdateNode(node);
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.NODE_ADD, null, node, null);
    } else {
      cache.addOrUpdateNode(node);
      for (ClusterEvent ev : NodeChanges.schedulingPropertiesChange(e.oldNode(), node)) {
        queue.moveAllToActiveOrBackoffQueue(ev, e.oldNode(), node, null);
      }
    }
    requestSchedule();
    return Behaviors.same();
  }

  private static boolean assigned(Pod p) {
    return p.getSpec().getNodeName() != null && !p.getSpec().getNodeName().isEmpty();
  }

  private Behavior<Command> onPod(PodEvent e) {
    Pod pod = e.pod();
    String uid = pod.getMetadata().getUid();
    if (e.deleted()) {
      if (cache.isBoundOrAssumed(uid)) {
        cache.removePod(uid);
        queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE, pod, null, null);
      }
      queue.delete(uid);
      Framework f = profiles.get(pod.getSpec().getSchedulerName());
      if (f != null) {
        f.rejectWaitingPod(uid, "", "pod deleted");
      }
    } else if (assigned(pod)) {
      boolean wasInCache = cache.isBoundOrAssumed(uid) && !cache.isAssumed(uid);
      if (queue.contains(uid)) {
        queue.delete(uid); // bound by someone (us, or another scheduler)
      }
      cache.addOrUpdatePod(PodInfo.of(pod));
      if (!wasInCache) {
        queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_ADD, null, pod, null);
      } else if (e.oldPod() != null && !Objects.equals(e.oldPod().getMetadata().getLabels(),
          pod.getMetadata().getLabels())) {
        queue.moveAllToActiveOrBackoffQueue(new ClusterEvent(ClusterEvent.Kind.POD, ClusterEvent.UPDATE_POD_LABEL,
            "AssignedPodUpdate"), e.oldPod(), pod, null);
      }
    } else if (profiles.containsKey(schedulerName(pod)) && !cache.isAssumed(uid)) {
      queue.add(PodInfo.of(pod));
    }
    requestSchedule();
    return Behaviors.same();
  }

  private static String schedulerName(Pod p) {
    String n = p.getSpec().getSchedulerName();
    return n == null || n.isEmpty() ? "default-scheduler" : n;
  }

  private void requestSchedule() {
    if (!scheduleRequested && leading && waitingFor.isEmpty() && queue.hasActive()) {
      scheduleRequested = true;
      ctx.getSelf().tell(Tick.SCHEDULE_ONE);
    }
  }

  // ---- the scheduling cycle

  private Behavior<Command> scheduleOne() {
    scheduleRequested = false;
    if (!leading) {
      return Behaviors.same();
    }
    QueueEntry entry = queue.pop();
    if (entry == null) {
      return Behaviors.same();
    }
    try {
      scheduleOne(entry);
    } catch (RuntimeException ex) {
      log.error("scheduling {} failed", entry.podInfo(), ex);
      queue.addUnschedulableIfNotPresent(entry, null, null);
    }
    requestSchedule();
    return Behaviors.same();
  }

  private void scheduleOne(QueueEntry entry) {
    PodInfo pod = entry.podInfo();
    Pod p = pod.pod();
    Framework fwk = profiles.get(schedulerName(p));
    if (fwk == null) {
      log.error("profile not found for scheduler name \"{}\"", schedulerName(p));
      queue.done(pod.uid());
      return;
    }
    if (p.getMetadata().getDeletionTimestamp() != null) {
      events.record(p, "Warning", "FailedScheduling", "skip schedule deleting pod: "
          + pod.namespace() + "/" + pod.name(), "Scheduling");
      queue.done(pod.uid());
      return;
    }
    if (cache.isAssumed(pod.uid())) {
      queue.done(pod.uid());
      return;
    }
    long start = System.nanoTime();
    CycleState state = new CycleState();
    cache.updateSnapshot(snapshot);
    fwk.setSnapshot(snapshot);
    ScheduleResult result;
    try {
      result = fwk.schedulePod(state, pod);
    } catch (ScheduleFailure failure) {
      metrics.algorithm(seconds(start));
      FitError fitError = failure.fitError();
      if (fitError == null) {
        boolean noNodes = failure.status().isRejected();
        handleSchedulingFailure(fwk, entry, failure.status(), null, PostFilterResult.CLEAR, start,
            noNodes ? "no nodes are registered to the cluster" : null);
        return;
      }
      PostFilterResult nominating = null;
      if (fwk.hasPostFilterPlugins()) {
        metrics.preemptionAttempt();
        PostFilterOutcome o = fwk.runPostFilterPlugins(state, pod, fitError.diagnosis().nodeToStatus);
        fitError.diagnosis().postFilterMsg = o.status() == null ? "" : o.status().message();
        if (o.status() != null && o.status().code() == Status.Code.ERROR) {
          log.warn("status after running PostFilter plugins for pod {}: {}", pod, o.status().message());
        }
        nominating = o.result();
      }
      handleSchedulingFailure(fwk, entry, Status.of(Status.Code.UNSCHEDULABLE), fitError, nominating, start, null);
      return;
    }
    metrics.algorithm(seconds(start));
    String host = result.suggestedHost();
    cache.assumePod(pod, host);
    queue.deleteNominatedPodIfExists(pod.uid());
    Status reserve = fwk.runReservePluginsReserve(state, pod, host);
    if (!reserve.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, pod, host);
      cache.forgetPod(pod.uid());
      handleSchedulingFailure(fwk, entry, reserve, rejectedOnNode(reserve, host), PostFilterResult.CLEAR, start,
          null);
      return;
    }
    Status permit = fwk.runPermitPlugins(state, pod, host);
    if (!permit.isWait() && !permit.isSuccess()) {
      fwk.runReservePluginsUnreserve(state, pod, host);
      cache.forgetPod(pod.uid());
      handleSchedulingFailure(fwk, entry, permit, rejectedOnNode(permit, host), PostFilterResult.CLEAR, start, null);
      return;
    }
    queue.done(pod.uid());
    if (Flow.LOG.isInfoEnabled()) {
      Flow.LOG.info("scheduler: assumed pod {}/{} on {} ({} of {} nodes feasible), binding", pod.namespace(),
          pod.name(), host, result.feasibleNodes(), result.evaluatedNodes());
    }
    BindingTask task = new BindingTask(entry, pod, host, fwk, state, start, entry.attempts(),
        entry.initialAttemptNanos(), result.evaluatedNodes(), result.feasibleNodes());
    if (bindingsInFlight < settings.bindingConcurrency()) {
      startBinding(task);
    } else {
      pendingBindings.add(task);
    }
  }

  /** A FitError naming the one node where Reserve or Permit rejected the pod. */
  private static FitError rejectedOnNode(Status s, String node) {
    if (!s.isRejected()) {
      return null;
    }
    FitError.Diagnosis d = new FitError.Diagnosis();
    d.nodeToStatus.set(node, s);
    d.addPluginStatus(s);
    return new FitError(1, d);
  }

  // ---- the binding cycle

  private void startBinding(BindingTask t) {
    bindingsInFlight++;
    CompletionStage<Status> chain = t.fwk().waitOnPermit(t.pod())
        .thenCompose(s -> !Status.isSuccess(s) ? CompletableFuture.completedFuture(s)
            : t.fwk().runPreBindPlugins(t.state(), t.pod(), t.node()))
        .thenCompose(s -> !Status.isSuccess(s) ? CompletableFuture.completedFuture(s) : bindWithRetries(t, 0));
    ctx.pipeToSelf(chain, (s, err) -> new BindingDone(t, err != null ? Status.error(err) : s));
  }

  /** Binds; transient apiserver failures (5xx, 429, timeouts) are retried with a short back-off. */
  private CompletionStage<Status> bindWithRetries(BindingTask t, int attempt) {
    SchedulerMetrics m = metrics;
    return t.fwk().runBindPlugins(t.state(), t.pod(), t.node()).thenCompose(s -> {
      if (Status.isSuccess(s) || attempt >= settings.bindingRetries() || !isTransient(s.cause())) {
        return CompletableFuture.completedFuture(s);
      }
      m.bindingRetry();
      return CompletableFuture.supplyAsync(() -> null,
              CompletableFuture.delayedExecutor(100L << attempt, TimeUnit.MILLISECONDS))
          .thenCompose(x -> bindWithRetries(t, attempt + 1));
    });
  }

  static boolean isTransient(Throwable t) {
    StatusException se = StatusException.of(t);
    if (se == null) {
      return t != null;
    }
    return se.code() == 429 || se.code() >= 500;
  }

  private Behavior<Command> onBindingDone(BindingDone d) {
    bindingsInFlight--;
    while (bindingsInFlight < settings.bindingConcurrency() && !pendingBindings.isEmpty()) {
      startBinding(pendingBindings.poll());
    }
    BindingTask t = d.task();
    PodInfo pod = t.pod();
    if (Status.isSuccess(d.status())) {
      String profile = t.fwk().profileName();
      metrics.attempt(SchedulerMetrics.SCHEDULED, profile, seconds(t.startNanos()));
      if (t.initialAttemptNanos() >= 0) {
        metrics.sli(t.attempts(), seconds(t.initialAttemptNanos()));
      }
      if (Flow.LOG.isInfoEnabled()) {
        Flow.LOG.info("scheduler: bound pod {}/{} to {}", pod.namespace(), pod.name(), t.node());
      }
      if (settings.recordScheduledEvents()) {
        events.record(pod.pod(), "Normal", "Scheduled",
            "Successfully assigned " + pod.namespace() + "/" + pod.name() + " to " + t.node(), "Binding");
      }
      t.fwk().runPostBindPlugins(t.state(), pod, t.node());
      return Behaviors.same();
    }
    // handleBindingCycleError
    t.fwk().runReservePluginsUnreserve(t.state(), pod, t.node());
    if (cache.isAssumed(pod.uid())) {
      cache.forgetPod(pod.uid());
      queue.moveAllToActiveOrBackoffQueue(ClusterEvent.ASSIGNED_POD_DELETE, pod.pod(), null,
          other -> !other.uid().equals(pod.uid()));
    }
    log.info("binding {} to {} failed: {}", pod, t.node(), d.status().message());
    metrics.attempt(d.status().isRejected() ? SchedulerMetrics.UNSCHEDULABLE : SchedulerMetrics.ERROR,
        t.fwk().profileName(), seconds(t.startNanos()));
    Pod latest = listers.pod(pod.namespace(), pod.name());
    if (latest != null && !assigned(latest) && Objects.equals(latest.getMetadata().getUid(), pod.uid())) {
      queue.requeueAfterError(PodInfo.of(latest), t.attempts(), t.initialAttemptNanos());
      String msg = d.status().isRejected() && rejectedOnNode(d.status(), t.node()) != null
          ? rejectedOnNode(d.status(), t.node()).message() : d.status().message();
      recordFailure(latest, d.status().isRejected() ? "Unschedulable" : "SchedulerError", msg, PostFilterResult.CLEAR);
    }
    requestSchedule();
    return Behaviors.same();
  }

  // ---- failures (handleSchedulingFailure)

  private void handleSchedulingFailure(Framework fwk, QueueEntry entry, Status status, FitError fitError,
                                       PostFilterResult nominating, long start, String noNodesLog) {
    PodInfo pod = entry.podInfo();
    boolean rejected = status.isRejected();
    metrics.attempt(rejected ? SchedulerMetrics.UNSCHEDULABLE : SchedulerMetrics.ERROR, fwk.profileName(),
        seconds(start));
    String msg = fitError != null ? fitError.message() : status.message();
    if (noNodesLog != null) {
      log.info("unable to schedule pod {}; {}; waiting", pod, noNodesLog);
    } else if (!rejected) {
      log.warn("error scheduling pod {}; retrying: {}", pod, msg);
    }
    if (Flow.LOG.isInfoEnabled()) {
      Flow.LOG.info("scheduler: pod {}/{} is unschedulable: {}", pod.namespace(), pod.name(), msg);
    }
    Pod latest = listers.pod(pod.namespace(), pod.name());
    if (latest == null || !Objects.equals(latest.getMetadata().getUid(), pod.uid())) {
      queue.delete(pod.uid());
    } else if (assigned(latest)) {
      queue.done(pod.uid());
    } else {
      queue.addUnschedulableIfNotPresent(entry, fitError == null ? null : fitError.diagnosis().unschedulablePlugins,
          fitError == null ? null : fitError.diagnosis().pendingPlugins);
    }
    PodInfo current = latest == null ? pod : PodInfo.of(latest);
    if (nominating != null) {
      if (nominating.nominatedNodeName() != null && !nominating.nominatedNodeName().isEmpty()) {
        queue.addNominatedPod(current, nominating.nominatedNodeName());
      } else if (nominating.clearNomination()) {
        queue.deleteNominatedPodIfExists(pod.uid());
      }
    }
    recordFailure(latest != null ? latest : pod.pod(), rejected ? "Unschedulable" : "SchedulerError", msg,
        nominating);
  }

  /** The FailedScheduling event, then the PodScheduled condition and nominatedNodeName (updatePod). */
  private void recordFailure(Pod pod, String reason, String msg, PostFilterResult nominating) {
    events.record(pod, "Warning", "FailedScheduling", truncateMessage(msg), "Scheduling");
    updatePod(pod, reason, msg, nominating);
  }

  /** validation.NoteLengthLimit (1 KiB) with " ..." at the end. */
  static String truncateMessage(String message) {
    int max = 1024;
    if (message.length() <= max) {
      return message;
    }
    return message.substring(0, max - 4) + " ...";
  }

  /** updatePod: patch status only when the condition or the nomination changes. */
  private void updatePod(Pod pod, String reason, String message, PostFilterResult nominating) {
    PodCondition current = pod.getStatus() == null || pod.getStatus().getConditions() == null ? null
        : pod.getStatus().getConditions().stream().filter(c -> "PodScheduled".equals(c.getType())).findFirst()
            .orElse(null);
    boolean conditionChanged = current == null || !"False".equals(current.getStatus())
        || !reason.equals(current.getReason()) || !Objects.equals(message, current.getMessage());
    String nnn = pod.getStatus() == null ? null : pod.getStatus().getNominatedNodeName();
    String wanted = nominating == null ? null : nominating.nominatedNodeName() == null ? "" : nominating.nominatedNodeName();
    boolean nnnChanged = wanted != null && !Objects.equals(nnn == null ? "" : nnn, wanted);
    if (!conditionChanged && !nnnChanged) {
      return;
    }
    Map<String, Object> status = new LinkedHashMap<>();
    if (conditionChanged) {
      Map<String, Object> condition = new LinkedHashMap<>();
      condition.put("type", "PodScheduled");
      condition.put("status", "False");
      condition.put("reason", reason);
      condition.put("message", message);
      condition.put("lastProbeTime", null);
      condition.put("lastTransitionTime", current != null && "False".equals(current.getStatus())
          ? current.getLastTransitionTime() : KubeJson.timestamp(clock.instant()));
      status.put("conditions", List.of(condition));
    }
    if (nnnChanged) {
      status.put("nominatedNodeName", wanted.isEmpty() ? null : wanted);
    }
    Map<String, Object> patch = Map.of("status", status);
    org.slf4j.Logger logger = log;
    client.patch(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
            "application/strategic-merge-patch+json", patch)
        .whenComplete((x, err) -> {
          if (err != null) {
            logger.debug("status of {} not updated: {}", pod.getMetadata().getName(), err.toString());
          }
        });
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  static String hostname() {
    try {
      return java.net.InetAddress.getLocalHost().getHostName();
    } catch (java.io.IOException e) {
      return "kemu";
    }
  }
}
