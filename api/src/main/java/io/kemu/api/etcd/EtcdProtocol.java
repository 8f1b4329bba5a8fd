package io.kemu.api.etcd;

import com.fasterxml.jackson.annotation.JsonSubTypes;
import com.fasterxml.jackson.annotation.JsonTypeInfo;
import io.kemu.api.CborSerializable;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.ServiceKey;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.SourceRef;

/**
 * The whole protocol of the etcd-store role, modelled on etcd's v3 KV, Watch and Lease services
 * (api/etcdserverpb/rpc.proto). Other JVMs find the store through the Receptionist under
 * {@link #SERVICE_KEY}. Keys are strings ({@code /registry/pods/default/nginx}); values are bytes.
 * Failures come back as {@link StatusReply#error} carrying one of etcd's error texts below.
 */
public final class EtcdProtocol {
  private EtcdProtocol() {}

  public static final ServiceKey<Command> SERVICE_KEY = ServiceKey.create(Command.class, "etcd-store");

  /** etcd's texts, so that a client can map them like kube-apiserver does (compacted → 410 Gone). */
  public static final String ERR_COMPACTED = "mvcc: required revision has been compacted";
  public static final String ERR_FUTURE_REV = "mvcc: required revision is a future revision";
  public static final String ERR_LEASE_NOT_FOUND = "etcdserver: requested lease not found";
  public static final String ERR_TOO_MANY_OPS = "etcdserver: too many operations in txn request";
  public static final String ERR_DUPLICATE_KEY = "etcdserver: duplicate key given in txn request";

  // ---------------------------------------------------------------- data

  /** mvccpb.KeyValue. {@code version} counts modifications since creation; 0 marks a deletion. */
  public record KeyValue(String key, byte[] value, long createRevision, long modRevision, long version, long lease)
      implements CborSerializable {
    public String valueUtf8() {
      return value == null ? "" : new String(value, StandardCharsets.UTF_8);
    }
  }

  public enum EventType { PUT, DELETE }

  /** mvccpb.Event: for DELETE, {@code kv} holds the key and the deleting revision as modRevision. */
  public record Event(EventType type, KeyValue kv, KeyValue prevKv) implements CborSerializable {}

  public record ResponseHeader(long revision) implements CborSerializable {}

  // ---------------------------------------------------------------- requests (also the ops of a Txn)

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = RangeRequest.class, name = "range"),
      @JsonSubTypes.Type(value = PutRequest.class, name = "put"),
      @JsonSubTypes.Type(value = DeleteRangeRequest.class, name = "delete")})
  public sealed interface RequestOp extends CborSerializable permits RangeRequest, PutRequest, DeleteRangeRequest {}

  /**
   * One key when {@code rangeEnd} is null; [key, rangeEnd) otherwise; {@code rangeEnd = "\0"} means every key
   * ≥ key. {@code revision} ≤ 0 reads the newest revision. {@code limit} 0 = no limit.
   */
  public record RangeRequest(String key, String rangeEnd, long revision, long limit, boolean countOnly,
                             boolean keysOnly) implements RequestOp {
    public static RangeRequest key(String key) {
      return new RangeRequest(key, null, 0, 0, false, false);
    }

    public static RangeRequest prefix(String prefix) {
      return new RangeRequest(prefix, prefixEnd(prefix), 0, 0, false, false);
    }

    public RangeRequest atRevision(long rev) {
      return new RangeRequest(key, rangeEnd, rev, limit, countOnly, keysOnly);
    }

    public RangeRequest withLimit(long newLimit) {
      return new RangeRequest(key, rangeEnd, revision, newLimit, countOnly, keysOnly);
    }
  }

  public record PutRequest(String key, byte[] value, long lease, boolean prevKv) implements RequestOp {
    public PutRequest(String key, byte[] value) {
      this(key, value, 0, false);
    }
  }

  public record DeleteRangeRequest(String key, String rangeEnd, boolean prevKv) implements RequestOp {
    public static DeleteRangeRequest key(String key, boolean prevKv) {
      return new DeleteRangeRequest(key, null, prevKv);
    }
  }

  public enum CompareTarget { VERSION, CREATE, MOD, VALUE, LEASE }

  public enum CompareResult { EQUAL, GREATER, LESS, NOT_EQUAL }

  /** etcdserverpb.Compare on one key; a missing key has version/create/mod 0 and an empty value. */
  public record Compare(String key, CompareTarget target, CompareResult result, long number, byte[] value)
      implements CborSerializable {
    public static Compare modRevision(String key, CompareResult result, long rev) {
      return new Compare(key, CompareTarget.MOD, result, rev, null);
    }

    public static Compare version(String key, CompareResult result, long version) {
      return new Compare(key, CompareTarget.VERSION, result, version, null);
    }

    public static Compare absent(String key) {
      return version(key, CompareResult.EQUAL, 0);
    }
  }

  public record TxnRequest(List<Compare> compare, List<RequestOp> success, List<RequestOp> failure)
      implements CborSerializable {}

  // ---------------------------------------------------------------- responses

  @JsonTypeInfo(use = JsonTypeInfo.Id.NAME, property = "op")
  @JsonSubTypes({
      @JsonSubTypes.Type(value = RangeResponse.class, name = "range"),
      @JsonSubTypes.Type(value = PutResponse.class, name = "put"),
      @JsonSubTypes.Type(value = DeleteRangeResponse.class, name = "delete")})
  public sealed interface ResponseOp extends CborSerializable permits RangeResponse, PutResponse, DeleteRangeResponse {}

  public record RangeResponse(ResponseHeader header, List<KeyValue> kvs, boolean more, long count)
      implements ResponseOp {}

  public record PutResponse(ResponseHeader header, KeyValue prevKv) implements ResponseOp {}

  public record DeleteRangeResponse(ResponseHeader header, long deleted, List<KeyValue> prevKvs)
      implements ResponseOp {}

  public record TxnResponse(ResponseHeader header, boolean succeeded, List<ResponseOp> responses)
      implements CborSerializable {}

  public record CompactResponse(ResponseHeader header) implements CborSerializable {}

  public record LeaseGrantResponse(ResponseHeader header, long id, long ttl) implements CborSerializable {}

  public record LeaseRevokeResponse(ResponseHeader header) implements CborSerializable {}

  public record LeaseKeepAliveResponse(ResponseHeader header, long id, long ttl) implements CborSerializable {}

  public record LeaseTimeToLiveResponse(ResponseHeader header, long id, long ttl, long grantedTtl, List<String> keys)
      implements CborSerializable {}

  /** maintenance.Status, plus the facts a debugging CLI wants. */
  public record StatusResponse(ResponseHeader header, long compactRevision, long keys, long watchers,
                               long leases, String dataDir, long persistedSequenceNr) implements CborSerializable {}

  // ---------------------------------------------------------------- watch

  /**
   * Watch [key, rangeEnd) (one key if rangeEnd is null) from {@code startRevision} (≤ 0: from the next
   * revision). Events come through a stream; {@code progressNotify} asks for periodic empty responses carrying
   * the current revision (bookmarks).
   */
  public record WatchRequest(String key, String rangeEnd, long startRevision, boolean prevKv,
                             boolean progressNotify) implements CborSerializable {
    public static WatchRequest prefix(String prefix, long startRevision) {
      return new WatchRequest(prefix, prefixEnd(prefix), startRevision, false, true);
    }
  }

  /**
   * One element of a watch stream. The events of one revision always travel in one response. A response with
   * no events is a progress notification. {@code canceled} ends the stream: with {@code compactRevision > 0}
   * the start revision was compacted (resume impossible, relist), otherwise {@code cancelReason} says why
   * (e.g. the watcher fell too far behind; resume from the last revision seen).
   */
  public record WatchResponse(ResponseHeader header, List<Event> events, boolean canceled, long compactRevision,
                              String cancelReason) implements CborSerializable {
    public boolean isProgressNotify() {
      return !canceled && events.isEmpty();
    }
  }

  public record WatchCreated(SourceRef<WatchResponse> events) implements CborSerializable {}

  // ---------------------------------------------------------------- commands

  /** Every command is answered exactly once, to its {@code replyTo}, success or error. */
  public sealed interface Command extends CborSerializable
      permits Range, Put, DeleteRange, Txn, Compact, Watch, LeaseGrant, LeaseRevoke, LeaseKeepAlive,
      LeaseTimeToLive, Status {
    ActorRef<? extends StatusReply<?>> replyTo();
  }

  public record Range(RangeRequest request, ActorRef<StatusReply<RangeResponse>> replyTo) implements Command {}

  public record Put(PutRequest request, ActorRef<StatusReply<PutResponse>> replyTo) implements Command {}

  public record DeleteRange(DeleteRangeRequest request, ActorRef<StatusReply<DeleteRangeResponse>> replyTo)
      implements Command {}

  public record Txn(TxnRequest request, ActorRef<StatusReply<TxnResponse>> replyTo) implements Command {}

  public record Compact(long revision, ActorRef<StatusReply<CompactResponse>> replyTo) implements Command {}

  public record Watch(WatchRequest request, ActorRef<StatusReply<WatchCreated>> replyTo) implements Command {}

  /** {@code id} 0 lets the store choose. */
  public record LeaseGrant(long ttlSeconds, long id, ActorRef<StatusReply<LeaseGrantResponse>> replyTo)
      implements Command {}

  public record LeaseRevoke(long id, ActorRef<StatusReply<LeaseRevokeResponse>> replyTo) implements Command {}

  public record LeaseKeepAlive(long id, ActorRef<StatusReply<LeaseKeepAliveResponse>> replyTo) implements Command {}

  public record LeaseTimeToLive(long id, boolean keys, ActorRef<StatusReply<LeaseTimeToLiveResponse>> replyTo)
      implements Command {}

  public record Status(ActorRef<StatusReply<StatusResponse>> replyTo) implements Command {}

  // ---------------------------------------------------------------- helpers

  /** etcd's clientv3.GetPrefixRangeEnd: the smallest key greater than every key with this prefix. */
  public static String prefixEnd(String prefix) {
    char[] c = prefix.toCharArray();
    for (int i = c.length - 1; i >= 0; i--) {
      if (c[i] < Character.MAX_VALUE) {
        c[i]++;
        return new String(c, 0, i + 1);
      }
    }
    return "\0"; // every key
  }
}
