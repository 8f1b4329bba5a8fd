package io.kemu.etcd.watch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import io.kemu.etcd.mvcc.Committed;
import io.kemu.etcd.mvcc.MvccStore;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class WatchHubTest {
  static class ListSink implements WatchHub.Sink {
    final List<WatchResponse> received = new ArrayList<>();
    final int capacity;
    boolean completed;
    int consumed;

    ListSink(int capacity) {
      this.capacity = capacity;
    }

    public boolean offer(WatchResponse r) {
      received.add(r);
      return true;
    }

    public int buffered() {
      return received.size() - consumed;
    }

    public int capacity() {
      return capacity;
    }

    public void complete() {
      completed = true;
    }

    List<Long> revisions() {
      return received.stream().filter(r -> !r.canceled())
          .flatMap(r -> r.events().stream().map(e -> e.kv().modRevision())).toList();
    }
  }

  private final MvccStore store = new MvccStore();
  private final WatchHub hub = new WatchHub(2);

  private Committed put(String key) {
    Committed c = store.put(new PutRequest(key, key.getBytes())).committed();
    hub.publish(c.revision(), c.events());
    return c;
  }

  @Test
  void aWatcherFromAPastRevisionGetsHistoryThenLiveEventsInOrderWithoutGapOrDuplicate() {
    for (int i = 0; i < 5; i++) {
      put("/p/" + i);
    }
    put("/q/outside");
    ListSink sink = new ListSink(100);
    hub.add(WatchRequest.prefix("/p/", 2), sink, store.eventsFrom(2), store.currentRevision());
    put("/p/late");
    assertEquals(List.of(2L, 3L, 4L, 5L, 7L), sink.revisions());
    assertTrue(sink.received.stream().allMatch(r -> r.events().size() <= 2), "history is chunked");
  }

  @Test
  void allEventsOfARevisionTravelTogether() {
    ListSink sink = new ListSink(100);
    hub.add(WatchRequest.prefix("/p/", 0), sink, List.of(), store.currentRevision());
    Committed c = store.txn(new EtcdProtocol.TxnRequest(List.of(), List.of(new PutRequest("/p/a", new byte[0]),
        new PutRequest("/p/b", new byte[0]), new PutRequest("/p/c", new byte[0])), List.of())).committed();
    hub.publish(c.revision(), c.events());
    assertEquals(1, sink.received.size());
    assertEquals(3, sink.received.get(0).events().size());
  }

  @Test
  void aSlowWatcherIsCancelledWithAReasonAndTheOthersKeepGoing() {
    ListSink slow = new ListSink(3);
    ListSink fast = new ListSink(3) {
      @Override
      public boolean offer(WatchResponse r) {
        consumed++;
        return super.offer(r);
      }
    };
    hub.add(WatchRequest.prefix("/p/", 0), slow, List.of(), 0);
    hub.add(WatchRequest.prefix("/p/", 0), fast, List.of(), 0);
    for (int i = 0; i < 5; i++) {
      put("/p/" + i);
    }
    WatchResponse last = slow.received.get(slow.received.size() - 1);
    assertTrue(last.canceled());
    assertEquals(WatchHub.TOO_SLOW, last.cancelReason());
    assertEquals(2, last.header().revision(), "tells the client where to resume");
    assertTrue(slow.completed);
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L), fast.revisions());
    assertEquals(1, hub.size());
  }

  @Test
  void progressNotificationsCarryTheCurrentRevision() {
    ListSink sink = new ListSink(10);
    hub.add(WatchRequest.prefix("/p/", 0), sink, List.of(), 0);
    put("/other");
    hub.progress(store.currentRevision());
    WatchResponse r = sink.received.get(0);
    assertTrue(r.isProgressNotify());
    assertEquals(1, r.header().revision());
  }

  @Test
  void aWatcherResumedAfterAStreamBreakContinuesExactlyWhereTheFirstStopped() {
    ListSink first = new ListSink(100);
    hub.add(WatchRequest.prefix("/p/", 1), first, List.of(), store.currentRevision());
    for (int i = 0; i < 4; i++) {
      put("/p/" + i);
    }
    // The stream breaks here (store restart): the consumer's last revision is 4, and writes go on meanwhile.
    first.completed = true;
    long last = first.revisions().get(first.revisions().size() - 1);
    WatchHub fresh = new WatchHub(2);
    for (int i = 4; i < 7; i++) {
      store.put(new PutRequest("/p/" + i, new byte[0]));
    }
    ListSink resumed = new ListSink(100);
    fresh.add(WatchRequest.prefix("/p/", last + 1), resumed, store.eventsFrom(last + 1), store.currentRevision());
    Committed c = store.put(new PutRequest("/p/live", new byte[0])).committed();
    fresh.publish(c.revision(), c.events());
    List<Long> all = new ArrayList<>(first.revisions());
    all.addAll(resumed.revisions());
    assertEquals(List.of(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L), all, "no gap, no duplicate across the break");
  }

  @Test
  void aCompactedStartRevisionIsAnsweredWithTheCompactionPointNeverASilentGap() {
    for (int i = 0; i < 5; i++) {
      put("/p/" + i);
    }
    store.compact(4);
    ListSink sink = new ListSink(10);
    long start = 2;
    if (start < store.compactRevision()) {
      WatchHub.rejectCompacted(sink, store.currentRevision(), store.compactRevision());
    }
    assertEquals(1, sink.received.size());
    WatchResponse r = sink.received.get(0);
    assertTrue(r.canceled());
    assertEquals(4, r.compactRevision());
    assertTrue(sink.completed);
    // From the compaction point itself the history is still there.
    ListSink ok = new ListSink(10);
    hub.add(WatchRequest.prefix("/p/", 4), ok, store.eventsFrom(4), store.currentRevision());
    assertEquals(List.of(4L, 5L), ok.revisions());
  }

  @Test
  void prevKvOnlyWhenAskedAndAMultiKeyRevisionIsNeverSplitByChunking() {
    put("/p/a");
    Committed c = store.txn(new EtcdProtocol.TxnRequest(List.of(), List.of(new PutRequest("/p/a", new byte[] {1}),
        new PutRequest("/p/b", new byte[0]), new PutRequest("/p/c", new byte[0])), List.of())).committed();
    ListSink with = new ListSink(10);
    ListSink without = new ListSink(10);
    hub.add(new WatchRequest("/p/", EtcdProtocol.prefixEnd("/p/"), 1, true, false), with, store.eventsFrom(1),
        store.currentRevision());
    hub.add(WatchRequest.prefix("/p/", 1), without, store.eventsFrom(1), store.currentRevision());
    // max 2 events per response, but revision 2 has 3 events: they travel together
    assertEquals(List.of(1, 3), with.received.stream().map(r -> r.events().size()).toList());
    assertEquals("/p/a", with.received.get(1).events().get(0).prevKv().key());
    assertTrue(without.received.stream().flatMap(r -> r.events().stream()).allMatch(e -> e.prevKv() == null));
    assertEquals(c.revision(), with.received.get(1).header().revision());
  }

  @Test
  void progressNotificationsNeverRegressAndNeverRunAheadOfDeliveredEvents() {
    ListSink sink = new ListSink(100);
    hub.add(WatchRequest.prefix("/p/", 0), sink, List.of(), 0);
    long lastEvent = 0;
    long lastProgress = 0;
    for (int i = 0; i < 5; i++) {
      put("/p/" + i);
      put("/other/" + i);
      hub.progress(store.currentRevision());
    }
    for (WatchResponse r : sink.received) {
      if (r.isProgressNotify()) {
        assertTrue(r.header().revision() >= lastProgress);
        assertTrue(r.header().revision() >= lastEvent);
        lastProgress = r.header().revision();
      } else {
        assertTrue(r.header().revision() > lastProgress, "an event after a bookmark is newer than the bookmark");
        lastEvent = r.header().revision();
      }
    }
    assertEquals(10, lastProgress);
  }

  @Test
  void aWatcherFromAFutureRevisionSeesNothingBeforeIt() {
    put("/p/0");
    ListSink sink = new ListSink(10);
    hub.add(WatchRequest.prefix("/p/", 4), sink, List.of(), store.currentRevision());
    put("/p/1"); // 2
    put("/p/2"); // 3
    put("/p/3"); // 4
    assertEquals(List.of(4L), sink.revisions());
  }
}
