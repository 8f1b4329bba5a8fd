package io.kemu.kubelet;

import com.typesafe.config.Config;
import io.kemu.api.TimeScale;
import java.nio.file.Path;
import java.time.Duration;

/**
 * {@code kemu.kubelet} settings: which nodes this JVM hosts, their capacity, and the emulated durations
 * (divided by kemu.time-scale) of heartbeats and runtime steps.
 */
public record KubeletSettings(int firstNode, int nodeCount, String namePrefix, String cpu, String memory,
                              int maxPods, String ephemeralStorage, Path tokenFile, Duration apiTimeout,
                              Duration statusUpdatePeriod, Duration leaseRenewPeriod, int leaseDurationSeconds,
                              Runtime runtime, TimeScale timeScale) {

  /** Emulated container-runtime latencies. */
  public record Runtime(Duration sandboxCreation, Duration imagePull, Duration containerCreate,
                        Duration containerStart, Duration stopOnTerm, java.util.List<String> unreachableRegistries) {}

  public static KubeletSettings fromConfig(Config root) {
    Config c = root.getConfig("kemu.kubelet");
    Config r = c.getConfig("runtime");
    return new KubeletSettings(c.getInt("first-node"), c.getInt("node-count"), c.getString("node-name-prefix"),
        c.getString("capacity.cpu"), c.getString("capacity.memory"), c.getInt("capacity.pods"),
        c.getString("capacity.ephemeral-storage"), Path.of(c.getString("token-file")), c.getDuration("api-timeout"),
        c.getDuration("status-update-period"), c.getDuration("lease-renew-period"),
        c.getInt("lease-duration-seconds"),
        new Runtime(r.getDuration("sandbox-creation"), r.getDuration("image-pull"), r.getDuration("container-create"),
            r.getDuration("container-start"), r.getDuration("stop-on-term"),
            r.hasPath("unreachable-registries") ? r.getStringList("unreachable-registries") : java.util.List.of()),
        TimeScale.fromConfig(root));
  }

  public String nodeName(int index) {
    return namePrefix + index;
  }
}
