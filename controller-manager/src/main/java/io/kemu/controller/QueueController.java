package io.kemu.controller;

import io.kemu.api.TimeScale;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.workqueue.RateLimiter;
import io.kemu.api.client.workqueue.WorkQueue;
import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import org.apache.pekko.actor.typed.ActorRef;
import org.apache.pekko.actor.typed.Behavior;
import org.apache.pekko.actor.typed.javadsl.ActorContext;
import org.apache.pekko.actor.typed.javadsl.Behaviors;
import org.apache.pekko.actor.typed.javadsl.TimerScheduler;
import org.slf4j.Logger;

/**
 * The actor that runs one {@link Reconciler}: it owns the controller's rate-limited {@link WorkQueue}, hands
 * keys to up to {@code workers} concurrent syncs once the caches have synced (client-go's WaitForCacheSync, then
 * the worker goroutines), retries failures with the queue's back-off, and wakes itself up for delayed keys.
 */
public final class QueueController {
  public sealed interface Command {}

  public record Add(String key) implements Command {}

  public record AddAfter(String key, Duration delay) implements Command {}

  public record AddRateLimited(String key) implements Command {}

  /** The informers have synced: start working. */
  public enum CachesSynced implements Command { INSTANCE }

  private enum Tick implements Command { INSTANCE }

  private record Synced(String key, Throwable error) implements Command {}

  public static Behavior<Command> create(Reconciler reconciler, Clock clock, TimeScale timeScale) {
    return Behaviors.setup(ctx -> Behaviors.withTimers(timers ->
        new QueueController(ctx, timers, reconciler, clock, timeScale).behavior()));
  }

  /** The queue facade handlers use: messages to the actor. */
  public static Reconciler.Queue queueOf(ActorRef<Command> ref) {
    return new Reconciler.Queue() {
      @Override
      public void add(String key) {
        ref.tell(new Add(key));
      }

      @Override
      public void addAfter(String key, Duration delay) {
        ref.tell(new AddAfter(key, delay));
      }

      @Override
      public void addRateLimited(String key) {
        ref.tell(new AddRateLimited(key));
      }
    };
  }

  private final ActorContext<Command> ctx;
  private final TimerScheduler<Command> timers;
  private final Reconciler reconciler;
  private final WorkQueue<String> queue;
  private final Logger log;
  private boolean running;

  private QueueController(ActorContext<Command> ctx, TimerScheduler<Command> timers, Reconciler reconciler,
                          Clock clock, TimeScale timeScale) {
    this.ctx = ctx;
    this.timers = timers;
    this.reconciler = reconciler;
    this.queue = new WorkQueue<>(clock, RateLimiter.defaultControllerRateLimiter(clock, timeScale));
    this.log = ctx.getLog();
    reconciler.register(queueOf(ctx.getSelf()));
  }

  private Behavior<Command> behavior() {
    return Behaviors.receive(Command.class)
        .onMessage(Add.class, a -> {
          queue.add(a.key());
          return drain();
        })
        .onMessage(AddAfter.class, a -> {
          queue.addAfter(a.key(), a.delay());
          return drain();
        })
        .onMessage(AddRateLimited.class, a -> {
          queue.addRateLimited(a.key());
          return drain();
        })
        .onMessageEquals(CachesSynced.INSTANCE, () -> {
          running = true;
          log.info("{}: caches synced, {} keys queued", reconciler.name(), queue.len());
          return drain();
        })
        .onMessageEquals(Tick.INSTANCE, this::drain)
        .onMessage(Synced.class, this::onSynced)
        .build();
  }

  private Behavior<Command> drain() {
    if (running) {
      while (queue.processingCount() < reconciler.workers()) {
        String key = queue.poll();
        if (key == null) {
          break;
        }
        CompletionStage<Void> stage;
        try {
          stage = reconciler.sync(key);
        } catch (RuntimeException e) {
          stage = CompletableFuture.failedFuture(e);
        }
        ctx.pipeToSelf(stage, (ok, err) -> new Synced(key, err));
      }
    }
    queue.nextWakeup().ifPresentOrElse(d -> timers.startSingleTimer(Tick.INSTANCE, d.plusMillis(1)),
        () -> timers.cancel(Tick.INSTANCE));
    return Behaviors.same();
  }

  private Behavior<Command> onSynced(Synced s) {
    queue.done(s.key());
    if (s.error() == null) {
      queue.forget(s.key());
    } else {
      int retries = queue.numRequeues(s.key());
      StatusException se = StatusException.of(s.error());
      Throwable cause = se != null ? se : unwrap(s.error());
      if (se != null && se.isConflict() && retries < 5) {
        log.debug("{}: syncing {} conflicted, retrying: {}", reconciler.name(), s.key(), cause.getMessage());
      } else if (cause instanceof RuntimeException && se == null && retries == 0) {
        log.warn("{}: error syncing {}", reconciler.name(), s.key(), cause);
      } else {
        log.info("{}: error syncing {} (retry {}): {}", reconciler.name(), s.key(), retries + 1,
            cause.getMessage());
      }
      queue.addRateLimited(s.key());
    }
    return drain();
  }

  private static Throwable unwrap(Throwable t) {
    while (t instanceof java.util.concurrent.CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }
}
