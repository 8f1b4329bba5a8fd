package io.kemu.etcd.lease;

import io.kemu.api.CborSerializable;
import io.kemu.etcd.mvcc.MvccStore;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.LongSupplier;

/**
 * etcd's lessor (server/lease/lessor.go): leases with a TTL that keep-alives refresh; the keys attached to a
 * lease are deleted, in one revision, when it is revoked or expires. Grants and revocations are journaled;
 * expiry deadlines are not: after a restart every lease gets a full TTL again, as etcd does after a leader
 * change.
 */
public final class Lessor implements MvccStore.LeaseAttachments {
  /** etcd's MaxLeaseTTL. */
  public static final long MAX_TTL_SECONDS = 9_000_000_000L;

  public record LeaseRecord(long id, long ttlSeconds) implements CborSerializable {}

  private static final class Lease {
    final long id;
    final long ttlSeconds;
    long deadlineNanos;
    final Set<String> keys = new LinkedHashSet<>();

    Lease(long id, long ttlSeconds) {
      this.id = id;
      this.ttlSeconds = ttlSeconds;
    }
  }

  private final Map<Long, Lease> leases = new HashMap<>();
  private final LongSupplier nanoClock;
  private final Function<Long, Duration> realTtl;
  private long lastId;

  /**
   * @param nanoClock monotonic time (injected: tests drive it)
   * @param realTtl the real duration of a TTL in emulated seconds (time-scale)
   */
  public Lessor(LongSupplier nanoClock, Function<Long, Duration> realTtl) {
    this.nanoClock = nanoClock;
    this.realTtl = realTtl;
  }

  public long nextId() {
    return lastId + 1;
  }

  public void grant(long id, long ttlSeconds) {
    Lease l = new Lease(id, Math.max(1, ttlSeconds));
    refresh(l);
    leases.put(id, l);
    lastId = Math.max(lastId, id);
  }

  /** Removes the lease and returns the keys to delete. */
  public Set<String> revoke(long id) {
    Lease l = leases.remove(id);
    return l == null ? Set.of() : Set.copyOf(l.keys);
  }

  /** Returns the TTL, or -1 if the lease does not exist. */
  public long keepAlive(long id) {
    Lease l = leases.get(id);
    if (l == null) {
      return -1;
    }
    refresh(l);
    return l.ttlSeconds;
  }

  /** Remaining emulated seconds, granted TTL and keys; null if the lease does not exist. */
  public long[] timeToLive(long id) {
    Lease l = leases.get(id);
    if (l == null) {
      return null;
    }
    long remainingNanos = Math.max(0, l.deadlineNanos - nanoClock.getAsLong());
    double fraction = (double) remainingNanos / Math.max(1, realTtl.apply(l.ttlSeconds).toNanos());
    return new long[] {Math.round(fraction * l.ttlSeconds), l.ttlSeconds};
  }

  public List<String> keys(long id) {
    Lease l = leases.get(id);
    return l == null ? List.of() : List.copyOf(l.keys);
  }

  public List<Long> expired() {
    long now = nanoClock.getAsLong();
    List<Long> out = new ArrayList<>();
    for (Lease l : leases.values()) {
      if (now - l.deadlineNanos >= 0) {
        out.add(l.id);
      }
    }
    return out;
  }

  public int size() {
    return leases.size();
  }

  public List<LeaseRecord> snapshot() {
    return leases.values().stream().map(l -> new LeaseRecord(l.id, l.ttlSeconds)).toList();
  }

  public void restore(List<LeaseRecord> records, long lastGrantedId) {
    records.forEach(r -> grant(r.id(), r.ttlSeconds()));
    lastId = Math.max(lastId, lastGrantedId);
  }

  public long lastId() {
    return lastId;
  }

  @Override
  public boolean exists(long leaseId) {
    return leases.containsKey(leaseId);
  }

  @Override
  public void attach(long leaseId, String key) {
    Lease l = leases.get(leaseId);
    if (l != null) {
      l.keys.add(key);
    }
  }

  @Override
  public void detach(long leaseId, String key) {
    Lease l = leases.get(leaseId);
    if (l != null) {
      l.keys.remove(key);
    }
  }

  private void refresh(Lease l) {
    l.deadlineNanos = nanoClock.getAsLong() + realTtl.apply(l.ttlSeconds).toNanos();
  }
}
