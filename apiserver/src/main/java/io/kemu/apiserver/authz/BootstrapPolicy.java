package io.kemu.apiserver.authz;

import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRefBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The roles and bindings kube-apiserver creates at start (plugin/pkg/auth/authorizer/rbac/bootstrappolicy),
 * for the identities kemu's components and contexts use.
 */
public final class BootstrapPolicy implements RbacAuthorizer.Policy {
  static final List<String> READ = List.of("get", "list", "watch");
  static final List<String> READ_WRITE = List.of("get", "list", "watch", "create", "update", "patch", "delete",
      "deletecollection");

  public static final String VIEWERS_GROUP = "kemu:viewers";
  /** Bootstrap objects carrying this annotation get missing rules and subjects back at every apiserver start. */
  public static final String AUTOUPDATE = "rbac.authorization.kubernetes.io/autoupdate";

  private final Map<String, ClusterRole> clusterRoles;
  private final List<ClusterRoleBinding> clusterRoleBindings;

  public BootstrapPolicy() {
    this.clusterRoles = buildClusterRoles().stream()
        .collect(Collectors.toMap(r -> r.getMetadata().getName(), Function.identity()));
    this.clusterRoleBindings = buildBindings();
  }

  static PolicyRule rule(List<String> verbs, List<String> groups, String... resources) {
    return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resources).build();
  }

  static PolicyRule named(List<String> verbs, List<String> groups, String resource, String... names) {
    return new PolicyRuleBuilder().withVerbs(verbs).withApiGroups(groups).withResources(resource)
        .withResourceNames(names).build();
  }

  static PolicyRule urls(List<String> verbs, String... urls) {
    return new PolicyRuleBuilder().withVerbs(verbs).withNonResourceURLs(urls).build();
  }

  static ClusterRole clusterRole(String name, PolicyRule... rules) {
    ClusterRole r = new ClusterRole();
    r.setMetadata(new ObjectMetaBuilder().withName(name)
        .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults")
        .addToAnnotations(AUTOUPDATE, "true").build());
    r.setRules(List.of(rules));
    return r;
  }

  static ClusterRoleBinding binding(String name, String role, String subjectKind, String subject) {
    ClusterRoleBinding b = new ClusterRoleBinding();
    b.setMetadata(new ObjectMetaBuilder().withName(name)
        .addToLabels("kubernetes.io/bootstrapping", "rbac-defaults")
        .addToAnnotations(AUTOUPDATE, "true").build());
    b.setRoleRef(new RoleRefBuilder().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole")
        .withName(role).build());
    b.setSubjects(List.of(new SubjectBuilder().withKind(subjectKind).withName(subject)
        .withApiGroup("rbac.authorization.k8s.io").build()));
    return b;
  }

  private static ClusterRoleBinding withoutSubjects(ClusterRoleBinding b) {
    b.setSubjects(List.of());
    return b;
  }

  private static List<ClusterRole> buildClusterRoles() {
    List<String> core = List.of("");
    List<String> coordination = List.of("coordination.k8s.io");
    List<String> events = List.of("", "events.k8s.io");
    List<PolicyRule> view = viewRules();
    List<PolicyRule> clusterViewer = new ArrayList<>(view);
    clusterViewer.add(rule(READ, core, "nodes", "nodes/status", "namespaces/status"));
    clusterViewer.add(rule(READ, coordination, "leases"));
    clusterViewer.add(rule(READ, List.of("rbac.authorization.k8s.io"), "roles", "rolebindings", "clusterroles",
        "clusterrolebindings"));
    clusterViewer.add(urls(List.of("get"), "/metrics"));
    return List.of(
        clusterRole("cluster-admin",
            rule(List.of("*"), List.of("*"), "*"),
            urls(List.of("*"), "*")),
        clusterRole("view", view.toArray(PolicyRule[]::new)),
        clusterRole("edit", concat(view, editRules()).toArray(PolicyRule[]::new)),
        clusterRole("admin", concat(concat(view, editRules()), List.of(
            rule(READ_WRITE, List.of("rbac.authorization.k8s.io"), "roles", "rolebindings"),
            rule(List.of("create"), List.of("authorization.k8s.io"), "localsubjectaccessreviews"))).toArray(PolicyRule[]::new)),
        clusterRole("kemu:cluster-viewer", clusterViewer.toArray(PolicyRule[]::new)),
        clusterRole("system:discovery",
            urls(List.of("get"), "/api", "/api/*", "/apis", "/apis/*", "/healthz", "/livez", "/openapi",
                "/openapi/*", "/readyz", "/version", "/version/")),
        clusterRole("system:public-info-viewer",
            urls(List.of("get"), "/healthz", "/livez", "/readyz", "/version", "/version/")),
        clusterRole("system:basic-user",
            rule(List.of("create"), List.of("authorization.k8s.io"), "selfsubjectaccessreviews",
                "selfsubjectrulesreviews"),
            rule(List.of("create"), List.of("authentication.k8s.io"), "selfsubjectreviews")),
        clusterRole("system:kube-scheduler",
            rule(List.of("create", "patch", "update"), events, "events"),
            rule(List.of("create"), coordination, "leases"),
            named(List.of("get", "update"), coordination, "leases", "kube-scheduler"),
            rule(READ, core, "nodes"),
            rule(List.of("get", "list", "watch", "delete"), core, "pods"),
            rule(List.of("create"), core, "pods/binding", "bindings"),
            rule(List.of("patch", "update"), core, "pods/status"),
            rule(READ, core, "services", "replicationcontrollers", "namespaces", "persistentvolumeclaims",
                "persistentvolumes"),
            rule(READ, List.of("apps", "extensions"), "replicasets", "statefulsets"),
            rule(READ, List.of("policy"), "poddisruptionbudgets"),
            rule(List.of("create"), List.of("authentication.k8s.io"), "tokenreviews"),
            rule(List.of("create"), List.of("authorization.k8s.io"), "subjectaccessreviews")),
        clusterRole("system:node",
            rule(List.of("create"), List.of("authentication.k8s.io"), "tokenreviews"),
            rule(List.of("create"), List.of("authorization.k8s.io"), "subjectaccessreviews",
                "localsubjectaccessreviews"),
            rule(READ, core, "services"),
            rule(List.of("create", "get", "list", "watch"), core, "nodes"),
            rule(List.of("update", "patch"), core, "nodes/status"),
            rule(List.of("update", "patch"), core, "nodes"),
            rule(List.of("create", "update", "patch"), core, "events"),
            rule(READ, core, "pods"),
            rule(List.of("create", "delete"), core, "pods"),
            rule(List.of("update", "patch"), core, "pods/status"),
            rule(List.of("create"), core, "pods/eviction"),
            rule(READ, core, "secrets", "configmaps"),
            rule(List.of("get"), core, "persistentvolumeclaims", "persistentvolumes", "endpoints"),
            rule(List.of("get", "create", "update", "patch", "delete"), coordination, "leases")),
        // kube-controller-manager runs each controller under its own service account and role; kemu's runs
        // them under one identity, bound to the union of those controller roles.
        clusterRole("system:kemu:controller-manager",
            rule(List.of("create", "patch", "update"), events, "events"),
            rule(List.of("create"), coordination, "leases"),
            named(List.of("get", "update"), coordination, "leases", "kube-controller-manager"),
            // namespace-controller
            rule(List.of("get", "list", "watch", "delete", "deletecollection"), List.of("*"), "*"),
            rule(List.of("update"), core, "namespaces/finalize", "namespaces/status"),
            // node-controller
            rule(List.of("get", "list", "watch", "update", "delete", "patch"), core, "nodes"),
            rule(List.of("patch", "update"), core, "nodes/status", "pods/status"),
            rule(READ, coordination, "leases")));
  }

  /** What the aggregated edit role adds to view: writes to the namespaced workload objects, secrets included. */
  private static List<PolicyRule> editRules() {
    List<String> core = List.of("");
    return List.of(
        rule(READ_WRITE, core, "pods", "pods/attach", "pods/exec", "pods/portforward", "pods/proxy", "pods/eviction",
            "replicationcontrollers", "replicationcontrollers/scale", "services", "services/proxy", "endpoints",
            "persistentvolumeclaims", "configmaps", "secrets", "serviceaccounts", "events"),
        rule(READ, core, "secrets"),
        rule(List.of("impersonate"), core, "serviceaccounts"),
        rule(READ_WRITE, List.of("apps"), "daemonsets", "deployments", "deployments/rollback", "deployments/scale",
            "replicasets", "replicasets/scale", "statefulsets", "statefulsets/scale"),
        rule(READ_WRITE, List.of("autoscaling"), "horizontalpodautoscalers"),
        rule(READ_WRITE, List.of("batch"), "cronjobs", "jobs"),
        rule(READ_WRITE, List.of("policy"), "poddisruptionbudgets"),
        rule(READ_WRITE, List.of("networking.k8s.io"), "ingresses", "networkpolicies"),
        rule(READ_WRITE, List.of("coordination.k8s.io"), "leases"));
  }

  private static List<PolicyRule> concat(List<PolicyRule> a, List<PolicyRule> b) {
    List<PolicyRule> out = new ArrayList<>(a);
    out.addAll(b);
    return out;
  }

  /** The aggregated view role: read-only access to most namespaced objects (no secrets). */
  private static List<PolicyRule> viewRules() {
    List<String> core = List.of("");
    return List.of(
        rule(READ, core, "pods", "pods/log", "pods/status", "replicationcontrollers", "replicationcontrollers/scale",
            "replicationcontrollers/status", "services", "services/status", "endpoints", "persistentvolumeclaims",
            "persistentvolumeclaims/status", "configmaps", "serviceaccounts", "events", "limitranges",
            "resourcequotas", "resourcequotas/status", "bindings", "namespaces", "namespaces/status"),
        rule(READ, List.of("apps"), "controllerrevisions", "daemonsets", "daemonsets/status", "deployments",
            "deployments/scale", "deployments/status", "replicasets", "replicasets/scale", "replicasets/status",
            "statefulsets", "statefulsets/scale", "statefulsets/status"),
        rule(READ, List.of("autoscaling"), "horizontalpodautoscalers", "horizontalpodautoscalers/status"),
        rule(READ, List.of("batch"), "cronjobs", "cronjobs/status", "jobs", "jobs/status"),
        rule(READ, List.of("policy"), "poddisruptionbudgets", "poddisruptionbudgets/status"),
        rule(READ, List.of("networking.k8s.io"), "ingresses", "ingresses/status", "networkpolicies"),
        rule(READ, List.of("discovery.k8s.io"), "endpointslices"),
        rule(READ, List.of("events.k8s.io"), "events"));
  }

  private static List<ClusterRoleBinding> buildBindings() {
    return List.of(
        binding("cluster-admin", "cluster-admin", "Group", "system:masters"),
        binding("system:discovery", "system:discovery", "Group", "system:authenticated"),
        binding("system:basic-user", "system:basic-user", "Group", "system:authenticated"),
        binding("system:public-info-viewer", "system:public-info-viewer", "Group", "system:authenticated"),
        binding("system:public-info-viewer-unauthenticated", "system:public-info-viewer", "Group",
            "system:unauthenticated"),
        binding("system:kube-scheduler", "system:kube-scheduler", "User", "system:kube-scheduler"),
        // As kube since 1.8: system:node is bound to no one; kubelets are authorized by the Node authorizer.
        withoutSubjects(binding("system:node", "system:node", "Group", "system:nodes")),
        binding("system:kemu:controller-manager", "system:kemu:controller-manager", "User",
            "system:kube-controller-manager"),
        binding("kemu:viewers", "kemu:cluster-viewer", "Group", VIEWERS_GROUP));
  }

  @Override
  public Collection<ClusterRole> clusterRoles() {
    return clusterRoles.values();
  }

  @Override
  public Collection<ClusterRoleBinding> clusterRoleBindings() {
    return clusterRoleBindings;
  }

  @Override
  public Collection<Role> roles(String namespace) {
    return List.of();
  }

  @Override
  public Collection<RoleBinding> roleBindings(String namespace) {
    return List.of();
  }

  @Override
  public ClusterRole clusterRole(String name) {
    return clusterRoles.get(name);
  }

  @Override
  public Role role(String namespace, String name) {
    return null;
  }
}
