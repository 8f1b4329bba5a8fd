package io.kemu.api.client.workqueue;

import io.kemu.api.TimeScale;
import java.time.Duration;

/** client-go's workqueue.TypedRateLimiter: how long an item waits before it is retried. */
public interface RateLimiter<K> {
  /** The wait before the next retry of {@code item}; counts as one more failure. */
  Duration when(K item);

  /** The item succeeded: forget its failures. */
  void forget(K item);

  /** How many times the item has been retried since it was last forgotten. */
  int numRequeues(K item);

  /**
   * DefaultTypedControllerRateLimiter: the slower of a per-item exponential back-off (5 ms doubling to 1000 s)
   * and an overall token bucket (10 qps, burst 100), both in emulated time.
   */
  static <K> RateLimiter<K> defaultControllerRateLimiter(java.time.Clock clock, TimeScale scale) {
    return new MaxOfRateLimiter<>(
        new ItemExponentialFailureRateLimiter<>(scale.real(Duration.ofMillis(5)), scale.real(Duration.ofSeconds(1000))),
        new BucketRateLimiter<>(clock, 10 * scale.factor(), 100));
  }
}
