package io.kemu.api.client;

import io.fabric8.kubernetes.api.model.HasMetadata;

/** Where a component reports Events (the kubelet's recorder; tests substitute a list). */
public interface Recorder {
  void normal(HasMetadata obj, String reason, String message);

  void warning(HasMetadata obj, String reason, String message);
}
