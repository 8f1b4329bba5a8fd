package io.kemu.apiserver;

import com.typesafe.config.Config;
import java.nio.file.Path;
import java.time.Duration;

/** {@code kemu.apiserver} settings (defaults in reference.conf, overrides in cluster-conf's apiserver.conf). */
public record ApiServerSettings(String host, int port, Path pkiDir, Path tokenFile, Duration storageTimeout,
                                long maxBodyBytes, Duration bodyReadTimeout, Duration eventTtl,
                                int watchCacheWindow, Duration bookmarkInterval, Duration compactionInterval,
                                long notReadyTolerationSeconds, long unreachableTolerationSeconds,
                                String serviceCidr, int maxRequestsInflight, int maxMutatingRequestsInflight) {

  public static ApiServerSettings fromConfig(Config root) {
    Config c = root.getConfig("kemu.apiserver");
    return new ApiServerSettings(c.getString("host"), c.getInt("port"), Path.of(c.getString("pki-dir")),
        Path.of(c.getString("token-file")), c.getDuration("storage-timeout"), c.getBytes("max-body-bytes"),
        c.getDuration("body-read-timeout"), c.getDuration("event-ttl"), c.getInt("watch-cache.window"),
        c.getDuration("watch-cache.bookmark-interval"), c.getDuration("compaction-interval"),
        c.getLong("default-not-ready-toleration-seconds"), c.getLong("default-unreachable-toleration-seconds"),
        c.getString("service-cluster-ip-range"), c.getInt("max-requests-inflight"),
        c.getInt("max-mutating-requests-inflight"));
  }
}
