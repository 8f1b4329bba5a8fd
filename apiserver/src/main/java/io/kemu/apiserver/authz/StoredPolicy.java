package io.kemu.apiserver.authz;

import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.watchcache.CachedObject;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Supplier;

/**
 * RBAC as the stored Role, ClusterRole, RoleBinding and ClusterRoleBinding objects say, read from the watch
 * caches (kube's RBAC authorizer reads informer listers). Until the bootstrap policy has been reconciled into
 * the store, the in-memory bootstrap policy answers instead, so that components are not refused while the
 * apiserver starts.
 */
public final class StoredPolicy implements RbacAuthorizer.Policy, Supplier<RbacAuthorizer.Policy> {
  private final Registry<Role> roles;
  private final Registry<RoleBinding> roleBindings;
  private final Registry<ClusterRole> clusterRoles;
  private final Registry<ClusterRoleBinding> clusterRoleBindings;
  private final BootstrapPolicy bootstrap;
  private volatile boolean reconciled;

  public StoredPolicy(Registry<Role> roles, Registry<RoleBinding> roleBindings, Registry<ClusterRole> clusterRoles,
                      Registry<ClusterRoleBinding> clusterRoleBindings, BootstrapPolicy bootstrap) {
    this.roles = roles;
    this.roleBindings = roleBindings;
    this.clusterRoles = clusterRoles;
    this.clusterRoleBindings = clusterRoleBindings;
    this.bootstrap = bootstrap;
  }

  public void markReconciled() {
    reconciled = true;
  }

  @Override
  public RbacAuthorizer.Policy get() {
    return reconciled ? this : bootstrap;
  }

  @Override
  public Collection<ClusterRole> clusterRoles() {
    return typed(clusterRoles.cachedObjects(), ClusterRole.class);
  }

  @Override
  public Collection<ClusterRoleBinding> clusterRoleBindings() {
    return typed(clusterRoleBindings.cachedObjects(), ClusterRoleBinding.class);
  }

  @Override
  public Collection<Role> roles(String namespace) {
    return typed(roles.cachedIn(namespace), Role.class);
  }

  @Override
  public Collection<RoleBinding> roleBindings(String namespace) {
    return typed(roleBindings.cachedIn(namespace), RoleBinding.class);
  }

  @Override
  public ClusterRole clusterRole(String name) {
    CachedObject o = clusterRoles.cached(null, name);
    return o == null ? null : (ClusterRole) o.typed();
  }

  @Override
  public Role role(String namespace, String name) {
    CachedObject o = roles.cached(namespace, name);
    return o == null ? null : (Role) o.typed();
  }

  private static <T> List<T> typed(Iterable<CachedObject> objects, Class<T> type) {
    List<T> out = new ArrayList<>();
    for (CachedObject o : objects) {
      out.add(type.cast(o.typed()));
    }
    return out;
  }
}
