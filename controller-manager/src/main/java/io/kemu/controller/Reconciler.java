package io.kemu.controller;

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
