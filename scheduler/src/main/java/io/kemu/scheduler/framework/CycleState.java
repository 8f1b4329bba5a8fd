package io.kemu.scheduler.framework;

import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * framework.CycleState: data a plugin computes once per cycle (PreFilter, PreScore) and reads per node, possibly
 * from several threads at once (reads only). Preemption dry runs work on {@link #copy}.
 */
public final class CycleState {
  /** State that must be copied for a preemption dry run (framework.StateData.Clone). */
  public interface StateData {
    StateData copy();
  }

  private final Map<String, Object> data = new HashMap<>();
  private Set<String> skipFilterPlugins = Set.of();
  private Set<String> skipScorePlugins = Set.of();

  public void write(String key, Object value) {
    data.put(key, value);
  }

  @SuppressWarnings("unchecked")
  public <T> T read(String key) {
    return (T) data.get(key);
  }

  public void delete(String key) {
    data.remove(key);
  }

  public Set<String> skipFilterPlugins() {
    return skipFilterPlugins;
  }

  public void setSkipFilterPlugins(Set<String> s) {
    skipFilterPlugins = s;
  }

  public Set<String> skipScorePlugins() {
    return skipScorePlugins;
  }

  public void setSkipScorePlugins(Set<String> s) {
    skipScorePlugins = s;
  }

  /** CycleState.Clone: StateData values are copied, the rest shared. */
  public CycleState copy() {
    CycleState c = new CycleState();
    data.forEach((k, v) -> c.data.put(k, v instanceof StateData sd ? sd.copy() : v));
    c.skipFilterPlugins = new HashSet<>(skipFilterPlugins);
    c.skipScorePlugins = new HashSet<>(skipScorePlugins);
    return c;
  }
}
