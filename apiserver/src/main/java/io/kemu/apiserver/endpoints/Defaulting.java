package io.kemu.apiserver.endpoints;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.apiserver.defaults.NamespaceDefaults;
import io.kemu.apiserver.defaults.NodeDefaults;
import io.kemu.apiserver.defaults.PodDefaults;

/** The defaulting kube-apiserver applies to every decoded request body (SetObjectDefaults_*). */
final class Defaulting {
  private Defaulting() {}

  static void apply(HasMetadata obj) {
    if (obj instanceof Pod p) {
      PodDefaults.apply(p);
    } else if (obj instanceof Node n) {
      NodeDefaults.apply(n);
    } else if (obj instanceof Namespace ns) {
      NamespaceDefaults.apply(ns);
    }
  }
}
