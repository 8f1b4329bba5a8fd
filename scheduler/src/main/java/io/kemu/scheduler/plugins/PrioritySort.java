package io.kemu.scheduler.plugins;

import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.QueuedPodInfo;

/** plugins/queuesort: higher priority first, then the pod that entered the queue first. */
public final class PrioritySort implements Plugins.QueueSortPlugin {
  public static final String NAME = "PrioritySort";

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public boolean less(QueuedPodInfo a, QueuedPodInfo b) {
    int p1 = a.podInfo().priority();
    int p2 = b.podInfo().priority();
    return p1 > p2 || (p1 == p2 && a.timestampNanos() < b.timestampNanos());
  }
}
