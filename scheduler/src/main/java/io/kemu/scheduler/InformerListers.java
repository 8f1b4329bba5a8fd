package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ReplicationController;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.kemu.api.Resources;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.Informer;
import io.kemu.api.client.ListOptions;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.scheduler.framework.Handle;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The listers plugins read, backed by informers: pods (the scheduler's own pod informer), namespaces, and the
 * objects default topology spreading and preemption look at (services, replication controllers, replica sets,
 * stateful sets, pod disruption budgets) — each only if the apiserver serves it.
 */
final class InformerListers implements Handle.Listers {
  private final ApiClient client;
  volatile Informer<Pod> pods;
  private volatile Informer<Namespace> namespaces;
  private volatile Informer<Service> services;
  private volatile Informer<ReplicationController> rcs;
  private volatile Informer<ReplicaSet> replicaSets;
  private volatile Informer<StatefulSet> statefulSets;
  private volatile Informer<PodDisruptionBudget> pdbs;

  InformerListers(ApiClient client) {
    this.client = client;
  }

  void startOptional(List<Informer<?>> started) {
    namespaces = start(Namespace.class, started);
    services = start(Service.class, started);
    rcs = start(ReplicationController.class, started);
    replicaSets = start(ReplicaSet.class, started);
    statefulSets = start(StatefulSet.class, started);
    pdbs = start(PodDisruptionBudget.class, started);
  }

  private <T extends HasMetadata> Informer<T> start(Class<T> type, List<Informer<?>> started) {
    try {
      Resources.of(type);
    } catch (IllegalArgumentException notServed) {
      return null;
    }
    Informer<T> i = new Informer<>(client, type, null, ListOptions.ALL, new Informer.Handler<>() { });
    started.add(i.start());
    return i;
  }

  @Override
  public Pod pod(String namespace, String name) {
    Informer<Pod> i = pods;
    return i == null ? null : i.get(namespace, name);
  }

  @Override
  public Map<String, String> namespaceLabels(String namespace) {
    Informer<Namespace> i = namespaces;
    Namespace ns = i == null ? null : i.get(null, namespace);
    return ns == null ? null : ns.getMetadata().getLabels();
  }

  @Override
  public Set<String> namespacesMatching(LabelSelector selector) {
    Set<String> out = new HashSet<>();
    Informer<Namespace> i = namespaces;
    if (i != null) {
      for (Namespace ns : i.list()) {
        if (selector.matches(ns.getMetadata().getLabels() == null ? Map.of() : ns.getMetadata().getLabels())) {
          out.add(ns.getMetadata().getName());
        }
      }
    }
    return out;
  }

  @Override
  public List<Service> services(String namespace) {
    Informer<Service> i = services;
    if (i == null || i.size() == 0) {
      return List.of();
    }
    List<Service> out = new ArrayList<>();
    for (Service s : i.list()) {
      if (namespace.equals(s.getMetadata().getNamespace())) {
        out.add(s);
      }
    }
    return out;
  }

  @Override
  public ReplicationController replicationController(String namespace, String name) {
    Informer<ReplicationController> i = rcs;
    return i == null ? null : i.get(namespace, name);
  }

  @Override
  public ReplicaSet replicaSet(String namespace, String name) {
    Informer<ReplicaSet> i = replicaSets;
    return i == null ? null : i.get(namespace, name);
  }

  @Override
  public StatefulSet statefulSet(String namespace, String name) {
    Informer<StatefulSet> i = statefulSets;
    return i == null ? null : i.get(namespace, name);
  }

  @Override
  public List<PodDisruptionBudget> podDisruptionBudgets() {
    Informer<PodDisruptionBudget> i = pdbs;
    return i == null ? List.of() : i.list();
  }
}
