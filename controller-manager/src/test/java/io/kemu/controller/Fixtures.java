package io.kemu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.kemu.api.KubeJson;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Objects for controller tests, shaped as the apiserver would store them. */
public final class Fixtures {
  private Fixtures() {}

  public static PodTemplateSpec template(Map<String, String> labels, String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(labels).endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage(image).endContainer()
        .withRestartPolicy("Always").withTerminationGracePeriodSeconds(30L).endSpec().build();
  }

  public static ReplicaSet rs(String name, int replicas, Map<String, String> labels) {
    return new ReplicaSetBuilder().withNewMetadata().withNamespace("default").withName(name)
        .withUid(name + "-uid").withGeneration(1L).withLabels(labels).endMetadata()
        .withNewSpec().withReplicas(replicas).withNewSelector().withMatchLabels(labels).endSelector()
        .withTemplate(template(labels, "nginx")).endSpec().build();
  }

  public static OwnerReference ref(HasMetadata owner) {
    return OwnerRefs.newControllerRef(owner, owner.getApiVersion() == null ? "apps/v1" : owner.getApiVersion(),
        owner.getKind());
  }

  /** A pod of {@code owner} (or an orphan) on {@code node} (null: unscheduled) in {@code phase}. */
  public static Pod pod(String name, Map<String, String> labels, HasMetadata owner, String node, String phase,
                        boolean ready, Instant created) {
    PodBuilder b = new PodBuilder().withNewMetadata().withNamespace("default").withName(name).withUid(name + "-uid")
        .withLabels(labels).withCreationTimestamp(KubeJson.timestamp(created)).endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage("nginx").endContainer().withNodeName(node)
        .endSpec().withNewStatus().withPhase(phase).endStatus();
    Pod p = b.build();
    if (owner != null) {
      p.getMetadata().setOwnerReferences(List.of(ref(owner)));
    }
    if (ready) {
      setReady(p, true, created);
    }
    return p;
  }

  public static void setReady(Pod p, boolean ready, Instant since) {
    PodCondition c = new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("Ready")
        .withStatus(ready ? "True" : "False").withLastTransitionTime(KubeJson.timestamp(since)).build();
    p.getStatus().setConditions(new java.util.ArrayList<>(List.of(c)));
    if (ready) {
      p.getStatus().setPhase("Running");
    }
  }
}
