package io.kemu.controller;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.kemu.api.Flow;
import io.kemu.api.KubeJson;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.StatusException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.CompletionStage;

/** pkg/controller's RealPodControl: pods from a controller's template, created and deleted with Events. */
public final class PodControl {
  private final KubeClient client;
  private final Recorder recorder;

  public PodControl(KubeClient client, Recorder recorder) {
    this.client = client;
    this.recorder = recorder;
  }

  /** GetPodFromTemplate: the template's labels, annotations, finalizers and spec; generateName "<parent>-". */
  public static Pod podFromTemplate(PodTemplateSpec template, HasMetadata parent, OwnerReference controllerRef) {
    ObjectMeta tm = template.getMetadata() == null ? new ObjectMeta() : template.getMetadata();
    ObjectMeta m = new ObjectMeta();
    m.setLabels(tm.getLabels() == null ? null : new HashMap<>(tm.getLabels()));
    m.setAnnotations(tm.getAnnotations() == null ? null : new HashMap<>(tm.getAnnotations()));
    m.setFinalizers(tm.getFinalizers() == null ? null : new ArrayList<>(tm.getFinalizers()));
    m.setGenerateName(podsPrefix(parent.getMetadata().getName()));
    m.setNamespace(parent.getMetadata().getNamespace());
    if (controllerRef != null) {
      m.setOwnerReferences(new ArrayList<>(List.of(controllerRef)));
    }
    Pod pod = new Pod();
    pod.setApiVersion("v1");
    pod.setKind("Pod");
    pod.setMetadata(m);
    pod.setSpec(KubeJson.copy(template.getSpec()));
    return pod;
  }

  /** getPodsPrefix: the controller's name and a dash, if that is a valid generateName. */
  static String podsPrefix(String controllerName) {
    String prefix = controllerName + "-";
    return prefix.length() <= 253 - 5 ? prefix : "";
  }

  /** CreatePods (CreatePodsWithGenerateName): SuccessfulCreate or FailedCreate on the controller. */
  public CompletionStage<Pod> createPod(PodTemplateSpec template, HasMetadata parent, OwnerReference ref) {
    Pod pod = podFromTemplate(template, parent, ref);
    if (pod.getMetadata().getLabels() == null || pod.getMetadata().getLabels().isEmpty()) {
      throw new StatusException(422, "Invalid", "unable to create pods, no labels");
    }
    return client.create(pod).whenComplete((created, err) -> {
      if (err != null) {
        StatusException se = StatusException.of(err);
        if (se == null || se.code() != 504) {
          recorder.warning(parent, "FailedCreate", "Error creating: " + message(err));
        }
        return;
      }
      Flow.LOG.info("{} {}/{}: created pod {}", parent.getKind(), parent.getMetadata().getNamespace(),
          parent.getMetadata().getName(), created.getMetadata().getName());
      recorder.normal(parent, "SuccessfulCreate", "Created pod: " + created.getMetadata().getName());
    });
  }

  /** DeletePod: SuccessfulDelete or FailedDelete on the controller (a 404 fails silently). */
  public CompletionStage<Void> deletePod(String namespace, String name, HasMetadata parent) {
    return client.delete(Pod.class, namespace, name, new DeleteOptions()).whenComplete((x, err) -> {
      if (err != null) {
        StatusException se = StatusException.of(err);
        if (se == null || !se.isNotFound()) {
          recorder.warning(parent, "FailedDelete", "Error deleting: " + message(err));
        }
        return;
      }
      Flow.LOG.info("{} {}/{}: deleted pod {}", parent.getKind(), parent.getMetadata().getNamespace(),
          parent.getMetadata().getName(), name);
      recorder.normal(parent, "SuccessfulDelete", "Deleted pod: " + name);
    });
  }

  /** Whether a creation failed because the namespace is being deleted (NamespaceTerminatingCause). */
  public static boolean namespaceTerminating(Throwable err) {
    StatusException se = StatusException.of(err);
    return se != null && se.getMessage() != null && se.getMessage().contains("because it is being terminated");
  }

  public static String message(Throwable err) {
    StatusException se = StatusException.of(err);
    return se != null ? se.getMessage() : String.valueOf(err);
  }
}
