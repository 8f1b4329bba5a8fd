package io.kemu.controller;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.TimeScale;
import io.kemu.api.client.StatusException;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.apache.pekko.actor.typed.ActorRef;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

/** The actor running a Reconciler: waits for the caches, retries failures with back-off, one sync per key. */
class QueueControllerTest {
  static final ActorTestKit kit = ActorTestKit.create();

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  static final class Recording implements Reconciler {
    final List<String> synced = new CopyOnWriteArrayList<>();
    final AtomicInteger running = new AtomicInteger();
    final AtomicInteger maxRunning = new AtomicInteger();
    final AtomicInteger failuresLeft = new AtomicInteger(2);
    Queue queue;

    @Override
    public String name() {
      return "recording";
    }

    @Override
    public void register(Queue q) {
      this.queue = q;
    }

    @Override
    public int workers() {
      return 2;
    }

    @Override
    public CompletionStage<Void> sync(String key) {
      int now = running.incrementAndGet();
      maxRunning.accumulateAndGet(now, Math::max);
      return CompletableFuture.runAsync(() -> {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
        running.decrementAndGet();
        synced.add(key);
        if (key.equals("flaky") && failuresLeft.getAndDecrement() > 0) {
          throw new StatusException(409, "Conflict", "the object has been modified");
        }
      });
    }
  }

  @Test
  void worksAfterTheCachesSyncRetriesFailuresAndDeduplicates() throws Exception {
    Recording r = new Recording();
    ActorRef<QueueController.Command> ref = kit.spawn(QueueController.create(r, Clock.systemUTC(), TimeScale.REAL));
    Harness.await("registered", () -> r.queue != null);
    r.queue.add("a");
    r.queue.add("a");
    r.queue.add("flaky");
    for (int i = 0; i < 5; i++) {
      r.queue.add("k" + i);
    }
    Thread.sleep(100);
    assertTrue(r.synced.isEmpty(), "nothing before the caches have synced");
    ref.tell(QueueController.CachesSynced.INSTANCE);
    Harness.await("every key synced, flaky after two retries", () -> r.synced.stream()
        .filter("flaky"::equals).count() == 3 && r.synced.containsAll(List.of("a", "k0", "k1", "k2", "k3", "k4")));
    assertEquals(1, r.synced.stream().filter("a"::equals).count(), "a queued twice, synced once");
    assertTrue(r.maxRunning.get() <= 2, "at most workers() syncs at once: " + r.maxRunning.get());
    r.queue.addAfter("later", Duration.ofMillis(200));
    Thread.sleep(100);
    assertTrue(!r.synced.contains("later"));
    Harness.await("the delayed key", () -> r.synced.contains("later"));
  }
}
