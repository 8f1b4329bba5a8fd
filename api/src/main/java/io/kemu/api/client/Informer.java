package io.kemu.api.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.KubeJson;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import org.apache.pekko.stream.KillSwitches;
import org.apache.pekko.stream.Materializer;
import org.apache.pekko.stream.UniqueKillSwitch;
import org.apache.pekko.stream.javadsl.Keep;
import org.apache.pekko.stream.javadsl.Sink;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * client-go's shared informer in one class: a reflector that lists, then watches from the list's
 * resourceVersion, resumes from the last resourceVersion it saw when a stream ends or breaks (apiserver
 * restart, timeout), and relists on 410 Gone; an indexed local store; and handlers called for every change,
 * in order, one at a time. Deletions missed while disconnected surface as onDelete after the relist.
 */
public final class Informer<T extends HasMetadata> {
  private static final Logger log = LoggerFactory.getLogger(Informer.class);

  /** Called from the informer's stream, sequentially; keep it short (tell an actor). */
  public interface Handler<T> {
    default void onAdd(T obj) {}

    default void onUpdate(T oldObj, T newObj) {}

    default void onDelete(T lastKnown) {}

    /** After the first list has been delivered. */
    default void onSynced() {}
  }

  private final ApiClient client;
  private final Class<T> type;
  private final String namespace;
  private final ListOptions options;
  private final Handler<T> handler;
  private final Materializer materializer;
  private final Map<String, T> store = new ConcurrentHashMap<>();
  private final CompletableFuture<Void> synced = new CompletableFuture<>();
  private volatile String resourceVersion = "";
  private volatile boolean stopped;
  private volatile UniqueKillSwitch killSwitch;
  private long backoffMillis = 200;

  public Informer(ApiClient client, Class<T> type, String namespace, ListOptions options, Handler<T> handler) {
    this.client = client;
    this.type = type;
    this.namespace = namespace;
    this.options = options;
    this.handler = handler;
    this.materializer = Materializer.matFromSystem(client.system());
  }

  public Informer<T> start() {
    relist();
    return this;
  }

  /** Stops for good: the current watch stream is cancelled and nothing is delivered any more. */
  public void stop() {
    stopped = true;
    UniqueKillSwitch k = killSwitch;
    if (k != null) {
      k.shutdown();
    }
  }

  public CompletableFuture<Void> synced() {
    return synced;
  }

  public boolean hasSynced() {
    return synced.isDone();
  }

  public String lastSyncResourceVersion() {
    return resourceVersion;
  }

  public static String key(String namespace, String name) {
    return namespace == null || namespace.isEmpty() ? name : namespace + "/" + name;
  }

  public T get(String namespace, String name) {
    return store.get(key(namespace, name));
  }

  public List<T> list() {
    return new ArrayList<>(store.values());
  }

  public int size() {
    return store.size();
  }

  private void relist() {
    if (stopped) {
      return;
    }
    client.listAll(type, namespace, options.withResourceVersion(null)).whenComplete((list, err) -> {
      if (stopped) {
        return;
      }
      if (err != null) {
        retry("list", err, this::relist);
        return;
      }
      backoffMillis = 200;
      Set<String> seen = new HashSet<>();
      for (T obj : list.items()) {
        String k = key(obj.getMetadata().getNamespace(), obj.getMetadata().getName());
        seen.add(k);
        T old = store.put(k, obj);
        safely(() -> {
          if (old == null) {
            handler.onAdd(obj);
          } else if (!old.getMetadata().getResourceVersion().equals(obj.getMetadata().getResourceVersion())) {
            handler.onUpdate(old, obj);
          }
        });
      }
      for (String k : new ArrayList<>(store.keySet())) {
        if (!seen.contains(k)) {
          T gone = store.remove(k);
          if (gone != null) {
            safely(() -> handler.onDelete(gone));
          }
        }
      }
      resourceVersion = list.resourceVersion();
      if (!synced.isDone()) {
        synced.complete(null);
        safely(handler::onSynced);
      }
      watch();
    });
  }

  private void watch() {
    if (stopped) {
      return;
    }
    client.watch(type, namespace, options.withResourceVersion(resourceVersion).withBookmarks())
        .whenComplete((source, err) -> {
          if (err != null) {
            StatusException se = StatusException.of(err);
            if (se != null && se.isGone()) {
              relist();
            } else {
              retry("watch", err, this::watch);
            }
            return;
          }
          boolean[] gone = new boolean[1];
          var running = source.viaMat(KillSwitches.single(), Keep.right()).toMat(Sink.foreach(e -> {
            if (gone[0] || stopped) {
              return;
            }
            switch (e.type()) {
              case "ADDED", "MODIFIED" -> {
                T obj = e.object();
                T old = store.put(key(obj.getMetadata().getNamespace(), obj.getMetadata().getName()), obj);
                safely(() -> {
                  if (old == null) {
                    handler.onAdd(obj);
                  } else {
                    handler.onUpdate(old, obj);
                  }
                });
              }
              case "DELETED" -> {
                T obj = e.object();
                T old = store.remove(key(obj.getMetadata().getNamespace(), obj.getMetadata().getName()));
                safely(() -> handler.onDelete(old != null ? old : obj));
              }
              case "ERROR" -> {
                int code = KubeJson.tree(e.raw()).path("code").asInt();
                gone[0] = code == 410;
                log.debug("informer {}: watch error {}", type.getSimpleName(), code);
              }
              default -> {
              }
            }
            if (e.resourceVersion() != null && !e.resourceVersion().isEmpty()) {
              resourceVersion = e.resourceVersion();
            }
          }), Keep.both()).run(materializer);
          killSwitch = running.first();
          if (stopped) {
            running.first().shutdown();
          }
          running.second().whenComplete((done, failure) -> {
            if (gone[0]) {
              relist();
            } else if (failure != null) {
              retry("watch stream", failure, this::watch);
            } else {
              backoffMillis = 200;
              watch(); // the server closed it (timeout): continue where it ended
            }
          });
        });
  }

  private void retry(String what, Throwable err, Runnable again) {
    if (stopped) {
      return;
    }
    if (backoffMillis >= 1600) {
      log.info("informer {}: {} keeps failing ({}), retrying in {} ms", type.getSimpleName(), what, err.toString(),
          backoffMillis);
    } else {
      log.debug("informer {}: {} failed ({}), retrying in {} ms", type.getSimpleName(), what, err.toString(),
          backoffMillis);
    }
    long delay = backoffMillis;
    backoffMillis = Math.min(backoffMillis * 2, 5000);
    CompletableFuture.delayedExecutor(delay, TimeUnit.MILLISECONDS).execute(again);
  }

  private void safely(Runnable r) {
    try {
      r.run();
    } catch (RuntimeException e) {
      log.error("informer {} handler failed", type.getSimpleName(), e);
    }
  }

}
