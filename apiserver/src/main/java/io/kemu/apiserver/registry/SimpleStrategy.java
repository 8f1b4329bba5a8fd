package io.kemu.apiserver.registry;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.ResourceType;
import io.kemu.apiserver.validation.FieldError;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

/**
 * The strategy of kinds whose registry rules are only their validation (ConfigMap, Secret, ServiceAccount,
 * Role, …): no status subresource, no generation, a validator for create and one for update, and optional
 * extra selectable fields.
 */
public final class SimpleStrategy<T extends HasMetadata> implements Strategy<T> {
  private final ResourceType type;
  private final Function<T, List<FieldError>> create;
  private final BiFunction<T, T, List<FieldError>> update;
  private final Map<String, String> extraFields;

  public SimpleStrategy(ResourceType type, Function<T, List<FieldError>> create,
                        BiFunction<T, T, List<FieldError>> update, Map<String, String> extraFields) {
    this.type = type;
    this.create = create;
    this.update = update;
    this.extraFields = extraFields;
  }

  /** Generic ObjectMeta validation only (rest.BeforeCreate / BeforeUpdate's checks). */
  public static <T extends HasMetadata> SimpleStrategy<T> generic(ResourceType type) {
    return new SimpleStrategy<>(type, null, null, Map.of());
  }

  @Override
  public ResourceType type() {
    return type;
  }

  @Override
  public List<FieldError> validate(T obj) {
    return create == null ? Strategy.super.validate(obj) : create.apply(obj);
  }

  @Override
  public List<FieldError> validateUpdate(T obj, T old) {
    return update == null ? Strategy.super.validateUpdate(obj, old) : update.apply(obj, old);
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = new LinkedHashMap<>(Strategy.super.fieldPaths());
    m.putAll(extraFields);
    return m;
  }
}
