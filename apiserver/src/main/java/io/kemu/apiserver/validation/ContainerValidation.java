package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.ConfigMapKeySelector;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerResizePolicy;
import io.fabric8.kubernetes.api.model.EnvFromSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EnvVarSource;
import io.fabric8.kubernetes.api.model.ExecAction;
import io.fabric8.kubernetes.api.model.GRPCAction;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.HTTPHeader;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.LifecycleHandler;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.SecretKeySelector;
import io.fabric8.kubernetes.api.model.SecurityContext;
import io.fabric8.kubernetes.api.model.SeccompProfile;
import io.fabric8.kubernetes.api.model.SleepAction;
import io.fabric8.kubernetes.api.model.TCPSocketAction;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeDevice;
import io.fabric8.kubernetes.api.model.VolumeMount;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * Container-level checks of core/validation/validation.go: {@code validateContainerCommon} and everything it calls
 * (ports, env, envFrom, volume mounts and devices, pull policy, resources, resize policy, security context) plus
 * probes, lifecycle handlers and host-port conflicts.
 */
public final class ContainerValidation {
    private ContainerValidation() {
    }

    static final List<String> PULL_POLICIES = List.of("Always", "IfNotPresent", "Never");
    static final List<String> PORT_PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    static final List<String> TERMINATION_MESSAGE_POLICIES = List.of("File", "FallbackToLogsOnError");
    static final List<String> HTTP_SCHEMES = List.of("HTTP", "HTTPS");
    static final Set<String> ENV_DOWNWARD_API_FIELDS = new TreeSet<>(List.of(
            "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
            "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"));

    /** {@code validateContainerCommon}. */
    static List<FieldError> validateContainerCommon(Container ctr, Map<String, Volume> volumes,
                                                    Collection<String> podClaimNames, FieldPath path,
                                                    PodValidationOptions opts, String podRestartPolicy,
                                                    boolean hostUsers) {
        List<FieldError> errs = new ArrayList<>();
        FieldPath namePath = path.child("name");
        String name = str(ctr.getName());
        if (name.isEmpty()) {
            errs.add(FieldError.required(namePath, ""));
        } else {
            errs.addAll(NameValidation.validateDNS1123Label(name, namePath));
        }
        if (str(ctr.getImage()).isEmpty()) {
            errs.add(FieldError.required(path.child("image"), ""));
        }
        String tmp = str(ctr.getTerminationMessagePolicy());
        if (tmp.isEmpty()) {
            errs.add(FieldError.required(path.child("terminationMessagePolicy"), ""));
        } else if (!TERMINATION_MESSAGE_POLICIES.contains(tmp)) {
            errs.add(FieldError.notSupported(path.child("terminationMessagePolicy"), tmp, TERMINATION_MESSAGE_POLICIES));
        }
        Map<String, String> volMounts = new LinkedHashMap<>();
        for (VolumeMount m : nonNull(ctr.getVolumeMounts())) {
            volMounts.put(str(m.getName()), str(m.getMountPath()));
        }
        Map<String, String> volDevices = new LinkedHashMap<>();
        for (VolumeDevice d : nonNull(ctr.getVolumeDevices())) {
            volDevices.put(str(d.getName()), str(d.getDevicePath()));
        }
        errs.addAll(validateContainerPorts(nonNull(ctr.getPorts()), path.child("ports")));
        errs.addAll(validateEnv(nonNull(ctr.getEnv()), path.child("env"), opts));
        errs.addAll(validateEnvFrom(nonNull(ctr.getEnvFrom()), path.child("envFrom"), opts));
        errs.addAll(validateVolumeMounts(nonNull(ctr.getVolumeMounts()), volDevices, volumes, ctr, path.child("volumeMounts")));
        errs.addAll(validateVolumeDevices(nonNull(ctr.getVolumeDevices()), volMounts, volumes, path.child("volumeDevices")));
        errs.addAll(validatePullPolicy(ctr.getImagePullPolicy(), path.child("imagePullPolicy")));
        errs.addAll(ResourceValidation.validateResourceRequirements(ctr.getResources(), podClaimNames, path.child("resources")));
        errs.addAll(validateResizePolicy(nonNull(ctr.getResizePolicy()), path.child("resizePolicy"), podRestartPolicy));
        errs.addAll(validateSecurityContext(ctr.getSecurityContext(), path.child("securityContext"), hostUsers, opts));
        return errs;
    }

    /** {@code validatePullPolicy}. */
    static List<FieldError> validatePullPolicy(String policy, FieldPath path) {
        String p = str(policy);
        if (p.isEmpty()) {
            return List.of(FieldError.required(path, ""));
        }
        if (!PULL_POLICIES.contains(p)) {
            return List.of(FieldError.notSupported(path, p, PULL_POLICIES));
        }
        return List.of();
    }

    /** {@code validateContainerPorts}. */
    static List<FieldError> validateContainerPorts(List<ContainerPort> ports, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> allNames = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ContainerPort port = ports.get(i);
            FieldPath idxPath = path.index(i);
            String name = str(port.getName());
            if (!name.isEmpty()) {
                List<String> msgs = NameValidation.isValidPortName(name);
                if (!msgs.isEmpty()) {
                    for (String msg : msgs) {
                        errs.add(FieldError.invalid(idxPath.child("name"), name, msg));
                    }
                } else if (allNames.contains(name)) {
                    errs.add(FieldError.duplicate(idxPath.child("name"), name));
                } else {
                    allNames.add(name);
                }
            }
            int containerPort = port.getContainerPort() == null ? 0 : port.getContainerPort();
            if (containerPort == 0) {
                errs.add(FieldError.required(idxPath.child("containerPort"), ""));
            } else {
                for (String msg : NameValidation.isValidPortNum(containerPort)) {
                    errs.add(FieldError.invalid(idxPath.child("containerPort"), containerPort, msg));
                }
            }
            int hostPort = port.getHostPort() == null ? 0 : port.getHostPort();
            if (hostPort != 0) {
                for (String msg : NameValidation.isValidPortNum(hostPort)) {
                    errs.add(FieldError.invalid(idxPath.child("hostPort"), hostPort, msg));
                }
            }
            String protocol = str(port.getProtocol());
            if (protocol.isEmpty()) {
                errs.add(FieldError.required(idxPath.child("protocol"), ""));
            } else if (!PORT_PROTOCOLS.contains(protocol)) {
                errs.add(FieldError.notSupported(idxPath.child("protocol"), protocol, PORT_PROTOCOLS));
            }
        }
        return errs;
    }

    /** {@code ValidateEnv}. */
    static List<FieldError> validateEnv(List<EnvVar> vars, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            EnvVar ev = vars.get(i);
            FieldPath idxPath = path.index(i);
            String name = str(ev.getName());
            if (name.isEmpty()) {
                errs.add(FieldError.required(idxPath.child("name"), ""));
            } else {
                List<String> msgs = opts.allowRelaxedEnvironmentVariableValidation()
                        ? NameValidation.isRelaxedEnvVarName(name) : NameValidation.isEnvVarName(name);
                for (String msg : msgs) {
                    errs.add(FieldError.invalid(idxPath.child("name"), name, msg));
                }
            }
            errs.addAll(validateEnvVarValueFrom(ev, idxPath.child("valueFrom")));
        }
        return errs;
    }

    private static List<FieldError> validateEnvVarValueFrom(EnvVar ev, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        EnvVarSource from = ev.getValueFrom();
        if (from == null) {
            return errs;
        }
        int numSources = 0;
        if (from.getFieldRef() != null) {
            numSources++;
            errs.addAll(VolumeValidation.validateObjectFieldSelector(from.getFieldRef(), ENV_DOWNWARD_API_FIELDS,
                    path.child("fieldRef")));
        }
        if (from.getResourceFieldRef() != null) {
            numSources++;
            errs.addAll(VolumeValidation.validateContainerResourceFieldSelector(from.getResourceFieldRef(),
                    path.child("resourceFieldRef"), false));
        }
        if (from.getConfigMapKeyRef() != null) {
            numSources++;
            ConfigMapKeySelector s = from.getConfigMapKeyRef();
            errs.addAll(validateKeySelector(str(s.getName()), str(s.getKey()), path.child("configMapKeyRef")));
        }
        if (from.getSecretKeyRef() != null) {
            numSources++;
            SecretKeySelector s = from.getSecretKeyRef();
            errs.addAll(validateKeySelector(str(s.getName()), str(s.getKey()), path.child("secretKeyRef")));
        }
        if (numSources == 0) {
            errs.add(FieldError.invalid(path, "", "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`"));
        } else if (!str(ev.getValue()).isEmpty()) {
            errs.add(FieldError.invalid(path, "", "may not be specified when `value` is not empty"));
        } else if (numSources > 1) {
            errs.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
        }
        return errs;
    }

    private static List<FieldError> validateKeySelector(String name, String key, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : NameValidation.nameIsDNSSubdomain(name, false)) {
            errs.add(FieldError.invalid(path.child("name"), name, msg));
        }
        if (key.isEmpty()) {
            errs.add(FieldError.required(path.child("key"), ""));
        } else {
            for (String msg : NameValidation.isConfigMapKey(key)) {
                errs.add(FieldError.invalid(path.child("key"), key, msg));
            }
        }
        return errs;
    }

    /** {@code ValidateEnvFrom}. */
    static List<FieldError> validateEnvFrom(List<EnvFromSource> vars, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < vars.size(); i++) {
            EnvFromSource ev = vars.get(i);
            FieldPath idxPath = path.index(i);
            String prefix = str(ev.getPrefix());
            if (!prefix.isEmpty()) {
                List<String> msgs = opts.allowRelaxedEnvironmentVariableValidation()
                        ? NameValidation.isRelaxedEnvVarName(prefix) : NameValidation.isEnvVarName(prefix);
                for (String msg : msgs) {
                    errs.add(FieldError.invalid(idxPath.child("prefix"), prefix, msg));
                }
            }
            int numSources = 0;
            if (ev.getConfigMapRef() != null) {
                numSources++;
                errs.addAll(validateEnvSourceName(str(ev.getConfigMapRef().getName()), idxPath.child("configMapRef")));
            }
            if (ev.getSecretRef() != null) {
                numSources++;
                errs.addAll(validateEnvSourceName(str(ev.getSecretRef().getName()), idxPath.child("secretRef")));
            }
            if (numSources == 0) {
                errs.add(FieldError.invalid(path, "", "must specify one of: `configMapRef` or `secretRef`"));
            } else if (numSources > 1) {
                errs.add(FieldError.invalid(path, "", "may not have more than one field specified at a time"));
            }
        }
        return errs;
    }

    private static List<FieldError> validateEnvSourceName(String name, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), ""));
        } else {
            for (String msg : NameValidation.nameIsDNSSubdomain(name, true)) {
                errs.add(FieldError.invalid(path.child("name"), name, msg));
            }
        }
        return errs;
    }

    /** {@code ValidateVolumeMounts}. */
    static List<FieldError> validateVolumeMounts(List<VolumeMount> mounts, Map<String, String> volDevices,
                                                 Map<String, Volume> volumes, Container container, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> mountpoints = new HashSet<>();
        for (int i = 0; i < mounts.size(); i++) {
            VolumeMount mnt = mounts.get(i);
            FieldPath idxPath = path.index(i);
            String name = str(mnt.getName());
            String mountPath = str(mnt.getMountPath());
            if (name.isEmpty()) {
                errs.add(FieldError.required(idxPath.child("name"), ""));
            }
            if (!volumes.containsKey(name)) {
                errs.add(FieldError.notFound(idxPath.child("name"), name));
            }
            if (mountPath.isEmpty()) {
                errs.add(FieldError.required(idxPath.child("mountPath"), ""));
            }
            if (mountpoints.contains(mountPath)) {
                errs.add(FieldError.invalid(idxPath.child("mountPath"), mountPath, "must be unique"));
            }
            mountpoints.add(mountPath);
            if (volDevices.containsKey(name)) {
                errs.add(FieldError.invalid(idxPath.child("name"), name, "must not already exist in volumeDevices"));
            }
            if (volDevices.containsValue(mountPath)) {
                errs.add(FieldError.invalid(idxPath.child("mountPath"), mountPath, "must not already exist as a path in volumeDevices"));
            }
            String subPath = str(mnt.getSubPath());
            String subPathExpr = str(mnt.getSubPathExpr());
            Volume v = volumes.get(name);
            if (v != null && v.getImage() != null) {
                if (!subPath.isEmpty()) {
                    errs.add(FieldError.invalid(idxPath.child("subPath"), subPath, "not allowed in image volume sources"));
                }
                if (!subPathExpr.isEmpty()) {
                    errs.add(FieldError.invalid(idxPath.child("subPathExpr"), subPathExpr, "not allowed in image volume sources"));
                }
            }
            if (!subPath.isEmpty()) {
                // upstream uses the list path here, not the indexed one
                errs.addAll(VolumeValidation.validateLocalDescendingPath(subPath, path.child("subPath")));
            }
            if (!subPathExpr.isEmpty()) {
                if (!subPath.isEmpty()) {
                    errs.add(FieldError.invalid(idxPath.child("subPathExpr"), subPathExpr, "subPathExpr and subPath are mutually exclusive"));
                }
                errs.addAll(VolumeValidation.validateLocalDescendingPath(subPathExpr, path.child("subPathExpr")));
            }
            if (mnt.getMountPropagation() != null) {
                errs.addAll(validateMountPropagation(mnt.getMountPropagation(), container, path.child("mountPropagation")));
            }
            errs.addAll(validateMountRecursiveReadOnly(mnt, path.child("recursiveReadOnly")));
        }
        return errs;
    }

    private static final List<String> MOUNT_PROPAGATIONS = List.of("Bidirectional", "HostToContainer", "None");

    private static List<FieldError> validateMountPropagation(String mp, Container container, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (!MOUNT_PROPAGATIONS.contains(mp)) {
            errs.add(FieldError.notSupported(path, mp, MOUNT_PROPAGATIONS));
        }
        boolean privileged = container.getSecurityContext() != null
                && Boolean.TRUE.equals(container.getSecurityContext().getPrivileged());
        if (mp.equals("Bidirectional") && !privileged) {
            errs.add(FieldError.forbidden(path, "Bidirectional mount propagation is available only to privileged containers"));
        }
        return errs;
    }

    private static List<FieldError> validateMountRecursiveReadOnly(VolumeMount mount, FieldPath path) {
        String rro = mount.getRecursiveReadOnly();
        if (rro == null) {
            return List.of();
        }
        List<FieldError> errs = new ArrayList<>();
        switch (rro) {
            case "Disabled" -> {
            }
            case "Enabled", "IfPossible" -> {
                if (!Boolean.TRUE.equals(mount.getReadOnly())) {
                    errs.add(FieldError.forbidden(path, "may only be specified when readOnly is true"));
                }
                if (mount.getMountPropagation() != null && !mount.getMountPropagation().equals("None")) {
                    errs.add(FieldError.forbidden(path, "may only be specified when mountPropagation is None or not specified"));
                }
            }
            default -> errs.add(FieldError.notSupported(path, rro, List.of("Disabled", "Enabled", "IfPossible")));
        }
        return errs;
    }

    /** {@code ValidateVolumeDevices}. */
    static List<FieldError> validateVolumeDevices(List<VolumeDevice> devices, Map<String, String> volMounts,
                                                  Map<String, Volume> volumes, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> devicePaths = new HashSet<>();
        Set<String> deviceNames = new HashSet<>();
        for (int i = 0; i < devices.size(); i++) {
            VolumeDevice dev = devices.get(i);
            FieldPath idxPath = path.index(i);
            String devName = str(dev.getName());
            String devPath = str(dev.getDevicePath());
            Volume v = volumes.get(devName);
            boolean didMatch = v != null;
            boolean isPVC = v != null && (v.getPersistentVolumeClaim() != null || v.getEphemeral() != null);
            if (devName.isEmpty()) {
                errs.add(FieldError.required(idxPath.child("name"), ""));
            }
            if (deviceNames.contains(devName)) {
                errs.add(FieldError.invalid(idxPath.child("name"), devName, "must be unique"));
            }
            if (didMatch && !isPVC) {
                errs.add(FieldError.invalid(idxPath.child("name"), devName,
                        "can only use volume source type of PersistentVolumeClaim or Ephemeral for block mode"));
            }
            if (!didMatch) {
                errs.add(FieldError.notFound(idxPath.child("name"), devName));
            }
            if (devPath.isEmpty()) {
                errs.add(FieldError.required(idxPath.child("devicePath"), ""));
            }
            if (devicePaths.contains(devPath)) {
                errs.add(FieldError.invalid(idxPath.child("devicePath"), devPath, "must be unique"));
            }
            if (!devPath.isEmpty() && !VolumeValidation.validatePathNoBacksteps(devPath, path.child("devicePath")).isEmpty()) {
                errs.add(FieldError.invalid(idxPath.child("devicePath"), devPath, "can not contain backsteps ('..')"));
            } else {
                devicePaths.add(devPath);
            }
            if (volMounts.containsKey(devName)) {
                errs.add(FieldError.invalid(idxPath.child("name"), devName, "must not already exist in volumeMounts"));
            }
            if (volMounts.containsValue(devPath)) {
                errs.add(FieldError.invalid(idxPath.child("devicePath"), devPath, "must not already exist as a path in volumeMounts"));
            }
            if (!devName.isEmpty()) {
                deviceNames.add(devName);
            }
        }
        return errs;
    }

    /** {@code validateResizePolicy}. */
    static List<FieldError> validateResizePolicy(List<ContainerResizePolicy> policies, FieldPath path, String podRestartPolicy) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> resources = new HashSet<>();
        for (int i = 0; i < policies.size(); i++) {
            ContainerResizePolicy p = policies.get(i);
            String rn = str(p.getResourceName());
            String rp = str(p.getRestartPolicy());
            if (!resources.add(rn)) {
                errs.add(FieldError.duplicate(path.index(i), rn));
            }
            switch (rn) {
                case "cpu", "memory" -> {
                }
                case "" -> errs.add(FieldError.required(path, ""));
                default -> errs.add(FieldError.notSupported(path, rn, List.of("cpu", "memory")));
            }
            switch (rp) {
                case "NotRequired", "RestartContainer" -> {
                }
                case "" -> errs.add(FieldError.required(path, ""));
                default -> errs.add(FieldError.notSupported(path, rp, List.of("NotRequired", "RestartContainer")));
            }
            if ("Never".equals(podRestartPolicy) && !rp.equals("NotRequired")) {
                errs.add(FieldError.invalid(path, rp, "must be 'NotRequired' when `restartPolicy` is 'Never'"));
            }
        }
        return errs;
    }

    /** Go {@code %#v} of a {@code []core.ContainerResizePolicy}, the bad value of the init-container check. */
    static GoFormat.Raw resizePolicyGoSyntax(List<ContainerResizePolicy> policies) {
        return GoFormat.raw(policies.stream()
                .map(p -> "core.ContainerResizePolicy{ResourceName:" + GoFormat.quote(str(p.getResourceName()))
                        + ", RestartPolicy:" + GoFormat.quote(str(p.getRestartPolicy())) + "}")
                .collect(Collectors.joining(", ", "[]core.ContainerResizePolicy{", "}")));
    }

    private static final List<String> PROC_MOUNTS = List.of("Default", "Unmasked");

    /** {@code ValidateSecurityContext} (container level). */
    static List<FieldError> validateSecurityContext(SecurityContext sc, FieldPath path, boolean hostUsers,
                                                    PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        if (sc == null) {
            return errs;
        }
        if (Boolean.TRUE.equals(sc.getPrivileged()) && !opts.allowPrivileged()) {
            errs.add(FieldError.forbidden(path.child("privileged"), "disallowed by cluster policy"));
        }
        if (sc.getRunAsUser() != null) {
            for (String msg : NameValidation.isValidUserID(sc.getRunAsUser())) {
                errs.add(FieldError.invalid(path.child("runAsUser"), sc.getRunAsUser(), msg));
            }
        }
        if (sc.getRunAsGroup() != null) {
            for (String msg : NameValidation.isValidGroupID(sc.getRunAsGroup())) {
                errs.add(FieldError.invalid(path.child("runAsGroup"), sc.getRunAsGroup(), msg));
            }
        }
        if (sc.getProcMount() != null) {
            if (!PROC_MOUNTS.contains(sc.getProcMount())) {
                errs.add(FieldError.notSupported(path.child("procMount"), sc.getProcMount(), PROC_MOUNTS));
            }
            if (hostUsers && sc.getProcMount().equals("Unmasked")) {
                errs.add(FieldError.invalid(path.child("procMount"), sc.getProcMount(), "`hostUsers` must be false to use `Unmasked`"));
            }
        }
        errs.addAll(validateSeccompProfileField(sc.getSeccompProfile(), path.child("seccompProfile")));
        if (Boolean.FALSE.equals(sc.getAllowPrivilegeEscalation())) {
            if (Boolean.TRUE.equals(sc.getPrivileged())) {
                errs.add(FieldError.invalid(path, GoFormat.raw("&core.SecurityContext{...}"),
                        "cannot set `allowPrivilegeEscalation` to false and `privileged` to true"));
            }
            if (sc.getCapabilities() != null) {
                for (String cap : nonNull(sc.getCapabilities().getAdd())) {
                    if ("CAP_SYS_ADMIN".equals(cap)) {
                        errs.add(FieldError.invalid(path, GoFormat.raw("&core.SecurityContext{...}"),
                                "cannot set `allowPrivilegeEscalation` to false and `capabilities.Add` CAP_SYS_ADMIN"));
                    }
                }
            }
        }
        return errs;
    }

    private static final List<String> SECCOMP_TYPES = List.of("Localhost", "RuntimeDefault", "Unconfined");

    /** {@code validateSeccompProfileField}. */
    static List<FieldError> validateSeccompProfileField(SeccompProfile sp, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (sp == null) {
            return errs;
        }
        String type = str(sp.getType());
        if (type.isEmpty()) {
            errs.add(FieldError.required(path.child("type"), "type is required when seccompProfile is set"));
        } else if (!SECCOMP_TYPES.contains(type)) {
            errs.add(FieldError.notSupported(path.child("type"), type, SECCOMP_TYPES));
        }
        if (type.equals("Localhost")) {
            if (sp.getLocalhostProfile() == null) {
                errs.add(FieldError.required(path.child("localhostProfile"), "must be set when seccomp type is Localhost"));
            } else {
                errs.addAll(VolumeValidation.validateLocalDescendingPath(sp.getLocalhostProfile(), path.child("localhostProfile")));
            }
        } else if (sp.getLocalhostProfile() != null) {
            errs.add(FieldError.invalid(path.child("localhostProfile"),
                    GoFormat.raw("&core.SeccompProfile{Type:" + GoFormat.quote(type) + ", LocalhostProfile:(*string)(...)}"),
                    "can only be set when seccomp type is Localhost"));
        }
        return errs;
    }

    // ---- probes and handlers ----

    static List<FieldError> validateLivenessProbe(Probe probe, Long gracePeriod, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        if (probe == null) {
            return errs;
        }
        errs.addAll(validateProbe(probe, gracePeriod, path, opts));
        int st = intv(probe.getSuccessThreshold());
        if (st != 1) {
            errs.add(FieldError.invalid(path.child("successThreshold"), st, "must be 1"));
        }
        return errs;
    }

    static List<FieldError> validateReadinessProbe(Probe probe, Long gracePeriod, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        if (probe == null) {
            return errs;
        }
        errs.addAll(validateProbe(probe, gracePeriod, path, opts));
        if (probe.getTerminationGracePeriodSeconds() != null) {
            errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), probe.getTerminationGracePeriodSeconds(),
                    "must not be set for readinessProbes"));
        }
        return errs;
    }

    static List<FieldError> validateStartupProbe(Probe probe, Long gracePeriod, FieldPath path, PodValidationOptions opts) {
        return validateLivenessProbe(probe, gracePeriod, path, opts);
    }

    private static List<FieldError> validateProbe(Probe probe, Long gracePeriod, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        errs.addAll(validateHandler(probe.getExec(), probe.getHttpGet(), probe.getTcpSocket(), probe.getGrpc(), null,
                gracePeriod, path, opts));
        errs.addAll(ObjectMetaValidation.validateNonnegativeField(intv(probe.getInitialDelaySeconds()), path.child("initialDelaySeconds")));
        errs.addAll(ObjectMetaValidation.validateNonnegativeField(intv(probe.getTimeoutSeconds()), path.child("timeoutSeconds")));
        errs.addAll(ObjectMetaValidation.validateNonnegativeField(intv(probe.getPeriodSeconds()), path.child("periodSeconds")));
        errs.addAll(ObjectMetaValidation.validateNonnegativeField(intv(probe.getSuccessThreshold()), path.child("successThreshold")));
        errs.addAll(ObjectMetaValidation.validateNonnegativeField(intv(probe.getFailureThreshold()), path.child("failureThreshold")));
        if (probe.getTerminationGracePeriodSeconds() != null && probe.getTerminationGracePeriodSeconds() <= 0) {
            errs.add(FieldError.invalid(path.child("terminationGracePeriodSeconds"), probe.getTerminationGracePeriodSeconds(),
                    "must be greater than 0"));
        }
        return errs;
    }

    /** {@code validateLifecycle}. */
    static List<FieldError> validateLifecycle(Lifecycle lifecycle, Long gracePeriod, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        LifecycleHandler post = lifecycle.getPostStart();
        if (post != null) {
            errs.addAll(validateHandler(post.getExec(), post.getHttpGet(), post.getTcpSocket(), null, post.getSleep(),
                    gracePeriod, path.child("postStart"), opts));
        }
        LifecycleHandler pre = lifecycle.getPreStop();
        if (pre != null) {
            errs.addAll(validateHandler(pre.getExec(), pre.getHttpGet(), pre.getTcpSocket(), null, pre.getSleep(),
                    gracePeriod, path.child("preStop"), opts));
        }
        return errs;
    }

    /** {@code validateHandler}: exactly one of exec, httpGet, tcpSocket, grpc (probes) or sleep (lifecycle). */
    private static List<FieldError> validateHandler(ExecAction exec, HTTPGetAction httpGet, TCPSocketAction tcp,
                                                    GRPCAction grpc, SleepAction sleep, Long gracePeriod,
                                                    FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        int num = 0;
        if (exec != null) {
            num++;
            if (nonNull(exec.getCommand()).isEmpty()) {
                errs.add(FieldError.required(path.child("exec").child("command"), ""));
            }
        }
        if (httpGet != null) {
            if (num > 0) {
                errs.add(FieldError.forbidden(path.child("httpGet"), "may not specify more than 1 handler type"));
            } else {
                num++;
                errs.addAll(validateHTTPGetAction(httpGet, path.child("httpGet")));
            }
        }
        if (tcp != null) {
            if (num > 0) {
                errs.add(FieldError.forbidden(path.child("tcpSocket"), "may not specify more than 1 handler type"));
            } else {
                num++;
                errs.addAll(validatePortNumOrName(tcp.getPort(), path.child("tcpSocket").child("port")));
            }
        }
        if (grpc != null) {
            if (num > 0) {
                errs.add(FieldError.forbidden(path.child("grpc"), "may not specify more than 1 handler type"));
            } else {
                num++;
                int port = intv(grpc.getPort());
                for (String msg : NameValidation.isValidPortNum(port)) {
                    errs.add(FieldError.invalid(path.child("grpc").child("port"), port, msg));
                }
            }
        }
        if (sleep != null) {
            if (num > 0) {
                errs.add(FieldError.forbidden(path.child("sleep"), "may not specify more than 1 handler type"));
            } else {
                num++;
                errs.addAll(validateSleepAction(sleep, gracePeriod, path.child("sleep"), opts));
            }
        }
        if (num == 0) {
            errs.add(FieldError.required(path, "must specify a handler type"));
        }
        return errs;
    }

    private static List<FieldError> validateSleepAction(SleepAction sleep, Long gracePeriod, FieldPath path,
                                                        PodValidationOptions opts) {
        long seconds = sleep.getSeconds() == null ? 0 : sleep.getSeconds();
        if (gracePeriod == null) {
            return List.of();
        }
        if (opts.allowPodLifecycleSleepActionZeroValue()) {
            if (seconds < 0 || seconds > gracePeriod) {
                return List.of(FieldError.invalid(path, seconds,
                        "must be non-negative and less than terminationGracePeriodSeconds (" + gracePeriod + ")"));
            }
        } else if (seconds <= 0 || seconds > gracePeriod) {
            return List.of(FieldError.invalid(path, seconds, "must be greater than 0 and less than terminationGracePeriodSeconds ("
                    + gracePeriod + "). Enable AllowPodLifecycleSleepActionZeroValue feature gate for zero sleep."));
        }
        return List.of();
    }

    private static List<FieldError> validateHTTPGetAction(HTTPGetAction http, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (str(http.getPath()).isEmpty()) {
            errs.add(FieldError.required(path.child("path"), ""));
        }
        errs.addAll(validatePortNumOrName(http.getPort(), path.child("port")));
        String scheme = str(http.getScheme());
        if (!HTTP_SCHEMES.contains(scheme)) {
            errs.add(FieldError.notSupported(path.child("scheme"), scheme, HTTP_SCHEMES));
        }
        for (HTTPHeader h : nonNull(http.getHttpHeaders())) {
            for (String msg : NameValidation.isHTTPHeaderName(str(h.getName()))) {
                errs.add(FieldError.invalid(path.child("httpHeaders"), str(h.getName()), msg));
            }
        }
        return errs;
    }

    /** {@code ValidatePortNumOrName}: a missing port is the zero IntOrString, i.e. the number 0. */
    static List<FieldError> validatePortNumOrName(IntOrString port, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (port != null && port.getStrVal() != null && port.getIntVal() == null) {
            for (String msg : NameValidation.isValidPortName(port.getStrVal())) {
                errs.add(FieldError.invalid(path, port.getStrVal(), msg));
            }
        } else {
            int v = port == null || port.getIntVal() == null ? 0 : port.getIntVal();
            for (String msg : NameValidation.isValidPortNum(v)) {
                errs.add(FieldError.invalid(path, v, msg));
            }
        }
        return errs;
    }

    /** {@code AccumulateUniqueHostPorts} over one set of containers. */
    static List<FieldError> checkHostPortConflicts(List<Container> containers, FieldPath path, int firstIndex) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> all = new HashSet<>();
        for (int ci = 0; ci < containers.size(); ci++) {
            List<ContainerPort> ports = nonNull(containers.get(ci).getPorts());
            for (int pi = 0; pi < ports.size(); pi++) {
                ContainerPort p = ports.get(pi);
                int hostPort = p.getHostPort() == null ? 0 : p.getHostPort();
                if (hostPort == 0) {
                    continue;
                }
                String key = str(p.getProtocol()) + "/" + str(p.getHostIP()) + "/" + hostPort;
                if (!all.add(key)) {
                    errs.add(FieldError.duplicate(path.index(firstIndex + ci).child("ports").index(pi).child("hostPort"), key));
                }
            }
        }
        return errs;
    }

    static int intv(Integer i) {
        return i == null ? 0 : i;
    }
}
