package io.kemu.scheduler.framework;

import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * framework.CycleState: data a plugin computes once per cycle (PreFilter, PreScore) and reads per node, possibly
 * from several threads at once (reads only). Keys are interned once into array slots, so that the per-node reads
 * of Filter and Score cost an array access rather than a hash lookup. Preemption dry runs work on {@link #copy}.
 */
public final class CycleState {
  /** State that must be copied for a preemption dry run (framework.StateData.Clone). */
  public interface StateData {
    StateData copy();
  }

  /** A state key: a name and its slot. */
  public static final class Key {
    private final String name;
    private final int index;

    private Key(String name, int index) {
      this.name = name;
      this.index = index;
    }

    @Override
    public String toString() {
      return name;
    }
  }

  private static final ConcurrentHashMap<String, Key> KEYS = new ConcurrentHashMap<>();
  private static final AtomicInteger NEXT = new AtomicInteger();

  /** The key of this name (the same object for the same name). */
  public static Key key(String name) {
    return KEYS.computeIfAbsent(name, n -> new Key(n, NEXT.getAndIncrement()));
  }

  private Object[] slots = new Object[Math.max(16, NEXT.get())];
  private Set<String> skipFilterPlugins = Set.of();
  private Set<String> skipScorePlugins = Set.of();

  public void write(Key key, Object value) {
    if (key.index >= slots.length) {
      slots = java.util.Arrays.copyOf(slots, Math.max(key.index + 1, slots.length * 2));
    }
    slots[key.index] = value;
  }

  @SuppressWarnings("unchecked")
  public <T> T read(Key key) {
    return key.index < slots.length ? (T) slots[key.index] : null;
  }

  public void delete(Key key) {
    if (key.index < slots.length) {
      slots[key.index] = null;
    }
  }

  public void write(String key, Object value) {
    write(key(key), value);
  }

  public <T> T read(String key) {
    return read(key(key));
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
    c.slots = new Object[slots.length];
    for (int i = 0; i < slots.length; i++) {
      Object v = slots[i];
      c.slots[i] = v instanceof StateData sd ? sd.copy() : v;
    }
    c.skipFilterPlugins = new HashSet<>(skipFilterPlugins);
    c.skipScorePlugins = new HashSet<>(skipScorePlugins);
    return c;
  }
}
