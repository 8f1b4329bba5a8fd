package io.kemu.kubelet.node;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.NodeSystemInfo;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kemu.api.KubeJson;
import io.kemu.kubelet.KubeletSettings;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * The Node object a kubelet registers and the status it reports (kubelet_node_status.go, nodestatus/setters.go):
 * labels, capacity and allocatable, the four conditions with kubelet's reasons, addresses and system info.
 */
public final class NodeStatusBuilder {
  private NodeStatusBuilder() {}

  /** Memory the kubelet keeps back: the default hard eviction threshold (memory.available<100Mi). */
  static final long EVICTION_HARD_MEMORY = 100L * 1024 * 1024;

  public static Node initialNode(String name, int index, KubeletSettings s, Instant now) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("beta.kubernetes.io/arch", "amd64");
    labels.put("beta.kubernetes.io/os", "linux");
    labels.put("kubernetes.io/arch", "amd64");
    labels.put("kubernetes.io/hostname", name);
    labels.put("kubernetes.io/os", "linux");
    String cidr = Addressing.podCidr(index);
    return new NodeBuilder().withNewMetadata().withName(name).withLabels(labels)
        .addToAnnotations("node.alpha.kubernetes.io/ttl", "0")
        .addToAnnotations("volumes.kubernetes.io/controller-managed-attach-detach", "true")
        .endMetadata()
        .withNewSpec().withPodCIDR(cidr).withPodCIDRs(cidr).withProviderID("kemu://" + name).endSpec()
        .withStatus(status(name, index, s, null, now))
        .build();
  }

  public static NodeStatus status(String name, int index, KubeletSettings s, NodeStatus previous, Instant now) {
    NodeStatus st = new NodeStatus();
    Map<String, Quantity> capacity = new LinkedHashMap<>();
    capacity.put("cpu", new Quantity(s.cpu()));
    capacity.put("ephemeral-storage", new Quantity(s.ephemeralStorage()));
    capacity.put("hugepages-1Gi", new Quantity("0"));
    capacity.put("hugepages-2Mi", new Quantity("0"));
    capacity.put("memory", new Quantity(s.memory()));
    capacity.put("pods", new Quantity(Integer.toString(s.maxPods())));
    Map<String, Quantity> allocatable = new LinkedHashMap<>(capacity);
    long memory = Quantity.getAmountInBytes(new Quantity(s.memory())).longValue();
    allocatable.put("memory", new Quantity((memory - EVICTION_HARD_MEMORY) / 1024 + "Ki"));
    st.setCapacity(capacity);
    st.setAllocatable(allocatable);
    List<NodeCondition> conds = new ArrayList<>();
    conds.add(condition(previous, "MemoryPressure", "False", "KubeletHasSufficientMemory",
        "kubelet has sufficient memory available", now));
    conds.add(condition(previous, "DiskPressure", "False", "KubeletHasNoDiskPressure", "kubelet has no disk pressure",
        now));
    conds.add(condition(previous, "PIDPressure", "False", "KubeletHasSufficientPID",
        "kubelet has sufficient PID available", now));
    conds.add(condition(previous, "Ready", "True", "KubeletReady", "kubelet is posting ready status", now));
    st.setConditions(conds);
    st.setAddresses(List.of(new NodeAddress(Addressing.nodeIp(index), "InternalIP"), new NodeAddress(name, "Hostname")));
    st.setDaemonEndpoints(new io.fabric8.kubernetes.api.model.NodeDaemonEndpointsBuilder().withNewKubeletEndpoint()
        .withPort(10250).endKubeletEndpoint().build());
    String machine = UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString().replace("-", "");
    NodeSystemInfo info = new NodeSystemInfo();
    info.setMachineID(machine);
    info.setSystemUUID(UUID.nameUUIDFromBytes(("system-" + name).getBytes(StandardCharsets.UTF_8)).toString());
    info.setBootID(previous != null && previous.getNodeInfo() != null ? previous.getNodeInfo().getBootID()
        : UUID.randomUUID().toString());
    info.setKernelVersion("6.1.0-kemu");
    info.setOsImage("kemu emulated node");
    info.setContainerRuntimeVersion("containerd://1.7.24-kemu");
    info.setKubeletVersion("v1.32.4+kemu");
    info.setKubeProxyVersion("v1.32.4+kemu");
    info.setOperatingSystem("linux");
    info.setArchitecture("amd64");
    st.setNodeInfo(info);
    return st;
  }

  /** Heartbeat time always moves; the transition time only when the status changes. */
  static NodeCondition condition(NodeStatus previous, String type, String status, String reason, String message,
                                 Instant now) {
    NodeCondition prev = previous == null || previous.getConditions() == null ? null
        : previous.getConditions().stream().filter(c -> type.equals(c.getType())).findFirst().orElse(null);
    NodeCondition c = new NodeCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    c.setLastHeartbeatTime(KubeJson.timestamp(now));
    c.setLastTransitionTime(prev != null && status.equals(prev.getStatus()) ? prev.getLastTransitionTime()
        : KubeJson.timestamp(now));
    return c;
  }
}
