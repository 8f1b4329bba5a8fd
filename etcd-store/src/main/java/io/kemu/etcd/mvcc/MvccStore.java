package io.kemu.etcd.mvcc;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Compare;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeRequest;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeResponse;
import io.kemu.api.etcd.EtcdProtocol.Event;
import io.kemu.api.etcd.EtcdProtocol.EventType;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.PutResponse;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeResponse;
import io.kemu.api.etcd.EtcdProtocol.RequestOp;
import io.kemu.api.etcd.EtcdProtocol.ResponseHeader;
import io.kemu.api.etcd.EtcdProtocol.ResponseOp;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnResponse;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.NavigableMap;
import java.util.Set;
import java.util.TreeMap;

/**
 * etcd's multi-version key-value store (server/storage/mvcc kvstore.go), in memory and without I/O policy:
 * one global revision incremented once per transaction that changes something, per-key histories
 * ({@link KeyIndex}), reads at any revision since the last compaction, transactions with compares, and the log
 * of events per revision that watches replay. Durability is the caller's business: every write returns the
 * {@link Committed} changes to journal, and {@link #apply} replays them.
 *
 * <p>Not thread-safe: one actor owns it.
 */
public final class MvccStore {
  /** etcd's --max-txn-ops default. */
  public static final int MAX_TXN_OPS = 128;

  /** What the store needs to know of leases; the lessor implements it. */
  public interface LeaseAttachments {
    boolean exists(long leaseId);

    void attach(long leaseId, String key);

    void detach(long leaseId, String key);

    LeaseAttachments NONE = new LeaseAttachments() {
      public boolean exists(long leaseId) {
        return false;
      }

      public void attach(long leaseId, String key) {}

      public void detach(long leaseId, String key) {}
    };
  }

  /** The events of one revision, in operation order. */
  public record RevisionEvents(long revision, List<Event> events) {}

  public record TxnOutcome(TxnResponse response, Committed committed) {}

  private final TreeMap<String, KeyIndex> index = new TreeMap<>();
  /** Events of every revision ≥ compactRevision, ascending. */
  private final ArrayList<RevisionEvents> log = new ArrayList<>();
  private LeaseAttachments leases = LeaseAttachments.NONE;
  private long currentRevision;
  private long compactRevision;

  public void setLeaseAttachments(LeaseAttachments leases) {
    this.leases = leases;
  }

  public long currentRevision() {
    return currentRevision;
  }

  public long compactRevision() {
    return compactRevision;
  }

  public int keyCount() {
    return index.size();
  }

  // ------------------------------------------------------------------ reads

  /** A Range at its requested revision; revision ≤ 0 reads the newest one. */
  public RangeResponse range(RangeRequest r) {
    return range(r, currentRevision);
  }

  /**
   * A Range that may not see revisions above {@code readableRevision} (the store reads only what is durable).
   */
  public RangeResponse range(RangeRequest r, long readableRevision) {
    long rev = r.revision() <= 0 ? readableRevision : r.revision();
    if (rev > readableRevision) {
      throw MvccException.futureRevision();
    }
    if (rev < compactRevision) {
      throw MvccException.compacted(compactRevision);
    }
    List<KeyValue> kvs = new ArrayList<>();
    long count = 0;
    for (KeyIndex ki : keysIn(r.key(), r.rangeEnd())) {
      KeyValue kv = ki.at(rev);
      if (kv == null) {
        continue;
      }
      count++;
      if (!r.countOnly() && (r.limit() <= 0 || kvs.size() < r.limit())) {
        kvs.add(r.keysOnly() ? new KeyValue(kv.key(), null, kv.createRevision(), kv.modRevision(),
            kv.version(), kv.lease()) : kv);
      }
    }
    boolean more = !r.countOnly() && r.limit() > 0 && count > r.limit();
    return new RangeResponse(new ResponseHeader(readableRevision), kvs, more, count);
  }

  public KeyValue latest(String key) {
    KeyIndex ki = index.get(key);
    return ki == null ? null : ki.latest();
  }

  /** The events of revisions ≥ {@code fromRevision} (which must not be below the compaction revision). */
  public List<RevisionEvents> eventsFrom(long fromRevision) {
    if (fromRevision < compactRevision) {
      throw MvccException.compacted(compactRevision);
    }
    int lo = 0;
    int hi = log.size();
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (log.get(mid).revision() < fromRevision) {
        lo = mid + 1;
      } else {
        hi = mid;
      }
    }
    return List.copyOf(log.subList(lo, log.size()));
  }

  // ------------------------------------------------------------------ writes

  public TxnOutcome txn(TxnRequest t) {
    boolean succeeded = t.compare() == null || t.compare().stream().allMatch(this::compare);
    List<RequestOp> ops = succeeded ? t.success() : t.failure();
    ops = ops == null ? List.of() : ops;
    checkOps(ops);

    long rev = currentRevision + 1;
    List<Change> changes = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    List<Object> partial = new ArrayList<>(ops.size());
    for (RequestOp op : ops) {
      if (op instanceof RangeRequest rr) {
        partial.add(rangeInTxn(rr));
      } else if (op instanceof PutRequest p) {
        KeyValue prev = put(p.key(), p.value(), p.lease(), rev, events.size(), events);
        changes.add(Change.put(p.key(), p.value(), p.lease()));
        partial.add(p.prevKv() ? prev : NO_PREV);
      } else if (op instanceof DeleteRangeRequest d) {
        List<KeyValue> deleted = new ArrayList<>();
        for (KeyIndex ki : List.copyOf(keysIn(d.key(), d.rangeEnd()))) {
          if (ki.latest() != null) {
            deleted.add(delete(ki.key, rev, events.size(), events));
            changes.add(Change.delete(ki.key));
          }
        }
        partial.add(new Deleted(deleted, d.prevKv()));
      }
    }
    Committed committed = null;
    if (!changes.isEmpty()) {
      currentRevision = rev;
      log.add(new RevisionEvents(rev, List.copyOf(events)));
      committed = new Committed(rev, List.copyOf(changes), List.copyOf(events));
    }
    ResponseHeader header = new ResponseHeader(currentRevision);
    List<ResponseOp> responses = new ArrayList<>(partial.size());
    for (Object p : partial) {
      if (p instanceof RangeResponse rr) {
        responses.add(new RangeResponse(header, rr.kvs(), rr.more(), rr.count()));
      } else if (p instanceof Deleted d) {
        responses.add(new DeleteRangeResponse(header, d.kvs.size(), d.prevKv ? d.kvs : List.of()));
      } else {
        responses.add(new PutResponse(header, p == NO_PREV ? null : (KeyValue) p));
      }
    }
    return new TxnOutcome(new TxnResponse(header, succeeded, responses), committed);
  }

  public TxnOutcome put(PutRequest p) {
    return txn(new TxnRequest(List.of(), List.of(p), List.of()));
  }

  public TxnOutcome deleteRange(DeleteRangeRequest d) {
    return txn(new TxnRequest(List.of(), List.of(d), List.of()));
  }

  /** Deletes keys (a lease's, when it is revoked or expires) in one revision; null if none existed. */
  public Committed deleteKeys(Collection<String> keys) {
    long rev = currentRevision + 1;
    List<Change> changes = new ArrayList<>();
    List<Event> events = new ArrayList<>();
    for (String key : keys.stream().sorted().toList()) {
      KeyIndex ki = index.get(key);
      if (ki != null && ki.latest() != null) {
        delete(key, rev, events.size(), events);
        changes.add(Change.delete(key));
      }
    }
    if (changes.isEmpty()) {
      return null;
    }
    currentRevision = rev;
    log.add(new RevisionEvents(rev, List.copyOf(events)));
    return new Committed(rev, List.copyOf(changes), List.copyOf(events));
  }

  /** Replays a journaled revision (recovery): the result is the state the original write produced. */
  public Committed apply(long revision, List<Change> changes) {
    if (revision != currentRevision + 1) {
      throw new IllegalStateException("journal gap: revision " + revision + " after " + currentRevision);
    }
    List<Event> events = new ArrayList<>();
    for (Change c : changes) {
      if (c.delete()) {
        delete(c.key(), revision, events.size(), events);
      } else {
        put(c.key(), c.value(), c.lease(), revision, events.size(), events);
      }
    }
    currentRevision = revision;
    log.add(new RevisionEvents(revision, List.copyOf(events)));
    return new Committed(revision, changes, List.copyOf(events));
  }

  /**
   * Forgets the history below {@code rev}: reads and watches at older revisions answer Compacted afterwards.
   */
  public void compact(long rev) {
    if (rev <= compactRevision) {
      throw MvccException.compacted(compactRevision);
    }
    if (rev > currentRevision) {
      throw MvccException.futureRevision();
    }
    index.values().removeIf(ki -> ki.compact(rev));
    int drop = 0;
    while (drop < log.size() && log.get(drop).revision() < rev) {
      drop++;
    }
    log.subList(0, drop).clear();
    // The revision at the compaction point keeps only what the index keeps: no tombstones, no prevKv (gone).
    if (!log.isEmpty() && log.get(0).revision() == rev) {
      List<Event> kept = log.get(0).events().stream().filter(e -> e.type() == EventType.PUT)
          .map(e -> new Event(e.type(), e.kv(), null)).toList();
      if (kept.isEmpty()) {
        log.remove(0);
      } else {
        log.set(0, new RevisionEvents(rev, kept));
      }
    }
    compactRevision = rev;
  }

  // ------------------------------------------------------------------ snapshots

  public MvccSnapshot snapshot() {
    List<MvccSnapshot.StoredVersion> versions = new ArrayList<>();
    for (KeyIndex ki : index.values()) {
      for (KeyIndex.Version v : ki.versions()) {
        KeyValue kv = v.kv();
        versions.add(new MvccSnapshot.StoredVersion(kv.key(), kv.value(), kv.createRevision(), kv.modRevision(),
            kv.version(), kv.lease(), v.sub()));
      }
    }
    return new MvccSnapshot(currentRevision, compactRevision, versions);
  }

  public static MvccStore restore(MvccSnapshot s, LeaseAttachments leases) {
    MvccStore store = new MvccStore();
    store.leases = leases;
    store.currentRevision = s.revision();
    store.compactRevision = s.compactRevision();
    record Pending(KeyIndex ki, int position, MvccSnapshot.StoredVersion v) {}
    List<Pending> replay = new ArrayList<>();
    for (MvccSnapshot.StoredVersion v : s.versions()) {
      KeyIndex ki = store.index.computeIfAbsent(v.key(), KeyIndex::new);
      ki.append(new KeyValue(v.key(), v.value(), v.createRevision(), v.modRevision(), v.version(), v.lease()),
          v.sub());
      replay.add(new Pending(ki, ki.versions().size() - 1, v));
    }
    for (KeyIndex ki : store.index.values()) {
      KeyValue live = ki.latest();
      if (live != null && live.lease() != 0) {
        leases.attach(live.lease(), live.key());
      }
    }
    replay.sort(Comparator.comparingLong((Pending p) -> p.v().modRevision()).thenComparingInt(p -> p.v().sub()));
    long rev = -1;
    List<Event> events = null;
    for (Pending p : replay) {
      if (p.v().modRevision() < s.compactRevision()) {
        continue;
      }
      if (p.v().modRevision() != rev) {
        if (events != null) {
          store.log.add(new RevisionEvents(rev, List.copyOf(events)));
        }
        rev = p.v().modRevision();
        events = new ArrayList<>();
      }
      KeyValue kv = p.ki().versions().get(p.position()).kv();
      KeyValue prev = p.v().modRevision() == s.compactRevision() ? null : p.ki().before(p.position());
      events.add(new Event(kv.version() == 0 ? EventType.DELETE : EventType.PUT, kv, prev));
    }
    if (events != null) {
      store.log.add(new RevisionEvents(rev, List.copyOf(events)));
    }
    return store;
  }

  // ------------------------------------------------------------------ internals

  private static final Object NO_PREV = new Object();

  private record Deleted(List<KeyValue> kvs, boolean prevKv) {}

  private KeyValue put(String key, byte[] value, long lease, long rev, int sub, List<Event> events) {
    KeyIndex ki = index.computeIfAbsent(key, KeyIndex::new);
    KeyValue prev = ki.latest();
    KeyValue kv = new KeyValue(key, value, prev == null ? rev : prev.createRevision(), rev,
        prev == null ? 1 : prev.version() + 1, lease);
    ki.append(kv, sub);
    if (prev != null && prev.lease() != 0 && prev.lease() != lease) {
      leases.detach(prev.lease(), key);
    }
    if (lease != 0) {
      leases.attach(lease, key);
    }
    events.add(new Event(EventType.PUT, kv, prev));
    return prev;
  }

  private KeyValue delete(String key, long rev, int sub, List<Event> events) {
    KeyIndex ki = index.get(key);
    KeyValue prev = ki.latest();
    KeyValue tombstone = new KeyValue(key, null, 0, rev, 0, 0);
    ki.append(tombstone, sub);
    if (prev.lease() != 0) {
      leases.detach(prev.lease(), key);
    }
    events.add(new Event(EventType.DELETE, tombstone, prev));
    return prev;
  }

  private RangeResponse rangeInTxn(RangeRequest r) {
    if (r.revision() <= 0) {
      // Inside a transaction, reads see the transaction's own earlier writes.
      List<KeyValue> kvs = new ArrayList<>();
      long count = 0;
      for (KeyIndex ki : keysIn(r.key(), r.rangeEnd())) {
        KeyValue kv = ki.latest();
        if (kv != null) {
          count++;
          if (!r.countOnly() && (r.limit() <= 0 || kvs.size() < r.limit())) {
            kvs.add(kv);
          }
        }
      }
      return new RangeResponse(null, kvs, r.limit() > 0 && count > r.limit(), count);
    }
    return range(r);
  }

  private Collection<KeyIndex> keysIn(String key, String rangeEnd) {
    if (rangeEnd == null || rangeEnd.isEmpty()) {
      KeyIndex ki = index.get(key);
      return ki == null ? List.of() : List.of(ki);
    }
    NavigableMap<String, KeyIndex> sub;
    if (rangeEnd.equals("\0")) {
      sub = key.equals("\0") ? index : index.tailMap(key, true);
    } else if (key.compareTo(rangeEnd) >= 0) {
      return List.of();
    } else {
      sub = index.subMap(key, true, rangeEnd, false);
    }
    return sub.values();
  }

  /** etcd's applyCompare: an absent key has version, createRevision and modRevision 0; a VALUE compare fails. */
  private boolean compare(Compare c) {
    KeyValue kv = latest(c.key());
    if (kv == null && c.target() == EtcdProtocol.CompareTarget.VALUE) {
      return false;
    }
    int cmp = switch (c.target()) {
      case VERSION -> Long.compare(kv == null ? 0 : kv.version(), c.number());
      case CREATE -> Long.compare(kv == null ? 0 : kv.createRevision(), c.number());
      case MOD -> Long.compare(kv == null ? 0 : kv.modRevision(), c.number());
      case LEASE -> Long.compare(kv == null ? 0 : kv.lease(), c.number());
      case VALUE -> Arrays.compareUnsigned(kv.value() == null ? new byte[0] : kv.value(),
          c.value() == null ? new byte[0] : c.value());
    };
    return switch (c.result()) {
      case EQUAL -> cmp == 0;
      case NOT_EQUAL -> cmp != 0;
      case GREATER -> cmp > 0;
      case LESS -> cmp < 0;
    };
  }

  /** etcd's checkTxnReqs/checkIntervals/checkRequests: bounded size, no key written twice, leases exist, ranges readable. */
  private void checkOps(List<RequestOp> ops) {
    if (ops.size() > MAX_TXN_OPS) {
      throw MvccException.of(EtcdProtocol.ERR_TOO_MANY_OPS);
    }
    Set<String> puts = new HashSet<>();
    List<DeleteRangeRequest> deletes = new ArrayList<>();
    for (RequestOp op : ops) {
      if (op instanceof PutRequest p) {
        if (!puts.add(p.key())) {
          throw MvccException.of(EtcdProtocol.ERR_DUPLICATE_KEY);
        }
        if (p.lease() != 0 && !leases.exists(p.lease())) {
          throw MvccException.of(EtcdProtocol.ERR_LEASE_NOT_FOUND);
        }
      } else if (op instanceof DeleteRangeRequest d) {
        deletes.add(d);
      } else if (op instanceof RangeRequest r && r.revision() > 0) {
        // Checked before anything is applied: a range failing halfway would leave half a transaction behind.
        if (r.revision() > currentRevision) {
          throw MvccException.futureRevision();
        }
        if (r.revision() < compactRevision) {
          throw MvccException.compacted(compactRevision);
        }
      }
    }
    for (DeleteRangeRequest d : deletes) {
      for (String k : puts) {
        boolean covered = d.rangeEnd() == null || d.rangeEnd().isEmpty() ? k.equals(d.key())
            : k.compareTo(d.key()) >= 0 && (d.rangeEnd().equals("\0") || k.compareTo(d.rangeEnd()) < 0);
        if (covered) {
          throw MvccException.of(EtcdProtocol.ERR_DUPLICATE_KEY);
        }
      }
    }
  }
}
