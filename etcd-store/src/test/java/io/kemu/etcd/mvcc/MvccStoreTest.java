package io.kemu.etcd.mvcc;

import static io.kemu.api.etcd.EtcdProtocol.CompareResult.EQUAL;
import static io.kemu.api.etcd.EtcdProtocol.CompareResult.GREATER;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Compare;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeRequest;
import io.kemu.api.etcd.EtcdProtocol.EventType;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.PutResponse;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeResponse;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnResponse;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

class MvccStoreTest {
  private final MvccStore store = new MvccStore();

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  private long put(String key, String value) {
    return store.put(new PutRequest(key, v(value))).committed().revision();
  }

  private KeyValue get(String key, long rev) {
    List<KeyValue> kvs = store.range(RangeRequest.key(key).atRevision(rev)).kvs();
    return kvs.isEmpty() ? null : kvs.get(0);
  }

  @Test
  void revisionIncrementsOncePerWriteAndVersionsCountModifications() {
    assertEquals(1, put("/a", "1"));
    assertEquals(2, put("/a", "2"));
    assertEquals(3, put("/b", "1"));
    KeyValue a = get("/a", 0);
    assertEquals(1, a.createRevision());
    assertEquals(2, a.modRevision());
    assertEquals(2, a.version());
    assertEquals(3, store.currentRevision());
  }

  @Test
  void rangeAtPastRevisionSeesTheValueOfThatTime() {
    put("/a", "1");
    put("/a", "2");
    store.deleteRange(DeleteRangeRequest.key("/a", false));
    assertEquals("1", get("/a", 1).valueUtf8());
    assertEquals("2", get("/a", 2).valueUtf8());
    assertNull(get("/a", 3));
    assertThrows(MvccException.class, () -> get("/a", 4), EtcdProtocol.ERR_FUTURE_REV);
  }

  @Test
  void putAfterDeleteStartsANewGeneration() {
    put("/a", "1");
    put("/a", "2");
    store.deleteRange(DeleteRangeRequest.key("/a", false));
    long rev = put("/a", "3");
    KeyValue a = get("/a", 0);
    assertEquals(rev, a.createRevision());
    assertEquals(1, a.version());
  }

  @Test
  void deletingNothingDoesNotCreateARevision() {
    put("/a", "1");
    MvccStore.TxnOutcome out = store.deleteRange(DeleteRangeRequest.key("/missing", false));
    assertNull(out.committed());
    assertEquals(1, store.currentRevision());
  }

  @Test
  void prefixRangeWithLimitCountsEverythingAndSaysThereIsMore() {
    for (int i = 0; i < 5; i++) {
      put("/registry/pods/default/p" + i, "x");
    }
    put("/registry/pods2/x", "not in the prefix");
    put("/registry/nodes/n", "x");
    RangeResponse all = store.range(RangeRequest.prefix("/registry/pods/"));
    assertEquals(5, all.count());
    RangeResponse two = store.range(RangeRequest.prefix("/registry/pods/").withLimit(2));
    assertEquals(2, two.kvs().size());
    assertEquals(5, two.count());
    assertTrue(two.more());
    assertEquals("/registry/pods/default/p0", two.kvs().get(0).key());
    RangeResponse countOnly = store.range(new RangeRequest("/registry/pods/",
        EtcdProtocol.prefixEnd("/registry/pods/"), 0, 0, true, false));
    assertTrue(countOnly.kvs().isEmpty());
    assertEquals(5, countOnly.count());
    RangeResponse keysOnly = store.range(new RangeRequest("/registry/nodes/", "\0", 0, 0, false, true));
    assertNull(keysOnly.kvs().get(0).value());
    assertEquals(7, keysOnly.count(), "[/registry/nodes/, end of keyspace) holds the node, 5 pods and pods2");
  }

  @Test
  void createIfAbsentSucceedsOnceThenTheElseBranchReadsTheWinner() {
    TxnRequest create = new TxnRequest(List.of(Compare.absent("/k")),
        List.of(new PutRequest("/k", v("first"))), List.of(RangeRequest.key("/k")));
    TxnResponse first = store.txn(create).response();
    assertTrue(first.succeeded());
    TxnRequest again = new TxnRequest(List.of(Compare.absent("/k")),
        List.of(new PutRequest("/k", v("second"))), List.of(RangeRequest.key("/k")));
    MvccStore.TxnOutcome second = store.txn(again);
    assertFalse(second.response().succeeded());
    assertNull(second.committed());
    RangeResponse winner = (RangeResponse) second.response().responses().get(0);
    assertEquals("first", winner.kvs().get(0).valueUtf8());
  }

  @Test
  void compareAndSwapOnModRevisionRejectsAStaleWriter() {
    long rev = put("/k", "v1");
    put("/k", "v2");
    TxnRequest stale = new TxnRequest(List.of(Compare.modRevision("/k", EQUAL, rev)),
        List.of(new PutRequest("/k", v("lost update"))), List.of());
    assertFalse(store.txn(stale).response().succeeded());
    assertEquals("v2", get("/k", 0).valueUtf8());
  }

  @Test
  void valueAndVersionCompares() {
    put("/k", "abc");
    assertTrue(store.txn(new TxnRequest(List.of(new Compare("/k", EtcdProtocol.CompareTarget.VALUE, EQUAL, 0,
        v("abc"))), List.of(), List.of())).response().succeeded());
    assertTrue(store.txn(new TxnRequest(List.of(Compare.version("/k", GREATER, 0)), List.of(), List.of()))
        .response().succeeded());
    // etcd: comparing the value of a missing key always fails
    assertFalse(store.txn(new TxnRequest(List.of(new Compare("/none", EtcdProtocol.CompareTarget.VALUE,
        EtcdProtocol.CompareResult.NOT_EQUAL, 0, v("x"))), List.of(), List.of())).response().succeeded());
  }

  @Test
  void aTxnCommitsAllItsWritesInOneRevisionAndPutReturnsPrevKv() {
    put("/a", "old");
    TxnRequest t = new TxnRequest(List.of(), List.of(new PutRequest("/a", v("new"), 0, true),
        new PutRequest("/b", v("b")), DeleteRangeRequest.key("/c", false)), List.of());
    MvccStore.TxnOutcome out = store.txn(t);
    assertEquals(2, out.committed().revision());
    assertEquals(2, out.committed().events().size());
    assertEquals("old", ((PutResponse) out.response().responses().get(0)).prevKv().valueUtf8());
    assertEquals(2, get("/b", 0).modRevision());
  }

  @Test
  void aTxnMayNotWriteTheSameKeyTwice() {
    TxnRequest t = new TxnRequest(List.of(), List.of(new PutRequest("/a", v("1")),
        DeleteRangeRequest.key("/a", false)), List.of());
    MvccException e = assertThrows(MvccException.class, () -> store.txn(t));
    assertEquals(EtcdProtocol.ERR_DUPLICATE_KEY, e.getMessage());
    assertEquals(0, store.currentRevision(), "a rejected txn changes nothing");
  }

  @Test
  void compactionKeepsTheNewestVersionAtThePointAndForgetsOlderOnes() {
    put("/a", "1"); // 1
    put("/a", "2"); // 2
    put("/b", "1"); // 3
    store.deleteRange(DeleteRangeRequest.key("/b", false)); // 4
    put("/a", "3"); // 5
    store.compact(4);
    assertEquals("2", get("/a", 4).valueUtf8(), "the newest version <= 4 survives");
    assertEquals("3", get("/a", 5).valueUtf8());
    MvccException e = assertThrows(MvccException.class, () -> get("/a", 3));
    assertEquals(EtcdProtocol.ERR_COMPACTED, e.getMessage());
    assertEquals(4, e.compactRevision());
    assertEquals(1, store.keyCount(), "/b ended with a tombstone at the compaction point: gone");
    assertThrows(MvccException.class, () -> store.eventsFrom(3));
    assertEquals(List.of(5L), store.eventsFrom(4).stream().map(MvccStore.RevisionEvents::revision).toList(),
        "the tombstone at the compaction point is forgotten like etcd forgets it");
    assertThrows(MvccException.class, () -> store.compact(4), "compacting twice at the same point");
  }

  @Test
  void eventsCarryPrevKvAndDeletesCarryTheDeletingRevision() {
    put("/a", "1");
    store.deleteRange(DeleteRangeRequest.key("/a", false));
    var revs = store.eventsFrom(1);
    assertEquals(2, revs.size());
    var del = revs.get(1).events().get(0);
    assertEquals(EventType.DELETE, del.type());
    assertEquals(2, del.kv().modRevision());
    assertEquals("1", del.prevKv().valueUtf8());
  }

  @Test
  void snapshotRestoresTheSameReadsAndHistory() {
    put("/a", "1");
    put("/a", "2");
    store.txn(new TxnRequest(List.of(), List.of(new PutRequest("/x", v("x")), new PutRequest("/y", v("y"))),
        List.of()));
    store.deleteRange(DeleteRangeRequest.key("/x", false));
    put("/z", "z");
    store.compact(3);
    MvccStore restored = MvccStore.restore(store.snapshot(), MvccStore.LeaseAttachments.NONE);
    assertEquals(store.currentRevision(), restored.currentRevision());
    assertEquals(store.compactRevision(), restored.compactRevision());
    for (long rev = 3; rev <= store.currentRevision(); rev++) {
      RangeRequest all = new RangeRequest("\0", "\0", rev, 0, false, false);
      assertEquals(keys(store.range(all)), keys(restored.range(all)), "at revision " + rev);
    }
    assertEquals(store.eventsFrom(3).toString().length() > 0, true);
    assertEquals(describe(store.eventsFrom(3)), describe(restored.eventsFrom(3)));
    assertArrayEquals(v("2"), restored.latest("/a").value());
  }

  @Test
  void replayingCommittedChangesRebuildsIdenticalState() {
    MvccStore replica = new MvccStore();
    for (int i = 0; i < 20; i++) {
      Committed c = i % 3 == 2 ? store.deleteRange(DeleteRangeRequest.key("/k" + (i - 1), false)).committed()
          : store.put(new PutRequest("/k" + i, v("v" + i))).committed();
      replica.apply(c.revision(), c.changes());
    }
    RangeRequest all = new RangeRequest("\0", "\0", 0, 0, false, false);
    assertEquals(keys(store.range(all)), keys(replica.range(all)));
    assertEquals(describe(store.eventsFrom(1)), describe(replica.eventsFrom(1)));
    assertThrows(IllegalStateException.class, () -> replica.apply(99, List.of(Change.delete("/k0"))));
  }

  @Test
  void prefixRangeAtAPastRevisionSeesKeysThatWereDeletedSince() {
    put("/p/a", "1"); // 1
    put("/p/b", "1"); // 2
    store.deleteRange(new DeleteRangeRequest("/p/", EtcdProtocol.prefixEnd("/p/"), false)); // 3
    put("/p/c", "1"); // 4
    assertEquals(List.of("/p/a", "/p/b"), keyNames(store.range(RangeRequest.prefix("/p/").atRevision(2))));
    assertEquals(List.of(), keyNames(store.range(RangeRequest.prefix("/p/").atRevision(3))));
    assertEquals(List.of("/p/c"), keyNames(store.range(RangeRequest.prefix("/p/"))));
    assertEquals(2, store.range(new RangeRequest("/p/", EtcdProtocol.prefixEnd("/p/"), 2, 0, true, false)).count());
    assertEquals(4, store.range(RangeRequest.prefix("/p/").atRevision(2)).header().revision(),
        "the header carries the store's revision, not the one read");
  }

  @Test
  void limitedRangesContinueFromTheLastKeyAtTheSameRevision() {
    for (int i = 0; i < 7; i++) {
      put("/items/" + i, "v" + i);
    }
    long rev = store.currentRevision();
    put("/items/9", "written after the first page");
    List<String> seen = new java.util.ArrayList<>();
    String start = "/items/";
    String end = EtcdProtocol.prefixEnd("/items/");
    while (true) {
      RangeResponse page = store.range(new RangeRequest(start, end, rev, 3, false, false));
      seen.addAll(keyNames(page));
      if (!page.more()) {
        break;
      }
      // kube's etcd3 store continues from the last key + "\0", pinned to the first page's revision
      start = page.kvs().get(page.kvs().size() - 1).key() + "\0";
    }
    assertEquals(List.of("/items/0", "/items/1", "/items/2", "/items/3", "/items/4", "/items/5", "/items/6"), seen);
  }

  @Test
  void txnComparesOnCreateRevisionAndOrderingAllMustHold() {
    long created = put("/k", "1");
    put("/k", "2");
    Compare createdAt = new Compare("/k", EtcdProtocol.CompareTarget.CREATE, EQUAL, created, null);
    Compare modAbove = Compare.modRevision("/k", GREATER, created);
    Compare versionBelow = new Compare("/k", EtcdProtocol.CompareTarget.VERSION, EtcdProtocol.CompareResult.LESS, 2, null);
    assertTrue(store.txn(new TxnRequest(List.of(createdAt, modAbove), List.of(), List.of())).response().succeeded());
    MvccStore.TxnOutcome failed = store.txn(new TxnRequest(List.of(createdAt, versionBelow),
        List.of(new PutRequest("/k", v("then"))), List.of(new PutRequest("/else", v("else")))));
    assertFalse(failed.response().succeeded(), "version is 2, not < 2: one false compare fails the txn");
    assertEquals("else", get("/else", 0).valueUtf8());
    assertEquals("2", get("/k", 0).valueUtf8());
  }

  @Test
  void deleteIfUnchangedAndRangeInsideATxnSeesTheTxnsOwnWrites() {
    long rev = put("/obj", "v1");
    TxnRequest t = new TxnRequest(List.of(Compare.modRevision("/obj", EQUAL, rev)),
        List.of(DeleteRangeRequest.key("/obj", true), new PutRequest("/other", v("x")), RangeRequest.key("/other")),
        List.of(RangeRequest.key("/obj")));
    MvccStore.TxnOutcome out = store.txn(t);
    assertTrue(out.response().succeeded());
    var del = (EtcdProtocol.DeleteRangeResponse) out.response().responses().get(0);
    assertEquals(1, del.deleted());
    assertEquals("v1", del.prevKvs().get(0).valueUtf8());
    assertEquals("x", ((RangeResponse) out.response().responses().get(2)).kvs().get(0).valueUtf8());
    assertNull(get("/obj", 0));
  }

  @Test
  void aTxnRangeAtAnUnreadableRevisionFailsBeforeAnythingIsWritten() {
    put("/a", "1");
    TxnRequest t = new TxnRequest(List.of(), List.of(new PutRequest("/b", v("1")),
        RangeRequest.key("/a").atRevision(99)), List.of());
    MvccException e = assertThrows(MvccException.class, () -> store.txn(t));
    assertEquals(EtcdProtocol.ERR_FUTURE_REV, e.getMessage());
    assertEquals(1, store.currentRevision());
    assertNull(store.latest("/b"), "nothing of the failed txn was applied");
    assertEquals(2, put("/c", "1"), "the next write gets the next revision, cleanly");
    assertEquals(1, store.eventsFrom(2).get(0).events().size());
  }

  @Test
  void compactionAtTheCurrentRevisionKeepsEveryLiveKeyAndRejectsOlderOrFutureRevisions() {
    put("/a", "1");
    put("/a", "2");
    put("/b", "1");
    store.compact(3);
    assertEquals(2, store.range(RangeRequest.prefix("/")).count());
    assertEquals("2", get("/a", 3).valueUtf8());
    assertEquals(EtcdProtocol.ERR_COMPACTED, assertThrows(MvccException.class, () -> get("/a", 2)).getMessage());
    assertEquals(EtcdProtocol.ERR_FUTURE_REV, assertThrows(MvccException.class, () -> store.compact(4)).getMessage());
    assertEquals(EtcdProtocol.ERR_COMPACTED, assertThrows(MvccException.class, () -> store.compact(2)).getMessage());
    long next = put("/a", "3");
    assertEquals(List.of(3L, next), store.eventsFrom(3).stream().map(MvccStore.RevisionEvents::revision).toList());
    MvccStore restored = MvccStore.restore(store.snapshot(), MvccStore.LeaseAttachments.NONE);
    assertEquals(describe(store.eventsFrom(3)), describe(restored.eventsFrom(3)));
    assertEquals(3, restored.compactRevision());
  }

  @Test
  void snapshotRestoreReattachesLeasedKeys() {
    var lessor = new io.kemu.etcd.lease.Lessor(() -> 0L, ttl -> java.time.Duration.ofSeconds(ttl));
    store.setLeaseAttachments(lessor);
    lessor.grant(5, 60);
    store.put(new PutRequest("/leased", v("x"), 5, false));
    store.put(new PutRequest("/plain", v("y")));
    var other = new io.kemu.etcd.lease.Lessor(() -> 0L, ttl -> java.time.Duration.ofSeconds(ttl));
    other.restore(lessor.snapshot(), lessor.lastId());
    MvccStore restored = MvccStore.restore(store.snapshot(), other);
    assertEquals(List.of("/leased"), other.keys(5));
    Committed c = restored.deleteKeys(other.revoke(5));
    assertEquals(3, c.revision());
    assertNull(restored.latest("/leased"));
    assertEquals("y", restored.latest("/plain").valueUtf8());
  }

  private static List<String> keyNames(RangeResponse r) {
    return r.kvs().stream().map(KeyValue::key).toList();
  }

  private static List<String> keys(RangeResponse r) {
    return r.kvs().stream().map(kv -> kv.key() + "@" + kv.modRevision() + "/v" + kv.version() + "/c"
        + kv.createRevision() + "=" + kv.valueUtf8()).toList();
  }

  private static List<String> describe(List<MvccStore.RevisionEvents> revs) {
    return revs.stream().flatMap(re -> re.events().stream().map(e -> re.revision() + ":" + e.type() + ":"
        + e.kv().key() + ":" + e.kv().valueUtf8() + ":prev=" + (e.prevKv() == null ? "-" : e.prevKv().valueUtf8())))
        .toList();
  }
}
