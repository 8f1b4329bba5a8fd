package io.kemu.api;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;

/** The table of resources kemu serves; discovery, routing, storage keys and the in-cluster client all read it. */
public final class Resources {
  private Resources() {}

  public static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", "namespace",
      false, List.of("ns"), List.of(), List.of("status", "finalize"), "/registry/namespaces", Namespace.class);
  public static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", "pod",
      true, List.of("po"), List.of("all"), List.of("status", "binding", "log"), "/registry/pods", Pod.class);
  public static final ResourceType NODES = new ResourceType("", "v1", "Node", "nodes", "node",
      false, List.of("no"), List.of(), List.of("status"), "/registry/minions", Node.class);
  public static final ResourceType EVENTS = new ResourceType("", "v1", "Event", "events", "event",
      true, List.of("ev"), List.of(), List.of(), "/registry/events", Event.class);
  public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease",
      true, List.of(), List.of(), List.of(), "/registry/leases", Lease.class);

  public static final List<ResourceType> ALL = List.of(NAMESPACES, PODS, NODES, EVENTS, LEASES);

  private static final Map<Class<?>, ResourceType> BY_CLASS =
      ALL.stream().collect(Collectors.toMap(ResourceType::type, Function.identity()));

  public static ResourceType of(Class<? extends HasMetadata> type) {
    ResourceType t = BY_CLASS.get(type);
    if (t == null) {
      throw new IllegalArgumentException("kemu does not serve " + type.getName());
    }
    return t;
  }

  public static Optional<ResourceType> find(String group, String version, String resource) {
    return ALL.stream()
        .filter(t -> t.group().equals(group) && t.version().equals(version) && t.resource().equals(resource))
        .findFirst();
  }

  public static Optional<ResourceType> findByKind(String apiVersion, String kind) {
    return ALL.stream().filter(t -> t.apiVersion().equals(apiVersion) && t.kind().equals(kind)).findFirst();
  }
}
