package io.kemu.controller.endpoint;

import static io.kemu.controller.Workers.await;

import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.kemu.api.KubeJson;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.api.selectors.LabelSelector;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.PodUtil;
import io.kemu.controller.Reconciler;
import io.kemu.controller.Workers;
import io.kemu.controller.endpointutil.EndpointUtil;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pkg/controller/endpoint: for every Service with a selector, an Endpoints object of the same name listing the
 * matching pods' IPs, ready ones under addresses and the others under notReadyAddresses, with each service port
 * resolved against the pod (a named targetPort through its containers' ports). A pod leaves as soon as its
 * deletionTimestamp is set (unless the Service publishes not-ready addresses), or when it turns terminal.
 */
public final class EndpointsController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(EndpointsController.class);
  public static final String NAME = "endpoint-controller";
  static final String HEADLESS_LABEL = "service.kubernetes.io/headless";

  private final KubeClient client;
  private final SharedIndexInformer<Service> services;
  private final SharedIndexInformer<Pod> pods;
  private final SharedIndexInformer<Endpoints> endpoints;

  public EndpointsController(ControllerContext context) {
    this.client = context.client();
    this.services = context.informers().informerFor(Service.class);
    this.pods = context.informers().informerFor(Pod.class);
    this.endpoints = context.informers().informerFor(Endpoints.class);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(Queue q) {
    EndpointUtil.queueServicesOnServiceAndPodEvents(services, pods, q);
  }

  @Override
  public CompletionStage<Void> sync(String key) {
    return Workers.run(() -> syncService(key));
  }

  /** syncService. */
  void syncService(String key) {
    String ns = Keys.namespace(key);
    String name = Keys.name(key);
    Service svc = services.getIndexer().get(key);
    if (svc == null) {
      try {
        await(client.delete(Endpoints.class, ns, name, null));
      } catch (StatusException e) {
        if (!e.isNotFound()) {
          throw e;
        }
      }
      return;
    }
    if ("ExternalName".equals(svc.getSpec().getType())) {
      return;
    }
    Map<String, String> selector = svc.getSpec().getSelector();
    if (selector == null || selector.isEmpty()) {
      return; // endpoints managed by someone else
    }
    boolean tolerateUnready = Boolean.TRUE.equals(svc.getSpec().getPublishNotReadyAddresses());
    LabelSelector ls = LabelSelector.fromMap(selector);
    List<EndpointSubset> subsets = new ArrayList<>();
    List<Pod> matching = new ArrayList<>(pods.getIndexer().list(ns, p -> ls.matches(p.getMetadata().getLabels())));
    matching.sort(Comparator.comparing(p -> p.getMetadata().getName()));
    for (Pod pod : matching) {
      if (!shouldPodBeInEndpoints(pod, tolerateUnready)) {
        continue;
      }
      EndpointAddress addr = podToEndpointAddress(pod, svc);
      boolean ready = tolerateUnready || PodUtil.isPodReady(pod);
      List<ServicePort> ports = svc.getSpec().getPorts() == null ? List.of() : svc.getSpec().getPorts();
      if (ports.isEmpty()) {
        if ("None".equals(svc.getSpec().getClusterIP())) {
          subsets.add(subset(addr, null, ready));
        }
        continue;
      }
      for (ServicePort sp : ports) {
        Integer portNum = findPort(pod, sp);
        if (portNum == null) {
          log.debug("service {}: failed to find port {} in pod {}", key, sp.getTargetPort(), Keys.key(pod));
          continue;
        }
        EndpointPort ep = new EndpointPort(sp.getAppProtocol(), sp.getName(), portNum, sp.getProtocol());
        subsets.add(subset(addr, ep, ready));
      }
    }
    subsets = repack(subsets);
    Map<String, String> labels = new HashMap<>(svc.getMetadata().getLabels() == null ? Map.of()
        : svc.getMetadata().getLabels());
    if ("None".equals(svc.getSpec().getClusterIP())) {
      labels.put(HEADLESS_LABEL, "");
    } else {
      labels.remove(HEADLESS_LABEL);
    }
    Endpoints current = endpoints.getIndexer().get(key);
    if (current != null && sameSubsets(current.getSubsets(), subsets)
        && Objects.equals(nonNull(current.getMetadata().getLabels()), labels)) {
      return;
    }
    Endpoints next = current == null
        ? new EndpointsBuilder().withNewMetadata().withNamespace(ns).withName(name).endMetadata().build()
        : KubeJson.copy(current);
    next.getMetadata().setLabels(labels.isEmpty() ? null : labels);
    next.setSubsets(subsets);
    if (current == null) {
      try {
        await(client.create(next));
      } catch (StatusException e) {
        if (e.isAlreadyExists()) {
          throw new StatusException(409, "Conflict", "endpoints " + key + " appeared; retrying");
        }
        throw e;
      }
    } else {
      await(client.update(next));
    }
  }

  private static Map<String, String> nonNull(Map<String, String> m) {
    return m == null ? Map.of() : m;
  }

  /** ShouldPodBeInEndpoints. */
  public static boolean shouldPodBeInEndpoints(Pod pod, boolean includeTerminating) {
    if (PodUtil.isTerminal(pod)) {
      return false;
    }
    if (pod.getStatus() == null || pod.getStatus().getPodIP() == null || pod.getStatus().getPodIP().isEmpty()) {
      return false;
    }
    return includeTerminating || pod.getMetadata().getDeletionTimestamp() == null;
  }

  static EndpointAddress podToEndpointAddress(Pod pod, Service svc) {
    EndpointAddressBuilder b = new EndpointAddressBuilder().withIp(pod.getStatus().getPodIP())
        .withNodeName(pod.getSpec().getNodeName())
        .withNewTargetRef().withKind("Pod").withNamespace(pod.getMetadata().getNamespace())
        .withName(pod.getMetadata().getName()).withUid(pod.getMetadata().getUid()).endTargetRef();
    String hostname = pod.getSpec().getHostname();
    if (hostname != null && !hostname.isEmpty() && svc.getMetadata().getName().equals(pod.getSpec().getSubdomain())
        && svc.getMetadata().getNamespace().equals(pod.getMetadata().getNamespace())) {
      b.withHostname(hostname);
    }
    return b.build();
  }

  /** podutil.FindPort: a numeric targetPort as is, a named one through the containers' ports (and protocol). */
  public static Integer findPort(Pod pod, ServicePort sp) {
    IntOrString tp = sp.getTargetPort();
    if (tp == null) {
      return sp.getPort();
    }
    if (tp.getIntVal() != null) {
      return tp.getIntVal();
    }
    String name = tp.getStrVal();
    if (name == null) {
      return sp.getPort();
    }
    String protocol = sp.getProtocol() == null ? "TCP" : sp.getProtocol();
    for (Container c : pod.getSpec().getContainers()) {
      if (c.getPorts() == null) {
        continue;
      }
      for (ContainerPort cp : c.getPorts()) {
        String cpProto = cp.getProtocol() == null ? "TCP" : cp.getProtocol();
        if (name.equals(cp.getName()) && protocol.equals(cpProto)) {
          return cp.getContainerPort();
        }
      }
    }
    try {
      return Integer.parseInt(name);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  private static EndpointSubset subset(EndpointAddress addr, EndpointPort port, boolean ready) {
    EndpointSubset s = new EndpointSubset();
    if (ready) {
      s.setAddresses(new ArrayList<>(List.of(addr)));
    } else {
      s.setNotReadyAddresses(new ArrayList<>(List.of(addr)));
    }
    s.setPorts(port == null ? new ArrayList<>() : new ArrayList<>(List.of(port)));
    return s;
  }

  /**
   * endpoints.RepackSubsets: addresses grouped by identical port sets, each address listed once per group (ready
   * wins over not ready), sorted by IP; groups in a stable order.
   */
  static List<EndpointSubset> repack(List<EndpointSubset> subsets) {
    // address key -> ports, and readiness
    Map<String, EndpointAddress> addrs = new LinkedHashMap<>();
    Map<String, Boolean> readyOf = new HashMap<>();
    Map<String, List<EndpointPort>> portsOf = new LinkedHashMap<>();
    for (EndpointSubset s : subsets) {
      boolean ready = s.getAddresses() != null && !s.getAddresses().isEmpty();
      EndpointAddress a = ready ? s.getAddresses().get(0) : s.getNotReadyAddresses().get(0);
      String k = a.getIp() + "/" + (a.getTargetRef() == null ? "" : a.getTargetRef().getUid());
      addrs.putIfAbsent(k, a);
      readyOf.merge(k, ready, (x, y) -> x || y);
      List<EndpointPort> ps = portsOf.computeIfAbsent(k, x -> new ArrayList<>());
      for (EndpointPort p : s.getPorts()) {
        if (!ps.contains(p)) {
          ps.add(p);
        }
      }
    }
    Map<String, EndpointSubset> byPorts = new LinkedHashMap<>();
    for (Map.Entry<String, EndpointAddress> e : addrs.entrySet()) {
      List<EndpointPort> ps = new ArrayList<>(portsOf.get(e.getKey()));
      ps.sort(Comparator.comparing((EndpointPort p) -> p.getName() == null ? "" : p.getName())
          .thenComparing(p -> p.getPort() == null ? 0 : p.getPort()));
      String pk = KubeJson.string(ps);
      EndpointSubset s = byPorts.computeIfAbsent(pk, x -> {
        EndpointSubset n = new EndpointSubset();
        n.setPorts(ps);
        n.setAddresses(new ArrayList<>());
        n.setNotReadyAddresses(new ArrayList<>());
        return n;
      });
      (readyOf.get(e.getKey()) ? s.getAddresses() : s.getNotReadyAddresses()).add(e.getValue());
    }
    List<EndpointSubset> out = new ArrayList<>(byPorts.values());
    for (EndpointSubset s : out) {
      s.getAddresses().sort(Comparator.comparing(EndpointAddress::getIp));
      s.getNotReadyAddresses().sort(Comparator.comparing(EndpointAddress::getIp));
    }
    out.sort(Comparator.comparing(s -> KubeJson.string(s.getPorts())));
    return out;
  }

  /** Semantic equality of subsets (empty lists and absent ones alike). */
  static boolean sameSubsets(List<EndpointSubset> a, List<EndpointSubset> b) {
    return KubeJson.MAPPER.valueToTree(a == null ? List.of() : a)
        .equals(KubeJson.MAPPER.valueToTree(b == null ? List.of() : b));
  }
}
