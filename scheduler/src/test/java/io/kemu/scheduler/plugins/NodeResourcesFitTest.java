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

/**
 * Cases of plugins/noderesources/fit_test.go (TestEnoughRequests, TestNotEnoughRequests), least_allocated_test.go
 * and most_allocated_test.go, with their inputs and expected outcomes.
 */
class NodeResourcesFitTest {
  static final String EXT_A = "example.com/aaa";
  static final String EXT_B = "example.com/bbb";
  static final String K8S_IO_A = "kubernetes.io/something";
  static final String HUGE_A = "hugepages-2Mi";

  /** makeAllocatableResources(10, 20, 32, 5, 20, 5). */
  static Node node() {
    return makeNode().name("n").capacity(res("cpu", "10m", "memory", "20", "pods", "32", EXT_A, "5",
        "ephemeral-storage", "20", HUGE_A, "5")).obj();
  }

  /** newResourcePod: one container per resource set. */
  static PodWrapper pod(long milliCpu, long memory) {
    return makePod().req(res("cpu", milliCpu + "m", "memory", Long.toString(memory)));
  }

  static Status filter(NodeResourcesFit fit, Pod pod, NodeInfo node) {
    CycleState s = new CycleState();
    PodInfo pi = PodInfo.of(pod);
    fit.preFilter(s, pi, List.of(node));
    return fit.filter(s, pi, node);
  }

  static void check(Pod pod, Pod existing, String... reasons) {
    check(NodeResourcesFit.leastAllocated(), pod, existing, reasons);
  }

  static void check(NodeResourcesFit fit, Pod pod, Pod existing, String... reasons) {
    Status s = filter(fit, pod, nodeInfo(node(), existing));
    if (reasons.length == 0) {
      assertEquals(Status.Code.SUCCESS, s.code(), s.toString());
    } else {
      assertEquals(Status.Code.UNSCHEDULABLE, s.code());
      assertEquals(List.of(reasons), s.reasons());
    }
  }

  @Test
  void noResourcesRequestedAlwaysFits() {
    check(makePod().obj(), pod(10, 20).obj());
  }

  @Test
  void tooManyResourcesFails() {
    check(pod(1, 1).obj(), pod(10, 20).obj(), "Insufficient cpu", "Insufficient memory");
  }

  @Test
  void tooManyResourcesFailsDueToInitContainerCpu() {
    check(pod(1, 1).initReq(res("cpu", "3m", "memory", "1")).obj(), pod(8, 19).obj(), "Insufficient cpu");
  }

  @Test
  void tooManyResourcesFailsDueToHighestInitContainerCpu() {
    check(pod(1, 1).initReq(res("cpu", "3m", "memory", "1")).initReq(res("cpu", "2m", "memory", "1")).obj(),
        pod(8, 19).obj(), "Insufficient cpu");
  }

  @Test
  void tooManyResourcesFailsDueToInitContainerMemory() {
    check(pod(1, 1).initReq(res("cpu", "1m", "memory", "3")).obj(), pod(9, 19).obj(), "Insufficient memory");
  }

  @Test
  void initContainerFitsBecauseItsTheMaxNotSum() {
    check(pod(1, 1).initReq(res("cpu", "1m", "memory", "1")).obj(), pod(9, 19).obj());
  }

  @Test
  void bothResourcesFit() {
    check(pod(1, 1).obj(), pod(5, 5).obj());
  }

  @Test
  void oneResourceMemoryFits() {
    check(pod(2, 1).obj(), pod(9, 5).obj(), "Insufficient cpu");
  }

  @Test
  void oneResourceCpuFits() {
    check(pod(1, 2).obj(), pod(5, 19).obj(), "Insufficient memory");
  }

  @Test
  void equalEdgeCase() {
    check(pod(5, 1).obj(), pod(5, 19).obj());
  }

  @Test
  void equalEdgeCaseForInitContainer() {
    check(pod(4, 1).initReq(res("cpu", "5m", "memory", "1")).obj(), pod(5, 19).obj());
  }

  @Test
  void extendedResourceFits() {
    check(makePod().req(res("cpu", "1m", "memory", "1", EXT_A, "1")).obj(), pod(0, 0).obj());
  }

  @Test
  void extendedResourceFitsForInitContainer() {
    check(pod(0, 0).initReq(res(EXT_A, "1")).obj(), pod(0, 0).obj());
  }

  @Test
  void extendedResourceCapacityEnforced() {
    check(makePod().req(res("cpu", "1m", "memory", "1", EXT_A, "10")).obj(), pod(0, 0).obj(),
        "Insufficient " + EXT_A);
  }

  @Test
  void extendedResourceAllocatableEnforced() {
    check(makePod().req(res("cpu", "1m", "memory", "1", EXT_A, "1")).obj(),
        makePod().req(res("cpu", "0m", "memory", "0", EXT_A, "5")).obj(), "Insufficient " + EXT_A);
  }

  @Test
  void extendedResourceAllocatableEnforcedForUnknownResource() {
    check(makePod().req(res("cpu", "1m", "memory", "1", EXT_B, "1")).obj(), pod(0, 0).obj(),
        "Insufficient " + EXT_B);
  }

  @Test
  void kubernetesIoResourceCapacityEnforced() {
    check(makePod().req(res("cpu", "1m", "memory", "1", K8S_IO_A, "10")).obj(), pod(0, 0).obj(),
        "Insufficient " + K8S_IO_A);
  }

  @Test
  void hugepagesResourceCapacityEnforced() {
    check(makePod().req(res("cpu", "1m", "memory", "1", HUGE_A, "10")).obj(), pod(0, 0).obj(),
        "Insufficient " + HUGE_A);
  }

  @Test
  void hugepagesResourceAllocatableEnforcedForMultipleContainers() {
    check(makePod().req(res("cpu", "1m", "memory", "1", HUGE_A, "3")).req(res("cpu", "1m", "memory", "1",
        HUGE_A, "3")).obj(), makePod().req(res("cpu", "0m", "memory", "0", HUGE_A, "2")).obj(),
        "Insufficient " + HUGE_A);
  }

  @Test
  void skipCheckingIgnoredExtendedResource() {
    NodeResourcesFit fit = NodeResourcesFit.fromArgs(ConfigFactory.parseString(
        "ignoredResources = [\"" + EXT_B + "\"]"));
    check(fit, makePod().req(res("cpu", "1m", "memory", "1", EXT_B, "2")).obj(), pod(0, 0).obj());
  }

  @Test
  void skipCheckingIgnoredExtendedResourceViaResourceGroups() {
    NodeResourcesFit fit = NodeResourcesFit.fromArgs(ConfigFactory.parseString(
        "ignoredResourceGroups = [\"example.com\"]"));
    check(fit, makePod().req(res("cpu", "1m", "memory", "1", EXT_B, "2")).obj(), pod(0, 0).obj());
  }

  @Test
  void ephemeralStorageIsEnforced() {
    // "storage ephemeral local storage request exceeds allocatable"
    check(makePod().req(res("cpu", "1m", "memory", "1", "ephemeral-storage", "25")).obj(), pod(2, 2).obj(),
        "Insufficient ephemeral-storage");
  }

  @Test
  void notEnoughPods() {
    // TestNotEnoughRequests: allocatable pods 1, one pod already there
    Node n = makeNode().name("n").capacity(res("cpu", "10m", "memory", "20", "pods", "1")).obj();
    Status s = filter(NodeResourcesFit.leastAllocated(), makePod().obj(), nodeInfo(n, pod(10, 20).obj()));
    assertEquals(List.of("Too many pods"), s.reasons());
    s = filter(NodeResourcesFit.leastAllocated(), pod(1, 1).obj(), nodeInfo(n, pod(5, 5).obj()));
    assertEquals(List.of("Too many pods"), s.reasons());
    s = filter(NodeResourcesFit.leastAllocated(), pod(1, 1).obj(), nodeInfo(n, pod(10, 20).obj()));
    assertEquals(List.of("Too many pods", "Insufficient cpu", "Insufficient memory"), s.reasons());
  }

  // ---- scoring (least_allocated_test.go, most_allocated_test.go)

  static Node scoreNode(String name, long milliCpu, long memory) {
    return makeNode().name(name).capacity(res("cpu", milliCpu + "m", "memory", Long.toString(memory))).obj();
  }

  static long score(NodeResourcesFit fit, Pod pod, NodeInfo n) {
    CycleState s = new CycleState();
    fit.preScore(s, PodInfo.of(pod), List.of(n));
    return fit.score(s, PodInfo.of(pod), n);
  }

  /** cpuAndMemory of the upstream tests: two containers, 1000m/2000 and 2000m/3000. */
  static PodWrapper cpuAndMemory() {
    return pod(1000, 2000).req(res("cpu", "2000m", "memory", "3000"));
  }

  static PodWrapper cpuOnly() {
    return pod(1000, 0).req(res("cpu", "2000m", "memory", "0"));
  }

  @Test
  void leastAllocatedNothingScheduledNothingRequested() {
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    assertEquals(100, score(fit, makePod().obj(), nodeInfo(scoreNode("node1", 4000, 10000))));
    assertEquals(100, score(fit, makePod().obj(), nodeInfo(scoreNode("node2", 4000, 10000))));
  }

  @Test
  void leastAllocatedNothingScheduledResourcesRequestedDifferentlySizedNodes() {
    // node1: cpu (4000-3000)*100/4000 = 25, memory (10000-5000)*100/10000 = 50 -> 37; node2: 50, 50 -> 50
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    assertEquals(37, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node1", 4000, 10000))));
    assertEquals(50, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node2", 6000, 10000))));
  }

  @Test
  void leastAllocatedNoResourcesRequestedPodsScheduledWithResources() {
    // node1: cpu (10000-3000)*100/10000 = 70, memory 100 -> 85; node2: cpu 40, memory 75 -> 57
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    assertEquals(85, score(fit, makePod().obj(), nodeInfo(scoreNode("node1", 10000, 20000), cpuOnly().obj())));
    assertEquals(57, score(fit, makePod().obj(), nodeInfo(scoreNode("node2", 10000, 20000), cpuOnly().obj(),
        cpuAndMemory().obj())));
  }

  @Test
  void leastAllocatedResourcesRequestedPodsScheduledWithResources() {
    // node1: cpu (10000-6000)*100/10000 = 40, memory (20000-5000)*100/20000 = 75 -> 57
    // node2: cpu 40, memory (20000-10000)*100/20000 = 50 -> 45
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    assertEquals(57, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node1", 10000, 20000), cpuOnly().obj())));
    assertEquals(45, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node2", 10000, 20000),
        cpuAndMemory().obj())));
  }

  @Test
  void leastAllocatedRequestedResourcesExceedNodeCapacity() {
    // node1: cpu 6000 > 4000 -> 0, memory 100 -> 50; node2: cpu 0, memory (10000-5000)*100/10000 = 50 -> 25
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    assertEquals(50, score(fit, cpuOnly().obj(), nodeInfo(scoreNode("node1", 4000, 10000), cpuOnly().obj())));
    assertEquals(25, score(fit, cpuOnly().obj(), nodeInfo(scoreNode("node2", 4000, 10000), cpuAndMemory().obj())));
  }

  @Test
  void leastAllocatedZeroNodeResources() {
    NodeResourcesFit fit = NodeResourcesFit.leastAllocated();
    assertEquals(0, score(fit, makePod().obj(), nodeInfo(scoreNode("node1", 0, 0), cpuOnly().obj())));
  }

  @Test
  void podsRequestingNothingAreScoredWithKubeDefaults() {
    // a container without requests counts 100m CPU and 200Mi memory
    Pod p = makePod().container("nginx").obj();
    long score = score(NodeResourcesFit.leastAllocated(), p, nodeInfo(scoreNode("a", 1000,
        2000L * 1024 * 1024)));
    assertEquals((900 * 100 / 1000 + (2000 - 200) * 100 / 2000) / 2, score);
  }

  @Test
  void mostAllocatedNothingScheduledResourcesRequestedDifferentlySizedNodes() {
    // node1: cpu 3000*100/4000 = 75, memory 5000*100/10000 = 50 -> 62; node2: 50, 50 -> 50
    NodeResourcesFit fit = NodeResourcesFit.mostAllocated();
    assertEquals(62, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node1", 4000, 10000))));
    assertEquals(50, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node2", 6000, 10000))));
  }

  @Test
  void mostAllocatedResourcesRequestedPodsScheduledWithResources() {
    // node1: cpu 6000*100/10000 = 60, memory 5000*100/20000 = 25 -> 42
    // node2: cpu 60, memory 10000*100/20000 = 50 -> 55
    NodeResourcesFit fit = NodeResourcesFit.mostAllocated();
    assertEquals(42, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node1", 10000, 20000), cpuOnly().obj())));
    assertEquals(55, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node2", 10000, 20000),
        cpuAndMemory().obj())));
  }

  @Test
  void mostAllocatedCapsRequestsAtCapacity() {
    // requested > capacity counts as capacity: cpu 100, memory 0 -> 50
    NodeResourcesFit fit = NodeResourcesFit.mostAllocated();
    assertEquals(50, score(fit, cpuOnly().obj(), nodeInfo(scoreNode("node1", 4000, 10000), cpuOnly().obj())));
  }

  @Test
  void requestedToCapacityRatioFollowsTheShape() {
    // shape 0% -> 10, 100% -> 0 (i.e. like LeastAllocated): node 4000/10000, pod 3000/5000: cpu 75% -> 25,
    // memory 50% -> 50 -> round(75 / 2) = 38
    NodeResourcesFit fit = NodeResourcesFit.fromArgs(ConfigFactory.parseString("""
        scoringStrategy {
          type = RequestedToCapacityRatio
          resources = [{name = cpu, weight = 1}, {name = memory, weight = 1}]
          requestedToCapacityRatio.shape = [{utilization = 0, score = 10}, {utilization = 100, score = 0}]
        }"""));
    assertEquals(38, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node1", 4000, 10000))));
  }

  @Test
  void extendedResourcesTheNodeLacksAreNotScored() {
    NodeResourcesFit fit = NodeResourcesFit.fromArgs(ConfigFactory.parseString(
        "scoringStrategy.resources = [{name = cpu, weight = 1}, {name = memory, weight = 1}, "
            + "{name = \"" + EXT_A + "\", weight = 3}]"));
    // the pod does not request example.com/aaa: scored on cpu and memory only (37 as above)
    assertEquals(37, score(fit, cpuAndMemory().obj(), nodeInfo(scoreNode("node1", 4000, 10000))));
  }
}
