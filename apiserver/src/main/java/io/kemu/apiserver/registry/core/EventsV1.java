package io.kemu.apiserver.registry.core;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.events.v1.Event;
import io.kemu.api.KubeJson;
import io.kemu.api.ResourceType;
import io.kemu.api.Resources;
import io.kemu.apiserver.registry.Registry;
import io.kemu.apiserver.registry.Strategy;
import io.kemu.apiserver.validation.EventValidation;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import java.util.Map;

/**
 * events.k8s.io/v1 Events: stored as core/v1 Events and converted on the way in and out
 * (pkg/apis/events/v1/conversion.go), so both APIs see the same objects and the same TTL.
 */
public final class EventsV1 {
  private EventsV1() {}

  /** core field → events.k8s.io field */
  private static final Map<String, String> RENAMES = Map.of(
      "involvedObject", "regarding",
      "message", "note",
      "reportingComponent", "reportingController",
      "source", "deprecatedSource",
      "firstTimestamp", "deprecatedFirstTimestamp",
      "lastTimestamp", "deprecatedLastTimestamp",
      "count", "deprecatedCount");

  public static final Registry.Converter CONVERTER = new Registry.Converter() {
    @Override
    public ObjectNode toServed(ObjectNode stored) {
      ObjectNode out = rename(stored, RENAMES, false);
      out.put("apiVersion", "events.k8s.io/v1");
      return out;
    }

    @Override
    public ObjectNode toStored(ObjectNode served) {
      ObjectNode out = rename(served, RENAMES, true);
      out.put("apiVersion", "v1");
      return out;
    }
  };

  private static ObjectNode rename(ObjectNode in, Map<String, String> renames, boolean reverse) {
    ObjectNode out = KubeJson.MAPPER.createObjectNode();
    in.fields().forEachRemaining(e -> {
      String name = e.getKey();
      String mapped = name;
      for (Map.Entry<String, String> r : renames.entrySet()) {
        if (!reverse && r.getKey().equals(name)) {
          mapped = r.getValue();
        } else if (reverse && r.getValue().equals(name)) {
          mapped = r.getKey();
        }
      }
      out.set(mapped, e.getValue());
    });
    return out;
  }

  /** Validated in its stored form with the core rules (what kube does after conversion). */
  public static final class Strategy implements io.kemu.apiserver.registry.Strategy<Event> {
    @Override
    public ResourceType type() {
      return Resources.EVENTS_V1;
    }

    @Override
    public List<FieldError> validate(Event e) {
      return EventValidation.validateCreate(core(e));
    }

    @Override
    public List<FieldError> validateUpdate(Event e, Event old) {
      return EventValidation.validateUpdate(core(e), core(old));
    }

    @Override
    public long ttlSeconds(Event e) {
      return ttl;
    }

    @Override
    public Map<String, String> fieldPaths() {
      Map<String, String> m = io.kemu.apiserver.registry.Strategy.super.fieldPaths();
      for (String f : List.of("kind", "namespace", "name", "uid", "apiVersion", "resourceVersion", "fieldPath")) {
        m.put("regarding." + f, "/regarding/" + f);
      }
      m.put("reason", "/reason");
      m.put("reportingController", "/reportingController");
      m.put("type", "/type");
      return m;
    }

    private final long ttl;

    public Strategy(long ttlSeconds) {
      this.ttl = ttlSeconds;
    }

    private static io.fabric8.kubernetes.api.model.Event core(Event e) {
      JsonNode stored = CONVERTER.toStored(KubeJson.MAPPER.valueToTree(e));
      return KubeJson.convert(stored, io.fabric8.kubernetes.api.model.Event.class);
    }
  }
}
