package io.kemu.controller;

import java.util.Collection;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Small helpers for syncs written as chains of CompletionStages. */
public final class Futures {
  private Futures() {}

  public static final CompletionStage<Void> DONE = CompletableFuture.completedFuture(null);

  public static <T> CompletionStage<T> done(T value) {
    return CompletableFuture.completedFuture(value);
  }

  /** All of them; fails with the first failure once every one has finished. */
  public static CompletionStage<Void> all(Collection<? extends CompletionStage<?>> stages) {
    List<CompletableFuture<?>> fs = new java.util.ArrayList<>();
    for (CompletionStage<?> s : stages) {
      fs.add(s.toCompletableFuture());
    }
    return CompletableFuture.allOf(fs.stream().map(f -> f.handle((x, e) -> null)).toArray(CompletableFuture[]::new))
        .thenRun(() -> {
          for (CompletableFuture<?> f : fs) {
            if (f.isCompletedExceptionally()) {
              f.join(); // rethrows the failure
            }
          }
        });
  }

  public static Throwable unwrap(Throwable t) {
    while (t instanceof CompletionException && t.getCause() != null) {
      t = t.getCause();
    }
    return t;
  }

  public static RuntimeException rethrow(Throwable t) {
    Throwable u = unwrap(t);
    return u instanceof RuntimeException re ? re : new CompletionException(u);
  }
}
