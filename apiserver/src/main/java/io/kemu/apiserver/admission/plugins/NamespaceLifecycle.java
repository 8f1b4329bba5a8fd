package io.kemu.apiserver.admission.plugins;

import io.fabric8.kubernetes.api.model.Namespace;
import io.kemu.api.Resources;
import io.kemu.apiserver.admission.AdmissionAttributes;
import io.kemu.apiserver.admission.AdmissionAttributes.Operation;
import io.kemu.apiserver.admission.AdmissionPlugin;
import io.kemu.apiserver.errors.ApiException;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.watchcache.CachedObject;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * plugin/pkg/admission/namespace/lifecycle: nothing is created in a namespace that does not exist or is being
 * terminated, and the system namespaces cannot be deleted.
 */
public final class NamespaceLifecycle implements AdmissionPlugin {
  public static final Set<String> IMMORTAL = Set.of("default", "kube-system", "kube-public");

  private final Registry<Namespace> namespaces;

  public NamespaceLifecycle(Registry<Namespace> namespaces) {
    this.namespaces = namespaces;
  }

  @Override
  public String name() {
    return "NamespaceLifecycle";
  }

  @Override
  public CompletionStage<Void> validate(AdmissionAttributes a) {
    if (a.operation() == Operation.DELETE && a.type() == Resources.NAMESPACES && IMMORTAL.contains(a.name())) {
      throw ApiException.forbidden("", "namespaces", a.name(), "namespaces \"" + a.name()
          + "\" is forbidden: this namespace may not be deleted");
    }
    if (!a.type().namespaced() || a.operation() != Operation.CREATE || a.namespace() == null
        || a.namespace().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    CachedObject cached = namespaces.cached(null, a.namespace());
    if (cached != null) {
      check(a, cached.tree().path("status").path("phase").asText(""));
      return CompletableFuture.completedFuture(null);
    }
    // The cache may not have seen a namespace created a moment ago: ask the store, as upstream does.
    return namespaces.get(null, a.namespace()).handle((ns, err) -> {
      if (err != null) {
        throw ApiException.notFound("", "namespaces", a.namespace());
      }
      check(a, ns.getStatus() == null ? "" : ns.getStatus().getPhase());
      return null;
    });
  }

  private static void check(AdmissionAttributes a, String phase) {
    if ("Terminating".equals(phase)) {
      String res = a.type().groupResource();
      String what = a.name() == null || a.name().isEmpty() ? res : res + " \"" + a.name() + "\"";
      throw ApiException.forbidden(a.type().group(), a.type().resource(), a.name(), what
          + " is forbidden: unable to create new content in namespace " + a.namespace()
          + " because it is being terminated");
    }
  }
}
