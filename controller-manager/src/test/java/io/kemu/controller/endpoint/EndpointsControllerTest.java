package io.kemu.controller.endpoint;

import static io.kemu.controller.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.kemu.api.KubeJson;
import io.kemu.controller.Harness;
import io.kemu.controller.endpointslice.EndpointSliceController;
import java.util.List;
import java.util.Map;
import org.apache.pekko.actor.testkit.typed.javadsl.ActorTestKit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Endpoints and EndpointSlices following pod readiness and termination (endpoints_controller_test.go's cases). */
class EndpointsControllerTest {
  static final ActorTestKit kit = ActorTestKit.create();
  static final Map<String, String> APP = Map.of("app", "web");

  Harness h;
  EndpointsController ec;
  EndpointSliceController esc;

  @AfterAll
  static void down() {
    kit.shutdownTestKit();
  }

  static Pod withIp(Pod p, String ip) {
    p.getStatus().setPodIP(ip);
    p.getSpec().getContainers().get(0).setPorts(List.of(new ContainerPortBuilder().withName("http")
        .withContainerPort(8080).withProtocol("TCP").build()));
    return p;
  }

  @BeforeEach
  void setUp() throws Exception {
    h = new Harness(kit.system());
    Service svc = new ServiceBuilder().withApiVersion("v1").withKind("Service").withNewMetadata()
        .withNamespace("default").withName("web").withUid("svc-uid").withLabels(Map.of("tier", "front"))
        .endMetadata().withNewSpec().withSelector(APP).withClusterIP("10.96.0.10").withType("ClusterIP")
        .addNewPort().withName("http").withPort(80).withProtocol("TCP").withTargetPort(new IntOrString("http"))
        .endPort().endSpec().build();
    Pod ready = withIp(pod("a-ready", APP, null, "node-1", "Running", true, h.clock.instant()), "10.244.0.5");
    Pod notReady = withIp(pod("b-notready", APP, null, "node-1", "Running", false, h.clock.instant()), "10.244.0.6");
    Pod noIp = pod("c-noip", APP, null, "node-1", "Pending", false, h.clock.instant());
    Pod deleting = withIp(pod("d-deleting", APP, null, "node-2", "Running", true, h.clock.instant()), "10.244.1.2");
    deleting.getMetadata().setDeletionTimestamp(KubeJson.timestamp(h.clock.instant().plusSeconds(30)));
    Pod other = withIp(pod("e-other", Map.of("app", "other"), null, "node-1", "Running", true, h.clock.instant()),
        "10.244.0.9");
    h.api.seed(svc, ready, notReady, noIp, deleting, other);
    ec = new EndpointsController(h.context);
    esc = new EndpointSliceController(h.context);
    esc.register(h.queue);
    h.start(ec, List.of(Service.class, Pod.class, Endpoints.class, EndpointSlice.class));
  }

  static List<String> ips(List<EndpointAddress> as) {
    return as.stream().map(EndpointAddress::getIp).toList();
  }

  @Test
  void readyAndNotReadyAddressesWithTheNamedPortResolved() throws Exception {
    h.sync(ec, "default/web");
    Endpoints ep = h.api.peek(Endpoints.class, "default", "web");
    assertEquals(1, ep.getSubsets().size());
    EndpointSubset s = ep.getSubsets().get(0);
    assertEquals(List.of("10.244.0.5"), ips(s.getAddresses()));
    assertEquals(List.of("10.244.0.6"), ips(s.getNotReadyAddresses()), "the deleting pod is left out");
    assertEquals(8080, s.getPorts().get(0).getPort());
    assertEquals("http", s.getPorts().get(0).getName());
    assertEquals("a-ready", s.getAddresses().get(0).getTargetRef().getName());
    assertEquals("node-1", s.getAddresses().get(0).getNodeName());
    assertEquals("front", ep.getMetadata().getLabels().get("tier"));
    // Nothing changed: nothing written.
    h.api.clearActions();
    h.sync(ec, "default/web");
    assertTrue(h.api.actions().stream().noneMatch(a -> a.verb().equals("update") || a.verb().equals("create")),
        h.api.actions().toString());
  }

  @Test
  void aPodLeavesWhenItsReadinessFailsAndWhenItsDeletionStarts() throws Exception {
    h.sync(ec, "default/web");
    Pod p = h.api.peek(Pod.class, "default", "a-ready");
    io.kemu.controller.Fixtures.setReady(p, false, h.clock.instant());
    h.api.updateStatus(p).toCompletableFuture().get();
    h.settle();
    assertTrue(h.queued.contains("default/web"), "the pod's service is queued");
    h.sync(ec, "default/web");
    EndpointSubset s = h.api.peek(Endpoints.class, "default", "web").getSubsets().get(0);
    assertTrue(s.getAddresses().isEmpty());
    assertEquals(List.of("10.244.0.5", "10.244.0.6"), ips(s.getNotReadyAddresses()));
    h.api.delete(Pod.class, "default", "b-notready", new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
        .withGracePeriodSeconds(30L).build()).toCompletableFuture().get();
    h.settle();
    h.sync(ec, "default/web");
    s = h.api.peek(Endpoints.class, "default", "web").getSubsets().get(0);
    assertEquals(List.of("10.244.0.5"), ips(s.getNotReadyAddresses()), "gone once its deletionTimestamp is set");
  }

  @Test
  void deletedServiceLosesItsEndpoints() throws Exception {
    h.sync(ec, "default/web");
    h.api.delete(Service.class, "default", "web", null).toCompletableFuture().get();
    h.settle();
    h.sync(ec, "default/web");
    assertNull(h.api.peek(Endpoints.class, "default", "web"));
  }

  @Test
  void endpointSliceKeepsTerminatingPodsWithTheirConditions() throws Exception {
    h.sync(esc, "default/web");
    List<EndpointSlice> slices = h.api.all(EndpointSlice.class);
    assertEquals(1, slices.size());
    EndpointSlice slice = slices.get(0);
    assertTrue(slice.getMetadata().getName().startsWith("web-"));
    assertEquals("web", slice.getMetadata().getLabels().get("kubernetes.io/service-name"));
    assertEquals("endpointslice-controller.k8s.io",
        slice.getMetadata().getLabels().get("endpointslice.kubernetes.io/managed-by"));
    assertEquals("svc-uid", slice.getMetadata().getOwnerReferences().get(0).getUid());
    assertEquals("IPv4", slice.getAddressType());
    assertEquals(8080, slice.getPorts().get(0).getPort());
    Map<String, String> conds = new java.util.TreeMap<>();
    for (Endpoint e : slice.getEndpoints()) {
      conds.put(e.getTargetRef().getName(), e.getConditions().getReady() + "/" + e.getConditions().getServing()
          + "/" + e.getConditions().getTerminating());
    }
    assertEquals(Map.of("a-ready", "true/true/false", "b-notready", "false/false/false",
        "d-deleting", "false/true/true"), conds);
    h.api.clearActions();
    h.sync(esc, "default/web");
    assertTrue(h.api.actions().stream().noneMatch(a -> a.verb().equals("update") || a.verb().equals("create")),
        h.api.actions().toString());
    // Every pod gone: an empty placeholder slice remains.
    for (String p : List.of("a-ready", "b-notready", "c-noip", "d-deleting")) {
      h.api.delete(Pod.class, "default", p, new io.fabric8.kubernetes.api.model.DeleteOptionsBuilder()
          .withGracePeriodSeconds(0L).build()).toCompletableFuture().get();
    }
    h.settle();
    h.sync(esc, "default/web");
    assertEquals(1, h.api.all(EndpointSlice.class).size());
    assertTrue(h.api.all(EndpointSlice.class).get(0).getEndpoints().isEmpty());
  }
}
