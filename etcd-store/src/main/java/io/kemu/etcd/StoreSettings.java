package io.kemu.etcd;

import com.typesafe.config.Config;
import io.kemu.api.TimeScale;
import java.time.Duration;

/** {@code kemu.etcd} settings (see etcd.conf in cluster-conf). */
public record StoreSettings(String persistenceId, int snapshotEvery, int keepSnapshots, int watchBuffer,
                            int maxEventsPerWatchResponse, Duration progressNotifyInterval,
                            Duration leaseCheckInterval, TimeScale timeScale) {

  public static StoreSettings fromConfig(Config root) {
    Config c = root.getConfig("kemu.etcd");
    return new StoreSettings(c.getString("persistence-id"), c.getInt("snapshot-every"),
        c.getInt("keep-snapshots"), c.getInt("watch-buffer"), c.getInt("max-events-per-watch-response"),
        c.getDuration("progress-notify-interval"), c.getDuration("lease-check-interval"),
        TimeScale.fromConfig(root));
  }
}
