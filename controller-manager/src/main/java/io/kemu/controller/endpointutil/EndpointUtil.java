package io.kemu.controller.endpointutil;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.controller.Reconciler;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * pkg/controller/util/endpoint (endpointutil): what the Endpoints and EndpointSlice controllers share — a Service's
 * key is queued when the Service changes, and when a pod it selects (now or before the change) is added, updated
 * or deleted.
 */
public final class EndpointUtil {
  private EndpointUtil() {}

  /** The Service handlers and the pod handlers (GetPodServiceMemberships) both controllers register. */
  public static void queueServicesOnServiceAndPodEvents(SharedIndexInformer<Service> services,
                                                        SharedIndexInformer<Pod> pods, Reconciler.Queue q) {
    services.addEventHandler(q.enqueueOnEveryChange());
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p, boolean initial) {
        podServiceMemberships(services, p, null).forEach(q::add);
      }

      @Override
      public void onUpdate(Pod old, Pod cur) {
        if (!Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) {
          podServiceMemberships(services, cur, old).forEach(q::add);
        }
      }

      @Override
      public void onDelete(Pod p) {
        podServiceMemberships(services, p, null).forEach(q::add);
      }
    });
  }

  /** GetPodServiceMemberships: the keys of the Services selecting the pod's labels now or (old) before. */
  public static List<String> podServiceMemberships(SharedIndexInformer<Service> services, Pod pod, Pod old) {
    List<String> keys = new ArrayList<>();
    for (Service s : services.getIndexer().byNamespace(pod.getMetadata().getNamespace())) {
      Map<String, String> sel = s.getSpec() == null ? null : s.getSpec().getSelector();
      if (sel == null || sel.isEmpty()) {
        continue;
      }
      LabelSelector ls = LabelSelector.fromMap(sel);
      if (ls.matches(pod.getMetadata().getLabels()) || (old != null && ls.matches(old.getMetadata().getLabels()))) {
        keys.add(Keys.key(s));
      }
    }
    return keys;
  }
}
