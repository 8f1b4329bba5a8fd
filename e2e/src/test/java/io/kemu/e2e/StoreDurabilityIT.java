package io.kemu.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.kemu.api.etcd.EtcdProtocol;
import io.kemu.api.etcd.EtcdProtocol.KeyValue;
import io.kemu.api.etcd.EtcdProtocol.PutRequest;
import io.kemu.api.etcd.EtcdProtocol.RangeRequest;
import io.kemu.api.etcd.EtcdProtocol.TxnRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchRequest;
import io.kemu.api.etcd.EtcdProtocol.WatchResponse;
import io.kemu.conf.ClientNode;
import io.kemu.etcd.client.StoreClient;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.pekko.actor.typed.ActorSystem;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.junit.jupiter.api.Test;

/**
 * The store's durability under {@code kill -9} (issue 3): concurrent clients make at least 10,000 acknowledged
 * writes while the store JVM is killed at random moments {@value #KILLS} times and restarted on the same port
 * and data directory. Afterwards every acknowledged write is present with its revision, revisions never went
 * backwards, and a watcher that followed the whole run (resuming from its last revision after every break)
 * saw every revision exactly once, in order, each revision's events together, exactly as the store's history
 * records them.
 */
class StoreDurabilityIT {
  static final int KILLS = 6;
  static final int MIN_ACKED = 10_000;
  static final int WRITERS = 24;
  static final String PREFIX = "/durability/";

  /** An acknowledged write: every key it wrote, at the revision the store answered. */
  record Ack(int writer, long revision, List<String> keys, String value) {}

  @Test
  void everyAcknowledgedWriteSurvivesKillNineAndTheWatcherSeesEachRevisionOnce() throws Exception {
    Path runDir = Files.createTempDirectory("kemu-durability-");
    int clientPort = KemuCluster.freePort();
    int storePort = KemuCluster.freePort();
    ActorSystem<Void> system = ClientNode.start(ClientNode.config("durability-test", List.of("127.0.0.1:" + clientPort),
        clientPort, Map.of()), Duration.ofSeconds(30));
    KemuJvm store = new KemuJvm("etcd", runDir, "512m", List.of("--role", "etcd", "--port", Integer.toString(storePort),
        "--seed", "127.0.0.1:" + clientPort, "--run-dir", runDir.toString(), "--data-dir", runDir.resolve("data").toString(),
        // snapshots often enough that recovery goes through snapshot + journal tail several times
        "--set", "kemu.etcd.snapshot-every=1500", "--set", "kemu.etcd.progress-notify-interval=1s"));
    try {
      store.start();
      StoreClient client = new StoreClient(system, Duration.ofSeconds(3));
      awaitStore(client, store, Duration.ofSeconds(60));

      // The watcher that follows the whole run, from revision 1, resuming by itself after every break.
      List<WatchResponse> watched = new CopyOnWriteArrayList<>();
      AtomicLong watchedUpTo = new AtomicLong();
      AtomicInteger watchStreams = new AtomicInteger();
      var running = client.watch(new WatchRequest(PREFIX, EtcdProtocol.prefixEnd(PREFIX), 1, false, true))
          .viaMat(KillSwitches.single(), Keep.right())
          .toMat(Sink.foreach(r -> {
            watched.add(r);
            if (r.canceled()) {
              watchStreams.incrementAndGet();
            } else if (!r.events().isEmpty()) {
              watchedUpTo.set(r.events().get(r.events().size() - 1).kv().modRevision());
            }
          }), Keep.both()).run(system);
      UniqueKillSwitch watchSwitch = running.first();

      // Writers: sequential per writer, 24 in parallel; a quarter of the writes are 3-key transactions.
      ConcurrentLinkedQueue<Ack> acks = new ConcurrentLinkedQueue<>();
      AtomicInteger unknown = new AtomicInteger();
      AtomicBoolean stop = new AtomicBoolean();
      List<CompletableFuture<Void>> writers = new ArrayList<>();
      for (int w = 0; w < WRITERS; w++) {
        writers.add(writeLoop(client, w, acks, unknown, stop));
      }

      // The killer: at random moments, SIGKILL the store and start it again on the same port and data.
      Random random = new Random();
      List<String> restarts = new ArrayList<>();
      long maxAckedBeforeKill = 0;
      for (int k = 1; k <= KILLS; k++) {
        int before = acks.size();
        Thread.sleep(300 + random.nextInt(1500));
        store.kill9();
        maxAckedBeforeKill = acks.stream().mapToLong(Ack::revision).max().orElse(0);
        long killedAt = System.nanoTime();
        int ackedAtKill = acks.size();
        store.start();
        long recovered = awaitStore(client, store, Duration.ofSeconds(90));
        restarts.add(String.format("kill %d after %d writes: store back at revision %d in %d ms", k,
            ackedAtKill - before, recovered, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - killedAt)));
        assertTrue(recovered >= maxAckedBeforeKill, "revision went backwards across kill " + k + ": recovered at "
            + recovered + " but " + maxAckedBeforeKill + " had been acknowledged");
      }
      long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
      while (acks.size() < MIN_ACKED && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      stop.set(true);
      CompletableFuture.allOf(writers.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
      assertTrue(acks.size() >= MIN_ACKED, "only " + acks.size() + " acknowledged writes");

      // The final state and the store's own record of history.
      long finalRevision = client.status().toCompletableFuture().get(10, TimeUnit.SECONDS).header().revision();
      deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      while (watchedUpTo.get() < finalRevision && System.nanoTime() < deadline) {
        Thread.sleep(100);
      }
      watchSwitch.shutdown();
      List<WatchResponse> history = client.watchOnce(new WatchRequest(PREFIX, EtcdProtocol.prefixEnd(PREFIX), 1,
              false, false))
          .thenCompose(src -> src.filter(r -> !r.events().isEmpty())
              .takeWhile(r -> r.header().revision() < finalRevision, true)
              .runWith(Sink.seq(), system))
          .toCompletableFuture().get(60, TimeUnit.SECONDS);
      var range = client.range(RangeRequest.prefix(PREFIX)).toCompletableFuture().get(30, TimeUnit.SECONDS);

      String summary = String.format("%d acknowledged writes (%d keys), %d unacknowledged attempts, final revision %d, "
              + "%d watch cancellations%n  %s", acks.size(), acks.stream().mapToInt(a -> a.keys().size()).sum(),
          unknown.get(), finalRevision, watchStreams.get(), String.join("\n  ", restarts));
      System.out.println("StoreDurabilityIT: " + summary);

      // 1. Every acknowledged write is present, with the revision it was acknowledged with.
      Map<String, KeyValue> stored = new HashMap<>();
      range.kvs().forEach(kv -> stored.put(kv.key(), kv));
      for (Ack a : acks) {
        for (String key : a.keys()) {
          KeyValue kv = stored.get(key);
          if (kv == null) {
            fail("acknowledged write lost: " + key + " at revision " + a.revision() + "\n" + summary);
          }
          assertEquals(a.revision(), kv.modRevision(), "revision of " + key);
          assertEquals(a.value(), kv.valueUtf8(), "value of " + key);
        }
      }
      // 2. Revisions never went backwards: each writer's acknowledgements increase.
      Map<Integer, Long> lastPerWriter = new HashMap<>();
      for (Ack a : acks) {
        lastPerWriter.merge(a.writer(), a.revision(), (old, now) -> {
          // acks are appended in completion order, and one writer has one write in flight at a time
          assertTrue(now > old, "writer " + a.writer() + " got revision " + now + " after " + old);
          return now;
        });
      }
      // 3. The store's history: revisions 1..final, each once, every revision's events in one response.
      List<String> historyEvents = events(history);
      List<Long> historyRevisions = revisions(history);
      assertEquals(finalRevision, historyRevisions.size(), "history holds every revision once");
      for (int i = 0; i < historyRevisions.size(); i++) {
        assertEquals(i + 1, historyRevisions.get(i), "history is contiguous");
      }
      Map<Long, Ack> ackByRevision = new HashMap<>();
      acks.forEach(a -> ackByRevision.put(a.revision(), a));
      for (WatchResponse r : history) {
        for (EtcdProtocol.Event e : r.events()) {
          Ack a = ackByRevision.get(e.kv().modRevision());
          if (a != null) {
            assertTrue(a.keys().contains(e.kv().key()), "history at " + e.kv().modRevision() + " shows "
                + e.kv().key() + " but that revision was acknowledged for " + a.keys());
          }
        }
      }
      // 4. The watcher that followed the run saw exactly that history: ordered, unique, atomic, no gap.
      List<WatchResponse> liveEvents = watched.stream().filter(r -> !r.canceled() && !r.events().isEmpty()).toList();
      assertEquals(historyRevisions, revisions(liveEvents), "the live watcher saw each revision once, in order");
      assertEquals(historyEvents, events(liveEvents), "the live watcher saw the same events");
      long lastProgress = 0;
      long lastEvent = 0;
      for (WatchResponse r : watched) {
        if (r.canceled()) {
          continue;
        }
        if (r.events().isEmpty()) {
          assertTrue(r.header().revision() >= lastProgress, "progress notifications never regress");
          assertTrue(r.header().revision() >= lastEvent, "a progress notification never precedes delivered events");
          lastProgress = r.header().revision();
        } else {
          lastEvent = r.header().revision();
        }
      }
    } finally {
      store.close();
      ClientNode.stop(system, Duration.ofSeconds(15));
      KemuCluster.deleteRecursively(runDir);
    }
  }

  /** Revisions of the responses; a revision split over two responses appears twice and fails the comparison. */
  private static List<Long> revisions(List<WatchResponse> responses) {
    List<Long> out = new ArrayList<>();
    for (WatchResponse r : responses) {
      long prev = -1;
      for (EtcdProtocol.Event e : r.events()) {
        if (e.kv().modRevision() != prev) {
          out.add(e.kv().modRevision());
          prev = e.kv().modRevision();
        }
      }
    }
    return out;
  }

  private static List<String> events(List<WatchResponse> responses) {
    List<String> out = new ArrayList<>();
    for (WatchResponse r : responses) {
      for (EtcdProtocol.Event e : r.events()) {
        out.add(e.kv().modRevision() + " " + e.type() + " " + e.kv().key() + "=" + e.kv().valueUtf8());
      }
    }
    return out;
  }

  private static CompletableFuture<Void> writeLoop(StoreClient client, int writer, ConcurrentLinkedQueue<Ack> acks,
                                                   AtomicInteger unknown, AtomicBoolean stop) {
    CompletableFuture<Void> done = new CompletableFuture<>();
    next(client, writer, 0, acks, unknown, stop, done);
    return done;
  }

  private static void next(StoreClient client, int writer, int n, ConcurrentLinkedQueue<Ack> acks,
                           AtomicInteger unknown, AtomicBoolean stop, CompletableFuture<Void> done) {
    if (stop.get()) {
      done.complete(null);
      return;
    }
    String value = "w" + writer + "-" + n;
    List<String> keys = n % 4 == 3
        ? List.of(PREFIX + "w" + writer + "/" + n + "/a", PREFIX + "w" + writer + "/" + n + "/b",
            PREFIX + "w" + writer + "/" + n + "/c")
        : List.of(PREFIX + "w" + writer + "/" + n);
    byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
    CompletionStage<Long> write = keys.size() == 1
        ? client.put(keys.get(0), bytes).thenApply(r -> r.header().revision())
        : client.<EtcdProtocol.TxnResponse>ask(r -> new EtcdProtocol.Txn(new TxnRequest(List.of(),
            keys.stream().<EtcdProtocol.RequestOp>map(k -> new PutRequest(k, bytes)).toList(), List.of()), r))
            .thenApply(r -> r.header().revision());
    write.whenComplete((rev, err) -> {
      if (err == null) {
        acks.add(new Ack(writer, rev, keys, value));
        next(client, writer, n + 1, acks, unknown, stop, done);
      } else {
        // Not acknowledged: it may or may not have been applied. Never reuse the key; back off a little.
        unknown.incrementAndGet();
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS)
            .execute(() -> next(client, writer, n + 1, acks, unknown, stop, done));
      }
    });
  }

  /** Waits until the store answers (a fresh incarnation after a restart); returns its revision. */
  private static long awaitStore(StoreClient client, KemuJvm store, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!store.isAlive()) {
        fail("the store JVM died:\n" + store.logTail(40));
      }
      try {
        return client.status().toCompletableFuture().get(5, TimeUnit.SECONDS).header().revision();
      } catch (Exception e) {
        Thread.sleep(100);
      }
    }
    fail("the store did not answer within " + timeout + ":\n" + store.logTail(40));
    return -1;
  }
}
