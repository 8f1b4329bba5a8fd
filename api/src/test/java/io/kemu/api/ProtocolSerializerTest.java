package io.kemu.api;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import io.kemu.api.ApiServerProtocol.Call;
import io.kemu.api.ApiServerProtocol.Response;
import io.kemu.api.ApiServerProtocol.Target;
import io.kemu.api.ApiServerProtocol.Verb;
import io.kemu.api.ApiServerProtocol.WatchEvent;
import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Compare;
import io.kemu.api.etcd.EtcdProtocol.CompareResult;
import io.kemu.api.etcd.EtcdProtocol.CompareTarget;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeRequest;
import io.kemu.api.etcd.EtcdProtocol.DeleteRangeResponse;
import io.kemu.api.etcd.EtcdProtocol.Event;
import io.kemu.api.etcd.EtcdProtocol.EventType;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.PutResponse;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeResponse;
import io.kemu.api.etcd.EtcdProtocol.ResponseHeader;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnResponse;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import java.io.NotSerializableException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.serialization.Serialization;
import org.apache.pekko.serialization.SerializationExtension;
import org.apache.pekko.serialization.Serializers;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** Every message ProtocolSerializer is bound to survives a trip through Pekko serialization, nulls included. */
class ProtocolSerializerTest {
  private static final ActorTestKit KIT = ActorTestKit.create();
  private static final Serialization SER = SerializationExtension.get(KIT.system());

  @AfterAll
  static void stop() {
    KIT.shutdownTestKit();
  }

  @SuppressWarnings("unchecked")
  private static <T> T roundTrip(T msg) throws NotSerializableException {
    var serializer = SER.findSerializerFor(msg);
    assertInstanceOf(ProtocolSerializer.class, serializer, "bound to " + msg.getClass().getSimpleName());
    byte[] bytes = SER.serialize(msg).get();
    return (T) SER.deserialize(bytes, serializer.identifier(), Serializers.manifestFor(serializer, msg)).get();
  }

  private static byte[] b(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void callsResponsesAndWatchEvents() throws Exception {
    TestProbe<Response> probe = KIT.createTestProbe();
    Map<String, String> query = new LinkedHashMap<>();
    query.put("fieldManager", "kubectl-client-side-apply");
    query.put("dryRun", "All");
    Call c = new Call("tok€n", Verb.PATCH, new Target("apps", "v1", "deployments", "default", "web", "scale"),
        query, "application/merge-patch+json", b("{\"spec\":{\"replicas\":3}}"), probe.getRef());
    Call back = roundTrip(c);
    assertEquals(c.bearerToken(), back.bearerToken());
    assertEquals(c.verb(), back.verb());
    assertEquals(c.target(), back.target());
    assertEquals(query, back.query());
    assertEquals(c.contentType(), back.contentType());
    assertArrayEquals(c.body(), back.body());
    assertEquals(probe.getRef(), back.replyTo());

    Call empty = roundTrip(new Call(null, Verb.GET, new Target("", "v1", "pods", null, null, null), null, null,
        null, null));
    assertNull(empty.bearerToken());
    assertNull(empty.query());
    assertNull(empty.body());
    assertNull(empty.replyTo());
    assertNull(empty.target().namespace());
    assertEquals("", empty.target().group());

    Response r = roundTrip(new Response(409, b("{\"kind\":\"Status\"}")));
    assertEquals(409, r.code());
    assertArrayEquals(b("{\"kind\":\"Status\"}"), r.body());
    WatchEvent e = roundTrip(new WatchEvent("BOOKMARK", new byte[0]));
    assertEquals("BOOKMARK", e.type());
    assertEquals(0, e.object().length);
  }

  @Test
  void storeCommandsAndAnswers() throws Exception {
    TestProbe<StatusReply<EtcdProtocol.TxnResponse>> probe = KIT.createTestProbe();
    TxnRequest txn = new TxnRequest(
        List.of(Compare.modRevision("/registry/pods/a/b", CompareResult.EQUAL, 42),
            new Compare("/k", CompareTarget.VALUE, CompareResult.NOT_EQUAL, 0, b("v"))),
        List.of(new PutRequest("/registry/pods/a/b", b("{}"), 7, true), RangeRequest.prefix("/registry/pods/"),
            DeleteRangeRequest.key("/x", true)),
        List.of(RangeRequest.key("/registry/pods/a/b").atRevision(-3)));
    EtcdProtocol.Txn back = roundTrip(new EtcdProtocol.Txn(txn, probe.getRef()));
    assertEquals(probe.getRef(), back.replyTo());
    assertEquals(txn.success().get(1), back.request().success().get(1));
    assertEquals(txn.success().get(2), back.request().success().get(2));
    assertEquals(txn.failure(), back.request().failure());
    assertEquals(txn.compare().get(0).number(), back.request().compare().get(0).number());
    assertEquals(CompareTarget.VALUE, back.request().compare().get(1).target());
    assertArrayEquals(b("v"), back.request().compare().get(1).value());
    PutRequest put = (PutRequest) back.request().success().get(0);
    assertEquals(7, put.lease());
    assertArrayEquals(b("{}"), put.value());

    EtcdProtocol.Range range = roundTrip(new EtcdProtocol.Range(new RangeRequest("/a", "\0", 5, 500, true, false),
        KIT.<StatusReply<RangeResponse>>createTestProbe().getRef()));
    assertEquals(new RangeRequest("/a", "\0", 5, 500, true, false), range.request());
    EtcdProtocol.Put p = roundTrip(new EtcdProtocol.Put(new PutRequest("/a", null),
        KIT.<StatusReply<PutResponse>>createTestProbe().getRef()));
    assertNull(p.request().value());
    EtcdProtocol.DeleteRange d = roundTrip(new EtcdProtocol.DeleteRange(new DeleteRangeRequest("/a", "/b", false),
        KIT.<StatusReply<DeleteRangeResponse>>createTestProbe().getRef()));
    assertEquals(new DeleteRangeRequest("/a", "/b", false), d.request());

    KeyValue kv = new KeyValue("/registry/pods/a/b", b("{\"x\":1}"), 3, Long.MAX_VALUE, 2, 0);
    TxnResponse resp = roundTrip(new TxnResponse(new ResponseHeader(99), false, List.of(
        new RangeResponse(new ResponseHeader(99), List.of(kv), true, 12),
        new PutResponse(new ResponseHeader(99), null),
        new DeleteRangeResponse(new ResponseHeader(99), 1, List.of(kv)))));
    assertEquals(99, resp.header().revision());
    RangeResponse rr = (RangeResponse) resp.responses().get(0);
    assertEquals(kv.key(), rr.kvs().get(0).key());
    assertArrayEquals(kv.value(), rr.kvs().get(0).value());
    assertEquals(Long.MAX_VALUE, rr.kvs().get(0).modRevision());
    assertEquals(12, rr.count());
    assertNull(((PutResponse) resp.responses().get(1)).prevKv());
    assertEquals(1, ((DeleteRangeResponse) resp.responses().get(2)).deleted());
  }

  @Test
  void watchResponses() throws Exception {
    KeyValue kv = new KeyValue("/registry/nodes/n1", b("{}"), 10, 11, 2, 0);
    KeyValue prev = new KeyValue("/registry/nodes/n1", b("{\"a\":1}"), 10, 10, 1, 0);
    WatchResponse w = roundTrip(new WatchResponse(new ResponseHeader(11), List.of(new Event(EventType.PUT, kv, prev),
        new Event(EventType.DELETE, kv, null)), false, 0, null));
    assertEquals(2, w.events().size());
    assertEquals(EventType.DELETE, w.events().get(1).type());
    assertNull(w.events().get(1).prevKv());
    assertArrayEquals(prev.value(), w.events().get(0).prevKv().value());
    WatchResponse canceled = roundTrip(new WatchResponse(new ResponseHeader(20), List.of(), true, 15,
        "compacted"));
    assertEquals(true, canceled.canceled());
    assertEquals(15, canceled.compactRevision());
    assertEquals("compacted", canceled.cancelReason());
  }

  @Test
  void truncatedOrUnknownInputIsRefusedNotMisread() throws Exception {
    ProtocolSerializer s = (ProtocolSerializer) SER.serializerFor(Response.class);
    byte[] good = s.toBinary(new Response(200, b("{\"kind\":\"Pod\"}")));
    assertThrows(NotSerializableException.class, () -> s.fromBinary(Arrays.copyOf(good, good.length - 5), "R"));
    assertThrows(NotSerializableException.class, () -> s.fromBinary(good, "nope"));
  }
}
