package io.kemu.scheduler;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import io.kemu.scheduler.framework.NodeInfo;
import java.util.Map;
import java.util.UUID;

/** Pods and nodes for plugin tests, shaped like kube-scheduler's test helpers (st.MakePod / st.MakeNode). */
public final class Fixtures {
  private Fixtures() {}

  public static Node node(String name, String cpu, String memory, int pods) {
    return new NodeBuilder().withNewMetadata().withName(name).addToLabels("kubernetes.io/hostname", name).endMetadata()
        .withNewSpec().endSpec()
        .withNewStatus().withAllocatable(Map.of("cpu", new Quantity(cpu), "memory", new Quantity(memory),
            "pods", new Quantity(Integer.toString(pods)))).endStatus().build();
  }

  public static Node label(Node n, String key, String value) {
    n.getMetadata().getLabels().put(key, value);
    return n;
  }

  public static Node taint(Node n, String key, String value, String effect) {
    n.getSpec().setTaints(java.util.List.of(new Taint(effect, key, null, value)));
    return n;
  }

  public static Pod pod(String name, String cpu, String memory) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("default")
        .withUid(UUID.randomUUID().toString()).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("busybox").withNewResources().endResources()
        .endContainer().endSpec();
    Pod p = b.build();
    Map<String, Quantity> req = new java.util.HashMap<>();
    if (cpu != null) {
      req.put("cpu", new Quantity(cpu));
    }
    if (memory != null) {
      req.put("memory", new Quantity(memory));
    }
    p.getSpec().getContainers().get(0).getResources().setRequests(req);
    return p;
  }

  public static NodeInfo info(Node n, Pod... pods) {
    NodeInfo info = new NodeInfo(n);
    for (Pod p : pods) {
      info.addPod(p);
    }
    return info;
  }
}
