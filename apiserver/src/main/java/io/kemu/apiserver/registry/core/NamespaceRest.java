package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceStatus;
import io.kemu.api.KubeJson;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.Registry.DeleteResult;
import io.kemu.apiserver.registry.RequestContext;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Namespace deletion (pkg/registry/core/namespace/storage): a namespace with spec.finalizers becomes
 * Terminating; the namespace controller empties it and clears the finalizers through namespaces/finalize, and
 * only then is it removed.
 */
public final class NamespaceRest {
  private final Registry<Namespace> namespaces;

  public NamespaceRest(Registry<Namespace> namespaces) {
    this.namespaces = namespaces;
  }

  public CompletionStage<DeleteResult<Namespace>> delete(RequestContext rc, String name, DeleteOptions opts) {
    return namespaces.get(null, name).thenCompose(ns -> {
      boolean hasFinalizers = ns.getSpec() != null && ns.getSpec().getFinalizers() != null
          && !ns.getSpec().getFinalizers().isEmpty();
      if (!hasFinalizers) {
        return namespaces.delete(rc, null, name, opts);
      }
      if (ns.getMetadata().getDeletionTimestamp() != null) {
        return CompletableFuture.completedFuture(new DeleteResult<>(ns, false));
      }
      return namespaces.systemUpdate(null, name, n -> {
        if (n.getMetadata().getDeletionTimestamp() == null) {
          n.getMetadata().setDeletionTimestamp(KubeJson.timestamp(rc.now()));
          n.getMetadata().setDeletionGracePeriodSeconds(0L);
        }
        NamespaceStatus st = n.getStatus() == null ? new NamespaceStatus() : n.getStatus();
        st.setPhase("Terminating");
        n.setStatus(st);
        return n;
      }).thenApply(n -> new DeleteResult<>(n, false));
    });
  }

  /** namespaces/{name}/finalize: replaces spec.finalizers; the last one gone from a terminating namespace ends it. */
  public CompletionStage<Namespace> finalize(RequestContext rc, String name, Namespace body) {
    List<String> finalizers = body.getSpec() == null || body.getSpec().getFinalizers() == null ? List.of()
        : body.getSpec().getFinalizers();
    return namespaces.systemUpdate(null, name, n -> {
      n.getSpec().setFinalizers(finalizers.isEmpty() ? null : finalizers);
      return n;
    }).thenCompose(n -> {
      boolean done = n.getMetadata().getDeletionTimestamp() != null && finalizers.isEmpty()
          && (n.getMetadata().getFinalizers() == null || n.getMetadata().getFinalizers().isEmpty());
      return done ? namespaces.deleteNow(null, name, new DeleteOptions()).thenApply(x -> n)
          : CompletableFuture.completedFuture(n);
    });
  }
}
