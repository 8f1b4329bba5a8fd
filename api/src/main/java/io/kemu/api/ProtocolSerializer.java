package io.kemu.api;

import io.kemu.api.ApiServerProtocol.Call;
import io.kemu.api.ApiServerProtocol.Response;
import io.kemu.api.ApiServerProtocol.Target;
import io.kemu.api.ApiServerProtocol.Verb;
import io.kemu.api.ApiServerProtocol.WatchEvent;
import io.kemu.api.etcd.EtcdProtocol.Compare;
import io.kemu.api.etcd.EtcdProtocol.CompareResult;
import io.kemu.api.etcd.EtcdProtocol.CompareTarget;
import io.kemu.api.etcd.EtcdProtocol.DeleteRange;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeRequest;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeResponse;
import io.kemu.api.etcd.EtcdProtocol.Event;
import io.kemu.api.etcd.EtcdProtocol.EventType;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.Put;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.PutResponse;
import io.kemu.api.etcd.EtcdProtocol.Range;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeResponse;
import io.kemu.api.etcd.EtcdProtocol.RequestOp;
import io.kemu.api.etcd.EtcdProtocol.ResponseHeader;
import io.kemu.api.etcd.EtcdProtocol.ResponseOp;
import io.kemu.api.etcd.EtcdProtocol.Txn;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnResponse;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.ExtendedActorSystem;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.ActorRefResolver;
import org.apache.pekko.actor.typed.javadsl.Adapter;
import org.apache.pekko.serialization.SerializerWithStringManifest;

/**
 * The binary form of the messages every request crosses JVMs with: the in-cluster API calls and their answers,
 * the API watch events, and the store's read/write commands, answers and watch responses. Jackson CBOR (the
 * serializer of every other message) spent a fifth of the apiserver's CPU on these under load; this writes their
 * fields in order, with varints and length-prefixed bytes, as protobuf's wire format does, and no reflection.
 * Journal events and snapshots are not bound here: their stored format stays CBOR.
 *
 * <p>Absent (null) strings, byte arrays, lists and maps are written as length -1 and read back as null.
 */
public final class ProtocolSerializer extends SerializerWithStringManifest {
  private static final String CALL = "C";
  private static final String RESPONSE = "R";
  private static final String WATCH_EVENT = "W";
  private static final String RANGE = "er";
  private static final String PUT = "ep";
  private static final String DELETE_RANGE = "ed";
  private static final String TXN = "et";
  private static final String RANGE_RESPONSE = "eR";
  private static final String PUT_RESPONSE = "eP";
  private static final String DELETE_RANGE_RESPONSE = "eD";
  private static final String TXN_RESPONSE = "eT";
  private static final String WATCH_RESPONSE = "eW";

  private static final Verb[] VERBS = Verb.values();
  private static final CompareTarget[] COMPARE_TARGETS = CompareTarget.values();
  private static final CompareResult[] COMPARE_RESULTS = CompareResult.values();

  private final ExtendedActorSystem system;
  private volatile ActorRefResolver resolver;

  public ProtocolSerializer(ExtendedActorSystem system) {
    this.system = system;
  }

  @Override
  public int identifier() {
    return 417_001;
  }

  @Override
  public String manifest(Object o) {
    if (o instanceof Call) {
      return CALL;
    } else if (o instanceof Response) {
      return RESPONSE;
    } else if (o instanceof WatchEvent) {
      return WATCH_EVENT;
    } else if (o instanceof Range) {
      return RANGE;
    } else if (o instanceof Put) {
      return PUT;
    } else if (o instanceof DeleteRange) {
      return DELETE_RANGE;
    } else if (o instanceof Txn) {
      return TXN;
    } else if (o instanceof RangeResponse) {
      return RANGE_RESPONSE;
    } else if (o instanceof PutResponse) {
      return PUT_RESPONSE;
    } else if (o instanceof DeleteRangeResponse) {
      return DELETE_RANGE_RESPONSE;
    } else if (o instanceof TxnResponse) {
      return TXN_RESPONSE;
    } else if (o instanceof WatchResponse) {
      return WATCH_RESPONSE;
    }
    throw new IllegalArgumentException("ProtocolSerializer cannot serialize " + o.getClass().getName());
  }

  @Override
  public byte[] toBinary(Object o) {
    Writer w = new Writer();
    if (o instanceof Call c) {
      w.string(c.bearerToken());
      w.varint(c.verb() == null ? -1 : c.verb().ordinal());
      target(w, c.target());
      w.map(c.query());
      w.string(c.contentType());
      w.bytes(c.body());
      w.string(ref(c.replyTo()));
    } else if (o instanceof Response r) {
      w.varint(r.code());
      w.bytes(r.body());
    } else if (o instanceof WatchEvent e) {
      w.string(e.type());
      w.bytes(e.object());
    } else if (o instanceof Range r) {
      rangeRequest(w, r.request());
      w.string(ref(r.replyTo()));
    } else if (o instanceof Put p) {
      putRequest(w, p.request());
      w.string(ref(p.replyTo()));
    } else if (o instanceof DeleteRange d) {
      deleteRangeRequest(w, d.request());
      w.string(ref(d.replyTo()));
    } else if (o instanceof Txn t) {
      txnRequest(w, t.request());
      w.string(ref(t.replyTo()));
    } else if (o instanceof ResponseOp op) {
      responseOp(w, op);
    } else if (o instanceof TxnResponse t) {
      header(w, t.header());
      w.bool(t.succeeded());
      if (w.size(t.responses())) {
        for (ResponseOp op : t.responses()) {
          w.varint(op instanceof RangeResponse ? 0 : op instanceof PutResponse ? 1 : 2);
          responseOp(w, op);
        }
      }
    } else if (o instanceof WatchResponse r) {
      header(w, r.header());
      if (w.size(r.events())) {
        for (Event e : r.events()) {
          w.varint(e.type() == null ? -1 : e.type().ordinal());
          keyValue(w, e.kv());
          keyValue(w, e.prevKv());
        }
      }
      w.bool(r.canceled());
      w.varint(r.compactRevision());
      w.string(r.cancelReason());
    } else {
      throw new IllegalArgumentException("ProtocolSerializer cannot serialize " + o.getClass().getName());
    }
    return w.toByteArray();
  }

  @Override
  public Object fromBinary(byte[] bytes, String manifest) throws NotSerializableException {
    Reader r = new Reader(bytes);
    try {
      return switch (manifest) {
        case CALL -> {
          String token = r.string();
          int verb = (int) r.varint();
          yield new Call(token, verb < 0 ? null : VERBS[verb], target(r), r.map(), r.string(), r.bytes(),
              resolve(r.string()));
        }
        case RESPONSE -> new Response((int) r.varint(), r.bytes());
        case WATCH_EVENT -> new WatchEvent(r.string(), r.bytes());
        case RANGE -> new Range(rangeRequest(r), resolve(r.string()));
        case PUT -> new Put(putRequest(r), resolve(r.string()));
        case DELETE_RANGE -> new DeleteRange(deleteRangeRequest(r), resolve(r.string()));
        case TXN -> new Txn(txnRequest(r), resolve(r.string()));
        case RANGE_RESPONSE -> rangeResponse(r);
        case PUT_RESPONSE -> putResponse(r);
        case DELETE_RANGE_RESPONSE -> deleteRangeResponse(r);
        case TXN_RESPONSE -> {
          ResponseHeader h = header(r);
          boolean ok = r.bool();
          int n = r.size();
          List<ResponseOp> ops = n < 0 ? null : new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int kind = (int) r.varint();
            ops.add(kind == 0 ? rangeResponse(r) : kind == 1 ? putResponse(r) : deleteRangeResponse(r));
          }
          yield new TxnResponse(h, ok, ops);
        }
        case WATCH_RESPONSE -> {
          ResponseHeader h = header(r);
          int n = r.size();
          List<Event> events = n < 0 ? null : new ArrayList<>(n);
          for (int i = 0; i < n; i++) {
            int type = (int) r.varint();
            events.add(new Event(type < 0 ? null : EventType.values()[type], keyValue(r), keyValue(r)));
          }
          yield new WatchResponse(h, events, r.bool(), r.varint(), r.string());
        }
        default -> throw new NotSerializableException("ProtocolSerializer: unknown manifest " + manifest);
      };
    } catch (RuntimeException e) {
      NotSerializableException n = new NotSerializableException("ProtocolSerializer: cannot read " + manifest
          + ": " + e);
      n.initCause(e);
      throw n;
    }
  }

  // ------------------------------------------------------------------ parts

  private static void target(Writer w, Target t) {
    w.bool(t != null);
    if (t != null) {
      w.string(t.group());
      w.string(t.version());
      w.string(t.resource());
      w.string(t.namespace());
      w.string(t.name());
      w.string(t.subresource());
    }
  }

  private static Target target(Reader r) {
    return r.bool() ? new Target(r.string(), r.string(), r.string(), r.string(), r.string(), r.string()) : null;
  }

  private static void header(Writer w, ResponseHeader h) {
    w.bool(h != null);
    if (h != null) {
      w.varint(h.revision());
    }
  }

  private static ResponseHeader header(Reader r) {
    return r.bool() ? new ResponseHeader(r.varint()) : null;
  }

  private static void keyValue(Writer w, KeyValue kv) {
    w.bool(kv != null);
    if (kv != null) {
      w.string(kv.key());
      w.bytes(kv.value());
      w.varint(kv.createRevision());
      w.varint(kv.modRevision());
      w.varint(kv.version());
      w.varint(kv.lease());
    }
  }

  private static KeyValue keyValue(Reader r) {
    return r.bool() ? new KeyValue(r.string(), r.bytes(), r.varint(), r.varint(), r.varint(), r.varint()) : null;
  }

  private static void keyValues(Writer w, List<KeyValue> kvs) {
    if (w.size(kvs)) {
      for (KeyValue kv : kvs) {
        keyValue(w, kv);
      }
    }
  }

  private static List<KeyValue> keyValues(Reader r) {
    int n = r.size();
    if (n < 0) {
      return null;
    }
    List<KeyValue> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      out.add(keyValue(r));
    }
    return out;
  }

  private static void rangeRequest(Writer w, RangeRequest q) {
    w.string(q.key());
    w.string(q.rangeEnd());
    w.varint(q.revision());
    w.varint(q.limit());
    w.bool(q.countOnly());
    w.bool(q.keysOnly());
  }

  private static RangeRequest rangeRequest(Reader r) {
    return new RangeRequest(r.string(), r.string(), r.varint(), r.varint(), r.bool(), r.bool());
  }

  private static void putRequest(Writer w, PutRequest p) {
    w.string(p.key());
    w.bytes(p.value());
    w.varint(p.lease());
    w.bool(p.prevKv());
  }

  private static PutRequest putRequest(Reader r) {
    return new PutRequest(r.string(), r.bytes(), r.varint(), r.bool());
  }

  private static void deleteRangeRequest(Writer w, DeleteRangeRequest d) {
    w.string(d.key());
    w.string(d.rangeEnd());
    w.bool(d.prevKv());
  }

  private static DeleteRangeRequest deleteRangeRequest(Reader r) {
    return new DeleteRangeRequest(r.string(), r.string(), r.bool());
  }

  private static void requestOps(Writer w, List<RequestOp> ops) {
    if (w.size(ops)) {
      for (RequestOp op : ops) {
        if (op instanceof RangeRequest q) {
          w.varint(0);
          rangeRequest(w, q);
        } else if (op instanceof PutRequest p) {
          w.varint(1);
          putRequest(w, p);
        } else {
          w.varint(2);
          deleteRangeRequest(w, (DeleteRangeRequest) op);
        }
      }
    }
  }

  private static List<RequestOp> requestOps(Reader r) {
    int n = r.size();
    if (n < 0) {
      return null;
    }
    List<RequestOp> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      int kind = (int) r.varint();
      out.add(kind == 0 ? rangeRequest(r) : kind == 1 ? putRequest(r) : deleteRangeRequest(r));
    }
    return out;
  }

  private static void txnRequest(Writer w, TxnRequest t) {
    if (w.size(t.compare())) {
      for (Compare c : t.compare()) {
        w.string(c.key());
        w.varint(c.target() == null ? -1 : c.target().ordinal());
        w.varint(c.result() == null ? -1 : c.result().ordinal());
        w.varint(c.number());
        w.bytes(c.value());
      }
    }
    requestOps(w, t.success());
    requestOps(w, t.failure());
  }

  private static TxnRequest txnRequest(Reader r) {
    int n = r.size();
    List<Compare> compare = n < 0 ? null : new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      String key = r.string();
      int target = (int) r.varint();
      int result = (int) r.varint();
      compare.add(new Compare(key, target < 0 ? null : COMPARE_TARGETS[target],
          result < 0 ? null : COMPARE_RESULTS[result], r.varint(), r.bytes()));
    }
    return new TxnRequest(compare, requestOps(r), requestOps(r));
  }

  private static void responseOp(Writer w, ResponseOp op) {
    if (op instanceof RangeResponse q) {
      header(w, q.header());
      keyValues(w, q.kvs());
      w.bool(q.more());
      w.varint(q.count());
    } else if (op instanceof PutResponse p) {
      header(w, p.header());
      keyValue(w, p.prevKv());
    } else {
      DeleteRangeResponse d = (DeleteRangeResponse) op;
      header(w, d.header());
      w.varint(d.deleted());
      keyValues(w, d.prevKvs());
    }
  }

  private static RangeResponse rangeResponse(Reader r) {
    return new RangeResponse(header(r), keyValues(r), r.bool(), r.varint());
  }

  private static PutResponse putResponse(Reader r) {
    return new PutResponse(header(r), keyValue(r));
  }

  private static DeleteRangeResponse deleteRangeResponse(Reader r) {
    return new DeleteRangeResponse(header(r), r.varint(), keyValues(r));
  }

  private String ref(ActorRef<?> ref) {
    return ref == null ? null : resolver().toSerializationFormat(ref);
  }

  private <T> ActorRef<T> resolve(String s) {
    return s == null ? null : resolver().resolveActorRef(s);
  }

  private ActorRefResolver resolver() {
    ActorRefResolver r = resolver;
    if (r == null) {
      r = ActorRefResolver.get(Adapter.toTyped(system));
      resolver = r;
    }
    return r;
  }

  // ------------------------------------------------------------------ wire format

  /** Zig-zag varints (protobuf's sint64), booleans as one byte, length-prefixed UTF-8 strings and bytes. */
  static final class Writer {
    private byte[] buf = new byte[256];
    private int pos;

    private void ensure(int n) {
      if (pos + n > buf.length) {
        buf = Arrays.copyOf(buf, Math.max(buf.length * 2, pos + n));
      }
    }

    void varint(long v) {
      long z = (v << 1) ^ (v >> 63);
      ensure(10);
      while ((z & ~0x7FL) != 0) {
        buf[pos++] = (byte) ((z & 0x7F) | 0x80);
        z >>>= 7;
      }
      buf[pos++] = (byte) z;
    }

    void bool(boolean b) {
      ensure(1);
      buf[pos++] = (byte) (b ? 1 : 0);
    }

    void bytes(byte[] b) {
      if (b == null) {
        varint(-1);
        return;
      }
      varint(b.length);
      ensure(b.length);
      System.arraycopy(b, 0, buf, pos, b.length);
      pos += b.length;
    }

    void string(String s) {
      bytes(s == null ? null : s.getBytes(StandardCharsets.UTF_8));
    }

    /** Writes the size of a list (-1 for null); true when there are items to write. */
    boolean size(List<?> l) {
      varint(l == null ? -1 : l.size());
      return l != null && !l.isEmpty();
    }

    void map(Map<String, String> m) {
      varint(m == null ? -1 : m.size());
      if (m != null) {
        for (Map.Entry<String, String> e : m.entrySet()) {
          string(e.getKey());
          string(e.getValue());
        }
      }
    }

    byte[] toByteArray() {
      return Arrays.copyOf(buf, pos);
    }
  }

  static final class Reader {
    private final byte[] buf;
    private int pos;

    Reader(byte[] buf) {
      this.buf = buf;
    }

    long varint() {
      long z = 0;
      int shift = 0;
      while (true) {
        if (shift > 63) {
          throw new IllegalStateException("malformed varint");
        }
        byte b = buf[pos++];
        z |= (long) (b & 0x7F) << shift;
        if ((b & 0x80) == 0) {
          break;
        }
        shift += 7;
      }
      return (z >>> 1) ^ -(z & 1);
    }

    boolean bool() {
      return buf[pos++] != 0;
    }

    byte[] bytes() {
      long n = varint();
      if (n < 0) {
        return null;
      }
      if (n > buf.length - pos) {
        throw new IllegalStateException("length " + n + " beyond the message");
      }
      byte[] out = Arrays.copyOfRange(buf, pos, pos + (int) n);
      pos += (int) n;
      return out;
    }

    String string() {
      long n = varint();
      if (n < 0) {
        return null;
      }
      if (n > buf.length - pos) {
        throw new IllegalStateException("length " + n + " beyond the message");
      }
      String s = new String(buf, pos, (int) n, StandardCharsets.UTF_8);
      pos += (int) n;
      return s;
    }

    int size() {
      long n = varint();
      if (n > buf.length - pos) {
        throw new IllegalStateException("count " + n + " beyond the message");
      }
      return (int) n;
    }

    Map<String, String> map() {
      int n = size();
      if (n < 0) {
        return null;
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < n; i++) {
        m.put(string(), string());
      }
      return m;
    }
  }
}
