package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Quantity;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Node defaulting: {@code SetObjectDefaults_Node} (pkg/apis/core/v1/zz_generated.defaults.go), i.e.
 * {@code SetDefaults_NodeStatus} (allocatable defaults to a copy of capacity) and {@code SetDefaults_ResourceList}
 * on capacity and allocatable.
 */
public final class NodeDefaults {
    private NodeDefaults() {
    }

    /** Mutates and returns {@code node}. */
    public static Node apply(Node node) {
        if (node.getStatus() == null) {
            return node;
        }
        Map<String, Quantity> capacity = node.getStatus().getCapacity();
        Map<String, Quantity> allocatable = node.getStatus().getAllocatable();
        if ((allocatable == null || allocatable.isEmpty()) && capacity != null && !capacity.isEmpty()) {
            Map<String, Quantity> copy = new LinkedHashMap<>();
            for (Map.Entry<String, Quantity> e : capacity.entrySet()) {
                copy.put(e.getKey(), new Quantity(io.kemu.apiserver.validation.GoQuantity.text(e.getValue())));
            }
            node.getStatus().setAllocatable(copy);
        }
        node.getStatus().setCapacity(PodDefaults.roundResourceList(node.getStatus().getCapacity()));
        node.getStatus().setAllocatable(PodDefaults.roundResourceList(node.getStatus().getAllocatable()));
        return node;
    }
}
