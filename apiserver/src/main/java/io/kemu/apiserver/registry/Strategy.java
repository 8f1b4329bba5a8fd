package io.kemu.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.FieldPath;
import io.kemu.apiserver.validation.NameValidation;
import io.kemu.apiserver.validation.ObjectMetaValidation;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-kind rules of a registry (kube's RESTCreateStrategy, RESTUpdateStrategy, RESTDeleteStrategy and the
 * GetAttrs of each kind): what a create or an update may change, how it is validated, which fields selectors
 * can use, and how deletion proceeds.
 */
public interface Strategy<T extends HasMetadata> {
  ResourceType type();

  /** Clears what a user may not set on create (status, for kinds that have one). */
  default void prepareForCreate(T obj) {}

  /** Create validation, ObjectMeta included (kinds without rules of their own get the generic checks). */
  default List<FieldError> validate(T obj) {
    return ObjectMetaValidation.validateObjectMeta(obj.getMetadata(), type().namespaced(),
        NameValidation::nameIsDNSSubdomain, FieldPath.root("metadata"));
  }

  /** Restores what an update of the main resource may not change (status, for kinds that have one). */
  default void prepareForUpdate(T obj, T old) {}

  default List<FieldError> validateUpdate(T obj, T old) {
    return ObjectMetaValidation.validateObjectMetaUpdate(obj.getMetadata(), old.getMetadata(),
        FieldPath.root("metadata"));
  }

  /** The status subresource: everything but the status is taken from the stored object. */
  default void prepareForStatusUpdate(T obj, T old) {}

  default List<FieldError> validateStatusUpdate(T obj, T old) {
    return validateUpdate(obj, old);
  }

  /** metadata.generation counts spec changes (workloads); kinds without a spec leave it unset. */
  default boolean tracksGeneration() {
    return false;
  }

  /**
   * Whether an update bumps metadata.generation (for kinds that track it): by default when the spec changed;
   * Deployments also count annotation changes, as upstream does.
   */
  default boolean bumpsGeneration(T obj, T old) {
    return !java.util.Objects.equals(io.kemu.api.KubeJson.MAPPER.valueToTree(obj).path("spec"),
        io.kemu.api.KubeJson.MAPPER.valueToTree(old).path("spec"));
  }

  /** Whether a PUT without metadata.resourceVersion is allowed (last writer wins). */
  default boolean allowUnconditionalUpdate() {
    return true;
  }

  /** Selectable fields and the JSON pointer each one reads; metadata.name/namespace always exist. */
  default Map<String, String> fieldPaths() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("metadata.name", "/metadata/name");
    if (type().namespaced()) {
      m.put("metadata.namespace", "/metadata/namespace");
    }
    return m;
  }

  /** Seconds to live in etcd (events); 0 keeps the object until it is deleted. */
  default long ttlSeconds(T obj) {
    return 0;
  }

  /**
   * Graceful deletion (RESTGracefulDeleteStrategy.CheckGracefulDelete): the grace period to apply, or null
   * when this kind is deleted at once. {@code requested} is DeleteOptions.gracePeriodSeconds.
   */
  default Long gracePeriodSeconds(T obj, Long requested) {
    return null;
  }
}
