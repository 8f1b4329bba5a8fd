package io.kemu.apiserver.apply;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.errors.ApiException;
import java.time.Instant;

/**
 * Server-side apply of one configuration, as kube-apiserver's apply patch does it (the handler's
 * applyPatcher): the configuration is merged into the live object (or into the kind's empty object when
 * {@code live} is null: apply creates), the applier's managedFields entry records what it applied, fields it
 * applied before and no longer applies are removed, and changing a field another manager owns fails with a
 * 409 Conflict whose causes name each field ({@code conflict with "kubectl-client-side-apply" using v1} at
 * {@code .spec.replicas}) unless {@code force} moves the ownership.
 *
 * <p>The result still needs what the apiserver does after the merge: defaulting, the strategy and validation.
 */
public final class ServerSideApply {
  private ServerSideApply() {}

  /** Applies with the schema of the served kind the configuration names (deduced for other kinds). */
  public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force) {
    return apply(live, applied, manager, force, Instant.now());
  }

  public static ObjectNode apply(ObjectNode live, ObjectNode applied, String manager, boolean force, Instant now) {
    String apiVersion = applied.path("apiVersion").asText("");
    String kind = applied.path("kind").asText("");
    FieldManager fm = Resources.findByKind(apiVersion, kind).map(t -> FieldManager.of(t, ""))
        .orElseGet(() -> FieldManager.deduced(apiVersion, kind));
    return apply(fm, live, applied, manager, force, now);
  }

  /** Applies to a resource of {@code type}. */
  public static ObjectNode apply(ResourceType type, String subresource, ObjectNode live, ObjectNode applied,
                                 String manager, boolean force, Instant now) {
    return apply(FieldManager.of(type, subresource), live, applied, manager, force, now);
  }

  static ObjectNode apply(FieldManager fm, ObjectNode live, ObjectNode applied, String manager, boolean force,
                          Instant now) {
    if (manager == null || manager.isEmpty()) {
      throw ApiException.invalid("meta.k8s.io", "PatchOptions", "", "PatchOptions.meta.k8s.io \"\" is invalid: "
          + "fieldManager: Required value: is required for apply patch",
          java.util.List.of(new ApiException.Cause("FieldValueRequired", "Required value: is required for apply patch",
              "fieldManager")));
    }
    ObjectNode base = live == null ? fm.emptyObject() : live;
    return fm.apply(base, applied, manager, force, now);
  }
}
