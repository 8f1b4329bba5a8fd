package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Fixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeAddressBuilder;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeConditionBuilder;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors printers_test.go TestPrintNodeStatus, TestPrintNodeRole, TestPrintNodeOSImage, ... */
class NodePrinterTest {

    private final NodePrinter printer = new NodePrinter();

    private static NodeCondition cond(String type, String status) {
        return new NodeConditionBuilder().withType(type).withStatus(status).build();
    }

    private static NodeBuilder node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata();
    }

    private List<Object> basic(Node n) {
        return printer.cells(n, NOW).subList(0, 5);
    }

    @Test
    void status() {
        assertEquals(List.of("foo1", "Ready", "<none>", "<unknown>", ""),
                basic(node("foo1").withNewStatus().withConditions(cond("Ready", "True")).endStatus().build()));
        assertEquals(List.of("foo2", "Ready,SchedulingDisabled", "<none>", "<unknown>", ""),
                basic(node("foo2").withNewSpec().withUnschedulable(true).endSpec()
                        .withNewStatus().withConditions(cond("Ready", "True")).endStatus().build()));
        assertEquals(List.of("foo3", "Ready", "<none>", "<unknown>", ""),
                basic(node("foo3").withNewStatus().withConditions(cond("Ready", "True"), cond("Ready", "True")).endStatus().build()));
        assertEquals(List.of("foo4", "NotReady", "<none>", "<unknown>", ""),
                basic(node("foo4").withNewStatus().withConditions(cond("Ready", "False")).endStatus().build()));
        assertEquals(List.of("foo5", "NotReady,SchedulingDisabled", "<none>", "<unknown>", ""),
                basic(node("foo5").withNewSpec().withUnschedulable(true).endSpec()
                        .withNewStatus().withConditions(cond("Ready", "False")).endStatus().build()));
        assertEquals(List.of("foo6", "Unknown", "<none>", "<unknown>", ""),
                basic(node("foo6").withNewStatus().withConditions(cond("InvalidValue", "True")).endStatus().build()));
        assertEquals(List.of("foo7", "Unknown", "<none>", "<unknown>", ""),
                basic(node("foo7").withNewStatus().withConditions(new NodeCondition()).endStatus().build()));
        assertEquals(List.of("foo8", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""),
                basic(node("foo8").withNewSpec().withUnschedulable(true).endSpec()
                        .withNewStatus().withConditions(cond("InvalidValue", "True")).endStatus().build()));
        assertEquals(List.of("foo9", "Unknown,SchedulingDisabled", "<none>", "<unknown>", ""),
                basic(node("foo9").withNewSpec().withUnschedulable(true).endSpec()
                        .withNewStatus().withConditions(new NodeCondition()).endStatus().build()));
    }

    @Test
    void readyUnknownIsNotReadyAndLastDuplicateWins() {
        assertEquals("NotReady", basic(node("n").withNewStatus().withConditions(cond("Ready", "Unknown")).endStatus().build()).get(1));
        assertEquals("NotReady", basic(node("n").withNewStatus()
                .withConditions(cond("Ready", "True"), cond("MemoryPressure", "False"), cond("Ready", "False")).endStatus().build()).get(1));
    }

    @Test
    void roles() {
        assertEquals(List.of("foo9", "Unknown", "<none>", "<unknown>", ""), basic(node("foo9").build()));
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put("node-role.kubernetes.io/master", "");
        labels.put("node-role.kubernetes.io/control-plane", "");
        labels.put("node-role.kubernetes.io/proxy", "");
        labels.put("kubernetes.io/role", "node");
        assertEquals(List.of("foo10", "Unknown", "control-plane,master,node,proxy", "<unknown>", ""),
                basic(node("foo10").editMetadata().withLabels(labels).endMetadata().build()));
        assertEquals(List.of("foo11", "Unknown", "node", "<unknown>", ""),
                basic(node("foo11").editMetadata().withLabels(Map.of("kubernetes.io/role", "node")).endMetadata().build()));
        // an empty role name and an empty kubernetes.io/role are ignored, duplicates collapse
        assertEquals("worker", basic(node("n").editMetadata().withLabels(Map.of(
                "node-role.kubernetes.io/", "x", "kubernetes.io/role", "", "node-role.kubernetes.io/worker", "true"))
                .endMetadata().build()).get(2));
        assertEquals("worker", basic(node("n").editMetadata().withLabels(Map.of(
                "kubernetes.io/role", "worker", "node-role.kubernetes.io/worker", "")).endMetadata().build()).get(2));
    }

    @Test
    void nameAndVersion() {
        assertEquals(List.of("127.0.0.1", "Unknown", "<none>", "<unknown>", ""), basic(node("127.0.0.1").build()));
        assertEquals(List.of("", "Unknown", "<none>", "<unknown>", ""), basic(node("").build()));
        assertEquals("v1.32.0", basic(node("v").withNewStatus().withNewNodeInfo().withKubeletVersion("v1.32.0")
                .endNodeInfo().endStatus().build()).get(4));
    }

    private static NodeAddress addr(String type, String address) {
        return new NodeAddressBuilder().withType(type).withAddress(address).build();
    }

    @Test
    void wideOsImageKernelAndRuntime() {
        assertEquals(List.of("foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "fake-os-image", "<unknown>", "<unknown>"),
                printer.cells(node("foo1").withNewStatus().withNewNodeInfo().withOsImage("fake-os-image").endNodeInfo()
                        .withAddresses(addr("ExternalIP", "1.1.1.1")).endStatus().build(), NOW));
        assertEquals(List.of("foo2", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "fake-kernel-version", "<unknown>"),
                printer.cells(node("foo2").withNewStatus().withNewNodeInfo().withKernelVersion("fake-kernel-version").endNodeInfo()
                        .withAddresses(addr("ExternalIP", "1.1.1.1")).endStatus().build(), NOW));
        assertEquals(List.of("foo1", "Unknown", "<none>", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "<unknown>", "foo://1.2.3"),
                printer.cells(node("foo1").withNewStatus().withNewNodeInfo().withContainerRuntimeVersion("foo://1.2.3").endNodeInfo()
                        .withAddresses(addr("ExternalIP", "1.1.1.1")).endStatus().build(), NOW));
    }

    @Test
    void wideAddressesTakeFirstOfEachType() {
        assertEquals(List.of("foo1", "Unknown", "<none>", "<unknown>", "", "1.1.1.1", "<none>", "<unknown>", "<unknown>", "<unknown>"),
                printer.cells(node("foo1").withNewStatus().withAddresses(addr("InternalIP", "1.1.1.1")).endStatus().build(), NOW));
        assertEquals(List.of("foo3", "Unknown", "<none>", "<unknown>", "", "3.3.3.3", "2.2.2.2", "<unknown>", "<unknown>", "<unknown>"),
                printer.cells(node("foo3").withNewStatus().withAddresses(addr("ExternalIP", "2.2.2.2"),
                        addr("InternalIP", "3.3.3.3"), addr("ExternalIP", "4.4.4.4")).endStatus().build(), NOW));
        assertEquals(List.of("foo3", "Unknown", "<none>", "<unknown>", "", "2.2.2.2", "3.3.3.3", "<unknown>", "<unknown>", "<unknown>"),
                printer.cells(node("foo3").withNewStatus().withAddresses(addr("InternalIP", "2.2.2.2"),
                        addr("ExternalIP", "3.3.3.3"), addr("InternalIP", "4.4.4.4")).endStatus().build(), NOW));
    }

    @Test
    void columnDefinitions() {
        assertEquals(List.of("Name", "Status", "Roles", "Age", "Version", "Internal-IP", "External-IP", "OS-Image",
                "Kernel-Version", "Container-Runtime"), NodePrinter.COLUMNS.stream().map(TableColumn::name).toList());
        assertEquals(List.of(0, 0, 0, 0, 0, 1, 1, 1, 1, 1), NodePrinter.COLUMNS.stream().map(TableColumn::priority).toList());
        assertEquals("Kubelet Version reported by the node.", NodePrinter.COLUMNS.get(4).description());
    }
}
