package io.kemu.apiserver.admission.podsecurity;

import io.fabric8.kubernetes.api.model.Capabilities;
import io.fabric8.kubernetes.api.model.Container;
import io.kemu.apiserver.podutil.PodUtil;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.SELinuxOptions;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Volume;
import io.kemu.api.KubeJson;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.BiFunction;

/**
 * The Pod Security Standards checks of k8s.io/pod-security-admission/policy at policy version latest (kube 1.32),
 * with upstream's reasons and details word for word, and the registry's order: baseline checks sorted by ID, then
 * restricted checks sorted by ID; the restricted level drops the baseline checks its own checks override
 * (capabilities_baseline, hostPathVolumes, seccompProfile_baseline).
 */
public final class PodSecurityChecks {
  private PodSecurityChecks() {}

  /** CheckResult */
  public record Result(boolean allowed, String reason, String detail) {
    static final Result OK = new Result(true, "", "");

    static Result forbidden(String reason, String detail) {
      return new Result(false, reason, detail);
    }
  }

  /** AggregateCheckResult */
  public record Aggregate(List<String> reasons, List<String> details) {
    public boolean allowed() {
      return reasons.isEmpty();
    }

    /** ForbiddenReason: the reasons, comma-separated. */
    public String forbiddenReason() {
      return String.join(", ", reasons);
    }

    /** ForbiddenDetail: {@code reason (detail), reason, ...} */
    public String forbiddenDetail() {
      StringBuilder b = new StringBuilder();
      for (int i = 0; i < reasons.size(); i++) {
        b.append(reasons.get(i));
        if (!details.get(i).isEmpty()) {
          b.append(" (").append(details.get(i)).append(")");
        }
        if (i != reasons.size() - 1) {
          b.append(", ");
        }
      }
      return b.toString();
    }
  }

  /** One check: its ID and the pod function. */
  record Check(String id, BiFunction<ObjectMeta, PodSpec, Result> fn) {}

  static final List<Check> BASELINE = List.of(
      new Check("appArmorProfile", PodSecurityChecks::appArmorProfile),
      new Check("capabilities_baseline", PodSecurityChecks::capabilitiesBaseline),
      new Check("hostNamespaces", PodSecurityChecks::hostNamespaces),
      new Check("hostPathVolumes", PodSecurityChecks::hostPathVolumes),
      new Check("hostPorts", PodSecurityChecks::hostPorts),
      new Check("privileged", PodSecurityChecks::privileged),
      new Check("procMount", PodSecurityChecks::procMount),
      new Check("seLinuxOptions", PodSecurityChecks::seLinuxOptions),
      new Check("seccompProfile_baseline", PodSecurityChecks::seccompProfileBaseline),
      new Check("sysctls", PodSecurityChecks::sysctls),
      new Check("windowsHostProcess", PodSecurityChecks::windowsHostProcess));

  static final List<Check> RESTRICTED_ONLY = List.of(
      new Check("allowPrivilegeEscalation", PodSecurityChecks::allowPrivilegeEscalation),
      new Check("capabilities_restricted", PodSecurityChecks::capabilitiesRestricted),
      new Check("restrictedVolumes", PodSecurityChecks::restrictedVolumes),
      new Check("runAsNonRoot", PodSecurityChecks::runAsNonRoot),
      new Check("runAsUser", PodSecurityChecks::runAsUser),
      new Check("seccompProfile_restricted", PodSecurityChecks::seccompProfileRestricted));

  static final Set<String> OVERRIDDEN_BY_RESTRICTED = Set.of("capabilities_baseline", "hostPathVolumes",
      "seccompProfile_baseline");

  static final List<Check> RESTRICTED;

  static {
    List<Check> r = new ArrayList<>();
    for (Check c : BASELINE) {
      if (!OVERRIDDEN_BY_RESTRICTED.contains(c.id())) {
        r.add(c);
      }
    }
    r.addAll(RESTRICTED_ONLY);
    RESTRICTED = List.copyOf(r);
  }

  /** checkRegistry.EvaluatePod + AggregateCheckResults */
  public static Aggregate evaluate(String level, ObjectMeta meta, PodSpec spec) {
    List<Check> checks = switch (level) {
      case "baseline" -> BASELINE;
      case "restricted" -> RESTRICTED;
      default -> List.of();
    };
    ObjectMeta m = meta == null ? new ObjectMeta() : meta;
    PodSpec s = spec == null ? new PodSpec() : spec;
    List<String> reasons = new ArrayList<>();
    List<String> details = new ArrayList<>();
    for (Check c : checks) {
      Result r = c.fn().apply(m, s);
      if (!r.allowed()) {
        reasons.add(r.reason() == null || r.reason().isEmpty() ? "unknown forbidden reason" : r.reason());
        details.add(r.detail() == null ? "" : r.detail());
      }
    }
    return new Aggregate(reasons, details);
  }

  // ------------------------------------------------------------------ helpers (helpers.go, visitor.go)

  static String joinQuote(List<String> items) {
    if (items.isEmpty()) {
      return "";
    }
    return "\"" + String.join("\", \"", items) + "\"";
  }

  static String pluralize(String singular, String plural, int count) {
    return count == 1 ? singular : plural;
  }

  private static SecurityContext sc(Container c) {
    return c.getSecurityContext();
  }

  private static PodSecurityContext psc(PodSpec s) {
    return s.getSecurityContext();
  }

  private static boolean isWindows(PodSpec s) {
    return s.getOs() != null && "windows".equals(s.getOs().getName());
  }

  private static String setters(List<String> badSetters, List<String> badContainers) {
    List<String> all = new ArrayList<>(badSetters);
    if (!badContainers.isEmpty()) {
      all.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
    }
    return String.join(" and ", all);
  }

  // ------------------------------------------------------------------ baseline

  /** check_appArmorProfile.go */
  static Result appArmorProfile(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badValues = new TreeSet<>();
    if (psc(spec) != null && psc(spec).getAppArmorProfile() != null
        && !allowedAppArmorType(psc(spec).getAppArmorProfile().getType())) {
      badSetters.add("pod");
      badValues.add(psc(spec).getAppArmorProfile().getType());
    }
    List<String> badContainers = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getAppArmorProfile() != null
          && !allowedAppArmorType(sc(c).getAppArmorProfile().getType())) {
        badContainers.add(c.getName());
        badValues.add(sc(c).getAppArmorProfile().getType());
      }
    }
    if (!badContainers.isEmpty()) {
      badSetters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
    }
    List<String> forbiddenAnnotations = new ArrayList<>();
    if (meta.getAnnotations() != null) {
      for (Map.Entry<String, String> e : meta.getAnnotations().entrySet()) {
        if (e.getKey().startsWith("container.apparmor.security.beta.kubernetes.io/")
            && !allowedAppArmorAnnotation(e.getValue())) {
          forbiddenAnnotations.add(e.getKey() + "=" + goQuote(e.getValue()));
        }
      }
    }
    List<String> badValueList = new ArrayList<>(badValues);
    if (!forbiddenAnnotations.isEmpty()) {
      forbiddenAnnotations.sort(null);
      badValueList.addAll(forbiddenAnnotations);
      badSetters.add(pluralize("annotation", "annotations", forbiddenAnnotations.size()));
    }
    if (!badSetters.isEmpty()) {
      return Result.forbidden(pluralize("forbidden AppArmor profile", "forbidden AppArmor profiles",
          badValueList.size()), String.join(" and ", badSetters) + " must not set AppArmor profile type to "
          + joinQuote(badValueList));
    }
    return Result.OK;
  }

  private static boolean allowedAppArmorType(String t) {
    return "RuntimeDefault".equals(t) || "Localhost".equals(t);
  }

  private static boolean allowedAppArmorAnnotation(String v) {
    return v == null || v.isEmpty() || v.equals("runtime/default") || v.startsWith("localhost/");
  }

  static final Set<String> CAPABILITIES_ALLOWED = Set.of("AUDIT_WRITE", "CHOWN", "DAC_OVERRIDE", "FOWNER",
      "FSETID", "KILL", "MKNOD", "NET_BIND_SERVICE", "SETFCAP", "SETGID", "SETPCAP", "SETUID", "SYS_CHROOT");

  /** check_capabilities_baseline.go */
  static Result capabilitiesBaseline(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    TreeSet<String> nonDefault = new TreeSet<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getCapabilities() != null) {
        boolean valid = true;
        for (String cap : list(sc(c).getCapabilities().getAdd())) {
          if (!CAPABILITIES_ALLOWED.contains(cap)) {
            valid = false;
            nonDefault.add(cap);
          }
        }
        if (!valid) {
          badContainers.add(c.getName());
        }
      }
    }
    if (!badContainers.isEmpty()) {
      return Result.forbidden("non-default capabilities", pluralize("container", "containers", badContainers.size())
          + " " + joinQuote(badContainers) + " must not include " + joinQuote(new ArrayList<>(nonDefault))
          + " in securityContext.capabilities.add");
    }
    return Result.OK;
  }

  /** check_hostNamespaces.go */
  static Result hostNamespaces(ObjectMeta meta, PodSpec spec) {
    TreeSet<String> ns = new TreeSet<>();
    if (Boolean.TRUE.equals(spec.getHostNetwork())) {
      ns.add("hostNetwork");
    }
    if (Boolean.TRUE.equals(spec.getHostPID())) {
      ns.add("hostPID");
    }
    if (Boolean.TRUE.equals(spec.getHostIPC())) {
      ns.add("hostIPC");
    }
    if (!ns.isEmpty()) {
      return Result.forbidden("host namespaces", String.join(", ", ns));
    }
    return Result.OK;
  }

  /** check_hostPathVolumes.go */
  static Result hostPathVolumes(ObjectMeta meta, PodSpec spec) {
    List<String> hostVolumes = new ArrayList<>();
    for (Volume v : list(spec.getVolumes())) {
      if (v.getHostPath() != null) {
        hostVolumes.add(v.getName());
      }
    }
    if (!hostVolumes.isEmpty()) {
      return Result.forbidden("hostPath volumes", pluralize("volume", "volumes", hostVolumes.size()) + " "
          + joinQuote(hostVolumes));
    }
    return Result.OK;
  }

  /** check_hostPorts.go */
  static Result hostPorts(ObjectMeta meta, PodSpec spec) {
    List<String> badContainers = new ArrayList<>();
    TreeSet<String> ports = new TreeSet<>();
    for (Container c : PodUtil.allContainers(spec)) {
      boolean valid = true;
      for (ContainerPort p : list(c.getPorts())) {
        if (p.getHostPort() != null && p.getHostPort() != 0) {
          valid = false;
          ports.add(Integer.toString(p.getHostPort()));
        }
      }
      if (!valid) {
        badContainers.add(c.getName());
      }
    }
    if (!badContainers.isEmpty()) {
      return Result.forbidden("hostPort", pluralize("container", "containers", badContainers.size()) + " "
          + joinQuote(badContainers) + " " + pluralize("uses", "use", badContainers.size()) + " "
          + pluralize("hostPort", "hostPorts", ports.size()) + " " + String.join(", ", ports));
    }
    return Result.OK;
  }

  /** check_privileged.go */
  static Result privileged(ObjectMeta meta, PodSpec spec) {
    List<String> bad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && Boolean.TRUE.equals(sc(c).getPrivileged())) {
        bad.add(c.getName());
      }
    }
    if (!bad.isEmpty()) {
      return Result.forbidden("privileged", pluralize("container", "containers", bad.size()) + " " + joinQuote(bad)
          + " must not set securityContext.privileged=true");
    }
    return Result.OK;
  }

  /** check_procMount.go (UserNamespacesPodSecurityStandards off) */
  static Result procMount(ObjectMeta meta, PodSpec spec) {
    List<String> bad = new ArrayList<>();
    TreeSet<String> types = new TreeSet<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) == null || sc(c).getProcMount() == null) {
        continue;
      }
      if (!"Default".equals(sc(c).getProcMount())) {
        bad.add(c.getName());
        types.add(sc(c).getProcMount());
      }
    }
    if (!bad.isEmpty()) {
      return Result.forbidden("procMount", pluralize("container", "containers", bad.size()) + " " + joinQuote(bad)
          + " must not set securityContext.procMount to " + joinQuote(new ArrayList<>(types)));
    }
    return Result.OK;
  }

  /** selinuxAllowedTypes1_31 */
  static final Set<String> SELINUX_TYPES = Set.of("", "container_t", "container_init_t", "container_kvm_t",
      "container_engine_t");

  /** check_seLinuxOptions.go */
  static Result seLinuxOptions(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badTypes = new TreeSet<>();
    boolean[] setUserRole = {false, false};
    java.util.function.Predicate<SELinuxOptions> valid = o -> {
      boolean ok = true;
      String type = o.getType() == null ? "" : o.getType();
      if (!SELINUX_TYPES.contains(type)) {
        ok = false;
        badTypes.add(type);
      }
      if (o.getUser() != null && !o.getUser().isEmpty()) {
        ok = false;
        setUserRole[0] = true;
      }
      if (o.getRole() != null && !o.getRole().isEmpty()) {
        ok = false;
        setUserRole[1] = true;
      }
      return ok;
    };
    if (psc(spec) != null && psc(spec).getSeLinuxOptions() != null && !valid.test(psc(spec).getSeLinuxOptions())) {
      badSetters.add("pod");
    }
    List<String> badContainers = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getSeLinuxOptions() != null && !valid.test(sc(c).getSeLinuxOptions())) {
        badContainers.add(c.getName());
      }
    }
    if (!badContainers.isEmpty()) {
      badSetters.add(pluralize("container", "containers", badContainers.size()) + " " + joinQuote(badContainers));
    }
    if (!badSetters.isEmpty()) {
      List<String> badData = new ArrayList<>();
      if (!badTypes.isEmpty()) {
        badData.add(pluralize("type", "types", badTypes.size()) + " " + joinQuote(new ArrayList<>(badTypes)));
      }
      if (setUserRole[0]) {
        badData.add("user may not be set");
      }
      if (setUserRole[1]) {
        badData.add("role may not be set");
      }
      return Result.forbidden("seLinuxOptions", String.join(" and ", badSetters)
          + " set forbidden securityContext.seLinuxOptions: " + String.join("; ", badData));
    }
    return Result.OK;
  }

  private static boolean validSeccomp(String t) {
    return "Localhost".equals(t) || "RuntimeDefault".equals(t);
  }

  /** check_seccompProfile_baseline.go (seccompProfileBaseline_1_19) */
  static Result seccompProfileBaseline(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badValues = new TreeSet<>();
    if (psc(spec) != null && psc(spec).getSeccompProfile() != null
        && !validSeccomp(psc(spec).getSeccompProfile().getType())) {
      badSetters.add("pod");
      badValues.add(String.valueOf(psc(spec).getSeccompProfile().getType()));
    }
    List<String> bad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getSeccompProfile() != null && !validSeccomp(sc(c).getSeccompProfile().getType())) {
        bad.add(c.getName());
        badValues.add(String.valueOf(sc(c).getSeccompProfile().getType()));
      }
    }
    if (!badSetters.isEmpty() || !bad.isEmpty()) {
      return Result.forbidden("seccompProfile", setters(badSetters, bad)
          + " must not set securityContext.seccompProfile.type to " + joinQuote(new ArrayList<>(badValues)));
    }
    return Result.OK;
  }

  /** sysctlsAllowedV1Dot32 */
  static final Set<String> SYSCTLS_ALLOWED = Set.of("kernel.shm_rmid_forced", "net.ipv4.ip_local_port_range",
      "net.ipv4.tcp_syncookies", "net.ipv4.ping_group_range", "net.ipv4.ip_unprivileged_port_start",
      "net.ipv4.ip_local_reserved_ports", "net.ipv4.tcp_keepalive_time", "net.ipv4.tcp_fin_timeout",
      "net.ipv4.tcp_keepalive_intvl", "net.ipv4.tcp_keepalive_probes", "net.ipv4.tcp_rmem", "net.ipv4.tcp_wmem");

  /** check_sysctls.go */
  static Result sysctls(ObjectMeta meta, PodSpec spec) {
    List<String> forbidden = new ArrayList<>();
    if (psc(spec) != null) {
      for (Sysctl s : list(psc(spec).getSysctls())) {
        if (!SYSCTLS_ALLOWED.contains(s.getName())) {
          forbidden.add(s.getName());
        }
      }
    }
    if (!forbidden.isEmpty()) {
      return Result.forbidden("forbidden sysctls", String.join(", ", forbidden));
    }
    return Result.OK;
  }

  /** check_windowsHostProcess.go */
  static Result windowsHostProcess(ObjectMeta meta, PodSpec spec) {
    List<String> bad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getWindowsOptions() != null
          && Boolean.TRUE.equals(sc(c).getWindowsOptions().getHostProcess())) {
        bad.add(c.getName());
      }
    }
    List<String> setters = new ArrayList<>();
    if (psc(spec) != null && psc(spec).getWindowsOptions() != null
        && Boolean.TRUE.equals(psc(spec).getWindowsOptions().getHostProcess())) {
      setters.add("pod");
    }
    if (!setters.isEmpty() || !bad.isEmpty()) {
      return Result.forbidden("hostProcess", setters(setters, bad)
          + " must not set securityContext.windowsOptions.hostProcess=true");
    }
    return Result.OK;
  }

  // ------------------------------------------------------------------ restricted

  /** check_allowPrivilegeEscalation.go (allowPrivilegeEscalationV1Dot25: Windows pods exempt) */
  static Result allowPrivilegeEscalation(ObjectMeta meta, PodSpec spec) {
    if (isWindows(spec)) {
      return Result.OK;
    }
    List<String> bad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) == null || sc(c).getAllowPrivilegeEscalation() == null || sc(c).getAllowPrivilegeEscalation()) {
        bad.add(c.getName());
      }
    }
    if (!bad.isEmpty()) {
      return Result.forbidden("allowPrivilegeEscalation != false", pluralize("container", "containers", bad.size())
          + " " + joinQuote(bad) + " must set securityContext.allowPrivilegeEscalation=false");
    }
    return Result.OK;
  }

  /** check_capabilities_restricted.go (CapabilitiesRestrictedV1Dot25: Windows pods exempt) */
  static Result capabilitiesRestricted(ObjectMeta meta, PodSpec spec) {
    if (isWindows(spec)) {
      return Result.OK;
    }
    List<String> missingDropAll = new ArrayList<>();
    List<String> addingForbidden = new ArrayList<>();
    TreeSet<String> forbiddenCaps = new TreeSet<>();
    for (Container c : PodUtil.allContainers(spec)) {
      Capabilities caps = sc(c) == null ? null : sc(c).getCapabilities();
      if (caps == null) {
        missingDropAll.add(c.getName());
        continue;
      }
      if (!list(caps.getDrop()).contains("ALL")) {
        missingDropAll.add(c.getName());
      }
      boolean added = false;
      for (String cap : list(caps.getAdd())) {
        if (!"NET_BIND_SERVICE".equals(cap)) {
          added = true;
          forbiddenCaps.add(cap);
        }
      }
      if (added) {
        addingForbidden.add(c.getName());
      }
    }
    List<String> details = new ArrayList<>();
    if (!missingDropAll.isEmpty()) {
      details.add(pluralize("container", "containers", missingDropAll.size()) + " " + joinQuote(missingDropAll)
          + " must set securityContext.capabilities.drop=[\"ALL\"]");
    }
    if (!addingForbidden.isEmpty()) {
      details.add(pluralize("container", "containers", addingForbidden.size()) + " " + joinQuote(addingForbidden)
          + " must not include " + joinQuote(new ArrayList<>(forbiddenCaps)) + " in securityContext.capabilities.add");
    }
    if (!details.isEmpty()) {
      return Result.forbidden("unrestricted capabilities", String.join("; ", details));
    }
    return Result.OK;
  }

  /** check_restrictedVolumes.go: the volume sources a restricted pod may use, and the field names of the others. */
  static Result restrictedVolumes(ObjectMeta meta, PodSpec spec) {
    List<String> badVolumes = new ArrayList<>();
    TreeSet<String> badTypes = new TreeSet<>();
    for (Volume v : list(spec.getVolumes())) {
      if (v.getConfigMap() != null || v.getCsi() != null || v.getDownwardAPI() != null || v.getEmptyDir() != null
          || v.getEphemeral() != null || v.getPersistentVolumeClaim() != null || v.getProjected() != null
          || v.getSecret() != null) {
        continue;
      }
      badVolumes.add(v.getName());
      String type = null;
      Map<String, Object> fields = KubeJson.MAPPER.convertValue(v,
          KubeJson.MAPPER.getTypeFactory().constructMapType(Map.class, String.class, Object.class));
      for (Iterator<String> it = fields.keySet().iterator(); it.hasNext() && type == null; ) {
        String k = it.next();
        if (RESTRICTED_VOLUME_FIELDS.contains(k) && fields.get(k) != null) {
          type = k;
        }
      }
      badTypes.add(type == null ? "unknown" : type);
    }
    if (!badVolumes.isEmpty()) {
      return Result.forbidden("restricted volume types", pluralize("volume", "volumes", badVolumes.size()) + " "
          + joinQuote(badVolumes) + " " + pluralize("uses", "use", badVolumes.size()) + " "
          + pluralize("restricted volume type", "restricted volume types", badTypes.size()) + " "
          + joinQuote(new ArrayList<>(badTypes)));
    }
    return Result.OK;
  }

  static final Set<String> RESTRICTED_VOLUME_FIELDS = Set.of("hostPath", "gcePersistentDisk",
      "awsElasticBlockStore", "gitRepo", "nfs", "iscsi", "glusterfs", "rbd", "flexVolume", "cinder", "cephfs",
      "flocker", "fc", "azureFile", "vsphereVolume", "quobyte", "azureDisk", "portworxVolume", "photonPersistentDisk",
      "scaleIO", "storageos", "image");

  /** check_runAsNonRoot.go */
  static Result runAsNonRoot(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    boolean podRunAsNonRoot = false;
    if (psc(spec) != null && psc(spec).getRunAsNonRoot() != null) {
      if (!psc(spec).getRunAsNonRoot()) {
        badSetters.add("pod");
      } else {
        podRunAsNonRoot = true;
      }
    }
    List<String> explicitlyBad = new ArrayList<>();
    List<String> implicitlyBad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getRunAsNonRoot() != null) {
        if (!sc(c).getRunAsNonRoot()) {
          explicitlyBad.add(c.getName());
        }
      } else if (!podRunAsNonRoot) {
        implicitlyBad.add(c.getName());
      }
    }
    if (!badSetters.isEmpty() || !explicitlyBad.isEmpty()) {
      return Result.forbidden("runAsNonRoot != true", setters(badSetters, explicitlyBad)
          + " must not set securityContext.runAsNonRoot=false");
    }
    if (!implicitlyBad.isEmpty()) {
      return Result.forbidden("runAsNonRoot != true", "pod or " + pluralize("container", "containers",
          implicitlyBad.size()) + " " + joinQuote(implicitlyBad) + " must set securityContext.runAsNonRoot=true");
    }
    return Result.OK;
  }

  /** check_runAsUser.go */
  static Result runAsUser(ObjectMeta meta, PodSpec spec) {
    List<String> badSetters = new ArrayList<>();
    if (psc(spec) != null && psc(spec).getRunAsUser() != null && psc(spec).getRunAsUser() == 0) {
      badSetters.add("pod");
    }
    List<String> bad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getRunAsUser() != null && sc(c).getRunAsUser() == 0) {
        bad.add(c.getName());
      }
    }
    if (!badSetters.isEmpty() || !bad.isEmpty()) {
      return Result.forbidden("runAsUser=0", setters(badSetters, bad) + " must not set runAsUser=0");
    }
    return Result.OK;
  }

  /** check_seccompProfile_restricted.go (seccompProfileRestricted_1_25: Windows pods exempt) */
  static Result seccompProfileRestricted(ObjectMeta meta, PodSpec spec) {
    if (isWindows(spec)) {
      return Result.OK;
    }
    List<String> badSetters = new ArrayList<>();
    TreeSet<String> badValues = new TreeSet<>();
    boolean podSet = false;
    if (psc(spec) != null && psc(spec).getSeccompProfile() != null) {
      if (!validSeccomp(psc(spec).getSeccompProfile().getType())) {
        badSetters.add("pod");
        badValues.add(String.valueOf(psc(spec).getSeccompProfile().getType()));
      } else {
        podSet = true;
      }
    }
    List<String> explicitlyBad = new ArrayList<>();
    List<String> implicitlyBad = new ArrayList<>();
    for (Container c : PodUtil.allContainers(spec)) {
      if (sc(c) != null && sc(c).getSeccompProfile() != null) {
        if (!validSeccomp(sc(c).getSeccompProfile().getType())) {
          explicitlyBad.add(c.getName());
          badValues.add(String.valueOf(sc(c).getSeccompProfile().getType()));
        }
      } else if (!podSet) {
        implicitlyBad.add(c.getName());
      }
    }
    if (!badSetters.isEmpty() || !explicitlyBad.isEmpty()) {
      return Result.forbidden("seccompProfile", setters(badSetters, explicitlyBad)
          + " must not set securityContext.seccompProfile.type to " + joinQuote(new ArrayList<>(badValues)));
    }
    if (!implicitlyBad.isEmpty()) {
      return Result.forbidden("seccompProfile", "pod or " + pluralize("container", "containers",
          implicitlyBad.size()) + " " + joinQuote(implicitlyBad)
          + " must set securityContext.seccompProfile.type to \"RuntimeDefault\" or \"Localhost\"");
    }
    return Result.OK;
  }

  /** Go's %q for the printable ASCII values annotations hold. */
  static String goQuote(String s) {
    return KubeJson.string(s);
  }

  private static <T> List<T> list(List<T> l) {
    return l == null ? List.of() : l;
  }
}
