package io.kemu.scheduler.queue;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.framework.ClusterEvent;
import io.kemu.scheduler.framework.ClusterEvent.QueueingHint;
import io.kemu.scheduler.framework.Handle;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Plugins.QueuedPodInfo;
import io.kemu.scheduler.framework.Status;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.PriorityQueue;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue): activeQ ordered by the profile's QueueSort
 * (priority, then arrival); podBackoffQ for pods waiting out their back-off (1 s doubling to 10 s); and the
 * unschedulable pods, moved back when a cluster event that one of the plugins which rejected them registered may
 * help (its QueueingHint says Queue), or after 5 minutes. Also the nominator: pods nominated to nodes by
 * preemption. Owned by one actor; not thread-safe except {@link #nominatedPodsForNode}, read during a cycle.
 */
public final class SchedulingQueue implements Handle.Nominator {
  /** What the queue needs per profile: PreEnqueue, QueueSort and the plugins' registered events. */
  public interface ProfileHooks {
    Status preEnqueue(Pod pod);

    boolean less(QueuedPodInfo a, QueuedPodInfo b);

    Map<String, List<ClusterEvent.WithHint>> eventsToRegister();
  }

  /** Counts for scheduler_queue_incoming_pods_total{queue, event}. */
  public interface IncomingListener {
    void incoming(String queue, String event);
  }

  private final LongSupplier nanoClock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxInUnschedulable;
  private final Function<String, ProfileHooks> profiles;
  private final IncomingListener incoming;

  private final Map<String, QueueEntry> pods = new HashMap<>();
  private final PriorityQueue<QueueEntry> activeQ;
  private final PriorityQueue<QueueEntry> backoffQ = new PriorityQueue<>(
      Comparator.comparingLong(q -> q.backoffExpiryNanos));
  private final Map<String, QueueEntry> unschedulable = new LinkedHashMap<>();
  private int gatedCount;

  // the nominator (nominatedPods / nominatedPodToNode), read from the cycle's filter threads
  private final Map<String, List<PodInfo>> nominatedPods = new java.util.concurrent.ConcurrentHashMap<>();
  private final Map<String, String> nominatedPodToNode = new HashMap<>();

  public SchedulingQueue(LongSupplier nanoClock, Duration initialBackoff, Duration maxBackoff,
                         Duration maxInUnschedulable, Function<String, ProfileHooks> profiles,
                         IncomingListener incoming) {
    this.nanoClock = nanoClock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxInUnschedulable = maxInUnschedulable;
    this.profiles = profiles;
    this.incoming = incoming == null ? (q, e) -> { } : incoming;
    this.activeQ = new PriorityQueue<>((a, b) -> {
      ProfileHooks h = hooks(a.podInfo.pod());
      QueuedPodInfo x = view(a);
      QueuedPodInfo y = view(b);
      if (h.less(x, y)) {
        return -1;
      }
      return h.less(y, x) ? 1 : 0;
    });
  }

  private static QueuedPodInfo view(QueueEntry q) {
    return new QueuedPodInfo(q.podInfo, q.timestampNanos, q.attempts);
  }

  private ProfileHooks hooks(Pod pod) {
    return profiles.apply(pod.getSpec().getSchedulerName());
  }

  // ---- adding, updating, deleting pending pods

  /** Add: a new pending pod: activeQ, or unschedulable (gated) if a PreEnqueue plugin says no. */
  public void add(PodInfo podInfo) {
    String uid = podInfo.uid();
    if (pods.containsKey(uid)) {
      update(podInfo);
      return;
    }
    QueueEntry q = new QueueEntry(podInfo, nanoClock.getAsLong());
    pods.put(uid, q);
    moveToActiveQ(q, "PodAdd");
  }

  /** moveToActiveQ: runs PreEnqueue; a gated pod waits with the unschedulable ones. */
  private void moveToActiveQ(QueueEntry q, String event) {
    Status s = hooks(q.podInfo.pod()).preEnqueue(q.podInfo.pod());
    remove(q);
    if (!Status.isSuccess(s)) {
      q.gated = true;
      q.gatingPlugin = s.plugin();
      q.unschedulableSinceNanos = nanoClock.getAsLong();
      q.where = QueueEntry.Where.UNSCHEDULABLE;
      unschedulable.put(q.uid(), q);
      gatedCount++;
      return;
    }
    q.gated = false;
    q.gatingPlugin = null;
    q.where = QueueEntry.Where.ACTIVE;
    activeQ.add(q);
    incoming.incoming("active", event);
  }

  private void moveToBackoffQ(QueueEntry q, String event) {
    remove(q);
    q.backoffExpiryNanos = backoffTime(q);
    q.where = QueueEntry.Where.BACKOFF;
    backoffQ.add(q);
    incoming.incoming("backoff", event);
  }

  private void remove(QueueEntry q) {
    switch (q.where) {
      case ACTIVE -> activeQ.remove(q);
      case BACKOFF -> backoffQ.remove(q);
      case UNSCHEDULABLE -> {
        unschedulable.remove(q.uid());
        if (q.gated) {
          gatedCount--;
        }
      }
      default -> {
      }
    }
    q.where = QueueEntry.Where.NONE;
  }

  /** Update: the newest object wins; an unschedulable pod whose spec or metadata changed is tried again. */
  public void update(PodInfo newInfo) {
    QueueEntry q = pods.get(newInfo.uid());
    if (q == null) {
      add(newInfo);
      return;
    }
    Pod oldPod = q.podInfo.pod();
    q.podInfo = newInfo;
    updateNominatedPod(oldPod, newInfo);
    switch (q.where) {
      case ACTIVE -> {
        activeQ.remove(q);
        activeQ.add(q);
      }
      case BACKOFF -> {
        backoffQ.remove(q);
        backoffQ.add(q);
      }
      case UNSCHEDULABLE -> {
        if (q.gated) {
          if (Status.isSuccess(hooks(newInfo.pod()).preEnqueue(newInfo.pod()))) {
            moveToActiveQ(q, "UnscheduledPodUpdate");
          }
        } else if (isPodUpdated(oldPod, newInfo.pod())) {
          requeue(q, isPodBackingOff(q), "UnscheduledPodUpdate");
        }
      }
      default -> {
      }
    }
  }

  /** isPodUpdated: a change outside status, resourceVersion, generation, managedFields and finalizers. */
  static boolean isPodUpdated(Pod oldPod, Pod newPod) {
    if (!Objects.equals(oldPod.getSpec(), newPod.getSpec())) {
      return true;
    }
    ObjectMeta a = oldPod.getMetadata();
    ObjectMeta b = newPod.getMetadata();
    return !Objects.equals(a.getLabels(), b.getLabels()) || !Objects.equals(a.getAnnotations(), b.getAnnotations())
        || !Objects.equals(a.getOwnerReferences(), b.getOwnerReferences())
        || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }

  public void delete(String uid) {
    QueueEntry q = pods.remove(uid);
    if (q != null) {
      remove(q);
    }
    deleteNominatedPodIfExists(uid);
  }

  public boolean contains(String uid) {
    return pods.containsKey(uid);
  }

  /** The pod object the queue holds (the newest it was given). */
  public PodInfo podInfo(String uid) {
    QueueEntry q = pods.get(uid);
    return q == null ? null : q.podInfo;
  }

  // ---- the scheduling loop

  /** Pop: the next pod to schedule, or null. It stays known (in flight) until done, unschedulable or deleted. */
  public QueueEntry pop() {
    flushBackoffQCompleted();
    QueueEntry q = activeQ.poll();
    if (q == null) {
      return null;
    }
    q.attempts++;
    if (q.initialAttemptNanos < 0) {
      q.initialAttemptNanos = nanoClock.getAsLong();
    }
    q.where = QueueEntry.Where.IN_FLIGHT;
    return q;
  }

  /** Done: scheduled (assumed); the queue forgets the pod. */
  public void done(String uid) {
    QueueEntry q = pods.get(uid);
    if (q != null && q.where == QueueEntry.Where.IN_FLIGHT) {
      pods.remove(uid);
      q.where = QueueEntry.Where.NONE;
    }
  }

  /**
   * AddUnschedulableIfNotPresent: after a failed attempt. Rejected by plugins: parked until an event they
   * registered may help; failed with an error (no rejecting plugin): back-off.
   */
  public void addUnschedulableIfNotPresent(QueueEntry q, java.util.Set<String> unschedulablePlugins,
                                           java.util.Set<String> pendingPlugins) {
    if (pods.get(q.uid()) != q) {
      return; // deleted meanwhile
    }
    q.timestampNanos = nanoClock.getAsLong();
    q.unschedulablePlugins.clear();
    q.pendingPlugins.clear();
    if (unschedulablePlugins != null) {
      q.unschedulablePlugins.addAll(unschedulablePlugins);
    }
    if (pendingPlugins != null) {
      q.pendingPlugins.addAll(pendingPlugins);
    }
    if (q.unschedulablePlugins.isEmpty() && q.pendingPlugins.isEmpty()) {
      moveToBackoffQ(q, "ScheduleAttemptFailure");
      return;
    }
    q.where = QueueEntry.Where.UNSCHEDULABLE;
    q.unschedulableSinceNanos = q.timestampNanos;
    unschedulable.put(q.uid(), q);
    incoming.incoming("unschedulable", "ScheduleAttemptFailure");
  }

  /** A pod whose binding failed: back to the back-off queue (handleBindingCycleError). */
  public void requeueAfterError(PodInfo podInfo, int attempts, long initialAttemptNanos) {
    QueueEntry q = pods.get(podInfo.uid());
    if (q == null) {
      q = new QueueEntry(podInfo, nanoClock.getAsLong());
      q.attempts = attempts;
      q.initialAttemptNanos = initialAttemptNanos;
      pods.put(podInfo.uid(), q);
    }
    q.timestampNanos = nanoClock.getAsLong();
    moveToBackoffQ(q, "BindingFailure");
  }

  /**
   * MoveAllToActiveOrBackoffQueue: for each unschedulable pod, ask the hints of the plugins that rejected it;
   * those that may now fit go to activeQ (or backoffQ while backing off).
   */
  public int moveAllToActiveOrBackoffQueue(ClusterEvent event, Object oldObj, Object newObj,
                                           java.util.function.Predicate<PodInfo> preCheck) {
    if (unschedulable.isEmpty()) {
      return 0;
    }
    int moved = 0;
    for (QueueEntry q : new ArrayList<>(unschedulable.values())) {
      if (q.gated) {
        continue;
      }
      if (preCheck != null && !preCheck.test(q.podInfo)) {
        continue;
      }
      Strategy s = isPodWorthRequeuing(q, event, oldObj, newObj);
      if (s == Strategy.SKIP) {
        continue;
      }
      requeue(q, s == Strategy.AFTER_BACKOFF && isPodBackingOff(q), event.label());
      moved++;
    }
    return moved;
  }

  private enum Strategy { SKIP, AFTER_BACKOFF, IMMEDIATELY }

  private Strategy isPodWorthRequeuing(QueueEntry q, ClusterEvent event, Object oldObj,
                                       Object newObj) {
    if (q.unschedulablePlugins.isEmpty() && q.pendingPlugins.isEmpty()) {
      return Strategy.AFTER_BACKOFF;
    }
    if (event.resource() == ClusterEvent.Kind.WILDCARD) {
      return Strategy.AFTER_BACKOFF;
    }
    Strategy strategy = Strategy.SKIP;
    Map<String, List<ClusterEvent.WithHint>> registered = hooks(q.podInfo.pod()).eventsToRegister();
    for (String plugin : q.unschedulablePlugins) {
      strategy = max(strategy, hint(registered.get(plugin), q, event, oldObj, newObj, false));
      if (strategy == Strategy.AFTER_BACKOFF && q.pendingPlugins.isEmpty()) {
        return strategy;
      }
    }
    for (String plugin : q.pendingPlugins) {
      if (hint(registered.get(plugin), q, event, oldObj, newObj, true) == Strategy.IMMEDIATELY) {
        return Strategy.IMMEDIATELY;
      }
    }
    return strategy;
  }

  private static Strategy max(Strategy a, Strategy b) {
    return a.ordinal() >= b.ordinal() ? a : b;
  }

  private static Strategy hint(List<ClusterEvent.WithHint> hints, QueueEntry q,
                               ClusterEvent event, Object oldObj, Object newObj, boolean pending) {
    if (hints == null) {
      return Strategy.SKIP;
    }
    for (ClusterEvent.WithHint h : hints) {
      if (!h.event().covers(event)) {
        continue;
      }
      QueueingHint qh;
      try {
        qh = h.hint() == null ? QueueingHint.QUEUE : h.hint().hint(q.podInfo, oldObj, newObj);
      } catch (RuntimeException e) {
        qh = QueueingHint.QUEUE;
      }
      if (qh == QueueingHint.QUEUE) {
        return pending ? Strategy.IMMEDIATELY : Strategy.AFTER_BACKOFF;
      }
    }
    return Strategy.SKIP;
  }

  private void requeue(QueueEntry q, boolean toBackoff, String event) {
    if (toBackoff) {
      moveToBackoffQ(q, event);
    } else {
      moveToActiveQ(q, event);
    }
  }

  /** Periodic (every second): back-offs that expired go to activeQ. */
  public void flushBackoffQCompleted() {
    long now = nanoClock.getAsLong();
    while (!backoffQ.isEmpty() && backoffQ.peek().backoffExpiryNanos - now <= 0) {
      QueueEntry q = backoffQ.poll();
      q.where = QueueEntry.Where.NONE;
      moveToActiveQ(q, "BackoffComplete");
    }
  }

  /** Periodic (every 30 s): pods unschedulable for longer than podMaxInUnschedulablePodsDuration are retried. */
  public void flushUnschedulablePodsLeftover() {
    long now = nanoClock.getAsLong();
    for (QueueEntry q : new ArrayList<>(unschedulable.values())) {
      if (!q.gated && now - q.unschedulableSinceNanos > maxInUnschedulable.toNanos()) {
        requeue(q, isPodBackingOff(q), ClusterEvent.UNSCHEDULABLE_TIMEOUT.label());
      }
    }
  }

  public boolean hasActive() {
    flushBackoffQCompleted();
    return !activeQ.isEmpty();
  }

  public int activeCount() {
    return activeQ.size();
  }

  /** scheduler_pending_pods by queue. */
  public Map<String, Integer> pendingByQueue() {
    Map<String, Integer> m = new LinkedHashMap<>();
    m.put("active", activeQ.size());
    m.put("backoff", backoffQ.size());
    m.put("unschedulable", unschedulable.size() - gatedCount);
    m.put("gated", gatedCount);
    return m;
  }

  /** calculateBackoffDuration: 1 s, doubling per attempt, capped at 10 s. */
  public Duration backoffDuration(int attempts) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempts; i++) {
      if (d.compareTo(maxBackoff.minus(d)) > 0) {
        return maxBackoff;
      }
      d = d.plus(d);
    }
    return d;
  }

  private long backoffTime(QueueEntry q) {
    return q.timestampNanos + backoffDuration(q.attempts).toNanos();
  }

  private boolean isPodBackingOff(QueueEntry q) {
    if (q.gated) {
      return false;
    }
    return backoffTime(q) - nanoClock.getAsLong() > 0;
  }

  // ---- nominator

  /** AddNominatedPod: remembers (or, with an empty node, forgets) where preemption nominated the pod. */
  public void addNominatedPod(PodInfo pi, String nodeName) {
    deleteNominatedPodIfExists(pi.uid());
    String node = nodeName;
    if (node == null || node.isEmpty()) {
      node = pi.pod().getStatus() == null ? null : pi.pod().getStatus().getNominatedNodeName();
    }
    if (node == null || node.isEmpty()) {
      return;
    }
    nominatedPodToNode.put(pi.uid(), node);
    List<PodInfo> list = new ArrayList<>(nominatedPods.getOrDefault(node, List.of()));
    list.add(pi);
    nominatedPods.put(node, List.copyOf(list));
  }

  public void deleteNominatedPodIfExists(String uid) {
    String node = nominatedPodToNode.remove(uid);
    if (node == null) {
      return;
    }
    List<PodInfo> list = new ArrayList<>(nominatedPods.getOrDefault(node, List.of()));
    list.removeIf(p -> p.uid().equals(uid));
    if (list.isEmpty()) {
      nominatedPods.remove(node);
    } else {
      nominatedPods.put(node, List.copyOf(list));
    }
  }

  /** UpdateNominatedPod: a nominated pod's newest object; a nomination cleared in its status is forgotten. */
  private void updateNominatedPod(Pod oldPod, PodInfo newInfo) {
    String uid = newInfo.uid();
    String current = nominatedPodToNode.get(uid);
    String statusNode = newInfo.pod().getStatus() == null ? null : newInfo.pod().getStatus().getNominatedNodeName();
    if (current == null && (statusNode == null || statusNode.isEmpty())) {
      return;
    }
    String oldStatusNode = oldPod.getStatus() == null ? null : oldPod.getStatus().getNominatedNodeName();
    if (current != null && (statusNode == null || statusNode.isEmpty()) && oldStatusNode != null
        && !oldStatusNode.isEmpty()) {
      deleteNominatedPodIfExists(uid);
      return;
    }
    addNominatedPod(newInfo, statusNode != null && !statusNode.isEmpty() ? statusNode : current);
  }

  @Override
  public List<PodInfo> nominatedPodsForNode(String nodeName) {
    if (nominatedPodToNode.isEmpty()) {
      return List.of(); // the common case, asked once per node per cycle
    }
    List<PodInfo> l = nominatedPods.get(nodeName);
    return l == null ? List.of() : l;
  }

  public String nominatedNodeOf(String uid) {
    return nominatedPodToNode.get(uid);
  }

  /** For tests: where the queue keeps a pod. */
  String whereIs(String uid) {
    QueueEntry q = pods.get(uid);
    return q == null ? "none" : q.where.name().toLowerCase();
  }
}
