package io.kemu.scheduler.framework;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kemu.api.selectors.LabelSelector;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletionStage;

/**
 * framework.Handle: what plugins may use besides their arguments — the cycle's snapshot, the informers' objects,
 * the nominated pods, the parallelizer, and the API calls of preemption and binding.
 */
public interface Handle {
  Snapshot snapshot();

  Listers listers();

  Nominator nominator();

  Parallelizer parallelizer();

  ApiActions api();

  /** The profile's filter run with nominated pods (preemption's dry runs use it). */
  Status runFilterPluginsWithNominatedPods(CycleState state, PodInfo pod, NodeInfo node);

  Status runPreFilterExtensionAddPod(CycleState state, PodInfo podToSchedule, PodInfo podToAdd, NodeInfo node);

  Status runPreFilterExtensionRemovePod(CycleState state, PodInfo podToSchedule, PodInfo podToRemove, NodeInfo node);

  /** Informer caches (listers) of the objects some plugins read. Missing resources read as empty. */
  interface Listers {
    Pod pod(String namespace, String name);

    Map<String, String> namespaceLabels(String namespace);

    Set<String> namespacesMatching(LabelSelector selector);

    List<Service> services(String namespace);

    ReplicationController replicationController(String namespace, String name);

    ReplicaSet replicaSet(String namespace, String name);

    StatefulSet statefulSet(String namespace, String name);

    List<PodDisruptionBudget> podDisruptionBudgets();

    Listers EMPTY = new Listers() {
      public Pod pod(String namespace, String name) {
        return null;
      }

      public Map<String, String> namespaceLabels(String namespace) {
        return null;
      }

      public Set<String> namespacesMatching(LabelSelector selector) {
        return Set.of();
      }

      public List<Service> services(String namespace) {
        return List.of();
      }

      public ReplicationController replicationController(String namespace, String name) {
        return null;
      }

      public ReplicaSet replicaSet(String namespace, String name) {
        return null;
      }

      public StatefulSet statefulSet(String namespace, String name) {
        return null;
      }

      public List<PodDisruptionBudget> podDisruptionBudgets() {
        return List.of();
      }
    };
  }

  /** framework.PodNominator, read side: pods nominated to a node by preemption, waiting for victims to go. */
  interface Nominator {
    List<PodInfo> nominatedPodsForNode(String nodeName);

    Nominator NONE = node -> List.of();
  }

  /** The API calls plugins make (all asynchronous; the scheduling cycle never waits for them). */
  interface ApiActions {
    CompletionStage<Void> bind(Pod pod, String nodeName);

    /** Preemption: DisruptionTarget condition, then delete. */
    CompletionStage<Void> preemptVictim(Pod victim, Pod preemptor, String nodeName);

    /** util.ClearNominatedNodeName for lower-priority pods nominated to a node the preemptor takes. */
    CompletionStage<Void> clearNominatedNodeName(Pod pod);
  }
}
