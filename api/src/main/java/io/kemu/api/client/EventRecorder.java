package io.kemu.api.client;

import io.fabric8.kubernetes.api.model.Event;
import io.fabric8.kubernetes.api.model.EventBuilder;
import io.fabric8.kubernetes.api.model.EventSource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.MicroTime;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.kemu.api.KubeJson;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records Events like client-go: without an action, as the legacy recorder (tools/record) the kubelet uses
 * (firstTimestamp, lastTimestamp, count, source); with an action, as the events.k8s.io recorder the scheduler
 * uses (eventTime, reportingController/Instance, action, series on repeats). A repeat (same object, reason,
 * message and type within 10 minutes) updates the existing Event instead of creating another, as the
 * EventCorrelator does. Recording never fails the caller; a lost event is only logged.
 */
public final class EventRecorder implements Recorder {
  private static final Logger log = LoggerFactory.getLogger(EventRecorder.class);
  private static final Duration SIMILAR_WINDOW = Duration.ofMinutes(10);
  private static final int MAX_TRACKED = 4096;

  private record Seen(String namespace, String name, int count, Instant first, Instant last) {}

  private final KubeClient client;
  private final String component;
  private final String host;
  private final Clock clock;
  private final Map<String, Seen> seen = new LinkedHashMap<>(16, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Seen> eldest) {
      return size() > MAX_TRACKED;
    }
  };

  public EventRecorder(KubeClient client, String component, String host, Clock clock) {
    this.client = client;
    this.component = component;
    this.host = host;
    this.clock = clock;
  }

  public static ObjectReference reference(HasMetadata obj) {
    return new ObjectReferenceBuilder().withKind(obj.getKind()).withApiVersion(obj.getApiVersion())
        .withNamespace(obj.getMetadata().getNamespace()).withName(obj.getMetadata().getName())
        .withUid(obj.getMetadata().getUid()).withResourceVersion(obj.getMetadata().getResourceVersion()).build();
  }

  @Override
  public void normal(HasMetadata obj, String reason, String message) {
    record(reference(obj), "Normal", reason, message, null);
  }

  @Override
  public void warning(HasMetadata obj, String reason, String message) {
    record(reference(obj), "Warning", reason, message, null);
  }

  /** {@code action} is events.k8s.io's action ("Scheduling", "Binding"...), optional. */
  public CompletionStage<?> record(ObjectReference ref, String type, String reason, String message, String action) {
    Instant now = clock.instant();
    String ns = ref.getNamespace() == null || ref.getNamespace().isEmpty() ? "default" : ref.getNamespace();
    String key = ref.getUid() + "|" + reason + "|" + message + "|" + type;
    Seen previous;
    synchronized (seen) {
      previous = seen.get(key);
      if (previous != null && Duration.between(previous.last(), now).compareTo(SIMILAR_WINDOW) < 0) {
        Seen next = new Seen(previous.namespace(), previous.name(), previous.count() + 1, previous.first(), now);
        seen.put(key, next);
        Map<String, Object> patch = action == null
            ? Map.of("count", next.count(), "lastTimestamp", KubeJson.timestamp(now))
            : Map.of("series", Map.of("count", next.count(), "lastObservedTime", KubeJson.microTimestamp(now)));
        return client.patch(Event.class, previous.namespace(), previous.name(), null,
                "application/merge-patch+json", patch)
            .exceptionally(e -> {
              log.debug("event {} not updated: {}", previous.name(), e.toString());
              return null;
            });
      }
      // client-go names events <object>.<unix nanos in hex>
      String name = ref.getName() + "." + Long.toHexString(now.getEpochSecond() * 1_000_000_000L + now.getNano());
      seen.put(key, new Seen(ns, name, 1, now, now));
      EventBuilder b = new EventBuilder().withNewMetadata().withName(name).withNamespace(ns).endMetadata()
          .withInvolvedObject(ref).withReason(reason).withMessage(message).withType(type)
          .withReportingComponent(component);
      if (action == null) {
        b.withSource(new EventSource(component, host)).withReportingInstance(host)
            .withFirstTimestamp(KubeJson.timestamp(now)).withLastTimestamp(KubeJson.timestamp(now)).withCount(1);
      } else {
        b.withReportingInstance(component + "-" + host).withAction(action)
            .withEventTime(new MicroTime(KubeJson.microTimestamp(now)));
      }
      Event e = b.build();
      return client.create(e).exceptionally(err -> {
        log.warn("event {} {} for {} lost: {}", reason, message, ref.getName(), err.toString());
        return null;
      });
    }
  }
}
