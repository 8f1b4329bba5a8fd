package io.kemu.kubelet.pod;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

/**
 * client-go's flowcontrol.Backoff as the kubelet uses it for CrashLoopBackOff and ImagePullBackOff: per key, an
 * initial delay doubling to a cap; an entry not touched for twice the cap starts over (a container that ran 10
 * minutes). Durations are emulated; instants are emulated instants too (the caller's clock, scaled).
 */
public final class BackOff {
  public static final Duration INITIAL = Duration.ofSeconds(10);
  public static final Duration MAX = Duration.ofSeconds(300);

  private record Entry(Duration backoff, Instant lastUpdate) {}

  private final Duration initial;
  private final Duration max;
  private final Map<String, Entry> entries = new HashMap<>();

  public BackOff(Duration initial, Duration max) {
    this.initial = initial;
    this.max = max;
  }

  public BackOff() {
    this(INITIAL, MAX);
  }

  /** Next: the first call (or after expiry) sets the initial delay, later ones double it up to the cap. */
  public void next(String key, Instant now) {
    Entry e = entries.get(key);
    if (e == null || expired(now, e)) {
      entries.put(key, new Entry(initial, now));
    } else {
      Duration d = e.backoff.multipliedBy(2);
      entries.put(key, new Entry(d.compareTo(max) > 0 ? max : d, now));
    }
  }

  /** IsInBackOffSince: whether less than the current delay has passed since {@code event} (the last exit). */
  public boolean isInBackOffSince(String key, Instant event, Instant now) {
    Entry e = entries.get(key);
    if (e == null || expired(event, e)) {
      return false;
    }
    return Duration.between(event, now).compareTo(e.backoff) < 0;
  }

  /** The current delay of a key (zero if none). */
  public Duration get(String key) {
    Entry e = entries.get(key);
    return e == null ? Duration.ZERO : e.backoff;
  }

  public void reset(String key) {
    entries.remove(key);
  }

  private boolean expired(Instant at, Entry e) {
    return Duration.between(e.lastUpdate, at).compareTo(max.multipliedBy(2)) > 0;
  }
}
