package io.kemu.scheduler;

import com.typesafe.config.Config;
import io.kemu.api.TimeScale;
import java.nio.file.Path;
import java.time.Duration;

/** {@code kemu.scheduler} settings. Durations are emulated time (divided by kemu.time-scale). */
public record SchedulerSettings(String schedulerName, Path tokenFile, String user, Duration apiTimeout,
                                Duration podInitialBackoff, Duration podMaxBackoff, Duration maxUnschedulable,
                                Duration flushInterval, TimeScale timeScale) {

  public static SchedulerSettings fromConfig(Config root) {
    Config c = root.getConfig("kemu.scheduler");
    TimeScale ts = TimeScale.fromConfig(root);
    return new SchedulerSettings(c.getString("scheduler-name"), Path.of(c.getString("token-file")),
        c.getString("user"), c.getDuration("api-timeout"), ts.real(c.getDuration("pod-initial-backoff")),
        ts.real(c.getDuration("pod-max-backoff")), ts.real(c.getDuration("pod-max-in-unschedulable-pods-duration")),
        ts.real(c.getDuration("flush-interval")), ts);
  }
}
