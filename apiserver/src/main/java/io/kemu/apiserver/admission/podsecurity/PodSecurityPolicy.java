package io.kemu.apiserver.admission.podsecurity;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * k8s.io/pod-security-admission/api: levels, versions, and the policy a namespace's
 * {@code pod-security.kubernetes.io/{enforce,audit,warn}[-version]} labels select over the cluster defaults
 * (PolicyToEvaluate).
 */
public final class PodSecurityPolicy {
  private PodSecurityPolicy() {}

  public static final String ENFORCE_LEVEL = "pod-security.kubernetes.io/enforce";
  public static final String ENFORCE_VERSION = "pod-security.kubernetes.io/enforce-version";
  public static final String AUDIT_LEVEL = "pod-security.kubernetes.io/audit";
  public static final String AUDIT_VERSION = "pod-security.kubernetes.io/audit-version";
  public static final String WARN_LEVEL = "pod-security.kubernetes.io/warn";
  public static final String WARN_VERSION = "pod-security.kubernetes.io/warn-version";

  static final List<String> LEVELS = List.of("privileged", "baseline", "restricted");
  private static final Pattern VERSION = Pattern.compile("^v1\\.(0|[1-9][0-9]*)$");

  /** api.LevelVersion; version is "latest" or "v1.N". */
  public record LevelVersion(String level, String version) {
    @Override
    public String toString() {
      return level + ":" + version;
    }
  }

  /** api.Policy */
  public record Policy(LevelVersion enforce, LevelVersion audit, LevelVersion warn) {
    /** FullyPrivileged */
    public boolean fullyPrivileged() {
      return enforce.level().equals("privileged") && audit.level().equals("privileged")
          && warn.level().equals("privileged");
    }
  }

  /** A field error on a label: {@code metadata.labels[<key>]: Invalid value: "<v>": <detail>}. */
  public record LabelError(String label, String value, String detail) {
    public String field() {
      return "metadata.labels[" + label + "]";
    }

    public String message() {
      return field() + ": Invalid value: \"" + value + "\": " + detail;
    }
  }

  /** The policy and the label errors. */
  public record Evaluated(Policy policy, List<LabelError> errors) {}

  static int compare(String a, String b) {
    return Integer.compare(LEVELS.indexOf(a), LEVELS.indexOf(b));
  }

  /** ParseLevel: an invalid level fails closed (restricted). */
  static String parseLevel(String level, List<LabelError> errs, String label) {
    if (LEVELS.contains(level)) {
      return level;
    }
    errs.add(new LabelError(label, level, "must be one of " + String.join(", ", LEVELS)));
    return null;
  }

  /** ParseVersion */
  static String parseVersion(String v, List<LabelError> errs, String label) {
    if (v.isEmpty() || v.equals("latest")) {
      return "latest";
    }
    if (VERSION.matcher(v).matches()) {
      return v;
    }
    errs.add(new LabelError(label, v, "invalid version \"" + v + "\", must be \"latest\" or \"v1.x\""));
    return null;
  }

  /** api.PolicyToEvaluate */
  public static Evaluated toEvaluate(Map<String, String> labels, Policy defaults) {
    List<LabelError> errs = new ArrayList<>();
    if (labels == null || labels.isEmpty()) {
      return new Evaluated(defaults, errs);
    }
    String enforceLevel = defaults.enforce().level();
    String enforceVersion = defaults.enforce().version();
    String auditLevel = defaults.audit().level();
    String auditVersion = defaults.audit().version();
    String warnLevel = defaults.warn().level();
    String warnVersion = defaults.warn().version();
    boolean hasEnforceLevel = false;
    boolean hasWarnLevel = false;
    boolean hasEnforceVersion = false;
    boolean hasWarnVersion = false;
    if (labels.containsKey(ENFORCE_LEVEL)) {
      String l = parseLevel(labels.get(ENFORCE_LEVEL), errs, ENFORCE_LEVEL);
      hasEnforceLevel = l != null; // don't default warn in case of error
      enforceLevel = l == null ? "restricted" : l;
    }
    if (labels.containsKey(ENFORCE_VERSION)) {
      String v = parseVersion(labels.get(ENFORCE_VERSION), errs, ENFORCE_VERSION);
      hasEnforceVersion = v != null;
      enforceVersion = v == null ? "latest" : v;
    }
    if (labels.containsKey(AUDIT_LEVEL)) {
      String l = parseLevel(labels.get(AUDIT_LEVEL), errs, AUDIT_LEVEL);
      auditLevel = l == null ? "privileged" : l; // fail open for audit
    }
    if (labels.containsKey(AUDIT_VERSION)) {
      String v = parseVersion(labels.get(AUDIT_VERSION), errs, AUDIT_VERSION);
      auditVersion = v == null ? "latest" : v;
    }
    if (labels.containsKey(WARN_LEVEL)) {
      hasWarnLevel = true;
      String l = parseLevel(labels.get(WARN_LEVEL), errs, WARN_LEVEL);
      warnLevel = l == null ? "privileged" : l; // fail open for warn
    }
    if (labels.containsKey(WARN_VERSION)) {
      hasWarnVersion = true;
      String v = parseVersion(labels.get(WARN_VERSION), errs, WARN_VERSION);
      warnVersion = v == null ? "latest" : v;
    }
    // Default warn to the enforce level when explicitly set to a more restrictive level.
    if (!hasWarnLevel && hasEnforceLevel && compare(enforceLevel, warnLevel) > 0) {
      warnLevel = enforceLevel;
      if (!hasWarnVersion && hasEnforceVersion) {
        warnVersion = enforceVersion;
      }
    }
    return new Evaluated(new Policy(new LevelVersion(enforceLevel, enforceVersion),
        new LevelVersion(auditLevel, auditVersion), new LevelVersion(warnLevel, warnVersion)), errs);
  }
}
