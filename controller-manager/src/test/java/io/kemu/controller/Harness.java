package io.kemu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.TimeScale;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.client.cache.SharedInformerFactory;
import io.kemu.api.client.testing.FakeKubeClient;
import io.kemu.api.client.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.apache.pekko.actor.typed.ActorSystem;

/**
 * A controller under test: the fake API, shared informers over it, a hand-moved clock, recorded events and a
 * queue that only records keys. Tests call {@code sync} directly and {@link #settle} so that the informers have
 * seen every write before the next sync, as a controller's next pass would.
 */
public final class Harness {
  public final FakeKubeClient api;
  public final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  public final SharedInformerFactory informers;
  public final ControllerContext context;
  public final List<String> events = new CopyOnWriteArrayList<>();
  public final List<String> queued = new CopyOnWriteArrayList<>();
  public final List<String> queuedAfter = new CopyOnWriteArrayList<>();
  private final List<Map.Entry<Class<? extends HasMetadata>, SharedIndexInformer<?>>> watched = new ArrayList<>();

  public Harness(ActorSystem<?> system) {
    this.api = new FakeKubeClient(system, clock);
    this.informers = new SharedInformerFactory(api);
    Recorder recorder = new Recorder() {
      @Override
      public void normal(HasMetadata obj, String reason, String message) {
        events.add("Normal " + reason + " " + message);
      }

      @Override
      public void warning(HasMetadata obj, String reason, String message) {
        events.add("Warning " + reason + " " + message);
      }
    };
    this.context = new ControllerContext(api, informers, clock, TimeScale.REAL, c -> recorder);
  }

  public final Reconciler.Queue queue = new Reconciler.Queue() {
    @Override
    public void add(String key) {
      queued.add(key);
    }

    @Override
    public void addAfter(String key, Duration delay) {
      queuedAfter.add(key + " after " + delay.toSeconds() + "s");
    }

    @Override
    public void addRateLimited(String key) {
      queued.add(key);
    }
  };

  /** Registers the controller's handlers, starts the informers and waits for them to sync. */
  public void start(Reconciler r, List<Class<? extends HasMetadata>> kinds) throws Exception {
    r.register(queue);
    for (Class<? extends HasMetadata> k : kinds) {
      watched.add(Map.entry(k, informers.informerFor(k)));
    }
    informers.start();
    informers.waitForCacheSync().get(10, TimeUnit.SECONDS);
  }

  /** Waits until every watched informer holds exactly what the fake API holds. */
  @SuppressWarnings({"unchecked", "rawtypes"})
  public void settle() throws InterruptedException {
    await("informers to catch up", () -> {
      for (Map.Entry<Class<? extends HasMetadata>, SharedIndexInformer<?>> e : watched) {
        Map<String, String> want = new HashMap<>();
        for (Object o1 : api.all((Class) e.getKey())) {
          HasMetadata o = (HasMetadata) o1;
          want.put(Keys.key(o), o.getMetadata().getResourceVersion());
        }
        Map<String, String> have = new HashMap<>();
        for (HasMetadata o : e.getValue().getIndexer().list()) {
          have.put(Keys.key(o), o.getMetadata().getResourceVersion());
        }
        if (!want.equals(have)) {
          return false;
        }
      }
      return true;
    });
  }

  /** Runs one sync to completion, then lets the informers catch up. */
  public void sync(Reconciler r, String key) throws Exception {
    r.sync(key).toCompletableFuture().get(10, TimeUnit.SECONDS);
    settle();
  }

  public static void await(String what, BooleanSupplier condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting for " + what);
      }
      Thread.sleep(5);
    }
  }
}
