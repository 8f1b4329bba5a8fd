package io.kemu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.StatusException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;
import java.util.function.Supplier;

/**
 * pkg/controller/controller_ref_manager.go: a controller claims the objects its selector matches. It keeps what
 * it owns and still matches, releases what it owns but no longer matches (unless it is being deleted), and adopts
 * matching orphans (unless it or they are being deleted) once a fresh read confirms it still exists (CanAdopt).
 * Adoption and release are JSON merge patches of ownerReferences with a resourceVersion precondition, so that a
 * concurrent change makes them fail and retry rather than overwrite.
 */
public final class ControllerRefManager<T extends HasMetadata> {
  private final KubeClient client;
  private final HasMetadata controller;
  private final OwnerReference controllerRef;
  private final Predicate<T> match;
  private final Supplier<CompletionStage<Void>> canAdopt;
  private CompletionStage<Void> adoptionCheck;

  public ControllerRefManager(KubeClient client, HasMetadata controller, OwnerReference controllerRef,
                              Predicate<T> match, Supplier<CompletionStage<Void>> canAdopt) {
    this.client = client;
    this.controller = controller;
    this.controllerRef = controllerRef;
    this.match = match;
    this.canAdopt = canAdopt;
  }

  /** RecheckDeletionTimestamp: a fresh copy of the controller must have the same UID and not be deleting. */
  public static CompletionStage<Void> recheck(CompletionStage<? extends HasMetadata> fresh, HasMetadata cached) {
    return fresh.thenApply(f -> {
      String kind = cached.getKind();
      String name = cached.getMetadata().getNamespace() + "/" + cached.getMetadata().getName();
      if (!f.getMetadata().getUid().equals(cached.getMetadata().getUid())) {
        throw new StatusException(409, "Conflict", "original " + kind + " " + name + " is gone: got uid "
            + f.getMetadata().getUid() + ", wanted " + cached.getMetadata().getUid());
      }
      if (f.getMetadata().getDeletionTimestamp() != null) {
        throw new StatusException(409, "Conflict", kind + " " + name + " has just been deleted at "
            + f.getMetadata().getDeletionTimestamp());
      }
      return null;
    });
  }

  /** ClaimObjects: completes with the objects owned afterwards; fails with the first error after trying all. */
  public CompletionStage<List<T>> claim(List<T> objects) {
    List<T> claimed = java.util.Collections.synchronizedList(new ArrayList<>());
    List<CompletableFuture<?>> pending = new ArrayList<>();
    List<Throwable> errors = new ArrayList<>();
    boolean controllerDeleting = controller.getMetadata().getDeletionTimestamp() != null;
    String uid = controller.getMetadata().getUid();
    for (T obj : objects) {
      OwnerReference ref = OwnerRefs.controllerOf(obj);
      if (ref != null) {
        if (!uid.equals(ref.getUid())) {
          continue; // owned by someone else
        }
        if (match.test(obj)) {
          claimed.add(obj);
          continue;
        }
        if (controllerDeleting) {
          continue;
        }
        pending.add(release(obj).<Void>handle((x, err) -> {
          record(err, errors);
          return null;
        }).toCompletableFuture());
        continue;
      }
      if (controllerDeleting || !match.test(obj) || obj.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      String ns = controller.getMetadata().getNamespace();
      if (ns != null && !ns.isEmpty() && !ns.equals(obj.getMetadata().getNamespace())) {
        continue;
      }
      pending.add(adopt(obj).<Void>handle((adopted, err) -> {
        if (err == null) {
          claimed.add(adopted != null ? adopted : obj); // the patched copy: later writes start from it
        }
        record(err, errors);
        return null;
      }).toCompletableFuture());
    }
    return CompletableFuture.allOf(pending.toArray(CompletableFuture[]::new)).thenApply(x -> {
      synchronized (errors) {
        if (!errors.isEmpty()) {
          throw errors.get(0) instanceof RuntimeException re ? re
              : new java.util.concurrent.CompletionException(errors.get(0));
        }
      }
      return new ArrayList<>(claimed);
    });
  }

  private static void record(Throwable err, List<Throwable> errors) {
    if (err == null) {
      return;
    }
    StatusException se = StatusException.of(err);
    if (se != null && se.isNotFound()) {
      return; // the object is gone: nothing to claim or release
    }
    synchronized (errors) {
      errors.add(se != null ? se : err);
    }
  }

  private synchronized CompletionStage<Void> adoptionAllowed() {
    if (adoptionCheck == null) {
      adoptionCheck = canAdopt.get();
    }
    return adoptionCheck;
  }

  @SuppressWarnings("unchecked")
  private CompletionStage<T> adopt(T obj) {
    return adoptionAllowed().thenCompose(x -> {
      List<OwnerReference> refs = new ArrayList<>();
      if (obj.getMetadata().getOwnerReferences() != null) {
        refs.addAll(obj.getMetadata().getOwnerReferences());
      }
      refs.removeIf(r -> controllerRef.getUid().equals(r.getUid()));
      refs.add(controllerRef);
      return client.patch((Class<T>) obj.getClass(), obj.getMetadata().getNamespace(), obj.getMetadata().getName(),
          null, "application/merge-patch+json", Map.of("metadata", Map.of("ownerReferences", refs,
              "resourceVersion", obj.getMetadata().getResourceVersion())));
    });
  }

  @SuppressWarnings("unchecked")
  private CompletionStage<T> release(T obj) {
    List<OwnerReference> refs = new ArrayList<>(obj.getMetadata().getOwnerReferences());
    refs.removeIf(r -> controller.getMetadata().getUid().equals(r.getUid()));
    Map<String, Object> meta = new java.util.HashMap<>();
    meta.put("ownerReferences", refs.isEmpty() ? null : refs);
    meta.put("resourceVersion", obj.getMetadata().getResourceVersion());
    return client.patch((Class<T>) obj.getClass(), obj.getMetadata().getNamespace(), obj.getMetadata().getName(),
        null, "application/merge-patch+json", Map.of("metadata", meta));
  }
}
