package io.kemu.api.client.workqueue;

import java.time.Clock;
import java.time.Duration;

/**
 * workqueue.BucketRateLimiter over golang.org/x/time/rate: a token bucket of {@code burst} tokens refilled at
 * {@code qps}; each item reserves a token and waits until it is due. Not per item.
 */
public final class BucketRateLimiter<K> implements RateLimiter<K> {
  private final Clock clock;
  private final double qps;
  private final int burst;
  private double tokens;
  private long lastNanos;

  public BucketRateLimiter(Clock clock, double qps, int burst) {
    this.clock = clock;
    this.qps = qps;
    this.burst = burst;
    this.tokens = burst;
    this.lastNanos = nanos();
  }

  private long nanos() {
    java.time.Instant now = clock.instant();
    return now.getEpochSecond() * 1_000_000_000L + now.getNano();
  }

  @Override
  public synchronized Duration when(K item) {
    long now = nanos();
    tokens = Math.min(burst, tokens + (now - lastNanos) / 1e9 * qps);
    lastNanos = now;
    tokens -= 1;
    if (tokens >= 0) {
      return Duration.ZERO;
    }
    return Duration.ofNanos((long) (-tokens / qps * 1e9));
  }

  @Override
  public void forget(K item) {}

  @Override
  public int numRequeues(K item) {
    return 0;
  }
}
