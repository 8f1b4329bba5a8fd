package io.kemu.scheduler.cache;

import static io.kemu.scheduler.Fixtures.makeNode;
import static io.kemu.scheduler.Fixtures.makePod;
import static io.kemu.scheduler.Fixtures.res;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Pod;
import io.kemu.api.KubeJson;
import io.kemu.scheduler.framework.NodeInfo;
import io.kemu.scheduler.framework.PodInfo;
import io.kemu.scheduler.framework.Snapshot;
import java.util.List;
import org.junit.jupiter.api.Test;

/** cache_test.go and snapshot_test.go: assumed pods, confirmation, forgetting, incremental snapshots. */
class SchedulerCacheTest {
  final SchedulerCache cache = new SchedulerCache();

  SchedulerCacheTest() {
    for (int i = 1; i <= 3; i++) {
      cache.addOrUpdateNode(makeNode().name("node-" + i).capacity(res("cpu", "4", "pods", "10")).obj());
    }
  }

  @Test
  void anAssumedPodCountsUntilTheBindingIsConfirmedOrForgotten() {
    PodInfo p = makePod().name("p").req(res("cpu", "1")).info();
    cache.assumePod(p, "node-1");
    assertTrue(cache.isAssumed(p.uid()));
    assertEquals(1000, cache.node("node-1").requested().milliCpu);
    Pod bound = KubeJson.copy(p.pod());
    bound.getSpec().setNodeName("node-1");
    cache.addOrUpdatePod(PodInfo.of(bound));
    assertFalse(cache.isAssumed(p.uid()));
    assertEquals(1000, cache.node("node-1").requested().milliCpu, "counted once");
    assertEquals(1, cache.node("node-1").podCount());
  }

  @Test
  void forgettingAnAssumedPodFreesItsResources() {
    PodInfo p = makePod().name("p").req(res("cpu", "1")).info();
    cache.assumePod(p, "node-2");
    cache.forgetPod(p.uid());
    assertEquals(0, cache.node("node-2").requested().milliCpu);
    assertFalse(cache.isBoundOrAssumed(p.uid()));
  }

  @Test
  void aPodBoundElsewhereMovesFromItsAssumedNode() {
    PodInfo p = makePod().name("p").req(res("cpu", "1")).info();
    cache.assumePod(p, "node-1");
    Pod bound = KubeJson.copy(p.pod());
    bound.getSpec().setNodeName("node-3");
    cache.addOrUpdatePod(PodInfo.of(bound));
    assertEquals(0, cache.node("node-1").requested().milliCpu);
    assertEquals(1000, cache.node("node-3").requested().milliCpu);
  }

  @Test
  void snapshotsCopyOnlyTheNodesThatChanged() {
    Snapshot s = Snapshot.of(List.of());
    cache.updateSnapshot(s);
    assertEquals(3, s.numNodes());
    NodeInfo n1 = s.get("node-1");
    NodeInfo n2 = s.get("node-2");
    cache.assumePod(makePod().name("p").req(res("cpu", "1")).info(), "node-2");
    cache.updateSnapshot(s);
    assertSame(n1, s.get("node-1"), "unchanged node kept");
    assertNotSame(n2, s.get("node-2"), "changed node copied");
    assertEquals(1000, s.get("node-2").requested().milliCpu);
    assertEquals(0, n2.requested().milliCpu, "the previous copy is not touched");
    assertSame(s.get("node-2"), s.list().stream().filter(n -> n.name().equals("node-2")).findFirst().orElseThrow());
  }

  @Test
  void snapshotFollowsNodesComingAndGoingAndTracksAffinityPods() {
    Snapshot s = Snapshot.of(List.of());
    cache.updateSnapshot(s);
    cache.removeNode("node-3");
    cache.addOrUpdateNode(makeNode().name("node-4").capacity(res("cpu", "4", "pods", "10")).obj());
    cache.updateSnapshot(s);
    assertEquals(List.of("node-1", "node-2", "node-4"), s.list().stream().map(NodeInfo::name).toList());
    Pod withAffinity = makePod().name("a").obj();
    withAffinity.getSpec().setAffinity(new io.fabric8.kubernetes.api.model.AffinityBuilder().withNewPodAntiAffinity()
        .addNewRequiredDuringSchedulingIgnoredDuringExecution().withTopologyKey("zone").withNewLabelSelector()
        .endLabelSelector().endRequiredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity().build());
    withAffinity.getSpec().setNodeName("node-1");
    cache.addOrUpdatePod(PodInfo.of(withAffinity));
    cache.updateSnapshot(s);
    assertEquals(List.of("node-1"), s.havePodsWithAffinityList().stream().map(NodeInfo::name).toList());
    assertEquals(List.of("node-1"), s.havePodsWithRequiredAntiAffinityList().stream().map(NodeInfo::name).toList());
    cache.removePod(withAffinity.getMetadata().getUid());
    cache.updateSnapshot(s);
    assertEquals(List.of(), s.havePodsWithAffinityList());
  }

  @Test
  void zonesAreInterleavedLikeTheNodeTree() {
    SchedulerCache c = new SchedulerCache();
    c.addOrUpdateNode(makeNode().name("a1").label("topology.kubernetes.io/zone", "a").obj());
    c.addOrUpdateNode(makeNode().name("a2").label("topology.kubernetes.io/zone", "a").obj());
    c.addOrUpdateNode(makeNode().name("b1").label("topology.kubernetes.io/zone", "b").obj());
    Snapshot s = Snapshot.of(List.of());
    c.updateSnapshot(s);
    assertEquals(List.of("a1", "b1", "a2"), s.list().stream().map(NodeInfo::name).toList());
  }
}
