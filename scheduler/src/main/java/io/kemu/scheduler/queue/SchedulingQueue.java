package io.kemu.scheduler.queue;

import io.fabric8.kubernetes.api.model.Pod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.function.LongSupplier;

/**
 * kube-scheduler's PriorityQueue (pkg/scheduler/backend/queue): activeQ ordered by priority then arrival
 * (PrioritySort); podBackoffQ for pods whose last attempt failed, each waiting 1 s doubling to 10 s; and the
 * unschedulable pods, moved back when a cluster event may help them, or after 5 minutes. Not thread-safe.
 */
public final class SchedulingQueue {
  public static final class QueuedPod {
    Pod pod;
    final long initialNanos;
    long timestampNanos;
    int attempts;
    long backoffUntilNanos;

    QueuedPod(Pod pod, long now) {
      this.pod = pod;
      this.initialNanos = now;
      this.timestampNanos = now;
    }

    public Pod pod() {
      return pod;
    }

    public int attempts() {
      return attempts;
    }

    public long initialNanos() {
      return initialNanos;
    }

    int priority() {
      Integer p = pod.getSpec().getPriority();
      return p == null ? 0 : p;
    }
  }

  private enum Where { ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

  private static final Comparator<QueuedPod> PRIORITY_SORT = Comparator.comparingInt(QueuedPod::priority).reversed()
      .thenComparingLong(q -> q.timestampNanos);

  private final PriorityQueue<QueuedPod> active = new PriorityQueue<>(PRIORITY_SORT);
  private final Map<String, QueuedPod> pods = new HashMap<>();
  private final Map<String, Where> where = new HashMap<>();
  private final LongSupplier nanoClock;
  private final Duration initialBackoff;
  private final Duration maxBackoff;
  private final Duration maxUnschedulable;

  public SchedulingQueue(LongSupplier nanoClock, Duration initialBackoff, Duration maxBackoff,
                         Duration maxUnschedulable) {
    this.nanoClock = nanoClock;
    this.initialBackoff = initialBackoff;
    this.maxBackoff = maxBackoff;
    this.maxUnschedulable = maxUnschedulable;
  }

  /** A new pending pod, or a changed one: an update may make an unschedulable pod schedulable. */
  public void addOrUpdate(Pod pod) {
    String uid = pod.getMetadata().getUid();
    QueuedPod q = pods.get(uid);
    if (q == null) {
      q = new QueuedPod(pod, nanoClock.getAsLong());
      pods.put(uid, q);
      toActive(q);
      return;
    }
    q.pod = pod;
    if (where.get(uid) == Where.UNSCHEDULABLE) {
      moveBack(q);
    } else if (where.get(uid) == Where.ACTIVE) {
      active.remove(q);
      active.add(q);
    }
  }

  public void delete(String uid) {
    QueuedPod q = pods.remove(uid);
    if (q != null && where.remove(uid) == Where.ACTIVE) {
      active.remove(q);
    }
  }

  public boolean contains(String uid) {
    return pods.containsKey(uid);
  }

  /** The next pod to schedule, or null. It stays known (in flight) until done, failed or deleted. */
  public QueuedPod pop() {
    flushBackoff();
    QueuedPod q = active.poll();
    if (q != null) {
      q.attempts++;
      where.put(q.pod.getMetadata().getUid(), Where.IN_FLIGHT);
    }
    return q;
  }

  /** Scheduled and bound: the queue forgets it. */
  public void done(String uid) {
    pods.remove(uid);
    where.remove(uid);
  }

  /** No node fits: parked until an event might help (or maxUnschedulable passes). */
  public void unschedulable(QueuedPod q) {
    String uid = q.pod.getMetadata().getUid();
    if (!pods.containsKey(uid)) {
      return; // deleted meanwhile
    }
    q.timestampNanos = nanoClock.getAsLong();
    where.put(uid, Where.UNSCHEDULABLE);
  }

  /** An error (binding failed...): retried after its back-off. */
  public void backoff(QueuedPod q) {
    String uid = q.pod.getMetadata().getUid();
    if (!pods.containsKey(uid)) {
      return;
    }
    q.backoffUntilNanos = nanoClock.getAsLong() + backoffDuration(q.attempts).toNanos();
    where.put(uid, Where.BACKOFF);
  }

  /** MoveAllToActiveOrBackoffQueue: a node appeared or changed, a pod went away... */
  public void moveAllUnschedulable() {
    for (QueuedPod q : new ArrayList<>(pods.values())) {
      if (where.get(q.pod.getMetadata().getUid()) == Where.UNSCHEDULABLE) {
        moveBack(q);
      }
    }
  }

  /** Periodic: back-offs that expired, and pods unschedulable for too long. */
  public void flush() {
    flushBackoff();
    long now = nanoClock.getAsLong();
    for (QueuedPod q : new ArrayList<>(pods.values())) {
      if (where.get(q.pod.getMetadata().getUid()) == Where.UNSCHEDULABLE
          && now - q.timestampNanos >= maxUnschedulable.toNanos()) {
        moveBack(q);
      }
    }
  }

  public int activeCount() {
    flushBackoff();
    return active.size();
  }

  public Map<String, Integer> pendingByQueue() {
    Map<String, Integer> m = new HashMap<>(Map.of("active", 0, "backoff", 0, "unschedulable", 0, "gated", 0));
    where.values().forEach(w -> {
      switch (w) {
        case ACTIVE -> m.merge("active", 1, Integer::sum);
        case BACKOFF -> m.merge("backoff", 1, Integer::sum);
        case UNSCHEDULABLE -> m.merge("unschedulable", 1, Integer::sum);
        default -> {
        }
      }
    });
    return m;
  }

  /** 1 s, doubling per attempt, capped at 10 s (podInitialBackoffSeconds / podMaxBackoffSeconds). */
  public Duration backoffDuration(int attempts) {
    Duration d = initialBackoff;
    for (int i = 1; i < attempts && d.compareTo(maxBackoff) < 0; i++) {
      d = d.multipliedBy(2);
    }
    return d.compareTo(maxBackoff) > 0 ? maxBackoff : d;
  }

  private void moveBack(QueuedPod q) {
    long until = q.timestampNanos + backoffDuration(q.attempts).toNanos();
    if (until - nanoClock.getAsLong() > 0) {
      q.backoffUntilNanos = until;
      where.put(q.pod.getMetadata().getUid(), Where.BACKOFF);
    } else {
      toActive(q);
    }
  }

  private void toActive(QueuedPod q) {
    where.put(q.pod.getMetadata().getUid(), Where.ACTIVE);
    active.add(q);
  }

  private void flushBackoff() {
    long now = nanoClock.getAsLong();
    List<QueuedPod> ready = new ArrayList<>();
    for (QueuedPod q : pods.values()) {
      if (where.get(q.pod.getMetadata().getUid()) == Where.BACKOFF && now - q.backoffUntilNanos >= 0) {
        ready.add(q);
      }
    }
    ready.forEach(this::toActive);
  }
}
