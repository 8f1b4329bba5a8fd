package io.kemu.controller.nodelifecycle;

import static io.kemu.controller.Workers.await;

import io.fabric8.kubernetes.api.model.DeleteOptions;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.Taint;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.kemu.api.KubeJson;
import io.kemu.api.client.KubeClient;
import io.kemu.api.client.Recorder;
import io.kemu.api.client.StatusException;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import io.kemu.controller.ControllerContext;
import io.kemu.controller.PodUtil;
import io.kemu.controller.Reconciler;
import io.kemu.controller.Workers;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * pkg/controller/nodelifecycle with the taint-eviction controller (pkg/controller/tainteviction): every
 * nodeMonitorPeriod it checks each node's heartbeats (the Ready condition's lastHeartbeatTime and the node Lease's
 * renewTime, timed by this controller's own clock); after nodeMonitorGracePeriod without one the node's conditions
 * become Unknown ("Kubelet stopped posting node status.") and its pods NotReady; the Ready condition drives the
 * node.kubernetes.io/not-ready and unreachable taints (NoSchedule and NoExecute), removed when it is True again.
 * Pods on a node with NoExecute taints are deleted at once unless they tolerate them all, else when their shortest
 * tolerationSeconds (counted from the taint's timeAdded) runs out. Keys: {@code monitor}, {@code node/<name>},
 * {@code pod/<ns>/<name>}.
 */
public final class NodeLifecycleController implements Reconciler {
  private static final Logger log = LoggerFactory.getLogger(NodeLifecycleController.class);
  public static final String NAME = "node-lifecycle-controller";
  public static final String NOT_READY = "node.kubernetes.io/not-ready";
  public static final String UNREACHABLE = "node.kubernetes.io/unreachable";
  static final String MONITOR = "monitor";
  static final List<String> CONDITIONS = List.of("Ready", "MemoryPressure", "DiskPressure", "PIDPressure");

  public record Settings(Duration monitorPeriod, Duration gracePeriod, Duration startupGracePeriod) {
    /** kube-controller-manager's defaults: 5 s, 40 s, 60 s (emulated). */
    public static final Settings DEFAULTS = new Settings(Duration.ofSeconds(5), Duration.ofSeconds(40),
        Duration.ofSeconds(60));
  }

  /** nodeHealthData: what was seen last and when (this controller's clock). */
  private record Health(String heartbeat, String leaseRenew, Instant probeTimestamp) {}

  private final KubeClient client;
  private final Clock clock;
  private final ControllerContext context;
  private final Settings settings;
  private final SharedIndexInformer<Node> nodes;
  private final SharedIndexInformer<Lease> leases;
  private final SharedIndexInformer<Pod> pods;
  private final Recorder recorder;
  private final Map<String, Health> health = new ConcurrentHashMap<>();
  private Queue queue;

  public NodeLifecycleController(ControllerContext context, Settings settings) {
    this.context = context;
    this.settings = settings;
    this.client = context.client();
    this.clock = context.clock();
    this.nodes = context.informers().informerFor(Node.class);
    this.leases = context.informers().informerFor(Lease.class);
    this.pods = context.informers().informerFor(Pod.class);
    pods.addIndexer("nodeName", p -> p.getSpec() == null || p.getSpec().getNodeName() == null ? List.of()
        : List.of(p.getSpec().getNodeName()));
    this.recorder = context.recorder(NAME);
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public void register(Queue q) {
    this.queue = q;
    q.add(MONITOR);
    nodes.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Node n, boolean initial) {
        q.add("node/" + n.getMetadata().getName());
      }

      @Override
      public void onUpdate(Node old, Node cur) {
        if (!Objects.equals(noExecute(old), noExecute(cur))) {
          q.add("node/" + cur.getMetadata().getName());
        }
      }

      @Override
      public void onDelete(Node n) {
        health.remove(n.getMetadata().getName());
      }
    });
    pods.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p, boolean initial) {
        if (p.getSpec().getNodeName() != null) {
          q.add("pod/" + Keys.key(p));
        }
      }

      @Override
      public void onUpdate(Pod old, Pod cur) {
        if (cur.getSpec().getNodeName() != null && (!Objects.equals(old.getSpec().getNodeName(),
            cur.getSpec().getNodeName()) || !Objects.equals(old.getSpec().getTolerations(),
            cur.getSpec().getTolerations()))) {
          q.add("pod/" + Keys.key(cur));
        }
      }
    });
  }

  static List<Taint> noExecute(Node n) {
    List<Taint> out = new ArrayList<>();
    if (n.getSpec() != null && n.getSpec().getTaints() != null) {
      for (Taint t : n.getSpec().getTaints()) {
        if ("NoExecute".equals(t.getEffect())) {
          out.add(t);
        }
      }
    }
    return out;
  }

  @Override
  public CompletionStage<Void> sync(String key) {
    return Workers.run(() -> {
      if (key.equals(MONITOR)) {
        try {
          monitorNodeHealth();
        } finally {
          queue.addAfter(MONITOR, context.real(settings.monitorPeriod()));
        }
      } else if (key.startsWith("node/")) {
        String node = key.substring(5);
        for (Pod p : pods.getIndexer().byIndex("nodeName", node)) {
          processPod(Keys.key(p));
        }
      } else if (key.startsWith("pod/")) {
        processPod(key.substring(4));
      }
    });
  }

  // ---------------------------------------------------------------- node health

  /** monitorNodeHealth. */
  void monitorNodeHealth() {
    for (Node cached : nodes.getIndexer().list()) {
      try {
        monitorNode(cached);
      } catch (StatusException e) {
        log.info("node {}: {}", cached.getMetadata().getName(), e.getMessage());
      }
    }
  }

  private void monitorNode(Node cached) {
    Node node = KubeJson.copy(cached);
    String name = node.getMetadata().getName();
    Instant now = clock.instant();
    NodeCondition ready = condition(node, "Ready");
    Lease lease = leases.getIndexer().get("kube-node-lease", name);
    String heartbeat = ready == null ? null : ready.getLastHeartbeatTime();
    String renew = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
        : lease.getSpec().getRenewTime().toString();
    Health h = health.get(name);
    if (h == null || !Objects.equals(h.heartbeat(), heartbeat) || !Objects.equals(h.leaseRenew(), renew)) {
      h = new Health(heartbeat, renew, now);
      health.put(name, h);
    }
    Duration grace = context.real(ready == null ? settings.startupGracePeriod() : settings.gracePeriod());
    if (now.isAfter(h.probeTimestamp().plus(grace))) {
      boolean changed = false;
      for (String type : CONDITIONS) {
        NodeCondition c = condition(node, type);
        if (c == null) {
          c = new NodeCondition();
          c.setType(type);
          c.setStatus("Unknown");
          c.setReason("NodeStatusNeverUpdated");
          c.setMessage("Kubelet never posted node status.");
          c.setLastHeartbeatTime(KubeJson.timestamp(now));
          c.setLastTransitionTime(KubeJson.timestamp(now));
          List<NodeCondition> conds = new ArrayList<>(node.getStatus().getConditions());
          conds.add(c);
          node.getStatus().setConditions(conds);
          changed = true;
        } else if (!"Unknown".equals(c.getStatus())) {
          c.setStatus("Unknown");
          c.setReason("NodeStatusUnknown");
          c.setMessage("Kubelet stopped posting node status.");
          c.setLastTransitionTime(KubeJson.timestamp(now));
          changed = true;
        }
      }
      if (changed) {
        log.info("node {} hasn't been updated for {}: its conditions become Unknown", name,
            Duration.between(h.probeTimestamp(), now));
        node = await(client.updateStatus(node));
        recorder.normal(node, "NodeNotReady", "Node " + name + " status is now: NodeNotReady");
        markPodsNotReady(name);
      }
    }
    syncTaints(node);
  }

  /** MarkPodsNotReady: the Ready condition of the node's pods turns False. */
  private void markPodsNotReady(String nodeName) {
    Instant now = clock.instant();
    for (Pod cached : pods.getIndexer().byIndex("nodeName", nodeName)) {
      PodCondition c = PodUtil.condition(cached, "Ready");
      if (c == null || "False".equals(c.getStatus())) {
        continue;
      }
      Pod p = KubeJson.copy(cached);
      PodCondition pc = PodUtil.condition(p, "Ready");
      pc.setStatus("False");
      pc.setLastTransitionTime(KubeJson.timestamp(now));
      try {
        await(client.updateStatus(p));
      } catch (StatusException e) {
        log.debug("pod {}: not marked NotReady: {}", Keys.key(p), e.getMessage());
      }
    }
  }

  /** doNoScheduleTaintingPass and doNoExecuteTaintingPass for the Ready condition. */
  private void syncTaints(Node node) {
    NodeCondition ready = condition(node, "Ready");
    String status = ready == null ? "Unknown" : ready.getStatus();
    List<Taint> want = new ArrayList<>();
    if ("False".equals(status)) {
      want.add(taint(NOT_READY, "NoSchedule", null));
      want.add(taint(NOT_READY, "NoExecute", clock.instant()));
    } else if ("Unknown".equals(status)) {
      want.add(taint(UNREACHABLE, "NoSchedule", null));
      want.add(taint(UNREACHABLE, "NoExecute", clock.instant()));
    }
    List<Taint> current = node.getSpec().getTaints() == null ? List.of() : node.getSpec().getTaints();
    List<Taint> next = new ArrayList<>();
    boolean changed = false;
    for (Taint t : current) {
      boolean managed = NOT_READY.equals(t.getKey()) || UNREACHABLE.equals(t.getKey());
      if (managed && want.stream().noneMatch(w -> same(w, t))) {
        changed = true; // no longer wanted
        continue;
      }
      next.add(t);
    }
    for (Taint w : want) {
      if (next.stream().noneMatch(t -> same(w, t))) {
        next.add(w);
        changed = true;
      }
    }
    if (!changed) {
      return;
    }
    node.getSpec().setTaints(next);
    log.info("node {}: Ready {}, taints now {}", node.getMetadata().getName(), status,
        next.stream().map(t -> t.getKey() + ":" + t.getEffect()).toList());
    await(client.update(node));
  }

  private static boolean same(Taint a, Taint b) {
    return Objects.equals(a.getKey(), b.getKey()) && Objects.equals(a.getEffect(), b.getEffect());
  }

  private static Taint taint(String key, String effect, Instant added) {
    Taint t = new Taint();
    t.setKey(key);
    t.setEffect(effect);
    if (added != null) {
      t.setTimeAdded(KubeJson.timestamp(added));
    }
    return t;
  }

  static NodeCondition condition(Node n, String type) {
    if (n.getStatus() == null || n.getStatus().getConditions() == null) {
      return null;
    }
    for (NodeCondition c : n.getStatus().getConditions()) {
      if (type.equals(c.getType())) {
        return c;
      }
    }
    return null;
  }

  // ---------------------------------------------------------------- taint eviction

  /** tolerations.go's ToleratesTaint. */
  static boolean tolerates(Toleration tol, Taint taint) {
    if (tol.getEffect() != null && !tol.getEffect().isEmpty() && !tol.getEffect().equals(taint.getEffect())) {
      return false;
    }
    if (tol.getKey() != null && !tol.getKey().isEmpty() && !tol.getKey().equals(taint.getKey())) {
      return false;
    }
    String op = tol.getOperator() == null || tol.getOperator().isEmpty() ? "Equal" : tol.getOperator();
    if (op.equals("Exists")) {
      return true;
    }
    if ((tol.getKey() == null || tol.getKey().isEmpty())) {
      return false; // an empty key needs Exists
    }
    return Objects.equals(tol.getValue() == null ? "" : tol.getValue(),
        taint.getValue() == null ? "" : taint.getValue());
  }

  /** processPodOnNode: evict now, later (requeued), or never. */
  void processPod(String podKey) {
    Pod pod = pods.getIndexer().get(podKey);
    if (pod == null || pod.getMetadata().getDeletionTimestamp() != null || pod.getSpec().getNodeName() == null) {
      return;
    }
    Node node = nodes.getIndexer().get(pod.getSpec().getNodeName());
    if (node == null) {
      return;
    }
    List<Taint> taints = noExecute(node);
    if (taints.isEmpty()) {
      return;
    }
    List<Toleration> tolerations = pod.getSpec().getTolerations() == null ? List.of() : pod.getSpec().getTolerations();
    Instant now = clock.instant();
    Instant due = null;
    boolean forever = true;
    for (Taint t : taints) {
      List<Toleration> matching = tolerations.stream().filter(tol -> tolerates(tol, t)).toList();
      if (matching.isEmpty()) {
        evict(pod, now);
        return;
      }
      // getMinTolerationTime: the shortest tolerationSeconds (none: tolerated forever).
      for (Toleration tol : matching) {
        if (tol.getTolerationSeconds() == null) {
          continue;
        }
        forever = false;
        Instant added = t.getTimeAdded() == null ? now : KubeJson.parseTime(t.getTimeAdded());
        Instant at = added.plus(context.real(Duration.ofSeconds(Math.max(0, tol.getTolerationSeconds()))));
        if (due == null || at.isBefore(due)) {
          due = at;
        }
      }
    }
    if (forever || due == null) {
      return;
    }
    if (!now.isBefore(due)) {
      evict(pod, now);
    } else {
      queue.addAfter("pod/" + podKey, Duration.between(now, due).plusMillis(10));
    }
  }

  /** addConditionAndDeletePod: DisruptionTarget, then the deletion. */
  private void evict(Pod cached, Instant now) {
    Pod pod = KubeJson.copy(cached);
    String key = Keys.key(pod);
    recorder.normal(pod, "TaintManagerEviction", "Marking for deletion Pod " + key);
    PodCondition c = new io.fabric8.kubernetes.api.model.PodConditionBuilder().withType("DisruptionTarget")
        .withStatus("True").withReason("DeletionByTaintManager")
        .withMessage("Taint manager: deleting due to NoExecute taint")
        .withLastTransitionTime(KubeJson.timestamp(now)).build();
    List<PodCondition> conds = new ArrayList<>(pod.getStatus().getConditions() == null ? List.of()
        : pod.getStatus().getConditions());
    conds.removeIf(x -> "DisruptionTarget".equals(x.getType()));
    conds.add(c);
    pod.getStatus().setConditions(conds);
    try {
      await(client.updateStatus(pod));
    } catch (StatusException e) {
      log.debug("pod {}: DisruptionTarget not added: {}", key, e.getMessage());
    }
    log.info("evicting pod {} from node {} (NoExecute taint)", key, pod.getSpec().getNodeName());
    try {
      await(client.delete(Pod.class, pod.getMetadata().getNamespace(), pod.getMetadata().getName(),
          new DeleteOptions()));
    } catch (StatusException e) {
      if (!e.isNotFound()) {
        throw e;
      }
    }
  }
}
