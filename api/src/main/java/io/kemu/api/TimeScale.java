package io.kemu.api;

import com.typesafe.config.Config;
import java.time.Duration;

/**
 * {@code kemu.time-scale}: every emulated duration (grace periods, probe periods, back-offs, heartbeats,
 * sleeps in container commands) is divided by it, so tests and load runs go fast. Timestamps stay wall-clock.
 */
public record TimeScale(double factor) {
  public static final TimeScale REAL = new TimeScale(1.0);

  public TimeScale {
    if (!(factor > 0) || Double.isInfinite(factor)) {
      throw new IllegalArgumentException("kemu.time-scale must be a positive number, got " + factor);
    }
  }

  public static TimeScale fromConfig(Config config) {
    return config.hasPath("kemu.time-scale") ? new TimeScale(config.getDouble("kemu.time-scale")) : REAL;
  }

  /** Real duration of an emulated one. */
  public Duration real(Duration emulated) {
    if (factor == 1.0) {
      return emulated;
    }
    long nanos = (long) (emulated.toNanos() / factor);
    return Duration.ofNanos(Math.max(nanos, emulated.isZero() ? 0 : 1_000_000));
  }

  public Duration realSeconds(double emulatedSeconds) {
    return real(Duration.ofNanos((long) (emulatedSeconds * 1e9)));
  }

  /** Emulated duration of a real one (e.g. to tell how long a container has been running, in its own time). */
  public Duration emulated(Duration real) {
    return factor == 1.0 ? real : Duration.ofNanos((long) (real.toNanos() * factor));
  }
}
