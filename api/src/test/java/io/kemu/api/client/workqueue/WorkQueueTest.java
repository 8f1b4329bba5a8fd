package io.kemu.api.client.workqueue;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.kemu.api.TimeScale;
import io.kemu.api.client.testing.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** client-go workqueue queue_test.go, delaying_queue_test.go and rate_limiting_queue_test.go, as plain logic. */
class WorkQueueTest {
  final MutableClock clock = new MutableClock(Instant.parse("2026-01-01T00:00:00Z"));
  final WorkQueue<String> q = new WorkQueue<>(clock, RateLimiter.defaultControllerRateLimiter(clock, TimeScale.REAL));

  @Test
  void aKeyIsQueuedOnceHoweverOftenItIsAdded() {
    q.add("a");
    q.add("b");
    q.add("a");
    assertEquals(2, q.len());
    assertEquals("a", q.poll());
    assertEquals("b", q.poll());
    assertNull(q.poll());
  }

  @Test
  void aKeyAddedWhileProcessingComesBackOnceDone() {
    q.add("a");
    assertEquals("a", q.poll());
    q.add("a");
    q.add("a");
    assertNull(q.poll(), "never handed out twice at once");
    q.done("a");
    assertEquals("a", q.poll());
    q.done("a");
    assertNull(q.poll());
  }

  @Test
  void delayedKeysWaitForTheirTimeAndTheEarliestWins() {
    q.addAfter("a", Duration.ofSeconds(10));
    q.addAfter("a", Duration.ofSeconds(5));
    q.addAfter("a", Duration.ofSeconds(8));
    assertEquals(Optional.of(Duration.ofSeconds(5)), q.nextWakeup());
    assertNull(q.poll());
    clock.advance(Duration.ofSeconds(5));
    assertEquals("a", q.poll());
    assertTrue(q.nextWakeup().isEmpty());
  }

  @Test
  void rateLimitedRetriesBackOffExponentiallyUntilForgotten() {
    q.addRateLimited("a");
    assertEquals(Duration.ofMillis(5), q.nextWakeup().orElseThrow());
    clock.advance(Duration.ofMillis(5));
    assertEquals("a", q.poll());
    q.done("a");
    q.addRateLimited("a");
    assertEquals(Duration.ofMillis(10), q.nextWakeup().orElseThrow());
    assertEquals(2, q.numRequeues("a"));
    q.forget("a");
    assertEquals(0, q.numRequeues("a"));
  }

  @Test
  void exponentialBackOffIsCapped() {
    ItemExponentialFailureRateLimiter<String> l = new ItemExponentialFailureRateLimiter<>(Duration.ofMillis(1),
        Duration.ofSeconds(1));
    for (int i = 0; i < 10; i++) {
      l.when("x");
    }
    assertEquals(Duration.ofSeconds(1), l.when("x"));
    for (int i = 0; i < 100; i++) {
      l.when("x");
    }
    assertEquals(Duration.ofSeconds(1), l.when("x"));
  }

  @Test
  void theBucketAllowsABurstThenSpacesItemsOut() {
    BucketRateLimiter<String> b = new BucketRateLimiter<>(clock, 10, 2);
    assertEquals(Duration.ZERO, b.when("a"));
    assertEquals(Duration.ZERO, b.when("b"));
    assertEquals(Duration.ofMillis(100), b.when("c"));
    clock.advance(Duration.ofSeconds(1));
    assertEquals(Duration.ZERO, b.when("d"));
  }

  @Test
  void timeScaleShortensTheBackOff() {
    WorkQueue<String> fast = new WorkQueue<>(clock, RateLimiter.defaultControllerRateLimiter(clock, new TimeScale(5)));
    fast.addRateLimited("a");
    assertEquals(Duration.ofMillis(1), fast.nextWakeup().orElseThrow());
  }
}
