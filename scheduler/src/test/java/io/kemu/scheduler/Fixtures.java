package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/** Pods and nodes for plugin tests, shaped like kube-scheduler's test helpers (st.MakePod, st.MakeNode). */
public final class Fixtures {
  private Fixtures() {}

  /** st.MakeNode(): a node with a name, labels and allocatable. */
  public static final class NodeWrapper {
    private final Node node = new NodeBuilder().withNewMetadata().withLabels(new HashMap<>()).endMetadata()
        .withNewSpec().endSpec().withNewStatus().withAllocatable(new HashMap<>()).withCapacity(new HashMap<>())
        .endStatus().build();

    public NodeWrapper name(String n) {
      node.getMetadata().setName(n);
      return this;
    }

    public NodeWrapper label(String k, String v) {
      node.getMetadata().getLabels().put(k, v);
      return this;
    }

    public NodeWrapper capacity(Map<String, String> res) {
      res.forEach((k, v) -> {
        node.getStatus().getAllocatable().put(k, new Quantity(v));
        node.getStatus().getCapacity().put(k, new Quantity(v));
      });
      return this;
    }

    public NodeWrapper taint(String key, String value, String effect) {
      if (node.getSpec().getTaints() == null) {
        node.getSpec().setTaints(new ArrayList<>());
      }
      node.getSpec().getTaints().add(new Taint(effect, key, null, value));
      return this;
    }

    public NodeWrapper unschedulable() {
      node.getSpec().setUnschedulable(true);
      return this;
    }

    public Node obj() {
      return node;
    }
  }

  public static NodeWrapper makeNode() {
    return new NodeWrapper();
  }

  /** st.MakePod(): a pod with a name, namespace, labels, containers and their requests. */
  public static final class PodWrapper {
    private final Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("default")
        .withUid(UUID.randomUUID().toString()).withLabels(new HashMap<>()).endMetadata().withNewSpec()
        .withContainers(new ArrayList<>()).endSpec().withNewStatus().endStatus().build();

    public PodWrapper name(String n) {
      pod.getMetadata().setName(n);
      return this;
    }

    public PodWrapper uid(String u) {
      pod.getMetadata().setUid(u);
      return this;
    }

    public PodWrapper namespace(String ns) {
      pod.getMetadata().setNamespace(ns);
      return this;
    }

    public PodWrapper label(String k, String v) {
      pod.getMetadata().getLabels().put(k, v);
      return this;
    }

    public PodWrapper node(String n) {
      pod.getSpec().setNodeName(n);
      return this;
    }

    public PodWrapper priority(int p) {
      pod.getSpec().setPriority(p);
      return this;
    }

    public PodWrapper startTime(String t) {
      pod.getStatus().setStartTime(t);
      return this;
    }

    /** A container requesting these resources (cpu in millis "100m" or cores, memory in bytes...). */
    public PodWrapper req(Map<String, String> res) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      res.forEach((k, v) -> q.put(k, new Quantity(v)));
      pod.getSpec().getContainers().add(new ContainerBuilder().withName("c" + pod.getSpec().getContainers().size())
          .withImage("pause").withNewResources().withRequests(q).endResources().build());
      return this;
    }

    public PodWrapper initReq(Map<String, String> res) {
      Map<String, Quantity> q = new LinkedHashMap<>();
      res.forEach((k, v) -> q.put(k, new Quantity(v)));
      if (pod.getSpec().getInitContainers() == null) {
        pod.getSpec().setInitContainers(new ArrayList<>());
      }
      pod.getSpec().getInitContainers().add(new ContainerBuilder().withName("i" + pod.getSpec().getInitContainers()
          .size()).withImage("pause").withNewResources().withRequests(q).endResources().build());
      return this;
    }

    public PodWrapper container(String image) {
      pod.getSpec().getContainers().add(new ContainerBuilder().withName("c" + pod.getSpec().getContainers().size())
          .withImage(image).build());
      return this;
    }

    /** A container with host ports, each "PROTO/ip/port". */
    public PodWrapper hostPorts(String... ports) {
      ContainerBuilder c = new ContainerBuilder().withName("c" + pod.getSpec().getContainers().size()).withImage("x");
      for (String p : ports) {
        String[] f = p.split("/");
        int port = Integer.parseInt(f[2]);
        c.addToPorts(new ContainerPortBuilder().withProtocol(f[0]).withHostIP(f[1]).withHostPort(port)
            .withContainerPort(port).build());
      }
      pod.getSpec().getContainers().add(c.build());
      return this;
    }

    public PodWrapper toleration(String key, String op, String value, String effect) {
      if (pod.getSpec().getTolerations() == null) {
        pod.getSpec().setTolerations(new ArrayList<>());
      }
      Toleration t = new Toleration();
      t.setKey(key);
      t.setOperator(op);
      t.setValue(value);
      t.setEffect(effect);
      pod.getSpec().getTolerations().add(t);
      return this;
    }

    public PodWrapper nodeSelector(Map<String, String> sel) {
      pod.getSpec().setNodeSelector(new HashMap<>(sel));
      return this;
    }

    public Pod obj() {
      return pod;
    }

    public PodInfo info() {
      return PodInfo.of(pod);
    }
  }

  public static PodWrapper makePod() {
    return new PodWrapper();
  }

  public static NodeInfo nodeInfo(Node n, Pod... pods) {
    NodeInfo info = new NodeInfo(n);
    for (Pod p : pods) {
      info.addPod(PodInfo.of(p));
    }
    return info;
  }

  public static List<NodeInfo> nodeInfos(List<Node> nodes, List<Pod> pods) {
    List<NodeInfo> out = new ArrayList<>();
    for (Node n : nodes) {
      NodeInfo info = new NodeInfo(n);
      for (Pod p : pods) {
        if (n.getMetadata().getName().equals(p.getSpec().getNodeName())) {
          info.addPod(PodInfo.of(p));
        }
      }
      out.add(info);
    }
    return out;
  }

  public static Map<String, String> res(String... kv) {
    Map<String, String> m = new LinkedHashMap<>();
    for (int i = 0; i < kv.length; i += 2) {
      m.put(kv[i], kv[i + 1]);
    }
    return m;
  }
}
