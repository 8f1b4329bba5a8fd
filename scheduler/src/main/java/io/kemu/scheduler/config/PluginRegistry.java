package io.kemu.scheduler.config;

import com.typesafe.config.Config;
import io.kemu.scheduler.framework.Handle;
import io.kemu.scheduler.framework.Plugins.Plugin;
import io.kemu.scheduler.plugins.DefaultBinder;
import io.kemu.scheduler.plugins.DefaultPreemption;
import io.kemu.scheduler.plugins.ImageLocality;
import io.kemu.scheduler.plugins.InterPodAffinity;
import io.kemu.scheduler.plugins.NodeAffinity;
import io.kemu.scheduler.plugins.NodeName;
import io.kemu.scheduler.plugins.NodePorts;
import io.kemu.scheduler.plugins.NodeResourcesBalancedAllocation;
import io.kemu.scheduler.plugins.NodeResourcesFit;
import io.kemu.scheduler.plugins.NodeUnschedulable;
import io.kemu.scheduler.plugins.PodTopologySpread;
import io.kemu.scheduler.plugins.PrioritySort;
import io.kemu.scheduler.plugins.SchedulingGates;
import io.kemu.scheduler.plugins.TaintToleration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * plugins/registry.go: the in-tree plugins by name, each built from its arguments (pluginConfig[].args) and the
 * profile's Handle; and config/v1's default plugin set (getDefaultPlugins) with its score weights.
 */
public final class PluginRegistry {
  private PluginRegistry() {}

  @FunctionalInterface
  public interface Factory {
    Plugin create(Config args, Handle handle);
  }

  /** A plugin enabled at an extension point, with its weight (score only; null = unset). */
  public record PluginRef(String name, Integer weight) {}

  public static Map<String, Factory> inTree() {
    Map<String, Factory> m = new LinkedHashMap<>();
    m.put(SchedulingGates.NAME, (a, h) -> new SchedulingGates());
    m.put(PrioritySort.NAME, (a, h) -> new PrioritySort());
    m.put(NodeUnschedulable.NAME, (a, h) -> new NodeUnschedulable());
    m.put(NodeName.NAME, (a, h) -> new NodeName());
    m.put(TaintToleration.NAME, (a, h) -> new TaintToleration());
    m.put(NodeAffinity.NAME, (a, h) -> new NodeAffinity());
    m.put(NodePorts.NAME, (a, h) -> new NodePorts());
    m.put(NodeResourcesFit.NAME, (a, h) -> NodeResourcesFit.fromArgs(a));
    m.put(PodTopologySpread.NAME, (a, h) -> PodTopologySpread.fromArgs(h, a));
    m.put(InterPodAffinity.NAME, (a, h) -> InterPodAffinity.fromArgs(h, a));
    m.put(DefaultPreemption.NAME, (a, h) -> DefaultPreemption.fromArgs(h, a));
    m.put(NodeResourcesBalancedAllocation.NAME, (a, h) -> NodeResourcesBalancedAllocation.fromArgs(a));
    m.put(ImageLocality.NAME, (a, h) -> new ImageLocality(h));
    m.put(DefaultBinder.NAME, (a, h) -> new DefaultBinder(h));
    return m;
  }

  /**
   * getDefaultPlugins (pkg/scheduler/apis/config/v1/default_plugins.go, v1.32), multiPoint, without the volume
   * plugins (kemu has no persistent volumes): TaintToleration 3, NodeAffinity 2, NodeResourcesFit 1,
   * PodTopologySpread 2, InterPodAffinity 2, NodeResourcesBalancedAllocation 1, ImageLocality 1.
   */
  public static final List<PluginRef> DEFAULT_MULTI_POINT = List.of(
      new PluginRef(SchedulingGates.NAME, null),
      new PluginRef(PrioritySort.NAME, null),
      new PluginRef(NodeUnschedulable.NAME, null),
      new PluginRef(NodeName.NAME, null),
      new PluginRef(TaintToleration.NAME, 3),
      new PluginRef(NodeAffinity.NAME, 2),
      new PluginRef(NodePorts.NAME, null),
      new PluginRef(NodeResourcesFit.NAME, 1),
      new PluginRef(PodTopologySpread.NAME, 2),
      new PluginRef(InterPodAffinity.NAME, 2),
      new PluginRef(DefaultPreemption.NAME, null),
      new PluginRef(NodeResourcesBalancedAllocation.NAME, 1),
      new PluginRef(ImageLocality.NAME, 1),
      new PluginRef(DefaultBinder.NAME, null));
}
