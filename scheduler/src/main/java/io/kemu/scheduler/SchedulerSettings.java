package io.kemu.scheduler;

import com.typesafe.config.Config;
import io.kemu.api.TimeScale;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** {@code kemu.scheduler} settings. Durations are emulated time, already divided by kemu.time-scale here. */
public record SchedulerSettings(Path tokenFile, String user, Duration apiTimeout, String host, int port,
                                Duration podInitialBackoff, Duration podMaxBackoff, Duration maxUnschedulable,
                                Duration backoffFlushInterval, Duration unschedulableFlushInterval,
                                int percentageOfNodesToScore, int parallelism, int parallelMinNodes,
                                int bindingConcurrency, int bindingRetries, boolean leaderElect,
                                int leaseDurationSeconds, Duration leaseDuration, Duration renewDeadline,
                                Duration retryPeriod, String leaseNamespace, String leaseName,
                                boolean recordScheduledEvents, List<? extends Config> profiles, TimeScale timeScale) {

  public static SchedulerSettings fromConfig(Config root) {
    Config c = root.getConfig("kemu.scheduler");
    TimeScale ts = TimeScale.fromConfig(root);
    return new SchedulerSettings(Path.of(c.getString("token-file")), c.getString("user"),
        c.getDuration("api-timeout"), c.getString("host"), c.getInt("port"),
        ts.real(c.getDuration("pod-initial-backoff")), ts.real(c.getDuration("pod-max-backoff")),
        ts.real(c.getDuration("pod-max-in-unschedulable-pods-duration")),
        ts.real(c.getDuration("backoff-flush-interval")), ts.real(c.getDuration("unschedulable-flush-interval")),
        c.getInt("percentage-of-nodes-to-score"), c.getInt("parallelism"), c.getInt("parallel-min-nodes"),
        c.getInt("binding-concurrency"), c.getInt("binding-retries"), c.getBoolean("leader-elect"),
        (int) c.getDuration("leader-elect-lease-duration").toSeconds(),
        ts.real(c.getDuration("leader-elect-lease-duration")), ts.real(c.getDuration("leader-elect-renew-deadline")),
        ts.real(c.getDuration("leader-elect-retry-period")), c.getString("leader-elect-resource-namespace"),
        c.getString("leader-elect-resource-name"), c.getBoolean("record-scheduled-events"),
        c.getConfigList("profiles"), ts);
  }
}
