package io.kemu.scheduler.queue;

import io.kemu.scheduler.framework.PodInfo;
import java.util.Set;
import java.util.TreeSet;

/**
 * framework.QueuedPodInfo as the queue tracks it: a pending pod — when it was (re)queued, when it was first
 * tried, how many attempts, which plugins rejected it last, whether a PreEnqueue plugin gates it.
 */
public final class QueueEntry {
  PodInfo podInfo;
  long timestampNanos;
  long initialAttemptNanos = -1;
  int attempts;
  final Set<String> unschedulablePlugins = new TreeSet<>();
  final Set<String> pendingPlugins = new TreeSet<>();
  boolean gated;
  String gatingPlugin;
  long unschedulableSinceNanos;
  long backoffExpiryNanos;
  Where where = Where.NONE;

  enum Where { NONE, ACTIVE, BACKOFF, UNSCHEDULABLE, IN_FLIGHT }

  QueueEntry(PodInfo podInfo, long now) {
    this.podInfo = podInfo;
    this.timestampNanos = now;
  }

  public PodInfo podInfo() {
    return podInfo;
  }

  public int attempts() {
    return attempts;
  }

  /** When the pod was first popped (for scheduler_pod_scheduling_sli_duration_seconds), or -1. */
  public long initialAttemptNanos() {
    return initialAttemptNanos;
  }

  public long timestampNanos() {
    return timestampNanos;
  }

  public Set<String> unschedulablePlugins() {
    return unschedulablePlugins;
  }

  public Set<String> pendingPlugins() {
    return pendingPlugins;
  }

  public String uid() {
    return podInfo.uid();
  }

  @Override
  public String toString() {
    return podInfo + " (" + where + ", attempt " + attempts + ")";
  }
}
