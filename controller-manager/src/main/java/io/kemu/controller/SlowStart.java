package io.kemu.controller;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Supplier;

/**
 * slowStartBatch (pkg/controller/replicaset and job): calls {@code fn} {@code count} times in batches of 1, 2,
 * 4, 8... (all calls of a batch at once); stops after the first batch with a failure, so that a quota or an
 * admission error costs a handful of requests, not hundreds. Completes with the number of successful calls and
 * the first error (or null).
 */
public final class SlowStart {
  public static final int INITIAL_BATCH_SIZE = 1;

  public record Result(int successes, Throwable error) {}

  private SlowStart() {}

  public static CompletionStage<Result> batches(int count, int initialBatchSize, Supplier<CompletionStage<?>> fn) {
    return batch(count, Math.min(count, initialBatchSize), 0, fn);
  }

  private static CompletionStage<Result> batch(int remaining, int size, int successes,
                                               Supplier<CompletionStage<?>> fn) {
    if (size <= 0) {
      return CompletableFuture.completedFuture(new Result(successes, null));
    }
    List<CompletableFuture<?>> calls = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      CompletionStage<?> stage;
      try {
        stage = fn.get();
      } catch (RuntimeException e) {
        stage = CompletableFuture.failedFuture(e);
      }
      calls.add(stage.toCompletableFuture());
    }
    return CompletableFuture.allOf(calls.stream().map(c -> c.handle((x, e) -> null))
        .toArray(CompletableFuture[]::new)).thenCompose(x -> {
          int ok = 0;
          Throwable first = null;
          for (CompletableFuture<?> c : calls) {
            if (c.isCompletedExceptionally()) {
              if (first == null) {
                first = c.handle((v, e) -> e).join();
              }
            } else {
              ok++;
            }
          }
          int total = successes + ok;
          if (first != null) {
            return CompletableFuture.completedFuture(new Result(total, first));
          }
          int left = remaining - size;
          return batch(left, Math.min(2 * size, left), total, fn);
        });
  }
}
