package io.kemu.apiserver.admission;

import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

/** Test helper: waits for an admission stage and rethrows what failed it. */
public final class Stages {
  private Stages() {}

  public static void join(CompletionStage<?> stage) {
    try {
      stage.toCompletableFuture().join();
    } catch (CompletionException e) {
      if (e.getCause() instanceof RuntimeException r) {
        throw r;
      }
      throw e;
    }
  }
}
