package io.kemu.apiserver.admission;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * One admission plugin (k8s.io/apiserver/pkg/admission): {@link #admit} may mutate the object, {@link #validate}
 * may only reject. Rejections are ApiExceptions (Forbidden, NotFound, ...) thrown or failed stages.
 */
public interface AdmissionPlugin {
  String name();

  default CompletionStage<Void> admit(AdmissionAttributes a) {
    return CompletableFuture.completedFuture(null);
  }

  default CompletionStage<Void> validate(AdmissionAttributes a) {
    return CompletableFuture.completedFuture(null);
  }
}
