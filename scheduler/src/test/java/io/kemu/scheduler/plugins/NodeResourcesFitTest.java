package io.kemu.scheduler.plugins;

import static io.kemu.scheduler.Fixtures.info;
import static io.kemu.scheduler.Fixtures.node;
import static io.kemu.scheduler.Fixtures.pod;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.kemu.scheduler.framework.CycleState;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.Resource;
import io.kemu.scheduler.framework.Status;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Cases after plugins/noderesources/fit_test.go and least_allocated_test.go. */
class NodeResourcesFitTest {
  private final NodeResourcesFit fit = NodeResourcesFit.leastAllocated();

  private Status filter(Pod pod, NodeInfo node) {
    CycleState s = new CycleState();
    fit.preFilter(s, pod, List.of(node));
    return fit.filter(s, pod, node);
  }

  @Test
  void noResourcesRequestedAlwaysFits() {
    NodeInfo full = info(node("n", "10m", "20", 32), pod("a", "10m", "20"));
    assertTrue(filter(pod("p", null, null), full).isSuccess());
  }

  @Test
  void tooMuchCpuAndMemoryAreBothReportedInUpstreamsOrder() {
    NodeInfo n = info(node("n", "10m", "20", 32), pod("a", "10m", "19"));
    Status s = filter(pod("p", "1m", "2"), n);
    assertEquals(Status.Code.UNSCHEDULABLE, s.code());
    assertEquals(List.of("Insufficient cpu", "Insufficient memory"), s.reasons());
  }

  @Test
  void exactlyFullStillFits() {
    NodeInfo n = info(node("n", "10m", "20", 32), pod("a", "5m", "5"));
    assertTrue(filter(pod("p", "5m", "15"), n).isSuccess());
  }

  @Test
  void podCountIsALimitToo() {
    NodeInfo n = info(node("n", "10", "20Gi", 1), pod("a", null, null));
    assertEquals(List.of(NodeResourcesFit.TOO_MANY_PODS), filter(pod("p", null, null), n).reasons());
  }

  @Test
  void initContainersCountByTheirMaximumNotTheirSum() {
    Pod p = pod("p", "1", null);
    for (int i = 0; i < 3; i++) {
      io.fabric8.kubernetes.api.model.Container init = new io.fabric8.kubernetes.api.model.ContainerBuilder()
          .withName("init" + i).withImage("busybox").withNewResources()
          .addToRequests("cpu", new Quantity("2")).endResources().build();
      if (p.getSpec().getInitContainers() == null) {
        p.getSpec().setInitContainers(new java.util.ArrayList<>());
      }
      p.getSpec().getInitContainers().add(init);
    }
    assertEquals(2000, Resource.podRequests(p, false).milliCpu);
    assertTrue(filter(p, info(node("n", "2", "1Gi", 10))).isSuccess());
    assertEquals(List.of("Insufficient cpu"), filter(p, info(node("n", "1999m", "1Gi", 10))).reasons());
  }

  @Test
  void leastAllocatedPrefersTheEmptierNode() {
    // least_allocated_test.go "nothing scheduled, resources requested, differently sized nodes":
    // cpu (4000-3000)/4000 = 25, memory (10000-5000)/10000 = 50 -> 37; cpu 50, memory 50 -> 50.
    Pod p = pod("p", "3000m", "5000");
    assertEquals(37, fit.score(new CycleState(), p, info(node("a", "4000m", "10000", 32))));
    assertEquals(50, fit.score(new CycleState(), p, info(node("b", "6000m", "10000", 32))));
  }

  @Test
  void podsRequestingNothingAreScoredWithKubeDefaults() {
    // 100m cpu and 200Mi memory count against allocatable when scoring.
    Pod p = pod("p", null, null);
    long score = fit.score(new CycleState(), p, info(node("a", "1", "2000Mi", 32)));
    assertEquals((900 * 100 / 1000 + (2000 - 200) * 100 / 2000) / 2, score);
  }
}
