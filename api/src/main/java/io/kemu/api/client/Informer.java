package io.kemu.api.client;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ListerWatcher;
import io.kemu.api.client.cache.ResourceEventHandler;
import io.kemu.api.client.cache.SharedIndexInformer;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.apache.pekko.stream.Materializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A single-handler informer, kept for the components that started with it: a {@link SharedIndexInformer} of its
 * own (reflector: list, then watch from that resourceVersion, resume after a broken stream, relist on 410 Gone;
 * an indexed store) with one {@link Handler}. New code uses {@code cache.SharedInformerFactory}.
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

  private final SharedIndexInformer<T> informer;

  public Informer(KubeClient client, Class<T> type, String namespace, ListOptions options, Handler<T> handler) {
    this.informer = new SharedIndexInformer<>(ListerWatcher.typed(client, type, namespace, options),
        Materializer.matFromSystem(client.system()));
    informer.addEventHandler(new ResourceEventHandler<>() {
      @Override
      public void onAdd(T obj, boolean initialList) {
        handler.onAdd(obj);
      }

      @Override
      public void onUpdate(T oldObj, T newObj) {
        handler.onUpdate(oldObj, newObj);
      }

      @Override
      public void onDelete(T lastKnown) {
        handler.onDelete(lastKnown);
      }
    });
    informer.synced().thenRun(() -> {
      try {
        handler.onSynced();
      } catch (RuntimeException e) {
        log.error("informer {} handler failed", type.getSimpleName(), e);
      }
    });
  }

  public Informer<T> start() {
    informer.run();
    return this;
  }

  /** Stops for good: the current watch stream is cancelled and nothing is delivered any more. */
  public void stop() {
    informer.stop();
  }

  public CompletableFuture<Void> synced() {
    return informer.synced();
  }

  public boolean hasSynced() {
    return informer.hasSynced();
  }

  public String lastSyncResourceVersion() {
    return informer.lastSyncResourceVersion();
  }

  public static String key(String namespace, String name) {
    return Keys.key(namespace, name);
  }

  public T get(String namespace, String name) {
    return informer.getIndexer().get(namespace, name);
  }

  public List<T> list() {
    return informer.getIndexer().list();
  }

  public int size() {
    return informer.getIndexer().size();
  }
}
