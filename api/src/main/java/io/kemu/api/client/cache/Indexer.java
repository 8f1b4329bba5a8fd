package io.kemu.api.client.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * client-go's thread-safe indexed store (cache.Indexer over threadSafeMap): objects by key
 * ({@code namespace/name}), plus named indices from an index function's values to the keys of the objects that
 * produce them. Objects handed out are the informer's own: callers copy before they change anything.
 */
public final class Indexer<T extends HasMetadata> {
  /** cache.NamespaceIndex. */
  public static final String NAMESPACE = "namespace";
  /** The UIDs an object's ownerReferences point to (the garbage collector's and the controllers' lookups). */
  public static final String OWNER_UID = "ownerUid";
  /** The UID of the object's controller (the ownerReference with controller: true). */
  public static final String CONTROLLER_UID = "controllerUid";

  /** An index function: the values under which an object is found (none to leave it out). */
  public interface IndexFunc<T> extends Function<T, Collection<String>> {}

  private final ReadWriteLock lock = new ReentrantReadWriteLock();
  private final Map<String, T> items = new HashMap<>();
  private final Map<String, IndexFunc<T>> indexers = new HashMap<>();
  private final Map<String, Map<String, Set<String>>> indices = new HashMap<>();

  public Indexer() {
    addIndexer(NAMESPACE, Indexer::namespaceIndex);
  }

  public static <T extends HasMetadata> Collection<String> namespaceIndex(T obj) {
    String ns = obj.getMetadata().getNamespace();
    return List.of(ns == null ? "" : ns);
  }

  public static <T extends HasMetadata> Collection<String> ownerUidIndex(T obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    if (refs == null || refs.isEmpty()) {
      return List.of();
    }
    List<String> out = new ArrayList<>(refs.size());
    for (OwnerReference r : refs) {
      if (r.getUid() != null) {
        out.add(r.getUid());
      }
    }
    return out;
  }

  public static <T extends HasMetadata> Collection<String> controllerUidIndex(T obj) {
    List<OwnerReference> refs = obj.getMetadata().getOwnerReferences();
    if (refs != null) {
      for (OwnerReference r : refs) {
        if (Boolean.TRUE.equals(r.getController()) && r.getUid() != null) {
          return List.of(r.getUid());
        }
      }
    }
    return List.of();
  }

  /** Adds an index; objects already stored are indexed at once. */
  public void addIndexer(String name, IndexFunc<T> fn) {
    lock.writeLock().lock();
    try {
      indexers.put(name, fn);
      Map<String, Set<String>> index = new HashMap<>();
      indices.put(name, index);
      items.forEach((key, obj) -> {
        for (String v : fn.apply(obj)) {
          index.computeIfAbsent(v, x -> new HashSet<>()).add(key);
        }
      });
    } finally {
      lock.writeLock().unlock();
    }
  }

  public boolean hasIndexer(String name) {
    lock.readLock().lock();
    try {
      return indexers.containsKey(name);
    } finally {
      lock.readLock().unlock();
    }
  }

  /** Adds or replaces; answers the previous object under that key, or null. */
  public T put(T obj) {
    String key = Keys.key(obj);
    lock.writeLock().lock();
    try {
      T old = items.put(key, obj);
      if (old != null) {
        unindex(key, old);
      }
      index(key, obj);
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  /** Removes by key; answers what was stored, or null. */
  public T remove(String key) {
    lock.writeLock().lock();
    try {
      T old = items.remove(key);
      if (old != null) {
        unindex(key, old);
      }
      return old;
    } finally {
      lock.writeLock().unlock();
    }
  }

  public T get(String key) {
    lock.readLock().lock();
    try {
      return items.get(key);
    } finally {
      lock.readLock().unlock();
    }
  }

  public T get(String namespace, String name) {
    return get(Keys.key(namespace, name));
  }

  public List<T> list() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(items.values());
    } finally {
      lock.readLock().unlock();
    }
  }

  public List<String> listKeys() {
    lock.readLock().lock();
    try {
      return new ArrayList<>(items.keySet());
    } finally {
      lock.readLock().unlock();
    }
  }

  public int size() {
    lock.readLock().lock();
    try {
      return items.size();
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The objects an index maps {@code value} to (ByIndex). */
  public List<T> byIndex(String indexName, String value) {
    lock.readLock().lock();
    try {
      Map<String, Set<String>> index = indices.get(indexName);
      if (index == null) {
        throw new IllegalArgumentException("no index named " + indexName);
      }
      Set<String> keys = index.get(value);
      if (keys == null) {
        return List.of();
      }
      List<T> out = new ArrayList<>(keys.size());
      for (String k : keys) {
        out.add(items.get(k));
      }
      return out;
    } finally {
      lock.readLock().unlock();
    }
  }

  /** The objects of one namespace (cluster-scoped kinds: namespace ""). */
  public List<T> byNamespace(String namespace) {
    return byIndex(NAMESPACE, namespace == null ? "" : namespace);
  }

  /** The objects of a namespace that pass a filter (listers' List(selector)). */
  public List<T> list(String namespace, Predicate<T> filter) {
    List<T> out = new ArrayList<>();
    for (T obj : namespace == null ? list() : byNamespace(namespace)) {
      if (filter.test(obj)) {
        out.add(obj);
      }
    }
    return out;
  }

  private void index(String key, T obj) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> index = indices.get(name);
      for (String v : fn.apply(obj)) {
        index.computeIfAbsent(v, x -> new HashSet<>()).add(key);
      }
    });
  }

  private void unindex(String key, T obj) {
    indexers.forEach((name, fn) -> {
      Map<String, Set<String>> index = indices.get(name);
      for (String v : fn.apply(obj)) {
        Set<String> keys = index.get(v);
        if (keys != null) {
          keys.remove(key);
          if (keys.isEmpty()) {
            index.remove(v);
          }
        }
      }
    });
  }
}
