package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.nodeInfo;
import static io.kemu.scheduler.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.typesafe.config.ConfigFactory;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.scheduler.Fixtures.PodWrapper;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** TestNodeResourcesBalancedAllocation (balanced_allocation_test.go), case by case. */
class NodeResourcesBalancedAllocationTest {
  static Node node(String name, long milliCpu, long memory, long gpus) {
    var w = makeNode().name(name).capacity(res("cpu", milliCpu + "m", "memory", Long.toString(memory)));
    if (gpus > 0) {
      w.capacity(res("nvidia.com/gpu", Long.toString(gpus)));
    }
    return w.obj();
  }

  static PodWrapper cpuAndMemory() {
    return makePod().req(res("cpu", "1000m", "memory", "2000")).req(res("cpu", "2000m", "memory", "3000"));
  }

  static PodWrapper cpuOnly() {
    return makePod().req(res("cpu", "1000m", "memory", "0")).req(res("cpu", "2000m", "memory", "0"));
  }

  static PodWrapper cpuAndMemoryAndGpu() {
    return makePod().req(res("cpu", "1000m", "memory", "2000"))
        .req(res("cpu", "2000m", "memory", "3000", "nvidia.com/gpu", "3"));
  }

  static long score(NodeResourcesBalancedAllocation p, Pod pod, NodeInfo n, boolean preScore) {
    CycleState s = new CycleState();
    if (preScore) {
      assertEquals(Status.Code.SUCCESS, p.preScore(s, PodInfo.of(pod), List.of(n)).code());
    }
    return p.score(s, PodInfo.of(pod), n);
  }

  final NodeResourcesBalancedAllocation plugin = NodeResourcesBalancedAllocation.withDefaults();

  @Test
  void aChunkScoresAsNodeByNode() {
    // the framework scores chunks of nodes with one pair of scratch vectors: leftovers of one node (an extended
    // resource only some nodes have) must not leak into the next
    List<NodeInfo> nodes = new java.util.ArrayList<>();
    for (int i = 0; i < 40; i++) {
      Node n = makeNode().name("n" + i).capacity(i % 3 == 0 ? res("cpu", "4", "memory", "8Gi", "nvidia.com/gpu", "4")
          : res("cpu", String.valueOf(1 + i % 5), "memory", (1 + i % 7) + "Gi")).obj();
      nodes.add(i % 2 == 0 ? nodeInfo(n, makePod().name("e" + i).node("n" + i).req(res("cpu", "500m", "memory", "1Gi",
          "nvidia.com/gpu", i % 3 == 0 ? "1" : "0")).obj()) : nodeInfo(n));
    }
    Pod pod = makePod().req(res("cpu", "1", "memory", "2Gi", "nvidia.com/gpu", "1")).obj();
    NodeResourcesBalancedAllocation plugin = new NodeResourcesBalancedAllocation(List.of(
        new ResourceAllocationScorer.ResourceSpec("cpu", 1), new ResourceAllocationScorer.ResourceSpec("memory", 1),
        new ResourceAllocationScorer.ResourceSpec("nvidia.com/gpu", 1)));
    CycleState s = new CycleState();
    assertEquals(Status.Code.SUCCESS, plugin.preScore(s, PodInfo.of(pod), nodes).code());
    long[] chunked = new long[nodes.size()];
    plugin.score(s, PodInfo.of(pod), nodes, 3, nodes.size(), chunked);
    for (int i = 3; i < nodes.size(); i++) {
      assertEquals(plugin.score(s, PodInfo.of(pod), nodes.get(i)), chunked[i], "node " + i);
    }
  }

  @Test
  void bestEffortPodsSkipInPreScore() {
    assertEquals(Status.Code.SKIP, plugin.preScore(new CycleState(), makePod().info(),
        List.of(nodeInfo(node("node1", 4000, 10000, 0)))).code());
  }

  @Test
  void nothingScheduledResourcesRequestedDifferentlySizedNodes() {
    // node1: cpu 3000/4000 = 0.75, memory 5000/10000 = 0.5, std 0.125 -> 87; node2: 0.5, 0.5 -> 100
    assertEquals(87, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node1", 4000, 10000, 0)), true));
    assertEquals(100, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node2", 6000, 10000, 0)), true));
  }

  @Test
  void resourcesRequestedPodsScheduledWithResources() {
    // node1: 0.6, 0.25 -> 82; node2: 0.6, 0.5 -> 95
    assertEquals(82, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node1", 10000, 20000, 0), cpuOnly().obj()),
        true));
    assertEquals(95, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node2", 10000, 20000, 0),
        cpuAndMemory().obj()), true));
  }

  @Test
  void resourcesRequestedPodsScheduledWithResourcesDifferentlySizedNodes() {
    // node2: cpu 0.6, memory 10000/50000 = 0.2 -> std 0.2 -> 80
    assertEquals(82, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node1", 10000, 20000, 0), cpuOnly().obj()),
        true));
    assertEquals(80, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node2", 10000, 50000, 0),
        cpuAndMemory().obj()), true));
  }

  @Test
  void requestedResourcesAtNodeCapacity() {
    // node1: cpu 6000/6000 = 1, memory 0 -> 50; node2: 1, 0.5 -> 75
    assertEquals(50, score(plugin, cpuOnly().obj(), nodeInfo(node("node1", 6000, 10000, 0), cpuOnly().obj()), true));
    assertEquals(75, score(plugin, cpuOnly().obj(), nodeInfo(node("node2", 6000, 10000, 0), cpuAndMemory().obj()),
        true));
  }

  @Test
  void includeScalarResourceOnANodeForBalancedResourceAllocation() {
    NodeResourcesBalancedAllocation p = NodeResourcesBalancedAllocation.fromArgs(ConfigFactory.parseString(
        "resources = [{name = cpu, weight = 1}, {name = memory, weight = 1}, {name = \"nvidia.com/gpu\", weight = 1}]"));
    Pod pod = makePod().req(res("memory", "0", "nvidia.com/gpu", "1")).obj();
    assertEquals(70, score(p, pod, nodeInfo(node("node1", 3500, 40000, 8), cpuAndMemoryAndGpu().obj()), true));
    assertEquals(65, score(p, pod, nodeInfo(node("node2", 3500, 40000, 8), cpuAndMemory().obj()), true));
  }

  @Test
  void nodeWithoutTheScalarResourceSkipsIt() {
    NodeResourcesBalancedAllocation p = NodeResourcesBalancedAllocation.fromArgs(ConfigFactory.parseString(
        "resources = [{name = cpu, weight = 1}, {name = memory, weight = 1}, {name = \"nvidia.com/gpu\", weight = 1}]"));
    assertEquals(63, score(p, cpuAndMemory().obj(), nodeInfo(node("node1", 3500, 40000, 8)), true));
    assertEquals(63, score(p, cpuAndMemory().obj(), nodeInfo(node("node2", 3500, 40000, 0)), true));
  }

  @Test
  void resourcesRequestedIfPreScoreNotCalled() {
    assertEquals(82, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node1", 10000, 20000, 0), cpuOnly().obj()),
        false));
    assertEquals(95, score(plugin, cpuAndMemory().obj(), nodeInfo(node("node2", 10000, 20000, 0),
        cpuAndMemory().obj()), false));
  }
}
