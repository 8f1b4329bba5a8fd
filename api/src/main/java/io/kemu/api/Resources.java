package io.kemu.api;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceAccount;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
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

  // core/v1
  public static final ResourceType NAMESPACES = new ResourceType("", "v1", "Namespace", "namespaces", "namespace",
      false, List.of("ns"), List.of(), List.of("status", "finalize"), "/registry/namespaces", Namespace.class);
  public static final ResourceType PODS = new ResourceType("", "v1", "Pod", "pods", "pod",
      true, List.of("po"), List.of("all"), List.of("status", "binding", "log", "eviction"), "/registry/pods", Pod.class);
  public static final ResourceType NODES = new ResourceType("", "v1", "Node", "nodes", "node",
      false, List.of("no"), List.of(), List.of("status"), "/registry/minions", Node.class);
  public static final ResourceType EVENTS = new ResourceType("", "v1", "Event", "events", "event",
      true, List.of("ev"), List.of(), List.of(), "/registry/events", Event.class);
  public static final ResourceType SERVICES = new ResourceType("", "v1", "Service", "services", "service",
      true, List.of("svc"), List.of("all"), List.of("status"), "/registry/services/specs", Service.class);
  public static final ResourceType ENDPOINTS = new ResourceType("", "v1", "Endpoints", "endpoints", "endpoints",
      true, List.of("ep"), List.of(), List.of(), "/registry/services/endpoints", Endpoints.class);
  public static final ResourceType CONFIGMAPS = new ResourceType("", "v1", "ConfigMap", "configmaps", "configmap",
      true, List.of("cm"), List.of(), List.of(), "/registry/configmaps", ConfigMap.class);
  public static final ResourceType SECRETS = new ResourceType("", "v1", "Secret", "secrets", "secret",
      true, List.of(), List.of(), List.of(), "/registry/secrets", Secret.class);
  public static final ResourceType SERVICE_ACCOUNTS = new ResourceType("", "v1", "ServiceAccount", "serviceaccounts",
      "serviceaccount", true, List.of("sa"), List.of(), List.of("token"), "/registry/serviceaccounts", ServiceAccount.class);
  public static final ResourceType LIMIT_RANGES = new ResourceType("", "v1", "LimitRange", "limitranges", "limitrange",
      true, List.of("limits"), List.of(), List.of(), "/registry/limitranges", LimitRange.class);
  public static final ResourceType RESOURCE_QUOTAS = new ResourceType("", "v1", "ResourceQuota", "resourcequotas",
      "resourcequota", true, List.of("quota"), List.of(), List.of("status"), "/registry/resourcequotas",
      ResourceQuota.class);
  /** Stored as core Events (same etcd prefix), served in the events.k8s.io shape. */
  public static final ResourceType EVENTS_V1 = new ResourceType("events.k8s.io", "v1", "Event", "events", "event",
      true, List.of(), List.of(), List.of(), "/registry/events", io.fabric8.kubernetes.api.model.events.v1.Event.class);
  // apps/v1
  public static final ResourceType DEPLOYMENTS = new ResourceType("apps", "v1", "Deployment", "deployments",
      "deployment", true, List.of("deploy"), List.of("all"), List.of("status", "scale"), "/registry/deployments",
      Deployment.class);
  public static final ResourceType REPLICA_SETS = new ResourceType("apps", "v1", "ReplicaSet", "replicasets",
      "replicaset", true, List.of("rs"), List.of("all"), List.of("status", "scale"), "/registry/replicasets",
      ReplicaSet.class);
  // batch/v1
  public static final ResourceType JOBS = new ResourceType("batch", "v1", "Job", "jobs", "job",
      true, List.of(), List.of("all"), List.of("status"), "/registry/jobs", Job.class);
  // coordination.k8s.io/v1
  public static final ResourceType LEASES = new ResourceType("coordination.k8s.io", "v1", "Lease", "leases", "lease",
      true, List.of(), List.of(), List.of(), "/registry/leases", Lease.class);
  // rbac.authorization.k8s.io/v1
  public static final ResourceType ROLES = new ResourceType("rbac.authorization.k8s.io", "v1", "Role", "roles", "role",
      true, List.of(), List.of(), List.of(), "/registry/roles", Role.class);
  public static final ResourceType ROLE_BINDINGS = new ResourceType("rbac.authorization.k8s.io", "v1", "RoleBinding",
      "rolebindings", "rolebinding", true, List.of(), List.of(), List.of(), "/registry/rolebindings", RoleBinding.class);
  public static final ResourceType CLUSTER_ROLES = new ResourceType("rbac.authorization.k8s.io", "v1", "ClusterRole",
      "clusterroles", "clusterrole", false, List.of(), List.of(), List.of(), "/registry/clusterroles", ClusterRole.class);
  public static final ResourceType CLUSTER_ROLE_BINDINGS = new ResourceType("rbac.authorization.k8s.io", "v1",
      "ClusterRoleBinding", "clusterrolebindings", "clusterrolebinding", false, List.of(), List.of(), List.of(),
      "/registry/clusterrolebindings", ClusterRoleBinding.class);
  // scheduling.k8s.io/v1
  public static final ResourceType PRIORITY_CLASSES = new ResourceType("scheduling.k8s.io", "v1", "PriorityClass",
      "priorityclasses", "priorityclass", false, List.of("pc"), List.of(), List.of(), "/registry/priorityclasses",
      PriorityClass.class);
  // discovery.k8s.io/v1
  public static final ResourceType ENDPOINT_SLICES = new ResourceType("discovery.k8s.io", "v1", "EndpointSlice",
      "endpointslices", "endpointslice", true, List.of(), List.of(), List.of(), "/registry/endpointslices",
      EndpointSlice.class);
  // policy/v1
  public static final ResourceType POD_DISRUPTION_BUDGETS = new ResourceType("policy", "v1", "PodDisruptionBudget",
      "poddisruptionbudgets", "poddisruptionbudget", true, List.of("pdb"), List.of(), List.of("status"),
      "/registry/poddisruptionbudgets", PodDisruptionBudget.class);

  public static final List<ResourceType> ALL = List.of(NAMESPACES, PODS, NODES, EVENTS, SERVICES, ENDPOINTS, CONFIGMAPS,
      SECRETS, SERVICE_ACCOUNTS, LIMIT_RANGES, RESOURCE_QUOTAS, DEPLOYMENTS, REPLICA_SETS, JOBS, LEASES, ROLES,
      ROLE_BINDINGS, CLUSTER_ROLES, CLUSTER_ROLE_BINDINGS, PRIORITY_CLASSES, ENDPOINT_SLICES, POD_DISRUPTION_BUDGETS,
      EVENTS_V1);

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
