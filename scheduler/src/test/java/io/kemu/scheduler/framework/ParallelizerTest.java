package io.kemu.scheduler.framework;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ParallelizerTest {
  final Parallelizer p = new Parallelizer(4, 100);

  @AfterEach
  void shutdown() {
    p.shutdown();
  }

  @Test
  void everyPieceRunsExactlyOnceAndAllAreDoneOnReturn() {
    for (int round = 0; round < 200; round++) {
      AtomicIntegerArray runs = new AtomicIntegerArray(5000);
      p.until(5000, runs::incrementAndGet);
      for (int i = 0; i < 5000; i++) {
        assertEquals(1, runs.get(i), "piece " + i + " of round " + round);
      }
    }
  }

  @Test
  void fewExpectedPiecesRunOnTheCallingThread() {
    Set<Thread> threads = ConcurrentHashMap.newKeySet();
    AtomicInteger done = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    p.until(5000, 50, i -> {
      threads.add(Thread.currentThread());
      if (done.incrementAndGet() == 50) {
        stop.set(true);
      }
    }, stop);
    assertEquals(Set.of(Thread.currentThread()), threads);
    assertEquals(50, done.get());
  }

  @Test
  void stopEndsTheWorkEarly() {
    AtomicInteger done = new AtomicInteger();
    AtomicBoolean stop = new AtomicBoolean();
    p.until(100_000, i -> {
      if (done.incrementAndGet() >= 1000) {
        stop.set(true);
      }
    }, stop);
    assertTrue(done.get() < 100_000, "stopped after " + done.get());
  }

  @Test
  void aFailureIsRethrownToTheCaller() {
    assertThrows(IllegalStateException.class, () -> p.until(5000, i -> {
      if (i == 4321) {
        throw new IllegalStateException("boom");
      }
    }, new AtomicBoolean()));
  }
}
