package io.kemu.apiserver.registry.core;

import io.fabric8.kubernetes.api.model.Event;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.EventValidation;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import java.util.Map;

/** pkg/registry/core/event/strategy.go: events expire after --event-ttl (1 h) through an etcd lease. */
public final class EventStrategy implements Strategy<Event> {
  private final long ttlSeconds;

  public EventStrategy(long ttlSeconds) {
    this.ttlSeconds = ttlSeconds;
  }

  @Override
  public ResourceType type() {
    return Resources.EVENTS;
  }

  @Override
  public List<FieldError> validate(Event e) {
    return EventValidation.validateCreate(e);
  }

  @Override
  public List<FieldError> validateUpdate(Event e, Event old) {
    return EventValidation.validateUpdate(e, old);
  }

  @Override
  public long ttlSeconds(Event e) {
    return ttlSeconds;
  }

  @Override
  public Map<String, String> fieldPaths() {
    Map<String, String> m = Strategy.super.fieldPaths();
    for (String f : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
      m.put("involvedObject." + f, "/involvedObject/" + f);
    }
    m.put("reason", "/reason");
    m.put("reportingComponent", "/reportingComponent");
    m.put("source", "/source/component");
    m.put("type", "/type");
    return m;
  }
}
