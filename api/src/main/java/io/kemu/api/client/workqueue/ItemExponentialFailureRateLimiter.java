package io.kemu.api.client.workqueue;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** workqueue.ItemExponentialFailureRateLimiter: base * 2^failures per item, capped. */
public final class ItemExponentialFailureRateLimiter<K> implements RateLimiter<K> {
  private final Duration base;
  private final Duration max;
  private final Map<K, Integer> failures = new HashMap<>();

  public ItemExponentialFailureRateLimiter(Duration base, Duration max) {
    this.base = base;
    this.max = max;
  }

  @Override
  public synchronized Duration when(K item) {
    int exp = failures.getOrDefault(item, 0);
    failures.put(item, exp + 1);
    if (exp >= 62) {
      return max;
    }
    double nanos = base.toNanos() * Math.pow(2, exp);
    return nanos >= max.toNanos() ? max : Duration.ofNanos((long) nanos);
  }

  @Override
  public synchronized void forget(K item) {
    failures.remove(item);
  }

  @Override
  public synchronized int numRequeues(K item) {
    return failures.getOrDefault(item, 0);
  }
}
