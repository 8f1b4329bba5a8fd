package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointAddressBuilder;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors printers_test.go TestPrintService, TestPrintServiceLoadBalancer and the Endpoints formatting. */
class ServicePrinterTest {

    private final ServicePrinter printer = new ServicePrinter();

    private static ServicePort port(int port, String protocol) {
        return new ServicePortBuilder().withPort(port).withProtocol(protocol).build();
    }

    private static LoadBalancerIngress lb(String ip, String hostname) {
        return new LoadBalancerIngressBuilder().withIp(ip).withHostname(hostname).build();
    }

    private static ServiceBuilder svc(String name, String type, ServicePort... ports) {
        return new ServiceBuilder().withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withType(type).withPorts(ports).withClusterIPs("10.9.8.7").endSpec();
    }

    private List<Object> basic(Service s) {
        return printer.cells(s, NOW).subList(0, 6);
    }

    @Test
    void clusterIP() {
        Service s = svc("test1", "ClusterIP", port(2233, "tcp")).editSpec().withSelector(Map.of("foo", "bar")).endSpec().build();
        assertEquals(List.of("test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>"), basic(s));
        assertEquals(List.of("test1", "ClusterIP", "10.9.8.7", "<none>", "2233/tcp", "<unknown>", "foo=bar"), printer.cells(s, NOW));
    }

    @Test
    void nodePort() {
        Service s = svc("test2", "NodePort", new ServicePortBuilder().withProtocol("tcp").withPort(8888).withNodePort(9999).build()).build();
        assertEquals(List.of("test2", "NodePort", "10.9.8.7", "<none>", "8888:9999/tcp", "<unknown>"), basic(s));
        Service typical = svc("web", "NodePort", new ServicePortBuilder().withProtocol("TCP").withPort(80).withNodePort(30080).build())
                .editSpec().withExternalIPs("80.11.12.10").endSpec().build();
        assertEquals(List.of("web", "NodePort", "10.9.8.7", "80.11.12.10", "80:30080/TCP", "<unknown>"), basic(typical));
    }

    @Test
    void loadBalancer() {
        assertEquals(List.of("test3", "LoadBalancer", "10.9.8.7", "<pending>", "8888/tcp", "<unknown>"),
                basic(svc("test3", "LoadBalancer", port(8888, "tcp")).build()));
        assertEquals(List.of("test4", "LoadBalancer", "10.9.8.7", "80.11.12.10", "8888/tcp", "<unknown>"),
                basic(svc("test4", "LoadBalancer", port(8888, "tcp")).editSpec().withExternalIPs("80.11.12.10").endSpec().build()));
        assertEquals(List.of("test5", "LoadBalancer", "10.9.8.7", "3.4.5.6,80.11.12.10", "8888/tcp", "<unknown>"),
                basic(svc("test5", "LoadBalancer", port(8888, "tcp")).editSpec().withExternalIPs("80.11.12.10").endSpec()
                        .withNewStatus().withNewLoadBalancer().withIngress(lb("3.4.5.6", "test.cluster.com")).endLoadBalancer()
                        .endStatus().build()));
        assertEquals(List.of("test6", "LoadBalancer", "10.9.8.7", "2.3.4.5,3.4.5.6,80.11.12.10,80.11.12.11", "8888/tcp", "<unknown>"),
                basic(svc("test6", "LoadBalancer", port(8888, "tcp")).editSpec().withExternalIPs("80.11.12.10", "80.11.12.11").endSpec()
                        .withNewStatus().withNewLoadBalancer()
                        .withIngress(lb("2.3.4.5", "test.cluster.local"), lb("3.4.5.6", "test.cluster.com")).endLoadBalancer()
                        .endStatus().build()));
    }

    @Test
    void loadBalancerAddressesAreSortedAndNotClippedServerSide() {
        Service s = new ServiceBuilder().withNewMetadata().withName("service4").endMetadata()
                .withNewSpec().withClusterIPs("1.5.6.7").withType("LoadBalancer")
                .withPorts(port(80, "TCP"), port(8090, "UDP"), port(8000, "TCP")).withSelector(Map.of("foo", "bar")).endSpec()
                .withNewStatus().withNewLoadBalancer()
                .withIngress(lb("5.6.7.8", "host5678"), lb("2.3.4.5", null), lb("3.4.5.6", null), lb(null, "lb.example.com"))
                .endLoadBalancer().endStatus().build();
        // kube-apiserver generates tables with Wide: true, so the 16-character clipping never applies
        assertEquals(List.of("service4", "LoadBalancer", "1.5.6.7", "2.3.4.5,3.4.5.6,5.6.7.8,lb.example.com",
                "80/TCP,8090/UDP,8000/TCP", "<unknown>", "foo=bar"), printer.cells(s, NOW));
        // the non-wide variant used by client-side printing clips
        assertEquals("2.3.4.5,3.4.5...", ServicePrinter.externalIP(s, false).substring(0, 16));
        assertEquals("2.3.4.5,3.4.5...", ServicePrinter.loadBalancerStatusStringer(
                List.of(lb("2.3.4.5", null), lb("3.4.5.6", null), lb("5.6.7.8", "host5678")), false));
    }

    @Test
    void externalNameAndNoPorts() {
        Service s = new ServiceBuilder().withNewMetadata().withName("test7").endMetadata()
                .withNewSpec().withType("ExternalName").withExternalName("my.database.example.com").endSpec().build();
        assertEquals(List.of("test7", "ExternalName", "<none>", "my.database.example.com", "<none>", "<unknown>", "<none>"),
                printer.cells(s, NOW));
    }

    @Test
    void unknownTypeAndHeadless() {
        Service noType = new ServiceBuilder().withNewMetadata().withName("x").endMetadata().withNewSpec().endSpec().build();
        assertEquals(List.of("x", "", "<none>", "<unknown>", "<none>", "<unknown>"), basic(noType));
        Service headless = svc("h", "ClusterIP", port(5432, "TCP")).editSpec().withClusterIPs("None").endSpec().build();
        assertEquals("None", basic(headless).get(2));
    }

    @Test
    void serviceColumns() {
        assertEquals(List.of("Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"),
                ServicePrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 0, 1), ServicePrinter.COLUMNS.stream().map(TableColumn::priority).toList());
    }

    // ---- Endpoints ----

    private static EndpointAddress addr(String ip) {
        return new EndpointAddressBuilder().withIp(ip).build();
    }

    private static EndpointPort eport(int port) {
        return new EndpointPortBuilder().withPort(port).build();
    }

    @Test
    void endpoints() {
        EndpointsPrinter p = new EndpointsPrinter();
        Endpoints none = new EndpointsBuilder().withNewMetadata().withName("e").endMetadata().build();
        assertEquals(List.of("e", "<none>", "<unknown>"), p.cells(none, NOW));

        Endpoints one = new EndpointsBuilder().withNewMetadata().withName("kubernetes").endMetadata()
                .withSubsets(new EndpointSubsetBuilder().withAddresses(addr("10.0.0.1")).withPorts(eport(6443)).build()).build();
        assertEquals("10.0.0.1:6443", p.cells(one, NOW).get(1));

        Endpoints headless = new EndpointsBuilder().withNewMetadata().withName("h").endMetadata()
                .withSubsets(new EndpointSubsetBuilder().withAddresses(addr("10.1.0.1"), addr("fd00::1")).build()).build();
        assertEquals("10.1.0.1,fd00::1", p.cells(headless, NOW).get(1));

        Endpoints ipv6 = new EndpointsBuilder().withNewMetadata().withName("v6").endMetadata()
                .withSubsets(new EndpointSubsetBuilder().withAddresses(addr("fd00::1")).withPorts(eport(80)).build()).build();
        assertEquals("[fd00::1]:80", p.cells(ipv6, NOW).get(1));

        // 2 addresses x 2 ports + 1 address x 1 port = 5 endpoints, 3 shown
        Endpoints many = new EndpointsBuilder().withNewMetadata().withName("m").endMetadata()
                .withSubsets(
                        new EndpointSubsetBuilder().withAddresses(addr("10.0.0.1"), addr("10.0.0.2")).withPorts(eport(80), eport(443)).build(),
                        new EndpointSubsetBuilder().withAddresses(addr("10.0.0.3")).withPorts(eport(8080)).build())
                .build();
        assertEquals("10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", p.cells(many, NOW).get(1));

        Endpoints notReadyOnly = new EndpointsBuilder().withNewMetadata().withName("nr").endMetadata()
                .withSubsets(new EndpointSubsetBuilder().withNotReadyAddresses(addr("10.0.0.9")).withPorts(eport(80)).build()).build();
        assertEquals("", p.cells(notReadyOnly, NOW).get(1));
    }
}
