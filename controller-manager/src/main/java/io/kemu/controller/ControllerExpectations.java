package io.kemu.controller;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;

/**
 * pkg/controller's ControllerExpectations with UIDTrackingControllerExpectations: per controller key, how many
 * creations and deletions it still waits to see in its informer. While some are outstanding the controller does
 * not act again on the key (it would count stale caches and over-create). Deletions are tracked by pod key, so
 * that a deletion seen twice (graceful deletion, then the removal) counts once. Expectations older than the
 * timeout (5 minutes, emulated) are ignored, so that a lost watch event cannot wedge a controller.
 */
public final class ControllerExpectations {
  private static final class Expectation {
    long add;
    long del;
    Instant timestamp;

    boolean fulfilled() {
      return add <= 0 && del <= 0;
    }
  }

  private final Clock clock;
  private final Duration timeout;
  private final Map<String, Expectation> expectations = new HashMap<>();
  private final Map<String, Set<String>> deletions = new HashMap<>();

  /** {@code timeout}: ExpectationsTimeout as a real duration (5 minutes through the time scale). */
  public ControllerExpectations(Clock clock, Duration timeout) {
    this.clock = clock;
    this.timeout = timeout;
  }

  /** SatisfiedExpectations: true when nothing is outstanding, the expectations expired, or there are none. */
  public synchronized boolean satisfied(String key) {
    Expectation e = expectations.get(key);
    if (e == null) {
      return true;
    }
    if (e.fulfilled()) {
      return true;
    }
    return Duration.between(e.timestamp, clock.instant()).compareTo(timeout) > 0;
  }

  public synchronized void expectCreations(String key, int adds) {
    set(key, adds, 0);
  }

  /** ExpectDeletions of UIDTrackingControllerExpectations: remembers which pods. */
  public synchronized void expectDeletions(String key, Collection<String> podKeys) {
    deletions.put(key, new HashSet<>(podKeys));
    set(key, 0, podKeys.size());
  }

  private void set(String key, long add, long del) {
    Expectation e = new Expectation();
    e.add = add;
    e.del = del;
    e.timestamp = clock.instant();
    expectations.put(key, e);
  }

  public synchronized void creationObserved(String key) {
    lower(key, 1, 0);
  }

  /** A pod of this controller was seen deleted (or being deleted); counted once per pod. */
  public synchronized void deletionObserved(String key, String podKey) {
    Set<String> pending = deletions.get(key);
    if (pending != null && pending.remove(podKey)) {
      lower(key, 0, 1);
    }
  }

  private void lower(String key, long add, long del) {
    Expectation e = expectations.get(key);
    if (e != null) {
      e.add -= add;
      e.del -= del;
    }
  }

  public synchronized void delete(String key) {
    expectations.remove(key);
    deletions.remove(key);
  }

  /** For tests and logs: the outstanding creations and deletions, or null. */
  public synchronized long[] outstanding(String key) {
    Expectation e = expectations.get(key);
    return e == null ? null : new long[] {e.add, e.del};
  }
}
