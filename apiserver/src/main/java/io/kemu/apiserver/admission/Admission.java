package io.kemu.apiserver.admission;

import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The admission chain: every mutating phase in order, then every validating phase in order. */
public final class Admission {
  private final List<AdmissionPlugin> plugins;

  public Admission(List<AdmissionPlugin> plugins) {
    this.plugins = List.copyOf(plugins);
  }

  public List<String> names() {
    return plugins.stream().map(AdmissionPlugin::name).toList();
  }

  public CompletionStage<Void> admit(AdmissionAttributes a) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (AdmissionPlugin p : plugins) {
      chain = chain.thenCompose(x -> p.admit(a));
    }
    return chain;
  }

  public CompletionStage<Void> validate(AdmissionAttributes a) {
    CompletionStage<Void> chain = CompletableFuture.completedFuture(null);
    for (AdmissionPlugin p : plugins) {
      chain = chain.thenCompose(x -> p.validate(a));
    }
    return chain;
  }
}
