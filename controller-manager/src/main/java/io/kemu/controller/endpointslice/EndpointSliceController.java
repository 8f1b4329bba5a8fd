package io.kemu.controller.endpointslice;

import static io.kemu.controller.Workers.await;

import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointConditions;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.kemu.api.KubeJson;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.OwnerRefs;
import io.kemu.controller.PodUtil;
import io.kemu.controller.Reconciler;
import io.kemu.controller.Workers;
import io.kemu.controller.endpointutil.EndpointUtil;
import io.kemu.controller.endpoint.EndpointsController;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;

/**
 * pkg/controller/endpointslice: discovery.k8s.io/v1 EndpointSlices for every Service with a selector, owned by
 * it and labelled kubernetes.io/service-name and endpointslice.kubernetes.io/managed-by. Unlike Endpoints,
 * terminating pods stay listed with ready false, serving as their readiness and terminating true. Endpoints are
 * grouped by their resolved port set, at most 100 to a slice; a Service without endpoints keeps an empty
 * placeholder slice.
 */
public final class EndpointSliceController implements Reconciler {
  public static final String NAME = "endpointslice-controller";
  public static final String SERVICE_NAME_LABEL = "kubernetes.io/service-name";
  public static final String MANAGED_BY_LABEL = "endpointslice.kubernetes.io/managed-by";
  public static final String MANAGED_BY = "endpointslice-controller.k8s.io";
  static final int MAX_ENDPOINTS_PER_SLICE = 100;

  private final KubeClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<EndpointSlice> slices;

  public EndpointSliceController(ControllerContext context) {
    this.client = context.client();
    this.services = context.informers().informerFor(Service.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.slices = context.informers().informerFor(EndpointSlice.class);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(Queue q) {
    EndpointUtil.queueServicesOnServiceAndPodEvents(services, pods, q);
    slices.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onDelete(EndpointSlice s) {
        Map<String, String> l = s.getMetadata().getLabels();
        if (l != null && MANAGED_BY.equals(l.get(MANAGED_BY_LABEL)) && l.get(SERVICE_NAME_LABEL) != null) {
          q.add(Keys.key(s.getMetadata().getNamespace(), l.get(SERVICE_NAME_LABEL)));
        }
      }
    });
  }

  @Override
  public CompletionStage<Void> sync(String key) {
    return Workers.run(() -> syncService(key));
  }

  private List<EndpointSlice> managedSlices(String ns, String service) {
    return slices.getIndexer().list(ns, s -> {
      Map<String, String> l = s.getMetadata().getLabels();
      return l != null && service.equals(l.get(SERVICE_NAME_LABEL)) && MANAGED_BY.equals(l.get(MANAGED_BY_LABEL));
    });
  }

  void syncService(String key) {
    String ns = Keys.namespace(key);
    String name = Keys.name(key);
    Service svc = services.getIndexer().get(key);
    if (svc == null) {
      return; // the garbage collector deletes the slices it owned
    }
    Map<String, String> selector = svc.getSpec().getSelector();
    if ("ExternalName".equals(svc.getSpec().getType()) || selector == null || selector.isEmpty()) {
      return;
    }
    LabelSelector ls = LabelSelector.fromMap(selector);
    List<Pod> matching = new ArrayList<>(pods.getIndexer().list(ns, p -> ls.matches(p.getMetadata().getLabels())));
    matching.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    // port set (as JSON) -> ports and endpoints
    Map<String, List<EndpointPort>> portSets = new LinkedHashMap<>();
    Map<String, List<Endpoint>> byPorts = new LinkedHashMap<>();
    for (Pod pod : matching) {
      if (!EndpointsController.shouldPodBeInEndpoints(pod, true)) {
        continue;
      }
      List<EndpointPort> ports = new ArrayList<>();
      List<ServicePort> sps = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
      for (ServicePort sp : sps) {
        Integer n = EndpointsController.findPort(pod, sp);
        if (n != null) {
          ports.add(new EndpointPort(sp.getAppProtocol(), sp.getName(), n, sp.getProtocol()));
        }
      }
      String pk = KubeJson.string(ports);
      portSets.putIfAbsent(pk, ports);
      byPorts.computeIfAbsent(pk, x -> new ArrayList<>()).add(podToEndpoint(pod, svc));
    }
    List<EndpointSlice> desired = new ArrayList<>();
    for (Map.Entry<String, List<Endpoint>> e : byPorts.entrySet()) {
      List<Endpoint> eps = e.getValue();
      for (int i = 0; i < eps.size(); i += MAX_ENDPOINTS_PER_SLICE) {
        desired.add(slice(svc, portSets.get(e.getKey()),
            new ArrayList<>(eps.subList(i, Math.min(eps.size(), i + MAX_ENDPOINTS_PER_SLICE)))));
      }
    }
    if (desired.isEmpty()) {
      desired.add(slice(svc, new ArrayList<>(), new ArrayList<>())); // the placeholder slice
    }
    List<EndpointSlice> existing = new ArrayList<>(managedSlices(ns, name));
    existing.sort(Comparator.comparing(s -> s.getMetadata().getName()));
    for (EndpointSlice want : desired) {
      EndpointSlice match = null;
      for (EndpointSlice have : existing) {
        if (samePorts(have.getPorts(), want.getPorts())) {
          match = have;
          break;
        }
      }
      if (match == null) {
        await(client.create(want));
        continue;
      }
      existing.remove(match);
      if (sameEndpoints(match, want)) {
        continue;
      }
      EndpointSlice next = KubeJson.copy(match);
      next.setEndpoints(want.getEndpoints());
      next.getMetadata().setLabels(want.getMetadata().getLabels());
      await(client.update(next));
    }
    for (EndpointSlice extra : existing) {
      try {
        await(client.delete(EndpointSlice.class, ns, extra.getMetadata().getName(), null));
      } catch (StatusException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
    }
  }

  /** podToEndpoint. */
  static Endpoint podToEndpoint(Pod pod, Service svc) {
    boolean serving = PodUtil.isPodReady(pod);
    boolean terminating = pod.getMetadata().getDeletionTimestamp() != null;
    boolean ready = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses()) || (serving && !terminating);
    Endpoint ep = new Endpoint();
    ep.setAddresses(new ArrayList<>(List.of(pod.getStatus().getPodIP())));
    ep.setConditions(new EndpointConditions(ready, serving, terminating));
    ep.setTargetRef(new ObjectReferenceBuilder().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).build());
    if (pod.getSpec().getNodeName() != null && !pod.getSpec().getNodeName().isEmpty()) {
      ep.setNodeName(pod.getSpec().getNodeName());
    }
    String hostname = pod.getSpec().getHostname();
    if (hostname != null && !hostname.isEmpty() && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())) {
      ep.setHostname(hostname);
    }
    return ep;
  }

  static EndpointSlice slice(Service svc, List<EndpointPort> ports, List<Endpoint> endpoints) {
    Map<String, String> labels = new HashMap<>(svc.getMetadata().getLabels() == null ? Map.of()
        : svc.getMetadata().getLabels());
    labels.put(SERVICE_NAME_LABEL, svc.getMetadata().getName());
    labels.put(MANAGED_BY_LABEL, MANAGED_BY);
    if ("None".equals(svc.getSpec().getClusterIP())) {
      labels.put("service.kubernetes.io/headless", "");
    }
    return new EndpointSliceBuilder().withApiVersion("discovery.k8s.io/v1").withKind("EndpointSlice")
        .withNewMetadata().withNamespace(svc.getMetadata().getNamespace())
        .withGenerateName(svc.getMetadata().getName() + "-").withLabels(labels)
        .withOwnerReferences(OwnerRefs.newControllerRef(svc, "v1", "Service")).endMetadata()
        .withAddressType("IPv4").withPorts(ports).withEndpoints(endpoints).build();
  }

  private static boolean samePorts(List<EndpointPort> a, List<EndpointPort> b) {
    return KubeJson.MAPPER.valueToTree(a == null ? List.of() : a)
        .equals(KubeJson.MAPPER.valueToTree(b == null ? List.of() : b));
  }

  private static boolean sameEndpoints(EndpointSlice have, EndpointSlice want) {
    return KubeJson.MAPPER.valueToTree(have.getEndpoints() == null ? List.of() : have.getEndpoints())
        .equals(KubeJson.MAPPER.valueToTree(want.getEndpoints()))
        && Objects.equals(have.getMetadata().getLabels(), want.getMetadata().getLabels());
  }
}
