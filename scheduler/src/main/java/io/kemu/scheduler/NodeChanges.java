package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.kemu.scheduler.framework.ClusterEvent;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * nodeSchedulingPropertiesChange (eventhandlers.go): which cluster events a node update is — unschedulable flag,
 * allocatable, labels, taints, condition statuses, annotations. A heartbeat that only moves timestamps is none.
 */
final class NodeChanges {
  private NodeChanges() {}

  static final ClusterEvent NODE_SPEC_UNSCHEDULABLE_CHANGE = new ClusterEvent(ClusterEvent.Kind.NODE,
      ClusterEvent.UPDATE_NODE_TAINT, "NodeSpecUnschedulableChange");
  static final ClusterEvent NODE_ALLOCATABLE_CHANGE = new ClusterEvent(ClusterEvent.Kind.NODE,
      ClusterEvent.UPDATE_NODE_ALLOCATABLE, "NodeAllocatableChange");
  static final ClusterEvent NODE_LABEL_CHANGE = new ClusterEvent(ClusterEvent.Kind.NODE,
      ClusterEvent.UPDATE_NODE_LABEL, "NodeLabelChange");
  static final ClusterEvent NODE_TAINT_CHANGE = new ClusterEvent(ClusterEvent.Kind.NODE,
      ClusterEvent.UPDATE_NODE_TAINT, "NodeTaintChange");
  static final ClusterEvent NODE_CONDITION_CHANGE = new ClusterEvent(ClusterEvent.Kind.NODE,
      ClusterEvent.UPDATE_NODE_CONDITION, "NodeConditionChange");
  static final ClusterEvent NODE_ANNOTATION_CHANGE = new ClusterEvent(ClusterEvent.Kind.NODE,
      ClusterEvent.UPDATE_NODE_ANNOTATION, "NodeAnnotationChange");

  static List<ClusterEvent> schedulingPropertiesChange(Node oldNode, Node newNode) {
    List<ClusterEvent> events = new ArrayList<>(2);
    if (!Objects.equals(unschedulable(oldNode), unschedulable(newNode))) {
      events.add(NODE_SPEC_UNSCHEDULABLE_CHANGE);
    }
    if (!Objects.equals(allocatable(oldNode), allocatable(newNode))) {
      events.add(NODE_ALLOCATABLE_CHANGE);
    }
    if (!Objects.equals(oldNode.getMetadata().getLabels(), newNode.getMetadata().getLabels())) {
      events.add(NODE_LABEL_CHANGE);
    }
    if (!Objects.equals(taints(oldNode), taints(newNode))) {
      events.add(NODE_TAINT_CHANGE);
    }
    if (!conditionStatuses(oldNode).equals(conditionStatuses(newNode))) {
      events.add(NODE_CONDITION_CHANGE);
    }
    if (!Objects.equals(oldNode.getMetadata().getAnnotations(), newNode.getMetadata().getAnnotations())) {
      events.add(NODE_ANNOTATION_CHANGE);
    }
    return events;
  }

  private static Object unschedulable(Node n) {
    return n.getSpec() == null ? Boolean.FALSE : Boolean.TRUE.equals(n.getSpec().getUnschedulable());
  }

  private static Object allocatable(Node n) {
    return n.getStatus() == null ? null : n.getStatus().getAllocatable();
  }

  private static Object taints(Node n) {
    return n.getSpec() == null || n.getSpec().getTaints() == null ? List.of() : n.getSpec().getTaints();
  }

  private static Map<String, String> conditionStatuses(Node n) {
    Map<String, String> m = new HashMap<>();
    if (n.getStatus() != null && n.getStatus().getConditions() != null) {
      for (NodeCondition c : n.getStatus().getConditions()) {
        m.put(c.getType(), c.getStatus());
      }
    }
    return m;
  }
}
