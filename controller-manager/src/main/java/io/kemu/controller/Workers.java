package io.kemu.controller;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where syncs written in the sequential style of their Go originals run: each sync blocks on its API calls on a
 * thread of this pool (never on an actor's dispatcher). {@link QueueController} bounds how many run per
 * controller; the pool only supplies the threads.
 */
public final class Workers {
  private static final AtomicInteger COUNT = new AtomicInteger();
  private static final ExecutorService POOL = Executors.newCachedThreadPool(r -> {
    Thread t = new Thread(r, "controller-worker-" + COUNT.incrementAndGet());
    t.setDaemon(true);
    return t;
  });

  private Workers() {}

  public interface BlockingSync {
    void run() throws Exception;
  }

  /** Runs {@code sync} on a worker thread; its exception fails the stage. */
  public static CompletionStage<Void> run(BlockingSync sync) {
    return CompletableFuture.runAsync(() -> {
      try {
        sync.run();
      } catch (RuntimeException e) {
        throw e;
      } catch (Exception e) {
        throw new java.util.concurrent.CompletionException(e);
      }
    }, POOL);
  }

  /** Waits for an API call; its failure is rethrown unwrapped (a StatusException for API errors). */
  public static <T> T await(CompletionStage<T> stage) {
    try {
      return stage.toCompletableFuture().join();
    } catch (java.util.concurrent.CompletionException e) {
      throw Futures.rethrow(e);
    }
  }
}
