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
}
