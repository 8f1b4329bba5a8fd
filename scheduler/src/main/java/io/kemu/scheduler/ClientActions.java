package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.KubeJson;
import io.kemu.api.client.ApiClient;
import io.kemu.api.client.StatusException;
import io.kemu.scheduler.framework.Handle;
import java.time.Instant;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/** The API calls of binding and preemption, through the in-cluster client. */
final class ClientActions implements Handle.ApiActions {
  private final ApiClient client;
  private final EventSink events;
  private final org.slf4j.Logger log;

  ClientActions(ApiClient client, EventSink events, org.slf4j.Logger log) {
    this.client = client;
    this.events = events;
    this.log = log;
  }

  @Override
  public CompletionStage<Void> bind(Pod pod, String nodeName) {
    return client.bind(pod.getMetadata().getNamespace(), pod.getMetadata().getName(), pod.getMetadata().getUid(),
        nodeName);
  }

  /**
   * Evaluator.PreemptPod: the DisruptionTarget condition (reason PreemptionByScheduler), the delete, and the
   * Preempted event on the victim.
   */
  @Override
  public CompletionStage<Void> preemptVictim(Pod victim, Pod preemptor, String nodeName) {
    String ns = victim.getMetadata().getNamespace();
    String name = victim.getMetadata().getName();
    Map<String, Object> condition = new LinkedHashMap<>();
    condition.put("type", "DisruptionTarget");
    condition.put("status", "True");
    condition.put("reason", "PreemptionByScheduler");
    String schedulerName = preemptor.getSpec().getSchedulerName() == null ? "default-scheduler"
        : preemptor.getSpec().getSchedulerName();
    condition.put("message", schedulerName + ": preempting to accommodate a higher priority pod");
    condition.put("lastTransitionTime", KubeJson.timestamp(Instant.now()));
    Map<String, Object> patch = Map.of("status", Map.of("conditions", List.of(condition)));
    return client.patch(Pod.class, ns, name, "status", "application/strategic-merge-patch+json", patch)
        .thenCompose(p -> client.delete(Pod.class, ns, name, null))
        .handle((x, err) -> {
          StatusException se = StatusException.of(err);
          if (err != null && (se == null || !se.isNotFound())) {
            log.warn("could not preempt pod {}/{} for {}: {}", ns, name, preemptor.getMetadata().getName(),
                err.toString());
            return null;
          }
          events.record(victim, "Normal", "Preempted", "Preempted by pod "
              + preemptor.getMetadata().getUid() + " on node " + nodeName, "Preempting");
          return null;
        });
  }

  @Override
  public CompletionStage<Void> clearNominatedNodeName(Pod pod) {
    if (pod.getStatus() == null || pod.getStatus().getNominatedNodeName() == null
        || pod.getStatus().getNominatedNodeName().isEmpty()) {
      return CompletableFuture.completedFuture(null);
    }
    Map<String, Object> status = new HashMap<>();
    status.put("nominatedNodeName", null);
    return client.patch(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(), "status",
        "application/merge-patch+json", Map.of("status", status)).handle((x, err) -> null);
  }
}
