package io.kemu.apiserver.storage;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.kemu.api.KubeJson;
import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Compare;
import io.kemu.api.etcd.EtcdProtocol.CompareResult;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeRequest;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeResponse;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeResponse;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnResponse;
import io.kemu.apiserver.errors.ApiException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.function.Predicate;

/**
 * kube-apiserver's storage.Interface over etcd3 (staging/src/k8s.io/apiserver/pkg/storage/etcd3/store.go):
 * objects are JSON bytes under their key, their resourceVersion is the key's modRevision.
 */
public final class Storage {
  /** An object as stored, with the revision that last modified it. */
  public record Stored(String key, byte[] value, long revision, long lease) {
    public Stored(String key, byte[] value, long revision) {
      this(key, value, revision, 0);
    }

    static Stored of(KeyValue kv) {
      return new Stored(kv.key(), kv.value(), kv.modRevision(), kv.lease());
    }
  }

  public record ListResult(List<Stored> items, long revision, String continueToken, Long remainingItemCount) {}

  /** GuaranteedUpdate's tryUpdate: returns the new bytes, or throws to abort (e.g. an ApiException). */
  @FunctionalInterface
  public interface UpdateFunction {
    byte[] apply(Stored current);
  }

  private static final int MAX_CAS_ATTEMPTS = 50;

  private final EtcdClient etcd;
  private final LeaseManager leases;

  public Storage(EtcdClient etcd) {
    this.etcd = etcd;
    this.leases = new LeaseManager(etcd);
  }

  public EtcdClient etcd() {
    return etcd;
  }

  /** Create if absent; {@code ttlSeconds} > 0 attaches the key to a lease (events expire like this). */
  public CompletionStage<Stored> create(String key, byte[] value, long ttlSeconds) {
    CompletionStage<Long> lease = ttlSeconds > 0 ? leases.leaseFor(ttlSeconds) : CompletableFuture.completedFuture(0L);
    return lease.thenCompose(leaseId -> etcd.<TxnResponse>ask(r -> new EtcdProtocol.Txn(new TxnRequest(
            List.of(Compare.absent(key)), List.of(new PutRequest(key, value, leaseId, false)), List.of()), r))
        .thenApply(resp -> {
          if (!resp.succeeded()) {
            throw new StorageException(StorageException.Code.KEY_EXISTS, key, "key exists");
          }
          return new Stored(key, value, resp.header().revision(), leaseId);
        }));
  }

  public CompletionStage<Optional<Stored>> get(String key) {
    return etcd.<RangeResponse>ask(r -> new EtcdProtocol.Range(RangeRequest.key(key), r))
        .thenApply(resp -> resp.kvs().isEmpty() ? Optional.<Stored>empty() : Optional.of(Stored.of(resp.kvs().get(0))));
  }

  /** The store's current revision (what an empty list answers as its resourceVersion). */
  public CompletionStage<Long> currentRevision() {
    return etcd.<RangeResponse>ask(r -> new EtcdProtocol.Range(
        new RangeRequest("/registry/health", null, 0, 1, true, false), r)).thenApply(resp -> resp.header().revision());
  }

  /**
   * A page of a prefix, consistent at one revision: {@code revision} 0 reads the newest one. Like the etcd3
   * store's GetList, keeps reading until {@code limit} objects pass the filter or the prefix is exhausted.
   */
  public CompletionStage<ListResult> list(String prefix, long revision, long limit, String continueToken,
                                          Predicate<Stored> filter) {
    String start = prefix;
    long rev = revision;
    if (continueToken != null && !continueToken.isEmpty()) {
      Continue c = Continue.decode(continueToken);
      start = prefix + c.start();
      rev = c.rv();
    }
    return listFrom(prefix, start, rev, limit, filter, new ArrayList<>());
  }

  private CompletionStage<ListResult> listFrom(String prefix, String start, long rev, long limit,
                                               Predicate<Stored> filter, List<Stored> acc) {
    String end = EtcdProtocol.prefixEnd(prefix);
    // Pages stay small whatever the limit: a message between JVMs has a bounded size.
    long pageSize = 500;
    return etcd.<RangeResponse>ask(r -> new EtcdProtocol.Range(new RangeRequest(start, end, rev, pageSize,
            false, false), r))
        .exceptionally(e -> {
          Throwable cause = e instanceof CompletionException ? e.getCause() : e;
          if (cause instanceof EtcdClient.EtcdError err && err.isCompacted()) {
            throw ApiException.gone("The provided continue parameter is too old to display a consistent list "
                + "result. You can start a new list without the continue parameter.");
          }
          throw e instanceof CompletionException ce ? ce : new CompletionException(e);
        })
        .thenCompose(resp -> {
          long atRev = rev > 0 ? rev : resp.header().revision();
          String lastKey = null;
          for (KeyValue kv : resp.kvs()) {
            lastKey = kv.key();
            Stored s = Stored.of(kv);
            if (filter.test(s)) {
              acc.add(s);
              if (limit > 0 && acc.size() == limit) {
                boolean moreInPage = !kv.equals(resp.kvs().get(resp.kvs().size() - 1));
                if (moreInPage || resp.more()) {
                  String next = lastKey.substring(prefix.length()) + "\0";
                  long remaining = filter == ALL ? resp.count() - (resp.kvs().indexOf(kv) + 1) : -1;
                  return CompletableFuture.completedFuture(new ListResult(acc, atRev,
                      new Continue(atRev, next).encode(), remaining >= 0 ? remaining : null));
                }
                return CompletableFuture.completedFuture(new ListResult(acc, atRev, null, null));
              }
            }
          }
          if (resp.more() && lastKey != null) {
            return listFrom(prefix, lastKey + "\0", atRev, limit, filter, acc);
          }
          return CompletableFuture.completedFuture(new ListResult(acc, atRev, null, null));
        });
  }

  public static final Predicate<Stored> ALL = s -> true;

  public record RawList(List<KeyValue> kvs, long revision) {}

  /** Every key of a prefix at one revision, read in pages (messages between JVMs have a bounded size). */
  public CompletionStage<RawList> listAll(String prefix) {
    return pageAll(prefix, prefix, 0, new ArrayList<>());
  }

  private CompletionStage<RawList> pageAll(String prefix, String start, long rev, List<KeyValue> acc) {
    return etcd.<RangeResponse>ask(r -> new EtcdProtocol.Range(new RangeRequest(start,
            EtcdProtocol.prefixEnd(prefix), rev, 500, false, false), r))
        .thenCompose(resp -> {
          long atRev = rev > 0 ? rev : resp.header().revision();
          acc.addAll(resp.kvs());
          if (resp.more() && !resp.kvs().isEmpty()) {
            return pageAll(prefix, resp.kvs().get(resp.kvs().size() - 1).key() + "\0", atRev, acc);
          }
          return CompletableFuture.completedFuture(new RawList(acc, atRev));
        });
  }

  /**
   * Read-modify-write with compare-and-swap on the modRevision, retried on conflict. An update that changes no
   * byte writes nothing (no new resourceVersion), as in kube-apiserver.
   */
  public CompletionStage<Stored> guaranteedUpdate(String key, Stored knownCurrent, UpdateFunction tryUpdate) {
    if (knownCurrent != null) {
      return attemptUpdate(key, knownCurrent, tryUpdate, 1, false);
    }
    return readCurrent(key).thenCompose(cur -> attemptUpdate(key, cur, tryUpdate, 1, true));
  }

  private CompletionStage<Stored> readCurrent(String key) {
    return get(key).thenApply(o -> o.orElseThrow(() -> new StorageException(StorageException.Code.KEY_NOT_FOUND,
        key, "not found")));
  }

  /**
   * {@code current} false: {@code cur} came from a cache and may be stale. As etcd3's GuaranteedUpdate, a failing
   * tryUpdate or a no-op on such a state is decided again on the value read from etcd.
   */
  private CompletionStage<Stored> attemptUpdate(String key, Stored cur, UpdateFunction tryUpdate, int attempt,
                                                boolean current) {
    byte[] next;
    try {
      next = tryUpdate.apply(cur);
    } catch (RuntimeException e) {
      if (current) {
        throw e;
      }
      return readCurrent(key).thenCompose(fresh -> attemptUpdate(key, fresh, tryUpdate, attempt, true));
    }
    if (Arrays.equals(next, cur.value())) {
      if (!current) {
        return readCurrent(key).thenCompose(fresh -> attemptUpdate(key, fresh, tryUpdate, attempt, true));
      }
      return CompletableFuture.completedFuture(cur);
    }
    return etcd.<TxnResponse>ask(r -> new EtcdProtocol.Txn(new TxnRequest(
            List.of(Compare.modRevision(key, CompareResult.EQUAL, cur.revision())),
            List.of(new PutRequest(key, next, cur.lease(), false)),
            List.of(RangeRequest.key(key))), r))
        .thenCompose(resp -> {
          if (resp.succeeded()) {
            return CompletableFuture.completedFuture(new Stored(key, next, resp.header().revision(), cur.lease()));
          }
          RangeResponse latest = (RangeResponse) resp.responses().get(0);
          if (latest.kvs().isEmpty()) {
            throw new StorageException(StorageException.Code.KEY_NOT_FOUND, key, "not found");
          }
          if (attempt >= MAX_CAS_ATTEMPTS) {
            throw new StorageException(StorageException.Code.RESOURCE_VERSION_CONFLICTS, key, "too many conflicts");
          }
          return attemptUpdate(key, Stored.of(latest.kvs().get(0)), tryUpdate, attempt + 1, true);
        });
  }

  /**
   * Deletes the key if {@code precondition} holds for its current value (checked again on every conflict);
   * returns what was deleted.
   */
  public CompletionStage<Stored> delete(String key, Stored knownCurrent, Predicate<Stored> precondition) {
    CompletionStage<Stored> current = knownCurrent != null ? CompletableFuture.completedFuture(knownCurrent)
        : get(key).thenApply(o -> o.orElseThrow(() -> new StorageException(StorageException.Code.KEY_NOT_FOUND,
            key, "not found")));
    return current.thenCompose(cur -> attemptDelete(key, cur, precondition, 1));
  }

  private CompletionStage<Stored> attemptDelete(String key, Stored cur, Predicate<Stored> precondition, int attempt) {
    if (!precondition.test(cur)) {
      throw new StorageException(StorageException.Code.RESOURCE_VERSION_CONFLICTS, key, "precondition failed");
    }
    return etcd.<TxnResponse>ask(r -> new EtcdProtocol.Txn(new TxnRequest(
            List.of(Compare.modRevision(key, CompareResult.EQUAL, cur.revision())),
            List.of(DeleteRangeRequest.key(key, true)),
            List.of(RangeRequest.key(key))), r))
        .thenCompose(resp -> {
          if (resp.succeeded()) {
            DeleteRangeResponse d = (DeleteRangeResponse) resp.responses().get(0);
            return CompletableFuture.completedFuture(new Stored(key, cur.value(), d.header().revision()));
          }
          RangeResponse latest = (RangeResponse) resp.responses().get(0);
          if (latest.kvs().isEmpty()) {
            throw new StorageException(StorageException.Code.KEY_NOT_FOUND, key, "not found");
          }
          if (attempt >= MAX_CAS_ATTEMPTS) {
            throw new StorageException(StorageException.Code.RESOURCE_VERSION_CONFLICTS, key, "too many conflicts");
          }
          return attemptDelete(key, Stored.of(latest.kvs().get(0)), precondition, attempt + 1);
        });
  }

  public CompletionStage<EtcdProtocol.WatchCreated> watch(String prefix, long fromRevision) {
    return etcd.ask(r -> new EtcdProtocol.Watch(new EtcdProtocol.WatchRequest(prefix,
        EtcdProtocol.prefixEnd(prefix), fromRevision, true, true), r));
  }

  public CompletionStage<Void> compact(long revision) {
    return etcd.<EtcdProtocol.CompactResponse>ask(r -> new EtcdProtocol.Compact(revision, r)).thenApply(x -> null);
  }

  /** The list continue token of kube-apiserver: base64 of {"v":"meta.k8s.io/v1","rv":N,"start":"..."}. */
  record Continue(long rv, String start) {
    String encode() {
      ObjectNode n = KubeJson.MAPPER.createObjectNode();
      n.put("v", "meta.k8s.io/v1");
      n.put("rv", rv);
      n.put("start", start);
      return Base64.getUrlEncoder().withoutPadding().encodeToString(KubeJson.bytes(n));
    }

    static Continue decode(String token) {
      try {
        byte[] raw;
        try {
          raw = Base64.getUrlDecoder().decode(token);
        } catch (IllegalArgumentException e) {
          raw = Base64.getDecoder().decode(token);
        }
        var n = KubeJson.MAPPER.readTree(new String(raw, StandardCharsets.UTF_8));
        if (!"meta.k8s.io/v1".equals(n.path("v").asText()) || n.path("rv").asLong() <= 0
            || n.path("start").asText().contains("..") || n.path("start").asText().startsWith("/")) {
          throw new IllegalArgumentException();
        }
        return new Continue(n.path("rv").asLong(), n.path("start").asText());
      } catch (Exception e) {
        throw ApiException.badRequest("continue key is not valid: incorrect encoded start resourceVersion "
            + "(version meta.k8s.io/v1)");
      }
    }
  }

  /** Reuses one etcd lease per TTL bucket for a minute, like kube-apiserver's leaseManager. */
  static final class LeaseManager {
    private final EtcdClient etcd;
    private long leaseId;
    private long leaseTtl;
    private long grantedAtNanos;

    LeaseManager(EtcdClient etcd) {
      this.etcd = etcd;
    }

    synchronized CompletionStage<Long> leaseFor(long ttlSeconds) {
      long now = System.nanoTime();
      if (leaseId != 0 && leaseTtl >= ttlSeconds && now - grantedAtNanos < Duration.ofSeconds(60).toNanos()) {
        return CompletableFuture.completedFuture(leaseId);
      }
      long ttl = ttlSeconds + 60;
      return etcd.<EtcdProtocol.LeaseGrantResponse>ask(r -> new EtcdProtocol.LeaseGrant(ttl, 0, r))
          .thenApply(resp -> {
            synchronized (this) {
              leaseId = resp.id();
              leaseTtl = ttlSeconds;
              grantedAtNanos = now;
            }
            return resp.id();
          });
    }
  }
}
