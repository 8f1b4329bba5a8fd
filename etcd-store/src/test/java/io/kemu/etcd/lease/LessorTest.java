package io.kemu.etcd.lease;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.etcd.mvcc.MvccException;
import io.kemu.etcd.mvcc.MvccStore;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import static org.junit.jupiter.api.Assertions.assertThrows;

class LessorTest {
  private final AtomicLong nanos = new AtomicLong();
  // time-scale 10: a 10 s TTL lasts 1 s of real time
  private final Lessor lessor = new Lessor(nanos::get, ttl -> Duration.ofMillis(ttl * 100));
  private final MvccStore store = new MvccStore();

  LessorTest() {
    store.setLeaseAttachments(lessor);
  }

  @Test
  void expiredLeaseDeletesItsKeysInOneRevision() {
    lessor.grant(7, 10);
    store.put(new PutRequest("/events/a", "a".getBytes(), 7, false));
    store.put(new PutRequest("/events/b", "b".getBytes(), 7, false));
    store.put(new PutRequest("/plain", "p".getBytes()));
    nanos.addAndGet(Duration.ofMillis(999).toNanos());
    assertTrue(lessor.expired().isEmpty());
    nanos.addAndGet(Duration.ofMillis(1).toNanos());
    assertEquals(List.of(7L), lessor.expired());
    var c = store.deleteKeys(lessor.revoke(7));
    assertEquals(4, c.revision());
    assertEquals(2, c.events().size());
    assertEquals(null, store.latest("/events/a"));
    assertEquals("p", store.latest("/plain").valueUtf8());
  }

  @Test
  void keepAliveRefreshesTheDeadline() {
    lessor.grant(1, 10);
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    assertEquals(10, lessor.keepAlive(1));
    nanos.addAndGet(Duration.ofMillis(900).toNanos());
    assertTrue(lessor.expired().isEmpty());
    assertEquals(-1, lessor.keepAlive(2));
  }

  @Test
  void putWithUnknownLeaseIsRejectedAndReattachingMovesTheKey() {
    MvccException e = assertThrows(MvccException.class,
        () -> store.put(new PutRequest("/k", "v".getBytes(), 99, false)));
    assertEquals(EtcdProtocol.ERR_LEASE_NOT_FOUND, e.getMessage());
    lessor.grant(1, 60);
    lessor.grant(2, 60);
    store.put(new PutRequest("/k", "v".getBytes(), 1, false));
    store.put(new PutRequest("/k", "v2".getBytes(), 2, false));
    assertFalse(lessor.keys(1).contains("/k"));
    assertEquals(List.of("/k"), lessor.keys(2));
  }
}
