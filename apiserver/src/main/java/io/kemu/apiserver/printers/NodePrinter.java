package io.kemu.apiserver.printers;

import static io.kemu.apiserver.printers.Formats.bool;
import static io.kemu.apiserver.printers.Formats.list;
import static io.kemu.apiserver.printers.Formats.map;
import static io.kemu.apiserver.printers.Formats.str;
import static io.kemu.apiserver.printers.TableColumn.ageColumn;
import static io.kemu.apiserver.printers.TableColumn.col;
import static io.kemu.apiserver.printers.TableColumn.nameColumn;
import static io.kemu.apiserver.printers.TableColumn.wide;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

/** {@code printNode}: NAME, STATUS, ROLES, AGE, VERSION; wide INTERNAL-IP, EXTERNAL-IP, OS-IMAGE, KERNEL-VERSION, CONTAINER-RUNTIME. */
public final class NodePrinter implements TablePrinter<Node> {

    public static final List<TableColumn> COLUMNS = List.of(
            nameColumn(),
            col("Status", "string", "The status of the node"),
            col("Roles", "string", "The roles of the node"),
            ageColumn(),
            col("Version", "string", Descriptions.NODE_SYSTEM_INFO_KUBELET_VERSION),
            wide("Internal-IP", "string", Descriptions.NODE_STATUS_ADDRESSES),
            wide("External-IP", "string", Descriptions.NODE_STATUS_ADDRESSES),
            wide("OS-Image", "string", Descriptions.NODE_SYSTEM_INFO_OS_IMAGE),
            wide("Kernel-Version", "string", Descriptions.NODE_SYSTEM_INFO_KERNEL_VERSION),
            wide("Container-Runtime", "string", Descriptions.NODE_SYSTEM_INFO_CONTAINER_RUNTIME_VERSION));

    /** {@code labelNodeRolePrefix}. */
    static final String LABEL_NODE_ROLE_PREFIX = "node-role.kubernetes.io/";
    /** {@code nodeLabelRole}. */
    static final String NODE_LABEL_ROLE = "kubernetes.io/role";

    @Override
    public String kind() {
        return "Node";
    }

    @Override
    public Class<Node> type() {
        return Node.class;
    }

    @Override
    public List<TableColumn> columns() {
        return COLUMNS;
    }

    @Override
    public List<Object> cells(Node node, Instant now) {
        ObjectMeta meta = node.getMetadata() == null ? new ObjectMeta() : node.getMetadata();
        List<NodeCondition> conditions = node.getStatus() == null ? List.of() : list(node.getStatus().getConditions());
        List<NodeAddress> addresses = node.getStatus() == null ? List.of() : list(node.getStatus().getAddresses());
        NodeSystemInfo info = node.getStatus() == null || node.getStatus().getNodeInfo() == null
                ? new NodeSystemInfo() : node.getStatus().getNodeInfo();

        // conditionMap keeps the last condition of each type; only Ready is reported.
        Map<String, NodeCondition> conditionMap = new HashMap<>();
        for (NodeCondition c : conditions) {
            conditionMap.put(str(c.getType()), c);
        }
        List<String> status = new ArrayList<>();
        NodeCondition ready = conditionMap.get("Ready");
        if (ready != null) {
            status.add("True".equals(ready.getStatus()) ? "Ready" : "NotReady");
        }
        if (status.isEmpty()) {
            status.add("Unknown");
        }
        if (node.getSpec() != null && bool(node.getSpec().getUnschedulable())) {
            status.add("SchedulingDisabled");
        }

        String roles = String.join(",", findNodeRoles(map(meta.getLabels())));
        if (roles.isEmpty()) {
            roles = Formats.NONE;
        }

        return List.of(
                str(meta.getName()),
                String.join(",", status),
                roles,
                HumanDuration.translateTimestampSince(meta.getCreationTimestamp(), now),
                str(info.getKubeletVersion()),
                address(addresses, "InternalIP"),
                address(addresses, "ExternalIP"),
                unknownIfEmpty(info.getOsImage()),
                unknownIfEmpty(info.getKernelVersion()),
                unknownIfEmpty(info.getContainerRuntimeVersion()));
    }

    /**
     * {@code findNodeRoles}: the sorted, de-duplicated union of the {@code <role>} of every
     * {@code node-role.kubernetes.io/<role>} label and the non-empty value of {@code kubernetes.io/role}.
     */
    static List<String> findNodeRoles(Map<String, String> labels) {
        TreeSet<String> roles = new TreeSet<>();
        for (Map.Entry<String, String> e : labels.entrySet()) {
            String k = e.getKey();
            String v = str(e.getValue());
            if (k.startsWith(LABEL_NODE_ROLE_PREFIX)) {
                String role = k.substring(LABEL_NODE_ROLE_PREFIX.length());
                if (!role.isEmpty()) {
                    roles.add(role);
                }
            } else if (k.equals(NODE_LABEL_ROLE) && !v.isEmpty()) {
                roles.add(v);
            }
        }
        return new ArrayList<>(roles);
    }

    /** {@code getNodeInternalIP} / {@code getNodeExternalIP}: the first address of that type, else {@code <none>}. */
    private static String address(List<NodeAddress> addresses, String type) {
        for (NodeAddress a : addresses) {
            if (type.equals(a.getType())) {
                return str(a.getAddress());
            }
        }
        return Formats.NONE;
    }

    private static String unknownIfEmpty(String s) {
        return s == null || s.isEmpty() ? "<unknown>" : s;
    }
}
