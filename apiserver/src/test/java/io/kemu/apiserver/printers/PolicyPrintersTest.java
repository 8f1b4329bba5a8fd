package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static io.kemu.apiserver.printers.Fixtures.ago;
import static io.kemu.apiserver.printers.Fixtures.in;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Mirrors printers_test.go TestPrintPodDisruptionBudget, TestPrintPriorityClass, TestPrintEndpointSlice and
 * the ResourceQuota cases of TestPrintResourceQuota.
 */
class PolicyPrintersTest {

    private static final String ALMOST_NOW = in(Duration.ofMillis(1900));

    @Test
    void podDisruptionBudget() {
        PodDisruptionBudgetPrinter p = new PodDisruptionBudgetPrinter();
        PodDisruptionBudget min = new PodDisruptionBudgetBuilder().withNewMetadata().withNamespace("ns1").withName("pdb1")
                .withCreationTimestamp(ALMOST_NOW).endMetadata().withNewSpec().withMinAvailable(new IntOrString(22)).endSpec()
                .withNewStatus().withDisruptionsAllowed(5).endStatus().build();
        PodDisruptionBudget max = new PodDisruptionBudgetBuilder().withNewMetadata().withNamespace("ns2").withName("pdb2")
                .withCreationTimestamp(ALMOST_NOW).endMetadata().withNewSpec().withMaxUnavailable(new IntOrString("25%")).endSpec()
                .withNewStatus().withDisruptionsAllowed(5).endStatus().build();
        assertEquals(List.of("pdb1", "22", "N/A", 5L, "0s"), p.cells(min, NOW));
        assertEquals(List.of("pdb2", "N/A", "25%", 5L, "0s"), p.cells(max, NOW));
        assertEquals(List.of("Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"),
                p.columns().stream().map(TableColumn::name).toList());
    }

    @Test
    void priorityClass() {
        PriorityClassPrinter p = new PriorityClassPrinter();
        PriorityClass pc1 = new PriorityClassBuilder().withNewMetadata().withName("pc1").withCreationTimestamp(ALMOST_NOW)
                .endMetadata().withValue(1).build();
        PriorityClass pc2 = new PriorityClassBuilder().withNewMetadata().withName("pc2")
                .withCreationTimestamp(ago(Duration.ofDays(10 * 365))).endMetadata().withValue(1_000_000_000)
                .withGlobalDefault(true).withPreemptionPolicy("Never").build();
        assertEquals(List.of("pc1", 1L, false, "0s", ""), p.cells(pc1, NOW));
        assertEquals(List.of("pc2", 1_000_000_000L, true, "10y", "Never"), p.cells(pc2, NOW));
        assertEquals(0, p.columns().get(4).priority(), "PreemptionPolicy is a default column");
    }

    @Test
    void endpointSlice() {
        EndpointSlicePrinter p = new EndpointSlicePrinter();
        EndpointSlice empty = new EndpointSliceBuilder().withNewMetadata().withName("abcslice.123").withCreationTimestamp(ALMOST_NOW)
                .endMetadata().withAddressType("IPv4").build();
        EndpointSlice some = new EndpointSliceBuilder().withNewMetadata().withName("longerslicename.123")
                .withCreationTimestamp(ago(Duration.ofHours(5))).endMetadata().withAddressType("IPv6")
                .withPorts(new EndpointPortBuilder().withName("http").withPort(80).withProtocol("TCP").build(),
                        new EndpointPortBuilder().withName("https").withPort(443).withProtocol("TCP").build())
                .withEndpoints(new EndpointBuilder().withAddresses("fd00::1").build(),
                        new EndpointBuilder().withAddresses("fd00::2").build())
                .build();
        EndpointSlice many = new EndpointSliceBuilder().withNewMetadata().withName("many").withCreationTimestamp(ALMOST_NOW)
                .endMetadata().withAddressType("IPv4")
                .withPorts(new EndpointPortBuilder().withName("a").build(), new EndpointPortBuilder().withPort(1).build(),
                        new EndpointPortBuilder().withPort(2).build(), new EndpointPortBuilder().withPort(3).build(),
                        new EndpointPortBuilder().build())
                .withEndpoints(new EndpointBuilder().withAddresses("10.1.1.1", "10.1.1.2").build(),
                        new EndpointBuilder().withAddresses("10.1.1.3", "10.1.1.4").build())
                .build();
        assertEquals(List.of("abcslice.123", "IPv4", "<unset>", "<unset>", "0s"), p.cells(empty, NOW));
        assertEquals(List.of("longerslicename.123", "IPv6", "80,443", "fd00::1,fd00::2", "5h"), p.cells(some, NOW));
        assertEquals(List.of("many", "IPv4", "a,1,2 + 2 more...", "10.1.1.1,10.1.1.2,10.1.1.3 + 1 more...", "0s"),
                p.cells(many, NOW));
    }

    @Test
    void resourceQuota() {
        ResourceQuotaPrinter p = new ResourceQuotaPrinter();
        ResourceQuota rq = new ResourceQuotaBuilder().withNewMetadata().withName("test-quota").withCreationTimestamp(ALMOST_NOW)
                .endMetadata().withNewStatus()
                .withHard(Map.of("pods", new Quantity("10"), "requests.cpu", new Quantity("1000m"),
                        "limits.memory", new Quantity("1Gi"), "limits.cpu", new Quantity("2")))
                .withUsed(Map.of("pods", new Quantity("3"), "requests.cpu", new Quantity("250m"),
                        "limits.cpu", new Quantity("500m")))
                .endStatus().build();
        List<Object> cells = p.cells(rq, NOW);
        assertEquals("test-quota", cells.get(0));
        assertEquals("pods: 3/10, requests.cpu: 250m/1", cells.get(1));
        assertEquals("limits.cpu: 500m/2, limits.memory: 0/1Gi", cells.get(2));
        assertEquals("0s", cells.get(3));
        ResourceQuota noStatus = new ResourceQuotaBuilder().withNewMetadata().withName("q").endMetadata().build();
        assertEquals(List.of("q", "", "", "<unknown>"), p.cells(noStatus, NOW));
        assertTrue(Printers.hasPrinter("ResourceQuota"));
    }
}
