package io.kemu.apiserver.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestSetDefaultNamespace*, TestSetDefaultNodeStatusAllocatable and the namespace strategy tests. */
class NamespaceNodeDefaultsTest {

    @Test
    void namespaceLabelAndPhase() {
        Namespace ns = NamespaceDefaults.apply(new NamespaceBuilder().withNewMetadata().withName("team-a")
                .addToLabels("x", "y").endMetadata().build());
        assertEquals("team-a", ns.getMetadata().getLabels().get("kubernetes.io/metadata.name"));
        assertEquals("y", ns.getMetadata().getLabels().get("x"));
        assertEquals("Active", ns.getStatus().getPhase());
        Namespace spoofed = NamespaceDefaults.apply(new NamespaceBuilder().withNewMetadata().withName("b")
                .addToLabels("kubernetes.io/metadata.name", "a").endMetadata().build());
        assertEquals("b", spoofed.getMetadata().getLabels().get("kubernetes.io/metadata.name"));
        Namespace generated = NamespaceDefaults.apply(new NamespaceBuilder().withNewMetadata().withGenerateName("gen-")
                .endMetadata().build());
        assertEquals(null, generated.getMetadata().getLabels() == null ? null
                : generated.getMetadata().getLabels().get("kubernetes.io/metadata.name"));
        Namespace terminating = NamespaceDefaults.apply(new NamespaceBuilder().withNewMetadata().withName("t").endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build());
        assertEquals("Terminating", terminating.getStatus().getPhase());
    }

    @Test
    void namespaceCreateAddsKubernetesFinalizer() {
        Namespace ns = NamespaceDefaults.prepareForCreate(new NamespaceBuilder().withNewMetadata().withName("a").endMetadata()
                .withNewStatus().withPhase("Terminating").endStatus().build());
        assertEquals(List.of("kubernetes"), ns.getSpec().getFinalizers());
        assertEquals("Active", ns.getStatus().getPhase());
        Namespace custom = NamespaceDefaults.prepareForCreate(new NamespaceBuilder().withNewMetadata().withName("a").endMetadata()
                .withNewSpec().withFinalizers("example.com/f").endSpec().build());
        assertEquals(List.of("example.com/f", "kubernetes"), custom.getSpec().getFinalizers());
        Namespace already = NamespaceDefaults.prepareForCreate(new NamespaceBuilder().withNewMetadata().withName("a").endMetadata()
                .withNewSpec().withFinalizers("kubernetes").endSpec().build());
        assertEquals(List.of("kubernetes"), already.getSpec().getFinalizers());
    }

    @Test
    void nodeAllocatableDefaultsToCapacity() {
        Node node = NodeDefaults.apply(new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewStatus()
                .withCapacity(Map.of("cpu", new Quantity("2000m"), "memory", new Quantity("4Gi"))).endStatus().build());
        assertEquals("2", node.getStatus().getAllocatable().get("cpu").toString());
        assertEquals("4Gi", node.getStatus().getAllocatable().get("memory").toString());
        assertEquals("2", node.getStatus().getCapacity().get("cpu").toString());
        Node explicit = NodeDefaults.apply(new NodeBuilder().withNewMetadata().withName("n").endMetadata().withNewStatus()
                .withCapacity(Map.of("cpu", new Quantity("2"))).withAllocatable(Map.of("cpu", new Quantity("1500m"))).endStatus().build());
        assertEquals("1500m", explicit.getStatus().getAllocatable().get("cpu").toString());
        Node empty = NodeDefaults.apply(new NodeBuilder().withNewMetadata().withName("n").endMetadata().build());
        assertNull(empty.getStatus());
    }
}
