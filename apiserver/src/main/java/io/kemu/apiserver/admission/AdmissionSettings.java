package io.kemu.apiserver.admission;

import com.typesafe.config.Config;
import io.kemu.apiserver.admission.plugins.PodSecurity;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.LevelVersion;
import io.kemu.apiserver.admission.podsecurity.PodSecurityPolicy.Policy;
import java.time.Duration;
import java.util.List;
import java.util.Set;

/**
 * The admission plugins' configuration ({@code kemu.apiserver.pod-security} and
 * {@code kemu.apiserver.resource-quota}; defaults in reference.conf), kube's AdmissionConfiguration.
 */
public record AdmissionSettings(PodSecurity.Config podSecurity, Duration quotaSyncPeriod, Duration quotaHoldBack) {
  static final List<String> LEVELS = List.of("privileged", "baseline", "restricted");

  public static AdmissionSettings fromConfig(Config root) {
    Config ps = root.getConfig("kemu.apiserver.pod-security");
    Policy defaults = new Policy(
        levelVersion(ps, "default-enforce", "default-enforce-version"),
        levelVersion(ps, "default-audit", "default-audit-version"),
        levelVersion(ps, "default-warn", "default-warn-version"));
    PodSecurity.Config psc = new PodSecurity.Config(defaults,
        Set.copyOf(ps.getStringList("exemptions.namespaces")),
        Set.copyOf(ps.getStringList("exemptions.usernames")),
        Set.copyOf(ps.getStringList("exemptions.runtime-classes")));
    Config rq = root.getConfig("kemu.apiserver.resource-quota");
    return new AdmissionSettings(psc, rq.getDuration("status-sync-period"), rq.getDuration("charge-hold-back"));
  }

  private static LevelVersion levelVersion(Config c, String levelKey, String versionKey) {
    String level = c.getString(levelKey);
    if (!LEVELS.contains(level)) {
      throw new IllegalArgumentException("kemu.apiserver.pod-security." + levelKey + " must be one of "
          + String.join(", ", LEVELS) + ", not \"" + level + "\"");
    }
    String version = c.getString(versionKey);
    if (!version.equals("latest") && !version.matches("^v1\\.(0|[1-9][0-9]*)$")) {
      throw new IllegalArgumentException("kemu.apiserver.pod-security." + versionKey
          + " must be \"latest\" or \"v1.x\", not \"" + version + "\"");
    }
    return new LevelVersion(level, version);
  }
}
