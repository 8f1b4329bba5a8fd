package io.kemu.api.client.cache;

import io.fabric8.kubernetes.api.model.HasMetadata;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.UnaryOperator;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * client-go's SharedIndexInformer: one {@link Reflector} filling one {@link Indexer}, and any number of
 * {@link ResourceEventHandler}s told of every change, in order, one change at a time. A handler added after the
 * start first receives the objects already known as adds. An optional transform (SetTransform) trims objects
 * before they are stored.
 */
public final class SharedIndexInformer<T extends HasMetadata> implements Reflector.Store<T> {
  private static final Logger log = LoggerFactory.getLogger(SharedIndexInformer.class);

  private final ListerWatcher<T> lw;
  private final Materializer materializer;
  private final Indexer<T> indexer = new Indexer<>();
  private final List<ResourceEventHandler<T>> handlers = new CopyOnWriteArrayList<>();
  private final CompletableFuture<Void> synced = new CompletableFuture<>();
  /** Serialises the store's changes with their delivery, and handler registration with the replay. */
  private final Object distribution = new Object();
  private UnaryOperator<T> transform = UnaryOperator.identity();
  private Reflector<T> reflector;

  public SharedIndexInformer(ListerWatcher<T> lw, Materializer materializer) {
    this.lw = lw;
    this.materializer = materializer;
  }

  public Indexer<T> getIndexer() {
    return indexer;
  }

  public String describe() {
    return lw.describe();
  }

  /** Before {@link #run}: applied to every object before it is stored and delivered. */
  public SharedIndexInformer<T> setTransform(UnaryOperator<T> transform) {
    this.transform = transform;
    return this;
  }

  public SharedIndexInformer<T> addIndexer(String name, Indexer.IndexFunc<T> fn) {
    if (!indexer.hasIndexer(name)) {
      indexer.addIndexer(name, fn);
    }
    return this;
  }

  /** Registers a handler; once the informer has started, it first gets every known object as an add. */
  public void addEventHandler(ResourceEventHandler<T> handler) {
    synchronized (distribution) {
      handlers.add(handler);
      if (reflector != null) {
        for (T obj : indexer.list()) {
          safely(() -> handler.onAdd(obj, true));
        }
      }
    }
  }

  public void removeEventHandler(ResourceEventHandler<T> handler) {
    handlers.remove(handler);
  }

  /** Starts listing and watching (idempotent). */
  public void run() {
    synchronized (distribution) {
      if (reflector == null) {
        reflector = new Reflector<>(lw, this, materializer);
        reflector.start();
      }
    }
  }

  public void stop() {
    synchronized (distribution) {
      if (reflector != null) {
        reflector.stop();
      }
    }
  }

  public boolean isStarted() {
    synchronized (distribution) {
      return reflector != null;
    }
  }

  public boolean hasSynced() {
    return synced.isDone();
  }

  /** Completes once the first list is in the store and has been delivered. */
  public CompletableFuture<Void> synced() {
    return synced;
  }

  public String lastSyncResourceVersion() {
    Reflector<T> r = reflector;
    return r == null ? "" : r.lastSyncResourceVersion();
  }

  // ---------------------------------------------------------------- Reflector.Store

  @Override
  public void replace(List<T> items, String resourceVersion) {
    synchronized (distribution) {
      if (stopped()) {
        return;
      }
      Set<String> seen = new HashSet<>();
      boolean initial = !synced.isDone();
      for (T raw : items) {
        T obj = transform.apply(raw);
        String key = Keys.key(obj);
        seen.add(key);
        T old = indexer.put(obj);
        if (old == null) {
          deliverAdd(obj, initial);
        } else if (!Objects.equals(old.getMetadata().getResourceVersion(), obj.getMetadata().getResourceVersion())) {
          deliverUpdate(old, obj);
        }
      }
      for (String key : indexer.listKeys()) {
        if (!seen.contains(key)) {
          T gone = indexer.remove(key);
          if (gone != null) {
            deliverDelete(gone);
          }
        }
      }
    }
    if (!synced.isDone()) {
      synced.complete(null);
    }
  }

  @Override
  public void added(T raw) {
    upsert(raw);
  }

  @Override
  public void modified(T raw) {
    upsert(raw);
  }

  private void upsert(T raw) {
    synchronized (distribution) {
      if (stopped()) {
        return;
      }
      T obj = transform.apply(raw);
      T old = indexer.put(obj);
      if (old == null) {
        deliverAdd(obj, false);
      } else {
        deliverUpdate(old, obj);
      }
    }
  }

  @Override
  public void deleted(T raw) {
    synchronized (distribution) {
      if (stopped()) {
        return;
      }
      T obj = transform.apply(raw);
      T old = indexer.remove(Keys.key(obj));
      deliverDelete(old != null ? old : obj);
    }
  }

  private boolean stopped() {
    return reflector != null && reflector.isStopped();
  }

  private void deliverAdd(T obj, boolean initial) {
    for (ResourceEventHandler<T> h : handlers) {
      safely(() -> h.onAdd(obj, initial));
    }
  }

  private void deliverUpdate(T old, T obj) {
    for (ResourceEventHandler<T> h : handlers) {
      safely(() -> h.onUpdate(old, obj));
    }
  }

  private void deliverDelete(T obj) {
    for (ResourceEventHandler<T> h : handlers) {
      safely(() -> h.onDelete(obj));
    }
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("a handler of the {} informer failed", lw.describe(), e);
    }
  }

  /** For tests and diagnostics: the handlers registered. */
  List<ResourceEventHandler<T>> handlers() {
    return new ArrayList<>(handlers);
  }
}
