package io.kemu.apiserver.authz;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.RequestContext;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.BiFunction;

/**
 * kube-apiserver's bootstrap policy reconciliation (pkg/registry/rbac/rest/storage_rbac.go, reconciliation
 * package): every bootstrap ClusterRole and ClusterRoleBinding exists; one whose autoupdate annotation is still
 * "true" gets back the rules or subjects it lost. Additions made by users are kept.
 */
public final class PolicyReconciler {
  private PolicyReconciler() {}

  public static CompletionStage<Void> reconcile(BootstrapPolicy policy, Registry<ClusterRole> roles,
                                                Registry<ClusterRoleBinding> bindings, RequestContext rc) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (ClusterRole wanted : policy.clusterRoles()) {
      chain = chain.thenCompose(x -> ensure(roles, wanted, rc, (live, w) -> {
        List<PolicyRule> rules = new ArrayList<>(live.getRules() == null ? List.of() : live.getRules());
        boolean changed = false;
        for (PolicyRule r : w.getRules()) {
          if (!rules.contains(r)) {
            rules.add(r);
            changed = true;
          }
        }
        live.setRules(rules);
        return changed;
      }));
    }
    for (ClusterRoleBinding wanted : policy.clusterRoleBindings()) {
      chain = chain.thenCompose(x -> ensure(bindings, wanted, rc, (live, w) -> {
        List<Subject> subjects = new ArrayList<>(live.getSubjects() == null ? List.of() : live.getSubjects());
        boolean changed = false;
        for (Subject s : w.getSubjects()) {
          if (!subjects.contains(s)) {
            subjects.add(s);
            changed = true;
          }
        }
        live.setSubjects(subjects);
        return changed;
      }));
    }
    return chain;
  }

  /** Creates the object, or completes the live one when it is still meant to be auto-updated. */
  private static <T extends HasMetadata> CompletionStage<Void> ensure(Registry<T> registry, T wanted,
                                                                    RequestContext rc, BiFunction<T, T, Boolean> merge) {
    String name = wanted.getMetadata().getName();
    return registry.create(rc, io.kemu.api.KubeJson.copy(wanted)).handle((created, err) -> {
      Throwable cause = err == null ? null : Registry.unwrap(err);
      if (cause == null) {
        return CompletableFuture.<Void>completedFuture(null);
      }
      if (!(cause instanceof ApiException api && api.code() == 409)) {
        return CompletableFuture.<Void>failedFuture(cause);
      }
      return registry.get(null, name).thenCompose(live -> {
        var ann = live.getMetadata().getAnnotations();
        if (ann != null && "false".equals(ann.get(BootstrapPolicy.AUTOUPDATE))) {
          return CompletableFuture.completedFuture(null);
        }
        T copy = io.kemu.api.KubeJson.copy(live);
        if (!merge.apply(copy, wanted)) {
          return CompletableFuture.completedFuture(null);
        }
        return registry.update(rc, null, name, null, old -> copy).thenApply(u -> (Void) null);
      });
    }).thenCompose(x -> x);
  }
}
