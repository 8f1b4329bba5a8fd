package io.kemu.etcd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.Compare;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.actor.testkit.typed.annotations.JUnit5TestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.testkit.typed.javadsl.JUnit5TestKitBuilder;
import org.apache.pekko.actor.testkit.typed.javadsl.TestKitJUnit5Extension;
import org.apache.pekko.actor.testkit.typed.javadsl.TestProbe;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.receptionist.Receptionist;
import org.apache.pekko.pattern.StatusReply;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(TestKitJUnit5Extension.class)
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class EtcdStoreTest {
  static final Path DIR = tempDir();

  static Path tempDir() {
    try {
      return Files.createTempDirectory("etcd-store-test");
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  static Config config() {
    return ConfigFactory.parseMap(Map.of(
        "pekko.persistence.journal.plugin", "pekko.persistence.journal.leveldb",
        "pekko.persistence.journal.leveldb.dir", DIR.resolve("journal").toString(),
        "pekko.persistence.snapshot-store.plugin", "pekko.persistence.snapshot-store.local",
        "pekko.persistence.snapshot-store.local.dir", DIR.resolve("snapshots").toString(),
        "kemu.etcd.snapshot-every", 50,
        "kemu.time-scale", 20,
        "pekko.actor.serialize-messages", "off"))
        .withFallback(ConfigFactory.load());
  }

  @JUnit5TestKit
  ActorTestKit testKit = new JUnit5TestKitBuilder().withCustomConfig(config()).build();

  private int generation;

  private ActorRef<EtcdStore.Msg> lastSpawned;

  /** Spawns a store and returns the ref other JVMs would find through the Receptionist. */
  private ActorRef<EtcdProtocol.Command> spawnStore(String id) {
    StoreSettings settings = StoreSettings.fromConfig(testKit.system().settings().config());
    settings = new StoreSettings(id, settings.snapshotEvery(), settings.keepSnapshots(), settings.watchBuffer(),
        settings.maxEventsPerWatchResponse(), Duration.ofMillis(200), Duration.ofMillis(50), settings.timeScale());
    var store = testKit.spawn(EtcdStore.create(settings), id + "-" + (generation++));
    lastSpawned = store;
    TestProbe<Receptionist.Listing> probe = testKit.createTestProbe();
    for (int i = 0; i < 50; i++) {
      testKit.system().receptionist().tell(Receptionist.find(EtcdProtocol.SERVICE_KEY, probe.getRef()));
      var refs = probe.receiveMessage().getServiceInstances(EtcdProtocol.SERVICE_KEY);
      var mine = refs.stream().filter(r -> r.path().parent().equals(store.path())).findFirst();
      if (mine.isPresent()) {
        return mine.get();
      }
      sleep(100);
    }
    throw new AssertionError("store " + id + " never registered");
  }

  private <T> T ask(ActorRef<EtcdProtocol.Command> store,
                    java.util.function.Function<ActorRef<StatusReply<T>>, EtcdProtocol.Command> msg) {
    TestProbe<StatusReply<T>> probe = testKit.createTestProbe();
    store.tell(msg.apply(probe.getRef()));
    StatusReply<T> reply = probe.receiveMessage(Duration.ofSeconds(10));
    if (reply.isError()) {
      throw new IllegalStateException(reply.getError().getMessage());
    }
    return reply.getValue();
  }

  private static byte[] v(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void writesAreAcknowledgedWithTheirRevisionAndReadBack() {
    var store = spawnStore("basic");
    var put = ask(store, (ActorRef<StatusReply<EtcdProtocol.PutResponse>> r) ->
        new EtcdProtocol.Put(new PutRequest("/registry/pods/default/a", v("{}")), r));
    assertEquals(1, put.header().revision());
    var txn = ask(store, (ActorRef<StatusReply<EtcdProtocol.TxnResponse>> r) -> new EtcdProtocol.Txn(
        new EtcdProtocol.TxnRequest(List.of(Compare.absent("/registry/pods/default/a")),
            List.of(new PutRequest("/registry/pods/default/a", v("dup"))),
            List.of(RangeRequest.key("/registry/pods/default/a"))), r));
    assertFalse(txn.succeeded());
    var range = ask(store, (ActorRef<StatusReply<EtcdProtocol.RangeResponse>> r) ->
        new EtcdProtocol.Range(RangeRequest.prefix("/registry/pods/"), r));
    assertEquals(1, range.count());
    assertEquals("{}", range.kvs().get(0).valueUtf8());
  }

  @Test
  void concurrentWritersGetDistinctConsecutiveRevisions() {
    var store = spawnStore("concurrent");
    TestProbe<StatusReply<EtcdProtocol.PutResponse>> probe = testKit.createTestProbe();
    int n = 500;
    for (int i = 0; i < n; i++) {
      store.tell(new EtcdProtocol.Put(new PutRequest("/k/" + i, v("v" + i)), probe.getRef()));
    }
    List<Long> revs = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      revs.add(probe.receiveMessage(Duration.ofSeconds(20)).getValue().header().revision());
    }
    assertEquals(n, revs.stream().distinct().count());
    assertEquals(n, revs.stream().mapToLong(Long::longValue).max().getAsLong());
  }

  @Test
  void aRestartedStoreRecoversEveryAcknowledgedWriteAndItsHistory() throws Exception {
    var store = spawnStore("recover");
    for (int i = 0; i < 120; i++) { // crosses snapshot-every (50): snapshot + journal tail
      final int n = i;
      ask(store, (ActorRef<StatusReply<EtcdProtocol.PutResponse>> r) ->
          new EtcdProtocol.Put(new PutRequest("/k/" + (n % 30), v("v" + n)), r));
    }
    ask(store, (ActorRef<StatusReply<EtcdProtocol.CompactResponse>> r) -> new EtcdProtocol.Compact(60, r));
    var before = ask(store, (ActorRef<StatusReply<EtcdProtocol.RangeResponse>> r) ->
        new EtcdProtocol.Range(RangeRequest.prefix("/k/"), r));
    testKit.stop(lastSpawned, Duration.ofSeconds(5));

    var again = spawnStore("recover");
    var after = ask(again, (ActorRef<StatusReply<EtcdProtocol.RangeResponse>> r) ->
        new EtcdProtocol.Range(RangeRequest.prefix("/k/"), r));
    assertEquals(before.header().revision(), after.header().revision());
    assertEquals(before.kvs().stream().map(kv -> kv.key() + kv.modRevision() + kv.valueUtf8()).toList(),
        after.kvs().stream().map(kv -> kv.key() + kv.modRevision() + kv.valueUtf8()).toList());
    var status = ask(again, (ActorRef<StatusReply<EtcdProtocol.StatusResponse>> r) -> new EtcdProtocol.Status(r));
    assertEquals(60, status.compactRevision());

    // History survives too: a watch from just above the compaction point replays every later revision once.
    var created = ask(again, (ActorRef<StatusReply<EtcdProtocol.WatchCreated>> r) ->
        new EtcdProtocol.Watch(EtcdProtocol.WatchRequest.prefix("/k/", 61), r));
    CompletionStage<List<WatchResponse>> first = created.events().getSource()
        .filter(w -> !w.events().isEmpty()).takeWhile(w -> w.header().revision() < 120, true)
        .runWith(Sink.seq(), testKit.system());
    List<Long> seen = first.toCompletableFuture().get(10, TimeUnit.SECONDS).stream()
        .flatMap(w -> w.events().stream().map(e -> e.kv().modRevision())).toList();
    assertEquals(java.util.stream.LongStream.rangeClosed(61, 120).boxed().toList(), seen);
  }

  @Test
  void compactedRevisionsAnswerCompactedForReadsAndWatches() throws Exception {
    var store = spawnStore("compact");
    for (int i = 0; i < 10; i++) {
      final int n = i;
      ask(store, (ActorRef<StatusReply<EtcdProtocol.PutResponse>> r) ->
          new EtcdProtocol.Put(new PutRequest("/c", v("" + n)), r));
    }
    ask(store, (ActorRef<StatusReply<EtcdProtocol.CompactResponse>> r) -> new EtcdProtocol.Compact(8, r));
    IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () ->
        ask(store, (ActorRef<StatusReply<EtcdProtocol.RangeResponse>> r) ->
            new EtcdProtocol.Range(RangeRequest.key("/c").atRevision(5), r)));
    assertEquals(EtcdProtocol.ERR_COMPACTED, e.getMessage());
    var created = ask(store, (ActorRef<StatusReply<EtcdProtocol.WatchCreated>> r) ->
        new EtcdProtocol.Watch(EtcdProtocol.WatchRequest.prefix("/c", 3), r));
    List<WatchResponse> all = created.events().getSource().runWith(Sink.seq(), testKit.system())
        .toCompletableFuture().get(10, TimeUnit.SECONDS);
    assertEquals(1, all.size());
    assertTrue(all.get(0).canceled());
    assertEquals(8, all.get(0).compactRevision());
  }

  @Test
  void anExpiredLeaseDeletesItsKeysAndWatchersSeeTheDeletes() throws Exception {
    var store = spawnStore("lease");
    var lease = ask(store, (ActorRef<StatusReply<EtcdProtocol.LeaseGrantResponse>> r) ->
        new EtcdProtocol.LeaseGrant(2, 0, r)); // 2 s at time-scale 20 = 100 ms
    var created = ask(store, (ActorRef<StatusReply<EtcdProtocol.WatchCreated>> r) ->
        new EtcdProtocol.Watch(EtcdProtocol.WatchRequest.prefix("/ev/", 0), r));
    CompletionStage<List<WatchResponse>> events = created.events().getSource()
        .filter(w -> !w.events().isEmpty()).take(3).runWith(Sink.seq(), testKit.system());
    for (String k : List.of("/ev/a", "/ev/b")) {
      ask(store, (ActorRef<StatusReply<EtcdProtocol.PutResponse>> r) ->
          new EtcdProtocol.Put(new PutRequest(k, v("x"), lease.id(), false), r));
    }
    List<WatchResponse> got = events.toCompletableFuture().get(10, TimeUnit.SECONDS);
    WatchResponse deletion = got.get(2);
    assertEquals(2, deletion.events().size(), "both keys go in one revision");
    assertTrue(deletion.events().stream().allMatch(e -> e.type() == EtcdProtocol.EventType.DELETE));
    var range = ask(store, (ActorRef<StatusReply<EtcdProtocol.RangeResponse>> r) ->
        new EtcdProtocol.Range(RangeRequest.prefix("/ev/"), r));
    assertEquals(0, range.count());
  }

  private static void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
