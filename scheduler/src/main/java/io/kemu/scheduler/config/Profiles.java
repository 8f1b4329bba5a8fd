package io.kemu.scheduler.config;

import com.typesafe.config.Config;
import com.typesafe.config.ConfigFactory;
import io.kemu.scheduler.config.PluginRegistry.PluginRef;
import io.kemu.scheduler.framework.Framework;
import io.kemu.scheduler.framework.Plugins;
import io.kemu.scheduler.framework.Plugins.Plugin;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * KubeSchedulerConfiguration's profiles in HOCON ({@code kemu.scheduler.profiles}), with kube-scheduler's
 * field names: each profile has a schedulerName, optionally percentageOfNodesToScore, {@code plugins} per
 * extension point (multiPoint, preEnqueue, queueSort, preFilter, filter, postFilter, preScore, score, reserve,
 * permit, preBind, bind, postBind), each with {@code enabled} [{name, weight}] and {@code disabled} [{name}] ("*"
 * disables all defaults), and {@code pluginConfig} [{name, args}]. Defaults apply as in kube-scheduler: the
 * default multiPoint set, minus what is disabled; plugins enabled at a specific point come first there.
 */
public final class Profiles {
  private Profiles() {}

  public static final List<String> EXTENSION_POINTS = List.of("preEnqueue", "queueSort", "preFilter", "filter",
      "postFilter", "preScore", "score", "reserve", "permit", "preBind", "bind", "postBind");

  /** Builds one framework per profile, keyed by schedulerName. */
  public static Map<String, Framework> build(List<? extends Config> profiles, Map<String, PluginRegistry.Factory> registry,
                                             Framework.Environment env) {
    Map<String, Framework> out = new LinkedHashMap<>();
    for (Config p : profiles) {
      Framework f = build(p, registry, env);
      if (out.put(f.profileName(), f) != null) {
        throw new IllegalArgumentException("duplicate profile with scheduler name \"" + f.profileName() + "\"");
      }
    }
    return out;
  }

  public static Framework build(Config profile, Map<String, PluginRegistry.Factory> registry,
                                Framework.Environment env) {
    String name = profile.hasPath("schedulerName") ? profile.getString("schedulerName") : "default-scheduler";
    Integer pct = profile.hasPath("percentageOfNodesToScore") ? profile.getInt("percentageOfNodesToScore") : null;
    Framework f = new Framework(name, pct, env);
    Config plugins = profile.hasPath("plugins") ? profile.getConfig("plugins") : ConfigFactory.empty();

    // multiPoint: defaults minus disabled, plus enabled (an enabled default keeps its place, takes the weight)
    List<PluginRef> multi = new ArrayList<>();
    List<String> multiDisabled = names(plugins, "multiPoint.disabled");
    if (!multiDisabled.contains("*")) {
      for (PluginRef r : PluginRegistry.DEFAULT_MULTI_POINT) {
        if (!multiDisabled.contains(r.name())) {
          multi.add(r);
        }
      }
    }
    for (PluginRef r : refs(plugins, "multiPoint.enabled")) {
      int i = indexOf(multi, r.name());
      if (i >= 0) {
        multi.set(i, new PluginRef(r.name(), r.weight() != null ? r.weight() : multi.get(i).weight()));
      } else {
        multi.add(r);
      }
    }

    Map<String, Config> args = new HashMap<>();
    if (profile.hasPath("pluginConfig")) {
      for (Config pc : profile.getConfigList("pluginConfig")) {
        args.put(pc.getString("name"), pc.hasPath("args") ? pc.getConfig("args") : ConfigFactory.empty());
      }
    }
    Map<String, Plugin> instances = new LinkedHashMap<>();
    java.util.function.Function<String, Plugin> instance = n -> instances.computeIfAbsent(n, k -> {
      PluginRegistry.Factory factory = registry.get(k);
      if (factory == null) {
        throw new IllegalArgumentException("profile \"" + name + "\": plugin \"" + k + "\" does not exist");
      }
      return factory.create(args.getOrDefault(k, ConfigFactory.empty()), f);
    });

    Map<String, List<Plugin>> byPoint = new LinkedHashMap<>();
    Map<String, Integer> weights = new HashMap<>();
    for (String point : EXTENSION_POINTS) {
      List<String> disabled = names(plugins, point + ".disabled");
      List<PluginRef> enabled = refs(plugins, point + ".enabled");
      List<Plugin> list = new ArrayList<>();
      for (PluginRef r : enabled) {
        Plugin pl = instance.apply(r.name());
        if (!implementsPoint(pl, point)) {
          throw new IllegalArgumentException("profile \"" + name + "\": plugin \"" + r.name()
              + "\" does not extend " + point);
        }
        list.add(pl);
        if (point.equals("score") && r.weight() != null) {
          weights.put(r.name(), r.weight());
        }
      }
      if (!disabled.contains("*")) {
        for (PluginRef r : multi) {
          if (disabled.contains(r.name()) || list.stream().anyMatch(p -> p.name().equals(r.name()))) {
            continue;
          }
          Plugin pl = instance.apply(r.name());
          if (implementsPoint(pl, point)) {
            list.add(pl);
            if (point.equals("score")) {
              weights.putIfAbsent(r.name(), r.weight() == null ? 1 : r.weight());
            }
          }
        }
      }
      byPoint.put(point, list);
    }
    List<Plugin> queueSort = byPoint.get("queueSort");
    if (queueSort.size() != 1) {
      throw new IllegalArgumentException("profile \"" + name + "\": exactly one queueSort plugin is needed, got "
          + queueSort.size());
    }
    if (byPoint.get("bind").isEmpty()) {
      throw new IllegalArgumentException("profile \"" + name + "\": at least one bind plugin is needed");
    }
    List<Plugins.EnqueueExtensions> enqueue = new ArrayList<>();
    for (Plugin pl : instances.values()) {
      if (pl instanceof Plugins.EnqueueExtensions e) {
        enqueue.add(e);
      }
    }
    f.setPlugins(new Framework.Profile(name, pct, byPoint.get("preEnqueue"),
        (Plugins.QueueSortPlugin) queueSort.get(0), cast(byPoint.get("preFilter")), cast(byPoint.get("filter")),
        cast(byPoint.get("postFilter")), cast(byPoint.get("preScore")), cast(byPoint.get("score")), weights,
        cast(byPoint.get("reserve")), cast(byPoint.get("permit")), cast(byPoint.get("preBind")),
        cast(byPoint.get("bind")), cast(byPoint.get("postBind")), enqueue));
    return f;
  }

  @SuppressWarnings("unchecked")
  private static <T> List<T> cast(List<Plugin> l) {
    return (List<T>) (List<?>) l;
  }

  static boolean implementsPoint(Plugin p, String point) {
    return switch (point) {
      case "preEnqueue" -> p instanceof Plugins.PreEnqueuePlugin;
      case "queueSort" -> p instanceof Plugins.QueueSortPlugin;
      case "preFilter" -> p instanceof Plugins.PreFilterPlugin;
      case "filter" -> p instanceof Plugins.FilterPlugin;
      case "postFilter" -> p instanceof Plugins.PostFilterPlugin;
      case "preScore" -> p instanceof Plugins.PreScorePlugin;
      case "score" -> p instanceof Plugins.ScorePlugin;
      case "reserve" -> p instanceof Plugins.ReservePlugin;
      case "permit" -> p instanceof Plugins.PermitPlugin;
      case "preBind" -> p instanceof Plugins.PreBindPlugin;
      case "bind" -> p instanceof Plugins.BindPlugin;
      case "postBind" -> p instanceof Plugins.PostBindPlugin;
      default -> false;
    };
  }

  private static int indexOf(List<PluginRef> l, String name) {
    for (int i = 0; i < l.size(); i++) {
      if (l.get(i).name().equals(name)) {
        return i;
      }
    }
    return -1;
  }

  private static List<String> names(Config c, String path) {
    List<String> out = new ArrayList<>();
    if (c.hasPath(path)) {
      for (Config e : c.getConfigList(path)) {
        out.add(e.getString("name"));
      }
    }
    return out;
  }

  private static List<PluginRef> refs(Config c, String path) {
    List<PluginRef> out = new ArrayList<>();
    if (c.hasPath(path)) {
      for (Config e : c.getConfigList(path)) {
        out.add(new PluginRef(e.getString("name"), e.hasPath("weight") ? e.getInt("weight") : null));
      }
    }
    return out;
  }
}
