package io.kemu.controller;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.kemu.api.client.cache.Keys;
import io.kemu.api.client.cache.ResourceEventHandler;
import java.time.Duration;
import java.util.concurrent.CompletionStage;

/**
 * One controller's logic, as kube-controller-manager's controllers are shaped: informer handlers that turn
 * changes into keys on a work queue, and a sync function for one key that reads the informers' caches and writes
 * through the API. {@link QueueController} runs it; tests call {@link #sync} directly.
 */
public interface Reconciler {
  /** The work queue as handlers and syncs see it; safe from any thread. */
  interface Queue {
    void add(String key);

    void addAfter(String key, Duration delay);

    void addRateLimited(String key);

    /**
     * The handler most controllers put on their own kind (client-go's AddFunc/UpdateFunc/DeleteFunc calling
     * enqueue): the object's key on every add, update (the new object) and delete.
     */
    default <T extends HasMetadata> ResourceEventHandler<T> enqueueOnEveryChange() {
      return new ResourceEventHandler<>() {
        @Override
        public void onAdd(T obj, boolean initialList) {
          add(Keys.key(obj));
        }

        @Override
        public void onUpdate(T oldObj, T newObj) {
          add(Keys.key(newObj));
        }

        @Override
        public void onDelete(T lastKnown) {
          add(Keys.key(lastKnown));
        }
      };
    }
  }

  /** The controller's name (logs, the actor's name, its events' source). */
  String name();

  /** Registers the informer handlers (before the informers start). */
  void register(Queue queue);

  /** Brings the object behind {@code key} to its desired state; a failed stage retries with back-off. */
  CompletionStage<Void> sync(String key);

  /** How many keys may be synced at once (never the same key twice): kube-controller-manager's --concurrent-*. */
  default int workers() {
    return 5;
  }
}
