package io.kemu.scheduler.framework;

/**
 * framework.ClusterEvent: a change in the cluster that may make unschedulable pods schedulable — a resource and
 * an action bit mask — and framework.ClusterEventWithHint, which lets a plugin say whether one concrete change
 * helps one concrete pod (its QueueingHintFn).
 */
public record ClusterEvent(Kind resource, int actionType, String label) {
  public enum Kind { POD, NODE, NAMESPACE, SERVICE, WILDCARD }

  public static final int ADD = 1;
  public static final int DELETE = 1 << 1;
  public static final int UPDATE_NODE_ALLOCATABLE = 1 << 2;
  public static final int UPDATE_NODE_LABEL = 1 << 3;
  public static final int UPDATE_NODE_TAINT = 1 << 4;
  public static final int UPDATE_NODE_CONDITION = 1 << 5;
  public static final int UPDATE_NODE_ANNOTATION = 1 << 6;
  public static final int UPDATE_POD_LABEL = 1 << 7;
  public static final int UPDATE_POD_SCALE_DOWN = 1 << 8;
  public static final int UPDATE_POD_TOLERATIONS = 1 << 9;
  public static final int UPDATE_POD_SCHEDULING_GATES_ELIMINATED = 1 << 10;
  public static final int UPDATE = UPDATE_NODE_ALLOCATABLE | UPDATE_NODE_LABEL | UPDATE_NODE_TAINT
      | UPDATE_NODE_CONDITION | UPDATE_NODE_ANNOTATION | UPDATE_POD_LABEL | UPDATE_POD_SCALE_DOWN
      | UPDATE_POD_TOLERATIONS | UPDATE_POD_SCHEDULING_GATES_ELIMINATED;
  public static final int ALL = ADD | DELETE | UPDATE;

  // The events of pkg/scheduler/framework/events.go, with their labels (scheduler_queue_incoming_pods_total).
  public static final ClusterEvent NODE_ADD = new ClusterEvent(Kind.NODE, ADD, "NodeAdd");
  public static final ClusterEvent NODE_DELETE = new ClusterEvent(Kind.NODE, DELETE, "NodeDelete");
  public static final ClusterEvent ASSIGNED_POD_ADD = new ClusterEvent(Kind.POD, ADD, "AssignedPodAdd");
  public static final ClusterEvent ASSIGNED_POD_DELETE = new ClusterEvent(Kind.POD, DELETE, "AssignedPodDelete");
  public static final ClusterEvent UNSCHEDULABLE_TIMEOUT = new ClusterEvent(Kind.WILDCARD, ALL, "UnschedulableTimeout");
  public static final ClusterEvent FORCE_ACTIVATE = new ClusterEvent(Kind.WILDCARD, ALL, "ForceActivate");

  public static ClusterEvent of(Kind resource, int actionType) {
    return new ClusterEvent(resource, actionType, "");
  }

  /** Whether a registered interest covers an event that happened. */
  public boolean covers(ClusterEvent happened) {
    if (resource == Kind.WILDCARD) {
      return (actionType & happened.actionType) != 0;
    }
    return (resource == happened.resource || happened.resource == Kind.WILDCARD)
        && (actionType & happened.actionType) != 0;
  }

  public enum QueueingHint { QUEUE, QUEUE_SKIP }

  /** QueueingHintFn: may this change (old, new; either null for add/delete) make the pod schedulable? */
  @FunctionalInterface
  public interface HintFn {
    QueueingHint hint(PodInfo pod, Object oldObj, Object newObj);
  }

  public record WithHint(ClusterEvent event, HintFn hint) {
    public static WithHint of(Kind kind, int actionType) {
      return new WithHint(ClusterEvent.of(kind, actionType), null);
    }

    public static WithHint of(Kind kind, int actionType, HintFn hint) {
      return new WithHint(ClusterEvent.of(kind, actionType), hint);
    }
  }
}
