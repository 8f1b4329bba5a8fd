package io.kemu.scheduler.framework;

import java.util.HashMap;
import java.util.Map;

/** framework.CycleState: data one plugin computes once per cycle (PreFilter, PreScore) and reads per node. */
public final class CycleState {
  private final Map<String, Object> data = new HashMap<>();

  public void write(String key, Object value) {
    data.put(key, value);
  }

  @SuppressWarnings("unchecked")
  public <T> T read(String key) {
    return (T) data.get(key);
  }
}
