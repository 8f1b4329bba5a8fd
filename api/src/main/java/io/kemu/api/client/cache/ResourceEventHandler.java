package io.kemu.api.client.cache;

/**
 * client-go's ResourceEventHandler: called by a {@link SharedIndexInformer} for every change to its store, in
 * order and one at a time, on the informer's stream. Keep it short: compute keys and tell an actor.
 */
public interface ResourceEventHandler<T> {
  /** {@code initialList}: the object was in the first list (or is replayed to a handler added later). */
  default void onAdd(T obj, boolean initialList) {}

  /** Also called after a relist for objects whose resourceVersion changed while the watch was down. */
  default void onUpdate(T oldObj, T newObj) {}

  /** The last state the informer knew (a deletion missed while disconnected surfaces after the relist). */
  default void onDelete(T lastKnown) {}
}
