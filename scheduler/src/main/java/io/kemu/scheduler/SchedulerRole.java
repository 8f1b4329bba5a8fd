package io.kemu.scheduler;

import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.plugins.NodeAffinity;
import io.kemu.scheduler.plugins.NodeName;
import io.kemu.scheduler.plugins.NodeResourcesFit;
import io.kemu.scheduler.plugins.NodeUnschedulable;
import io.kemu.scheduler.plugins.TaintToleration;
import java.util.List;
import java.util.Random;
import org.apache.pekko.actor.typed.Behavior;

/** The default profile of kube-scheduler, restricted to the plugins kemu has, with upstream's score weights. */
public final class SchedulerRole {
  private SchedulerRole() {}

  public static Framework defaultProfile(String name) {
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    NodeAffinity affinity = new NodeAffinity();
    TaintToleration taints = new TaintToleration();
    return new Framework(name, List.of(fit),
        List.of(new NodeUnschedulable(), new NodeName(), taints, affinity, fit),
        List.of(),
        List.of(new Framework.WeightedScore(taints, 3), new Framework.WeightedScore(affinity, 2),
            new Framework.WeightedScore(fit, 1)),
        new Random());
  }

  public static Behavior<Scheduler.Command> create(SchedulerSettings settings) {
    return Scheduler.create(settings, defaultProfile(settings.schedulerName()));
  }
}
