package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.client.EventRecorder;
import java.util.ArrayDeque;

/**
 * client-go's event broadcaster as kube-scheduler uses it: events are written asynchronously, a few at a time,
 * from a queue of at most 1000; when the queue is full new events are dropped (watch.DropIfChannelFull), so
 * that a burst of scheduling never waits for event writes. Thread-safe.
 */
final class EventSink {
  private record Pending(HasMetadata obj, String type, String reason, String message, String action) {}

  private static final int MAX_QUEUED = 1000;
  private final EventRecorder recorder;
  private final int maxInFlight;
  private final ArrayDeque<Pending> queue = new ArrayDeque<>();
  private int inFlight;
  private long dropped;
  private final org.slf4j.Logger log;

  EventSink(EventRecorder recorder, int maxInFlight, org.slf4j.Logger log) {
    this.recorder = recorder;
    this.maxInFlight = maxInFlight;
    this.log = log;
  }

  void record(HasMetadata obj, String type, String reason, String message, String action) {
    Pending p = new Pending(obj, type, reason, message, action);
    synchronized (this) {
      if (inFlight >= maxInFlight) {
        if (queue.size() >= MAX_QUEUED) {
          if (dropped++ % 1000 == 0) {
            log.warn("event queue full: dropped {} events so far (latest: {} {} for {})", dropped, reason, type,
                obj.getMetadata().getName());
          }
          return;
        }
        queue.add(p);
        return;
      }
      inFlight++;
    }
    send(p);
  }

  private void send(Pending p) {
    recorder.record(EventRecorder.reference(p.obj()), p.type(), p.reason(), p.message(), p.action())
        .whenComplete((x, err) -> {
          Pending next;
          synchronized (this) {
            next = queue.poll();
            if (next == null) {
              inFlight--;
            }
          }
          if (next != null) {
            send(next);
          }
        });
  }
}
