package io.kemu.etcd.watch;

import io.kemu.api.etcd.EtcdProtocol.Event;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.ResponseHeader;
import io.kemu.api.etcd.EtcdProtocol.WatchRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import io.kemu.etcd.mvcc.MvccStore.RevisionEvents;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The watchers of the store (etcd's watchable_store.go, simplified): a new watcher first receives the history
 * from its start revision, then every committed revision that touches its range, all through one bounded
 * buffer so that order holds. The events of a revision always travel together. A watcher whose buffer fills
 * up is cancelled with a reason, never allowed to slow the store down: its client resumes from the last
 * revision it saw.
 */
public final class WatchHub {
  public static final String TOO_SLOW = "etcdserver: watcher too slow, resume from the last revision received";

  /** Where a watcher's responses go (a bounded stream buffer in production, a list in tests). */
  public interface Sink {
    /** false when the consumer is gone. */
    boolean offer(WatchResponse response);

    int buffered();

    int capacity();

    void complete();
  }

  private static final class Watcher {
    final long id;
    final WatchRequest request;
    final Sink sink;
    long lastRevisionSent;

    Watcher(long id, WatchRequest request, Sink sink) {
      this.id = id;
      this.request = request;
      this.sink = sink;
    }
  }

  private final Map<Long, Watcher> watchers = new LinkedHashMap<>();
  private final int maxEventsPerResponse;
  private long nextId = 1;

  public WatchHub(int maxEventsPerResponse) {
    this.maxEventsPerResponse = maxEventsPerResponse;
  }

  public int size() {
    return watchers.size();
  }

  /**
   * Registers a watcher and queues the history it asked for. {@code history} holds the revisions from its start
   * revision up to {@code currentRevision}.
   */
  public long add(WatchRequest request, Sink sink, List<RevisionEvents> history, long currentRevision) {
    Watcher w = new Watcher(nextId++, request, sink);
    w.lastRevisionSent = Math.max(0, request.startRevision() - 1);
    List<Event> batch = new ArrayList<>();
    long batchRevision = 0;
    for (RevisionEvents re : history) {
      List<Event> matching = matching(w, re.events());
      if (matching.isEmpty()) {
        continue;
      }
      if (!batch.isEmpty() && batch.size() + matching.size() > maxEventsPerResponse) {
        if (!send(w, new WatchResponse(new ResponseHeader(batchRevision), List.copyOf(batch), false, 0, null))) {
          return w.id;
        }
        batch.clear();
      }
      batch.addAll(matching);
      batchRevision = re.revision();
    }
    if (!batch.isEmpty()) {
      if (!send(w, new WatchResponse(new ResponseHeader(batchRevision), List.copyOf(batch), false, 0, null))) {
        return w.id;
      }
    }
    w.lastRevisionSent = Math.max(w.lastRevisionSent, currentRevision);
    watchers.put(w.id, w);
    return w.id;
  }

  /** Ends a watcher whose start revision was compacted: one cancel response carrying the compaction point. */
  public static void rejectCompacted(Sink sink, long currentRevision, long compactRevision) {
    sink.offer(new WatchResponse(new ResponseHeader(currentRevision), List.of(), true, compactRevision,
        "etcdserver: mvcc: required revision has been compacted"));
    sink.complete();
  }

  /** Delivers a durable revision to every watcher whose range it touches. */
  public void publish(long revision, List<Event> events) {
    for (Iterator<Watcher> it = watchers.values().iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (revision < w.request.startRevision()) {
        continue;
      }
      List<Event> matching = matching(w, events);
      if (matching.isEmpty()) {
        continue;
      }
      if (!send(w, new WatchResponse(new ResponseHeader(revision), matching, false, 0, null))) {
        it.remove();
      } else {
        w.lastRevisionSent = revision;
      }
    }
  }

  /** Progress notifications (bookmarks) to the watchers that asked for them. */
  public void progress(long revision) {
    for (Iterator<Watcher> it = watchers.values().iterator(); it.hasNext(); ) {
      Watcher w = it.next();
      if (!w.request.progressNotify() || revision < w.request.startRevision() - 1) {
        continue;
      }
      if (!send(w, new WatchResponse(new ResponseHeader(revision), List.of(), false, 0, null))) {
        it.remove();
      }
    }
  }

  public void cancelAll(String reason, long revision) {
    for (Watcher w : watchers.values()) {
      w.sink.offer(new WatchResponse(new ResponseHeader(revision), List.of(), true, 0, reason));
      w.sink.complete();
    }
    watchers.clear();
  }

  /** false if the watcher is finished (consumer gone, or cancelled because it is too slow): drop it. */
  private boolean send(Watcher w, WatchResponse r) {
    if (w.sink.buffered() >= w.sink.capacity() - 1) {
      // The last slot is reserved for the cancellation, so the client learns why its stream ended.
      w.sink.offer(new WatchResponse(new ResponseHeader(w.lastRevisionSent), List.of(), true, 0, TOO_SLOW));
      w.sink.complete();
      return false;
    }
    return w.sink.offer(r);
  }

  private static List<Event> matching(Watcher w, List<Event> events) {
    WatchRequest r = w.request;
    List<Event> out = null;
    for (Event e : events) {
      String k = e.kv().key();
      boolean in = r.rangeEnd() == null || r.rangeEnd().isEmpty() ? k.equals(r.key())
          : k.compareTo(r.key()) >= 0 && (r.rangeEnd().equals("\0") || k.compareTo(r.rangeEnd()) < 0);
      if (in) {
        if (out == null) {
          out = new ArrayList<>(events.size());
        }
        out.add(r.prevKv() ? e : withoutPrev(e));
      }
    }
    return out == null ? List.of() : out;
  }

  private static Event withoutPrev(Event e) {
    KeyValue prev = e.prevKv();
    return prev == null ? e : new Event(e.type(), e.kv(), null);
  }
}
