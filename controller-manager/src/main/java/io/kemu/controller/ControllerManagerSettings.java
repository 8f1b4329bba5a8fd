package io.kemu.controller;

import com.typesafe.config.Config;
import io.kemu.api.TimeScale;
import java.nio.file.Path;
import java.time.Duration;

/** {@code kemu.controller-manager} settings; durations are emulated time. */
public record ControllerManagerSettings(Path tokenFile, String user, Duration apiTimeout, Duration namespaceResync,
                                        TimeScale timeScale) {

  public static ControllerManagerSettings fromConfig(Config root) {
    Config c = root.getConfig("kemu.controller-manager");
    TimeScale ts = TimeScale.fromConfig(root);
    return new ControllerManagerSettings(Path.of(c.getString("token-file")), c.getString("user"),
        c.getDuration("api-timeout"), ts.real(c.getDuration("namespace-resync")), ts);
  }
}
