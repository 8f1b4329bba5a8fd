package io.kemu.api.client.workqueue;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * client-go's rate-limited, delaying work queue (workqueue.TypedRateLimitingInterface) as plain logic driven by a
 * {@link Clock}, for one actor to own (not thread-safe):
 * <ul>
 *   <li>a key is queued at most once however often it is added (the dirty set);</li>
 *   <li>a key being processed is never handed out again before {@link #done}; added meanwhile, it is queued again
 *       when it is done;</li>
 *   <li>{@link #addAfter} holds a key until its time (the earliest time wins);</li>
 *   <li>{@link #addRateLimited} retries with the {@link RateLimiter}'s back-off; {@link #forget} resets it.</li>
 * </ul>
 * The owner asks {@link #nextWakeup} to know when a delayed key becomes ready.
 */
public final class WorkQueue<K> {
  private record Waiting<K>(K key, Instant readyAt, long seq) {}

  private final Clock clock;
  private final RateLimiter<K> limiter;
  private final Deque<K> queue = new ArrayDeque<>();
  private final Set<K> dirty = new HashSet<>();
  private final Set<K> processing = new HashSet<>();
  private final PriorityQueue<Waiting<K>> waiting = new PriorityQueue<>((a, b) -> {
    int c = a.readyAt().compareTo(b.readyAt());
    return c != 0 ? c : Long.compare(a.seq(), b.seq());
  });
  private final Map<K, Waiting<K>> waitingByKey = new HashMap<>();
  private long seq;
  private boolean shuttingDown;

  public WorkQueue(Clock clock, RateLimiter<K> limiter) {
    this.clock = clock;
    this.limiter = limiter;
  }

  public void add(K key) {
    if (shuttingDown || dirty.contains(key)) {
      return;
    }
    dirty.add(key);
    if (!processing.contains(key)) {
      queue.addLast(key);
    }
  }

  /** Adds the key once {@code delay} has passed; a key already waiting keeps the earlier of the two times. */
  public void addAfter(K key, Duration delay) {
    if (shuttingDown) {
      return;
    }
    if (delay.isZero() || delay.isNegative()) {
      add(key);
      return;
    }
    Instant readyAt = clock.instant().plus(delay);
    Waiting<K> existing = waitingByKey.get(key);
    if (existing != null) {
      if (!readyAt.isBefore(existing.readyAt())) {
        return;
      }
      waiting.remove(existing);
    }
    Waiting<K> w = new Waiting<>(key, readyAt, seq++);
    waiting.add(w);
    waitingByKey.put(key, w);
  }

  /** Re-adds after the rate limiter's back-off for this key. */
  public void addRateLimited(K key) {
    addAfter(key, limiter.when(key));
  }

  public void forget(K key) {
    limiter.forget(key);
  }

  public int numRequeues(K key) {
    return limiter.numRequeues(key);
  }

  /** The next key to process, or null; the key is processing until {@link #done}. */
  public K poll() {
    promoteDue();
    K key = queue.pollFirst();
    if (key == null) {
      return null;
    }
    processing.add(key);
    dirty.remove(key);
    return key;
  }

  public void done(K key) {
    processing.remove(key);
    if (dirty.contains(key)) {
      queue.addLast(key);
    }
  }

  /** How long until the earliest delayed key is due; empty if none waits. */
  public Optional<Duration> nextWakeup() {
    Waiting<K> first = waiting.peek();
    if (first == null) {
      return Optional.empty();
    }
    Duration d = Duration.between(clock.instant(), first.readyAt());
    return Optional.of(d.isNegative() ? Duration.ZERO : d);
  }

  /** Keys ready to be handed out (not counting the delayed ones). */
  public int len() {
    promoteDue();
    return queue.size();
  }

  public int waitingCount() {
    return waiting.size();
  }

  public boolean isProcessing(K key) {
    return processing.contains(key);
  }

  public int processingCount() {
    return processing.size();
  }

  public void shutDown() {
    shuttingDown = true;
    queue.clear();
    dirty.clear();
    waiting.clear();
    waitingByKey.clear();
  }

  public boolean isShuttingDown() {
    return shuttingDown;
  }

  private void promoteDue() {
    Instant now = clock.instant();
    while (!waiting.isEmpty() && !waiting.peek().readyAt().isAfter(now)) {
      Waiting<K> w = waiting.poll();
      waitingByKey.remove(w.key());
      add(w.key());
    }
  }
}
