package io.kemu.scheduler.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.typesafe.config.ConfigFactory;
import io.kemu.scheduler.framework.Framework;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Profiles from HOCON, with kube-scheduler's defaults (default_plugins_test.go, TestDefaultPlugins). */
class ProfilesTest {
  static Map<String, Framework> build(String hocon) {
    return Profiles.build(ConfigFactory.parseString(hocon).getConfigList("profiles"), PluginRegistry.inTree(),
        Framework.Environment.forTests());
  }

  @Test
  void theDefaultProfileHasUpstreamsPluginsInOrderWithTheirWeights() {
    Framework f = build("profiles = [{schedulerName = default-scheduler}]").get("default-scheduler");
    assertEquals(List.of("SchedulingGates"), f.pluginNames("preEnqueue"));
    assertEquals(List.of("PrioritySort"), f.pluginNames("queueSort"));
    assertEquals(List.of("NodeAffinity", "NodePorts", "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"),
        f.pluginNames("preFilter"));
    assertEquals(List.of("NodeUnschedulable", "NodeName", "TaintToleration", "NodeAffinity", "NodePorts",
        "NodeResourcesFit", "PodTopologySpread", "InterPodAffinity"), f.pluginNames("filter"));
    assertEquals(List.of("DefaultPreemption"), f.pluginNames("postFilter"));
    assertEquals(List.of("TaintToleration", "NodeAffinity", "NodeResourcesFit", "PodTopologySpread",
        "InterPodAffinity", "NodeResourcesBalancedAllocation"), f.pluginNames("preScore"));
    assertEquals(List.of("TaintToleration", "NodeAffinity", "NodeResourcesFit", "PodTopologySpread",
        "InterPodAffinity", "NodeResourcesBalancedAllocation", "ImageLocality"), f.pluginNames("score"));
    assertEquals(List.of("DefaultBinder"), f.pluginNames("bind"));
    assertEquals(3, f.scoreWeight("TaintToleration"));
    assertEquals(2, f.scoreWeight("NodeAffinity"));
    assertEquals(1, f.scoreWeight("NodeResourcesFit"));
    assertEquals(2, f.scoreWeight("PodTopologySpread"));
    assertEquals(2, f.scoreWeight("InterPodAffinity"));
    assertEquals(1, f.scoreWeight("NodeResourcesBalancedAllocation"));
    assertEquals(1, f.scoreWeight("ImageLocality"));
  }

  @Test
  void severalProfilesBySchedulerNameWithDisabledPluginsAndWeights() {
    Map<String, Framework> m = build("""
        profiles = [
          { schedulerName = default-scheduler }
          { schedulerName = no-scoring
            plugins { score { disabled = [{name = "*"}] }, preScore { disabled = [{name = "*"}] } } }
          { schedulerName = packing
            plugins.score.enabled = [{name = NodeResourcesFit, weight = 5}]
            plugins.multiPoint.disabled = [{name = ImageLocality}]
            pluginConfig = [{name = NodeResourcesFit, args.scoringStrategy.type = MostAllocated}] }
        ]""");
    assertEquals(List.of("default-scheduler", "no-scoring", "packing"), List.copyOf(m.keySet()));
    assertEquals(List.of(), m.get("no-scoring").pluginNames("score"));
    assertEquals(List.of("NodeResourcesFit", "TaintToleration", "NodeAffinity", "PodTopologySpread",
        "InterPodAffinity", "NodeResourcesBalancedAllocation"), m.get("packing").pluginNames("score"));
    assertEquals(5, m.get("packing").scoreWeight("NodeResourcesFit"));
  }

  @Test
  void unknownPluginsAndDuplicateProfilesAreRejected() {
    assertThrows(IllegalArgumentException.class, () -> build(
        "profiles = [{schedulerName = a, plugins.filter.enabled = [{name = NoSuchPlugin}]}]"));
    assertThrows(IllegalArgumentException.class, () -> build("profiles = [{schedulerName = a}, {schedulerName = a}]"));
    assertThrows(IllegalArgumentException.class, () -> build(
        "profiles = [{schedulerName = a, plugins.filter.enabled = [{name = PrioritySort}]}]"));
  }
}
