package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HostAlias;
import io.fabric8.kubernetes.api.model.HostIP;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeAffinity;
import io.fabric8.kubernetes.api.model.NodeSelector;
import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodAffinityTerm;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodDNSConfig;
import io.fabric8.kubernetes.api.model.PodDNSConfigOption;
import io.fabric8.kubernetes.api.model.PodIP;
import io.fabric8.kubernetes.api.model.PodReadinessGate;
import io.fabric8.kubernetes.api.model.PodResourceClaim;
import io.fabric8.kubernetes.api.model.PodSchedulingGate;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.api.model.PreferredSchedulingTerm;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Sysctl;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.WeightedPodAffinityTerm;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Pod validation as kube-apiserver 1.32 runs it after defaulting (pkg/apis/core/validation/validation.go):
 * {@code ValidatePodCreate}, {@code ValidatePodUpdate} and {@code ValidatePodStatusUpdate}, over fabric8 v1 types.
 *
 * <p>Upstream validates the internal type converted from v1; where that shows (e.g. {@code hostNetwork} living in the
 * internal security context), the internal field paths are kept. Errors come out in upstream's order.
 */
public final class PodValidation {
    private PodValidation() {
    }

    private static final FieldPath METADATA = FieldPath.root("metadata");
    private static final FieldPath SPEC = FieldPath.root("spec");

    static final List<String> RESTART_POLICIES = List.of("Always", "OnFailure", "Never");
    static final List<String> DNS_POLICIES = List.of("ClusterFirstWithHostNet", "ClusterFirst", "Default", "None");
    static final List<String> TAINT_EFFECTS = List.of("NoSchedule", "PreferNoSchedule", "NoExecute");
    static final List<String> TOLERATION_OPERATORS = List.of("Equal", "Exists");
    static final String POD_DELETION_COST = "controller.kubernetes.io/pod-deletion-cost";
    static final String MIRROR_POD_ANNOTATION = "kubernetes.io/config.mirror";
    static final String APPARMOR_PREFIX = "container.apparmor.security.beta.kubernetes.io/";
    static final String SECCOMP_POD_ANNOTATION = "seccomp.security.alpha.kubernetes.io/pod";
    static final String SECCOMP_CONTAINER_PREFIX = "container.seccomp.security.alpha.kubernetes.io/";

    /** The list {@code ValidatePodUpdate} names in its Forbidden message (InPlacePodVerticalScaling off, as in 1.32). */
    public static final List<String> UPDATABLE_POD_SPEC_FIELDS = List.of(
            "`spec.containers[*].image`",
            "`spec.initContainers[*].image`",
            "`spec.activeDeadlineSeconds`",
            "`spec.tolerations` (only additions to existing tolerations)",
            "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)");

    // ------------------------------------------------------------------ entry points

    /** {@code ValidatePodCreate} with 1.32 default options. */
    public static List<FieldError> validateCreate(Pod pod) {
        return validateCreate(pod, PodValidationOptions.defaults());
    }

    /** {@code ValidatePodCreate}. */
    public static List<FieldError> validateCreate(Pod pod, PodValidationOptions opts) {
        List<FieldError> errs = validatePodMetadataAndSpec(pod, opts);
        PodSpec spec = spec(pod);
        if (!nonNull(spec.getEphemeralContainers()).isEmpty()) {
            errs.add(FieldError.forbidden(SPEC.child("ephemeralContainers"), "cannot be set on create"));
        }
        if (!str(spec.getNodeName()).isEmpty() && !nonNull(spec.getSchedulingGates()).isEmpty()) {
            errs.add(FieldError.forbidden(SPEC.child("nodeName"), "cannot be set until all schedulingGates have been cleared"));
        }
        return errs;
    }

    /** {@code ValidatePodUpdate} with 1.32 default options. */
    public static List<FieldError> validateUpdate(Pod newPod, Pod oldPod) {
        return validateUpdate(newPod, oldPod, PodValidationOptions.defaults());
    }

    /**
     * {@code ValidatePodUpdate}: metadata update rules, full re-validation of the new pod, then the pod update rule
     * (only container images, activeDeadlineSeconds, tolerations additions, scheduling-gate removals and a negative
     * terminationGracePeriodSeconds set to 1 may change).
     */
    public static List<FieldError> validateUpdate(Pod newPod, Pod oldPod, PodValidationOptions opts) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newPod.getMetadata(), oldPod.getMetadata(), METADATA);
        errs.addAll(validatePodMetadataAndSpec(newPod, opts));
        errs.addAll(validatePodSpecificAnnotationUpdates(newPod, oldPod, METADATA.child("annotations"), opts));

        PodSpec newSpec = spec(newPod);
        PodSpec oldSpec = spec(oldPod);
        List<FieldError> cErrs = new ArrayList<>();
        if (validateContainerUpdates(newSpec.getContainers(), oldSpec.getContainers(), SPEC.child("containers"), cErrs)) {
            errs.addAll(cErrs);
            return errs;
        }
        errs.addAll(cErrs);
        cErrs = new ArrayList<>();
        if (validateContainerUpdates(newSpec.getInitContainers(), oldSpec.getInitContainers(), SPEC.child("initContainers"), cErrs)) {
            errs.addAll(cErrs);
            return errs;
        }
        errs.addAll(cErrs);

        Long newAds = newSpec.getActiveDeadlineSeconds();
        Long oldAds = oldSpec.getActiveDeadlineSeconds();
        if (newAds != null) {
            if (newAds < 0 || newAds > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), newAds,
                        NameValidation.inclusiveRangeError(0, Integer.MAX_VALUE)));
                return errs;
            }
            if (oldAds != null && oldAds < newAds) {
                errs.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), newAds, "must be less than or equal to previous value"));
                return errs;
            }
        } else if (oldAds != null) {
            errs.add(FieldError.invalid(SPEC.child("activeDeadlineSeconds"), null, "must not update from a positive integer to nil value"));
        }

        errs.addAll(validateOnlyAddedTolerations(nonNull(newSpec.getTolerations()), nonNull(oldSpec.getTolerations()),
                SPEC.child("tolerations")));
        errs.addAll(validateOnlyDeletedSchedulingGates(nonNull(newSpec.getSchedulingGates()),
                nonNull(oldSpec.getSchedulingGates()), SPEC.child("schedulingGates")));

        if (SpecComparison.semanticEqual(newSpec, oldSpec)) {
            return errs;
        }
        String oldQos = oldPod.getStatus() != null && !str(oldPod.getStatus().getQosClass()).isEmpty()
                ? oldPod.getStatus().getQosClass() : computePodQOS(oldSpec);
        if (!oldQos.equals(computePodQOS(newSpec))) {
            String newQos = newPod.getStatus() == null ? "" : str(newPod.getStatus().getQosClass());
            errs.add(FieldError.invalid(METADATA, newQos, "Pod QoS is immutable"));
        }

        // munge the updatable fields to their old values, then compare what is left
        PodSpec munged = SpecComparison.copy(newSpec);
        List<Container> mc = nonNull(munged.getContainers());
        for (int i = 0; i < mc.size(); i++) {
            mc.get(i).setImage(oldSpec.getContainers().get(i).getImage());
        }
        List<Container> mic = nonNull(munged.getInitContainers());
        for (int i = 0; i < mic.size(); i++) {
            mic.get(i).setImage(oldSpec.getInitContainers().get(i).getImage());
        }
        munged.setActiveDeadlineSeconds(oldSpec.getActiveDeadlineSeconds());
        munged.setSchedulingGates(oldSpec.getSchedulingGates());
        munged.setTolerations(oldSpec.getTolerations());
        if (oldSpec.getTerminationGracePeriodSeconds() != null && oldSpec.getTerminationGracePeriodSeconds() < 0
                && munged.getTerminationGracePeriodSeconds() != null && munged.getTerminationGracePeriodSeconds() == 1) {
            munged.setTerminationGracePeriodSeconds(oldSpec.getTerminationGracePeriodSeconds());
        }
        if (!nonNull(oldSpec.getSchedulingGates()).isEmpty()) {
            // gated pods may gain node selector entries (no deletions or mutations)
            Map<String, String> newSel = munged.getNodeSelector() == null ? Map.of() : munged.getNodeSelector();
            Map<String, String> oldSel = oldSpec.getNodeSelector() == null ? Map.of() : oldSpec.getNodeSelector();
            if (!newSel.equals(oldSel)) {
                for (Map.Entry<String, String> e : oldSel.entrySet()) {
                    if (!Objects.equals(newSel.get(e.getKey()), e.getValue())) {
                        errs.add(FieldError.invalid(SPEC.child("nodeSelector"), newSel,
                                "only additions to spec.nodeSelector are allowed (no mutations or deletions)"));
                        break;
                    }
                }
                munged.setNodeSelector(oldSpec.getNodeSelector());
            }
        }
        if (!SpecComparison.semanticEqual(munged, oldSpec)) {
            String diff = SpecComparison.diff(oldSpec, munged);
            errs.add(FieldError.forbidden(SPEC, "pod updates may not change fields other than "
                    + String.join(",", UPDATABLE_POD_SPEC_FIELDS) + "\n" + diff));
        }
        return errs;
    }

    /** {@code ValidatePodStatusUpdate}. */
    public static List<FieldError> validateStatusUpdate(Pod newPod, Pod oldPod) {
        return validateStatusUpdate(newPod, oldPod, PodValidationOptions.defaults());
    }

    /** {@code ValidatePodStatusUpdate}. */
    public static List<FieldError> validateStatusUpdate(Pod newPod, Pod oldPod, PodValidationOptions opts) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newPod.getMetadata(), oldPod.getMetadata(), METADATA);
        errs.addAll(validatePodSpecificAnnotationUpdates(newPod, oldPod, METADATA.child("annotations"), opts));
        PodStatus newStatus = newPod.getStatus() == null ? new PodStatus() : newPod.getStatus();
        PodStatus oldStatus = oldPod.getStatus() == null ? new PodStatus() : oldPod.getStatus();
        // upstream passes the metadata path here, so condition errors read metadata.conditions[i].Type
        errs.addAll(validatePodConditions(nonNull(newStatus.getConditions()), METADATA.child("conditions")));

        FieldPath status = FieldPath.root("status");
        if (!str(spec(newPod).getNodeName()).equals(str(spec(oldPod).getNodeName()))) {
            errs.add(FieldError.forbidden(status.child("nodeName"), "may not be changed directly"));
        }
        String nominated = str(newStatus.getNominatedNodeName());
        if (!nominated.equals(str(oldStatus.getNominatedNodeName())) && !nominated.isEmpty()) {
            for (String msg : NameValidation.nameIsDNSSubdomain(nominated, false)) {
                errs.add(FieldError.invalid(status.child("nominatedNodeName"), nominated, msg));
            }
        }
        String oldRestart = str(spec(oldPod).getRestartPolicy());
        errs.addAll(validateContainerStateTransition(nonNull(newStatus.getContainerStatuses()),
                nonNull(oldStatus.getContainerStatuses()), status.child("containerStatuses"), oldRestart, null));
        errs.addAll(validateContainerStateTransition(nonNull(newStatus.getInitContainerStatuses()),
                nonNull(oldStatus.getInitContainerStatuses()), status.child("initContainerStatuses"), oldRestart,
                nonNull(spec(oldPod).getInitContainers())));
        errs.addAll(validateContainerStateTransition(nonNull(newStatus.getEphemeralContainerStatuses()),
                nonNull(oldStatus.getEphemeralContainerStatuses()), status.child("ephemeralContainerStatuses"), "Never", null));
        errs.addAll(validatePodIPs(newStatus));
        errs.addAll(validateHostIPs(newStatus));
        return errs;
    }

    /**
     * The warning {@code GetWarningsForPod} (pkg/api/pod/warnings.go) gives for a negative grace period, which upstream
     * accepts rather than rejects. Empty when there is nothing to warn about.
     */
    public static List<String> warnings(Pod pod) {
        Long tgps = spec(pod).getTerminationGracePeriodSeconds();
        if (tgps != null && tgps < 0) {
            return List.of("spec.terminationGracePeriodSeconds: must be >= 0; negative values are invalid and will be treated as 1");
        }
        return List.of();
    }

    // ------------------------------------------------------------------ metadata and spec

    static List<FieldError> validatePodMetadataAndSpec(Pod pod, PodValidationOptions opts) {
        ObjectMeta meta = pod.getMetadata() == null ? new ObjectMeta() : pod.getMetadata();
        PodSpec spec = spec(pod);
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(meta, true, NameValidation::nameIsDNSSubdomain, METADATA);
        errs.addAll(validatePodSpecificAnnotations(meta.getAnnotations(), spec, METADATA.child("annotations"), opts));
        errs.addAll(validatePodSpec(spec, meta, SPEC, opts));
        if (str(spec.getServiceAccountName()).isEmpty()) {
            List<Volume> vols = nonNull(spec.getVolumes());
            for (int vi = 0; vi < vols.size(); vi++) {
                Volume v = vols.get(vi);
                if (v.getProjected() == null) {
                    continue;
                }
                List<VolumeProjection> sources = nonNull(v.getProjected().getSources());
                for (int si = 0; si < sources.size(); si++) {
                    if (sources.get(si).getServiceAccountToken() != null) {
                        errs.add(FieldError.forbidden(SPEC.child("volumes").index(vi).child("projected").child("sources")
                                .index(si).child("serviceAccountToken"), "must not be specified when serviceAccountName is not set"));
                    }
                }
            }
        }
        errs.addAll(validateContainersOnlyForPod(nonNull(spec.getContainers()), SPEC.child("containers")));
        errs.addAll(validateContainersOnlyForPod(nonNull(spec.getInitContainers()), SPEC.child("initContainers")));
        return errs;
    }

    private static List<FieldError> validateContainersOnlyForPod(List<Container> containers, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < containers.size(); i++) {
            String image = str(containers.get(i).getImage());
            if (!image.equals(image.strip())) {
                errs.add(FieldError.invalid(path.index(i).child("image"), image, "must not have leading or trailing whitespace"));
            }
        }
        return errs;
    }

    /** {@code ValidatePodSpecificAnnotations}. */
    static List<FieldError> validatePodSpecificAnnotations(Map<String, String> annotations, PodSpec spec, FieldPath path,
                                                           PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, String> ann = annotations == null ? Map.of() : annotations;
        if (ann.containsKey(MIRROR_POD_ANNOTATION) && str(spec.getNodeName()).isEmpty()) {
            errs.add(FieldError.invalid(path.key(MIRROR_POD_ANNOTATION), ann.get(MIRROR_POD_ANNOTATION),
                    "must set spec.nodeName if mirror pod annotation is set"));
        }
        if (!opts.allowInvalidPodDeletionCost() && ann.containsKey(POD_DELETION_COST)
                && !isValidDeletionCost(ann.get(POD_DELETION_COST))) {
            errs.add(FieldError.invalid(path.key(POD_DELETION_COST), ann.get(POD_DELETION_COST), "must be a 32bit integer"));
        }
        if (ann.containsKey(SECCOMP_POD_ANNOTATION)) {
            errs.addAll(validateSeccompProfile(ann.get(SECCOMP_POD_ANNOTATION), path.child(SECCOMP_POD_ANNOTATION)));
        }
        for (Map.Entry<String, String> e : ann.entrySet()) {
            if (e.getKey().startsWith(SECCOMP_CONTAINER_PREFIX)) {
                errs.addAll(validateSeccompProfile(e.getValue(), path.child(e.getKey())));
            }
        }
        for (Map.Entry<String, String> e : ann.entrySet()) {
            if (!e.getKey().startsWith(APPARMOR_PREFIX)) {
                continue;
            }
            String containerName = e.getKey().substring(APPARMOR_PREFIX.length());
            if (!podSpecHasContainer(spec, containerName)) {
                errs.add(FieldError.invalid(path.key(e.getKey()), containerName, "container not found"));
            }
            String p = str(e.getValue());
            if (!p.isEmpty() && !p.equals("runtime/default") && !p.equals("unconfined") && !p.startsWith("localhost/")) {
                errs.add(FieldError.invalid(path.key(e.getKey()), p, "invalid AppArmor profile name: " + GoFormat.quote(p)));
            }
        }
        return errs;
    }

    // helper.GetDeletionCostFromPodAnnotations: no '+' sign, no leading zeros, fits in int32
    private static boolean isValidDeletionCost(String v) {
        if (v == null || v.isEmpty()) {
            return false;
        }
        char c = v.charAt(0);
        boolean validFirst = c == '-' || (c == '0' && v.equals("0")) || (c >= '1' && c <= '9');
        if (!validFirst) {
            return false;
        }
        try {
            Integer.parseInt(v);
            return true;
        } catch (NumberFormatException e) {
            return false;
        }
    }

    private static List<FieldError> validateSeccompProfile(String p, FieldPath path) {
        if (p.equals("runtime/default") || p.equals("docker/default") || p.equals("unconfined")) {
            return List.of();
        }
        if (p.startsWith("localhost/")) {
            return VolumeValidation.validateLocalDescendingPath(p.substring("localhost/".length()), path);
        }
        return List.of(FieldError.invalid(path, p, "must be a valid seccomp profile"));
    }

    private static boolean podSpecHasContainer(PodSpec spec, String name) {
        for (Container c : nonNull(spec.getInitContainers())) {
            if (name.equals(c.getName())) {
                return true;
            }
        }
        for (Container c : nonNull(spec.getContainers())) {
            if (name.equals(c.getName())) {
                return true;
            }
        }
        for (EphemeralContainer c : nonNull(spec.getEphemeralContainers())) {
            if (name.equals(c.getName())) {
                return true;
            }
        }
        return false;
    }

    static List<FieldError> validatePodSpecificAnnotationUpdates(Pod newPod, Pod oldPod, FieldPath path,
                                                                 PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, String> newAnn = annotations(newPod);
        Map<String, String> oldAnn = annotations(oldPod);
        for (Map.Entry<String, String> e : oldAnn.entrySet()) {
            String k = e.getKey();
            if (newAnn.containsKey(k) && Objects.equals(newAnn.get(k), e.getValue())) {
                continue;
            }
            if (k.startsWith(APPARMOR_PREFIX)) {
                errs.add(FieldError.forbidden(path.key(k), "may not remove or update AppArmor annotations"));
            }
            if (k.equals(MIRROR_POD_ANNOTATION)) {
                errs.add(FieldError.forbidden(path.key(k), "may not remove or update mirror pod annotation"));
            }
        }
        for (String k : newAnn.keySet()) {
            if (oldAnn.containsKey(k)) {
                continue;
            }
            if (k.startsWith(APPARMOR_PREFIX)) {
                errs.add(FieldError.forbidden(path.key(k), "may not add AppArmor annotations"));
            }
            if (k.equals(MIRROR_POD_ANNOTATION)) {
                errs.add(FieldError.forbidden(path.key(k), "may not add mirror pod annotation"));
            }
        }
        errs.addAll(validatePodSpecificAnnotations(newAnn, spec(newPod), path, opts));
        return errs;
    }

    /** {@code ValidatePodSpec}. */
    public static List<FieldError> validatePodSpec(PodSpec spec, ObjectMeta podMeta, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        if (spec.getTerminationGracePeriodSeconds() == null) {
            errs.add(FieldError.required(path.child("terminationGracePeriodSeconds"), ""));
        }
        Long gracePeriod = spec.getTerminationGracePeriodSeconds();
        boolean hostUsers = spec.getHostUsers() == null || spec.getHostUsers();
        String restartPolicy = str(spec.getRestartPolicy());

        VolumeValidation.Result vols = VolumeValidation.validateVolumes(spec.getVolumes(), podMeta, path.child("volumes"), opts);
        errs.addAll(vols.errors());
        Set<String> podClaimNames = new LinkedHashSet<>();
        for (PodResourceClaim c : nonNull(spec.getResourceClaims())) {
            if (!str(c.getName()).isEmpty()) {
                podClaimNames.add(c.getName());
            }
        }
        errs.addAll(validatePodResourceClaims(nonNull(spec.getResourceClaims()), path.child("resourceClaims")));
        errs.addAll(validateContainers(nonNull(spec.getContainers()), vols.volumes(), podClaimNames, gracePeriod,
                path.child("containers"), opts, restartPolicy, hostUsers));
        errs.addAll(validateInitContainers(nonNull(spec.getInitContainers()), nonNull(spec.getContainers()), vols.volumes(),
                podClaimNames, gracePeriod, path.child("initContainers"), opts, restartPolicy, hostUsers));
        errs.addAll(validateEphemeralContainers(nonNull(spec.getEphemeralContainers()), nonNull(spec.getContainers()),
                nonNull(spec.getInitContainers()), vols.volumes(), podClaimNames, path.child("ephemeralContainers"), opts,
                restartPolicy, hostUsers));
        errs.addAll(validatePodHostNetworkDeps(spec, path, opts));
        if (restartPolicy.isEmpty()) {
            errs.add(FieldError.required(path.child("restartPolicy"), ""));
        } else if (!RESTART_POLICIES.contains(restartPolicy)) {
            errs.add(FieldError.notSupported(path.child("restartPolicy"), restartPolicy, RESTART_POLICIES));
        }
        String dnsPolicy = str(spec.getDnsPolicy());
        if (dnsPolicy.isEmpty()) {
            errs.add(FieldError.required(path.child("dnsPolicy"), ""));
        } else if (!DNS_POLICIES.contains(dnsPolicy)) {
            errs.add(FieldError.notSupported(path.child("dnsPolicy"), dnsPolicy, DNS_POLICIES));
        }
        errs.addAll(ObjectMetaValidation.validateLabels(spec.getNodeSelector(), path.child("nodeSelector")));
        errs.addAll(validatePodSpecSecurityContext(spec, path.child("securityContext")));
        errs.addAll(validateAffinity(spec.getAffinity(), opts, path.child("affinity")));
        errs.addAll(validatePodDNSConfig(spec.getDnsConfig(), dnsPolicy, path.child("dnsConfig"), opts));
        List<PodReadinessGate> gates = nonNull(spec.getReadinessGates());
        for (int i = 0; i < gates.size(); i++) {
            errs.addAll(NameValidation.validateQualifiedName(str(gates.get(i).getConditionType()),
                    path.child("readinessGates").index(i).child("conditionType")));
        }
        errs.addAll(validateSchedulingGates(nonNull(spec.getSchedulingGates()), path.child("schedulingGates")));
        errs.addAll(validateHostUsers(spec, path));
        String sa = str(spec.getServiceAccountName());
        if (!sa.isEmpty()) {
            for (String msg : NameValidation.nameIsDNSSubdomain(sa, false)) {
                errs.add(FieldError.invalid(path.child("serviceAccountName"), sa, msg));
            }
        }
        String nodeName = str(spec.getNodeName());
        if (!nodeName.isEmpty()) {
            for (String msg : NameValidation.nameIsDNSSubdomain(nodeName, false)) {
                errs.add(FieldError.invalid(path.child("nodeName"), nodeName, msg));
            }
        }
        if (spec.getActiveDeadlineSeconds() != null) {
            long v = spec.getActiveDeadlineSeconds();
            if (v < 1 || v > Integer.MAX_VALUE) {
                errs.add(FieldError.invalid(path.child("activeDeadlineSeconds"), v,
                        NameValidation.inclusiveRangeError(1, Integer.MAX_VALUE)));
            }
        }
        if (!str(spec.getHostname()).isEmpty()) {
            errs.addAll(NameValidation.validateDNS1123Label(spec.getHostname(), path.child("hostname")));
        }
        if (!str(spec.getSubdomain()).isEmpty()) {
            errs.addAll(NameValidation.validateDNS1123Label(spec.getSubdomain(), path.child("subdomain")));
        }
        if (!nonNull(spec.getTolerations()).isEmpty()) {
            errs.addAll(validateTolerations(spec.getTolerations(), path.child("tolerations")));
        }
        List<HostAlias> aliases = nonNull(spec.getHostAliases());
        for (int i = 0; i < aliases.size(); i++) {
            errs.addAll(NameValidation.isValidIP(path.child("hostAliases").index(i).child("ip"), str(aliases.get(i).getIp())));
            List<String> hostnames = nonNull(aliases.get(i).getHostnames());
            for (int j = 0; j < hostnames.size(); j++) {
                errs.addAll(NameValidation.validateDNS1123Subdomain(hostnames.get(j),
                        path.child("hostAliases").index(i).child("hostnames").index(j)));
            }
        }
        String pcn = str(spec.getPriorityClassName());
        if (!pcn.isEmpty()) {
            for (String msg : NameValidation.nameIsDNSSubdomain(pcn, false)) {
                errs.add(FieldError.invalid(path.child("priorityClassName"), pcn, msg));
            }
        }
        if (spec.getRuntimeClassName() != null) {
            for (String msg : NameValidation.nameIsDNSSubdomain(spec.getRuntimeClassName(), false)) {
                errs.add(FieldError.invalid(path.child("runtimeClassName"), spec.getRuntimeClassName(), msg));
            }
        }
        if (spec.getPreemptionPolicy() != null) {
            String pp = spec.getPreemptionPolicy();
            List<String> valid = List.of("PreemptLowerPriority", "Never");
            if (pp.isEmpty()) {
                errs.add(FieldError.required(path.child("preemptionPolicy"), ""));
            } else if (!valid.contains(pp)) {
                errs.add(FieldError.notSupported(path.child("preemptionPolicy"), pp, valid));
            }
        }
        if (spec.getOverhead() != null && !spec.getOverhead().isEmpty()) {
            errs.addAll(ResourceValidation.validateResourceRequirements(
                    new io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder().withLimits(spec.getOverhead()).build(),
                    Set.of(), path.child("overhead")));
        }
        return errs;
    }

    private static List<FieldError> validatePodResourceClaims(List<PodResourceClaim> claims, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (int i = 0; i < claims.size(); i++) {
            PodResourceClaim c = claims.get(i);
            FieldPath p = path.index(i);
            String name = str(c.getName());
            if (name.isEmpty()) {
                errs.add(FieldError.required(p.child("name"), ""));
            } else if (names.contains(name)) {
                errs.add(FieldError.duplicate(p.child("name"), name));
            } else {
                errs.addAll(NameValidation.validateDNS1123Label(name, p.child("name")));
                names.add(name);
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ containers

    private static List<FieldError> validateContainers(List<Container> containers, Map<String, Volume> volumes,
                                                       Set<String> podClaimNames, Long gracePeriod, FieldPath path,
                                                       PodValidationOptions opts, String restartPolicy, boolean hostUsers) {
        List<FieldError> errs = new ArrayList<>();
        if (containers.isEmpty()) {
            errs.add(FieldError.required(path, ""));
            return errs;
        }
        Set<String> allNames = new HashSet<>();
        for (int i = 0; i < containers.size(); i++) {
            Container ctr = containers.get(i);
            FieldPath p = path.index(i);
            errs.addAll(ContainerValidation.validateContainerCommon(ctr, volumes, podClaimNames, p, opts, restartPolicy, hostUsers));
            String name = str(ctr.getName());
            if (!allNames.add(name)) {
                errs.add(FieldError.duplicate(p.child("name"), name));
            }
            if (ctr.getLifecycle() != null) {
                errs.addAll(ContainerValidation.validateLifecycle(ctr.getLifecycle(), gracePeriod, p.child("lifecycle"), opts));
            }
            errs.addAll(ContainerValidation.validateLivenessProbe(ctr.getLivenessProbe(), gracePeriod, p.child("livenessProbe"), opts));
            errs.addAll(ContainerValidation.validateReadinessProbe(ctr.getReadinessProbe(), gracePeriod, p.child("readinessProbe"), opts));
            errs.addAll(ContainerValidation.validateStartupProbe(ctr.getStartupProbe(), gracePeriod, p.child("startupProbe"), opts));
            if (ctr.getRestartPolicy() != null) {
                errs.add(FieldError.forbidden(p.child("restartPolicy"), "may not be set for non-init containers"));
            }
        }
        errs.addAll(ContainerValidation.checkHostPortConflicts(containers, path, 0));
        return errs;
    }

    private static List<FieldError> validateInitContainers(List<Container> containers, List<Container> regular,
                                                           Map<String, Volume> volumes, Set<String> podClaimNames,
                                                           Long gracePeriod, FieldPath path, PodValidationOptions opts,
                                                           String restartPolicy, boolean hostUsers) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> allNames = new HashSet<>();
        for (Container c : regular) {
            allNames.add(str(c.getName()));
        }
        for (int i = 0; i < containers.size(); i++) {
            Container ctr = containers.get(i);
            FieldPath p = path.index(i);
            errs.addAll(ContainerValidation.validateContainerCommon(ctr, volumes, podClaimNames, p, opts, restartPolicy, hostUsers));
            boolean restartAlways = false;
            if (ctr.getRestartPolicy() != null) {
                if (!ctr.getRestartPolicy().equals("Always")) {
                    errs.add(FieldError.notSupported(p.child("restartPolicy"), ctr.getRestartPolicy(), List.of("Always")));
                }
                restartAlways = ctr.getRestartPolicy().equals("Always");
            }
            String name = str(ctr.getName());
            if (allNames.contains(name)) {
                errs.add(FieldError.duplicate(p.child("name"), name));
            } else if (!name.isEmpty()) {
                allNames.add(name);
            }
            // init containers run one by one, so each is checked alone (upstream reports index 0)
            errs.addAll(ContainerValidation.checkHostPortConflicts(List.of(ctr), path, 0));
            if (restartAlways) {
                if (ctr.getLifecycle() != null) {
                    errs.addAll(ContainerValidation.validateLifecycle(ctr.getLifecycle(), gracePeriod, p.child("lifecycle"), opts));
                }
                errs.addAll(ContainerValidation.validateLivenessProbe(ctr.getLivenessProbe(), gracePeriod, p.child("livenessProbe"), opts));
                errs.addAll(ContainerValidation.validateReadinessProbe(ctr.getReadinessProbe(), gracePeriod, p.child("readinessProbe"), opts));
                errs.addAll(ContainerValidation.validateStartupProbe(ctr.getStartupProbe(), gracePeriod, p.child("startupProbe"), opts));
            } else {
                String msg = "may not be set for init containers without restartPolicy=Always";
                if (ctr.getLifecycle() != null) {
                    errs.add(FieldError.forbidden(p.child("lifecycle"), msg));
                }
                if (ctr.getLivenessProbe() != null) {
                    errs.add(FieldError.forbidden(p.child("livenessProbe"), msg));
                }
                if (ctr.getReadinessProbe() != null) {
                    errs.add(FieldError.forbidden(p.child("readinessProbe"), msg));
                }
                if (ctr.getStartupProbe() != null) {
                    errs.add(FieldError.forbidden(p.child("startupProbe"), msg));
                }
            }
            if (!nonNull(ctr.getResizePolicy()).isEmpty()) {
                errs.add(FieldError.invalid(p.child("resizePolicy"), ContainerValidation.resizePolicyGoSyntax(ctr.getResizePolicy()),
                        "must not be set for init containers"));
            }
        }
        return errs;
    }

    private static List<FieldError> validateEphemeralContainers(List<EphemeralContainer> ephemeral, List<Container> containers,
                                                                List<Container> initContainers, Map<String, Volume> volumes,
                                                                Set<String> podClaimNames, FieldPath path,
                                                                PodValidationOptions opts, String restartPolicy,
                                                                boolean hostUsers) {
        List<FieldError> errs = new ArrayList<>();
        if (ephemeral.isEmpty()) {
            return errs;
        }
        Set<String> otherNames = new HashSet<>();
        for (Container c : containers) {
            otherNames.add(str(c.getName()));
        }
        for (Container c : initContainers) {
            otherNames.add(str(c.getName()));
        }
        Set<String> allNames = new HashSet<>(otherNames);
        for (int i = 0; i < ephemeral.size(); i++) {
            EphemeralContainer ec = ephemeral.get(i);
            FieldPath p = path.index(i);
            Container c = asContainer(ec);
            errs.addAll(ContainerValidation.validateContainerCommon(c, volumes, podClaimNames, p, opts, restartPolicy, hostUsers));
            String image = str(c.getImage());
            if (!image.equals(image.strip())) {
                errs.add(FieldError.invalid(p.child("image"), image, "must not have leading or trailing whitespace"));
            }
            String name = str(ec.getName());
            if (!allNames.add(name)) {
                errs.add(FieldError.duplicate(p.child("name"), name));
            }
            String target = str(ec.getTargetContainerName());
            if (!target.isEmpty() && !otherNames.contains(target)) {
                errs.add(FieldError.notFound(p.child("targetContainerName"), target));
            }
            String msg = "cannot be set for an Ephemeral Container";
            if (!nonNull(ec.getPorts()).isEmpty()) {
                errs.add(FieldError.forbidden(p.child("ports"), msg));
            }
            if (ec.getResources() != null && (!isEmpty(ec.getResources().getLimits()) || !isEmpty(ec.getResources().getRequests())
                    || !nonNull(ec.getResources().getClaims()).isEmpty())) {
                errs.add(FieldError.forbidden(p.child("resources"), msg));
            }
            if (!nonNull(ec.getResizePolicy()).isEmpty()) {
                errs.add(FieldError.forbidden(p.child("resizePolicy"), msg));
            }
            if (ec.getRestartPolicy() != null) {
                errs.add(FieldError.forbidden(p.child("restartPolicy"), msg));
            }
            if (ec.getLivenessProbe() != null) {
                errs.add(FieldError.forbidden(p.child("livenessProbe"), msg));
            }
            if (ec.getReadinessProbe() != null) {
                errs.add(FieldError.forbidden(p.child("readinessProbe"), msg));
            }
            if (ec.getStartupProbe() != null) {
                errs.add(FieldError.forbidden(p.child("startupProbe"), msg));
            }
            if (ec.getLifecycle() != null) {
                errs.add(FieldError.forbidden(p.child("lifecycle"), msg));
            }
            for (int j = 0; j < nonNull(ec.getVolumeMounts()).size(); j++) {
                var vm = ec.getVolumeMounts().get(j);
                if (!str(vm.getSubPath()).isEmpty()) {
                    errs.add(FieldError.forbidden(p.child("volumeMounts").index(j).child("subPath"), msg));
                }
                if (!str(vm.getSubPathExpr()).isEmpty()) {
                    errs.add(FieldError.forbidden(p.child("volumeMounts").index(j).child("subPathExpr"), msg));
                }
            }
        }
        return errs;
    }

    private static boolean isEmpty(Map<String, Quantity> m) {
        return m == null || m.isEmpty();
    }

    private static Container asContainer(EphemeralContainer ec) {
        Container c = new Container();
        c.setName(ec.getName());
        c.setImage(ec.getImage());
        c.setImagePullPolicy(ec.getImagePullPolicy());
        c.setTerminationMessagePolicy(ec.getTerminationMessagePolicy());
        c.setTerminationMessagePath(ec.getTerminationMessagePath());
        c.setPorts(ec.getPorts());
        c.setEnv(ec.getEnv());
        c.setEnvFrom(ec.getEnvFrom());
        c.setVolumeMounts(ec.getVolumeMounts());
        c.setVolumeDevices(ec.getVolumeDevices());
        c.setResources(ec.getResources());
        c.setResizePolicy(ec.getResizePolicy());
        c.setSecurityContext(ec.getSecurityContext());
        return c;
    }

    private static List<FieldError> validatePodHostNetworkDeps(PodSpec spec, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        if (!Boolean.TRUE.equals(spec.getHostNetwork())) {
            return errs;
        }
        FieldPath cPath = path.child("containers");
        List<Container> containers = nonNull(spec.getContainers());
        for (int i = 0; i < containers.size(); i++) {
            List<ContainerPort> ports = nonNull(containers.get(i).getPorts());
            for (int j = 0; j < ports.size(); j++) {
                int hp = ports.get(j).getHostPort() == null ? 0 : ports.get(j).getHostPort();
                int cp = ports.get(j).getContainerPort() == null ? 0 : ports.get(j).getContainerPort();
                if ((opts.resourceIsPod() || hp != 0) && hp != cp) {
                    errs.add(FieldError.invalid(cPath.index(i).child("ports").index(j).child("hostPort"), hp,
                            "must match `containerPort` when `hostNetwork` is true"));
                }
            }
        }
        return errs;
    }

    private static final Pattern SYSCTL_NAME = Pattern.compile(
            "([a-z0-9]([-_a-z0-9]*[a-z0-9])?[\\./])*[a-z0-9]([-_a-z0-9]*[a-z0-9])?");

    /** {@code validatePodSpecSecurityContext} (host namespaces live in the internal security context). */
    private static List<FieldError> validatePodSpecSecurityContext(PodSpec spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        PodSecurityContext sc = spec.getSecurityContext() == null ? new PodSecurityContext() : spec.getSecurityContext();
        if (sc.getFsGroup() != null) {
            for (String msg : NameValidation.isValidGroupID(sc.getFsGroup())) {
                errs.add(FieldError.invalid(path.child("fsGroup"), sc.getFsGroup(), msg));
            }
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
        List<Long> groups = nonNull(sc.getSupplementalGroups());
        for (int g = 0; g < groups.size(); g++) {
            for (String msg : NameValidation.isValidGroupID(groups.get(g))) {
                errs.add(FieldError.invalid(path.child("supplementalGroups").index(g), groups.get(g), msg));
            }
        }
        if (spec.getShareProcessNamespace() != null && Boolean.TRUE.equals(spec.getHostPID()) && spec.getShareProcessNamespace()) {
            errs.add(FieldError.invalid(path.child("shareProcessNamespace"), true, "ShareProcessNamespace and HostPID cannot both be enabled"));
        }
        List<Sysctl> sysctls = nonNull(sc.getSysctls());
        Set<String> names = new HashSet<>();
        for (int i = 0; i < sysctls.size(); i++) {
            String name = str(sysctls.get(i).getName());
            FieldPath p = path.child("sysctls").index(i).child("name");
            if (name.isEmpty()) {
                errs.add(FieldError.required(p, ""));
            } else if (NameValidation.byteLen(name) > 253 || !SYSCTL_NAME.matcher(name).matches()) {
                errs.add(FieldError.invalid(p, name, "must have at most 253 characters and match regex ^"
                        + SYSCTL_NAME.pattern() + "$"));
            } else if (names.contains(name)) {
                errs.add(FieldError.duplicate(p, name));
            }
            names.add(name);
        }
        if (sc.getFsGroupChangePolicy() != null && !List.of("Always", "OnRootMismatch").contains(sc.getFsGroupChangePolicy())) {
            errs.add(FieldError.notSupported(path.child("fsGroupChangePolicy"), sc.getFsGroupChangePolicy(), List.of("Always", "OnRootMismatch")));
        }
        errs.addAll(ContainerValidation.validateSeccompProfileField(sc.getSeccompProfile(), path.child("seccompProfile")));
        if (sc.getSupplementalGroupsPolicy() != null && !List.of("Merge", "Strict").contains(sc.getSupplementalGroupsPolicy())) {
            errs.add(FieldError.notSupported(path.child("supplementalGroupsPolicy"), sc.getSupplementalGroupsPolicy(), List.of("Merge", "Strict")));
        }
        return errs;
    }

    private static List<FieldError> validateHostUsers(PodSpec spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (spec.getHostUsers() == null || spec.getHostUsers()) {
            return errs;
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            errs.add(FieldError.forbidden(path.child("hostNetwork"), "when `pod.Spec.HostUsers` is false"));
        }
        if (Boolean.TRUE.equals(spec.getHostPID())) {
            errs.add(FieldError.forbidden(path.child("HostPID"), "when `pod.Spec.HostUsers` is false"));
        }
        if (Boolean.TRUE.equals(spec.getHostIPC())) {
            errs.add(FieldError.forbidden(path.child("HostIPC"), "when `pod.Spec.HostUsers` is false"));
        }
        return errs;
    }

    private static List<FieldError> validatePodDNSConfig(PodDNSConfig cfg, String dnsPolicy, FieldPath path, PodValidationOptions opts) {
        List<FieldError> errs = new ArrayList<>();
        if (dnsPolicy.equals("None")) {
            if (cfg == null) {
                errs.add(FieldError.required(path, "must provide `dnsConfig` when `dnsPolicy` is None"));
                return errs;
            }
            if (nonNull(cfg.getNameservers()).isEmpty()) {
                errs.add(FieldError.required(path.child("nameservers"), "must provide at least one DNS nameserver when `dnsPolicy` is None"));
                return errs;
            }
        }
        if (cfg == null) {
            return errs;
        }
        List<String> ns = nonNull(cfg.getNameservers());
        if (ns.size() > 3) {
            errs.add(FieldError.invalid(path.child("nameservers"), ns, "must not have more than 3 nameservers"));
        }
        for (int i = 0; i < ns.size(); i++) {
            errs.addAll(NameValidation.isValidIP(path.child("nameservers").index(i), ns.get(i)));
        }
        List<String> searches = nonNull(cfg.getSearches());
        if (searches.size() > 32) {
            errs.add(FieldError.invalid(path.child("searches"), searches, "must not have more than 32 search paths"));
        }
        if (NameValidation.byteLen(String.join(" ", searches)) > 2048) {
            errs.add(FieldError.invalid(path.child("searches"), searches,
                    "must not have more than 2048 characters (including spaces) in the search list"));
        }
        for (int i = 0; i < searches.size(); i++) {
            String search = searches.get(i);
            if (search.endsWith(".")) {
                search = search.substring(0, search.length() - 1);
            }
            errs.addAll(NameValidation.validateDNS1123Subdomain(search, path.child("searches").index(i)));
        }
        List<PodDNSConfigOption> options = nonNull(cfg.getOptions());
        for (int i = 0; i < options.size(); i++) {
            if (str(options.get(i).getName()).isEmpty()) {
                errs.add(FieldError.required(path.child("options").index(i), "must not be empty"));
            }
        }
        return errs;
    }

    private static List<FieldError> validateSchedulingGates(List<PodSchedulingGate> gates, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < gates.size(); i++) {
            String name = str(gates.get(i).getName());
            errs.addAll(NameValidation.validateQualifiedName(name, path.index(i)));
            if (!seen.add(name)) {
                errs.add(FieldError.duplicate(path.index(i), name));
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ affinity

    private static List<FieldError> validateAffinity(Affinity affinity, PodValidationOptions opts, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (affinity == null) {
            return errs;
        }
        NodeAffinity na = affinity.getNodeAffinity();
        if (na != null) {
            FieldPath p = path.child("nodeAffinity");
            if (na.getRequiredDuringSchedulingIgnoredDuringExecution() != null) {
                errs.addAll(validateNodeSelector(na.getRequiredDuringSchedulingIgnoredDuringExecution(), false,
                        p.child("requiredDuringSchedulingIgnoredDuringExecution")));
            }
            List<PreferredSchedulingTerm> preferred = nonNull(na.getPreferredDuringSchedulingIgnoredDuringExecution());
            FieldPath pp = p.child("preferredDuringSchedulingIgnoredDuringExecution");
            for (int i = 0; i < preferred.size(); i++) {
                int w = ContainerValidation.intv(preferred.get(i).getWeight());
                if (w <= 0 || w > 100) {
                    errs.add(FieldError.invalid(pp.index(i).child("weight"), w, "must be in the range 1-100"));
                }
                errs.addAll(validateNodeSelectorTerm(preferred.get(i).getPreference() == null ? new NodeSelectorTerm()
                        : preferred.get(i).getPreference(), true, pp.index(i).child("preference")));
            }
        }
        if (affinity.getPodAffinity() != null) {
            FieldPath p = path.child("podAffinity");
            errs.addAll(validatePodAffinityTerms(nonNull(affinity.getPodAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()),
                    opts, p.child("requiredDuringSchedulingIgnoredDuringExecution")));
            errs.addAll(validateWeightedPodAffinityTerms(nonNull(affinity.getPodAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()),
                    opts, p.child("preferredDuringSchedulingIgnoredDuringExecution")));
        }
        if (affinity.getPodAntiAffinity() != null) {
            FieldPath p = path.child("podAntiAffinity");
            errs.addAll(validatePodAffinityTerms(nonNull(affinity.getPodAntiAffinity().getRequiredDuringSchedulingIgnoredDuringExecution()),
                    opts, p.child("requiredDuringSchedulingIgnoredDuringExecution")));
            errs.addAll(validateWeightedPodAffinityTerms(nonNull(affinity.getPodAntiAffinity().getPreferredDuringSchedulingIgnoredDuringExecution()),
                    opts, p.child("preferredDuringSchedulingIgnoredDuringExecution")));
        }
        return errs;
    }

    /** {@code ValidateNodeSelector}. */
    static List<FieldError> validateNodeSelector(NodeSelector ns, boolean allowInvalidLabelValue, FieldPath path) {
        FieldPath termPath = path.child("nodeSelectorTerms");
        List<NodeSelectorTerm> terms = nonNull(ns.getNodeSelectorTerms());
        if (terms.isEmpty()) {
            return List.of(FieldError.required(termPath, "must have at least one node selector term"));
        }
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            errs.addAll(validateNodeSelectorTerm(terms.get(i), allowInvalidLabelValue, termPath.index(i)));
        }
        return errs;
    }

    private static List<FieldError> validateNodeSelectorTerm(NodeSelectorTerm term, boolean allowInvalidLabelValue, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        List<NodeSelectorRequirement> exprs = nonNull(term.getMatchExpressions());
        for (int j = 0; j < exprs.size(); j++) {
            errs.addAll(validateNodeSelectorRequirement(exprs.get(j), allowInvalidLabelValue, path.child("matchExpressions").index(j)));
        }
        List<NodeSelectorRequirement> fields = nonNull(term.getMatchFields());
        for (int j = 0; j < fields.size(); j++) {
            errs.addAll(validateNodeFieldSelectorRequirement(fields.get(j), path.child("matchFields").index(j)));
        }
        return errs;
    }

    private static List<FieldError> validateNodeSelectorRequirement(NodeSelectorRequirement rq, boolean allowInvalidLabelValue,
                                                                    FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        List<String> values = nonNull(rq.getValues());
        String op = str(rq.getOperator());
        switch (op) {
            case "In", "NotIn" -> {
                if (values.isEmpty()) {
                    errs.add(FieldError.required(path.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                }
            }
            case "Exists", "DoesNotExist" -> {
                if (!values.isEmpty()) {
                    errs.add(FieldError.forbidden(path.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                }
            }
            case "Gt", "Lt" -> {
                if (values.size() != 1) {
                    errs.add(FieldError.required(path.child("values"), "must be specified single value when `operator` is 'Lt' or 'Gt'"));
                }
            }
            default -> errs.add(FieldError.invalid(path.child("operator"), op, "not a valid selector operator"));
        }
        errs.addAll(ObjectMetaValidation.validateLabelName(str(rq.getKey()), path.child("key")));
        if (!allowInvalidLabelValue) {
            for (int i = 0; i < values.size(); i++) {
                for (String msg : NameValidation.isValidLabelValue(values.get(i))) {
                    errs.add(FieldError.invalid(path.child("values").index(i), values.get(i), msg));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validateNodeFieldSelectorRequirement(NodeSelectorRequirement req, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String op = str(req.getOperator());
        List<String> values = nonNull(req.getValues());
        if (op.equals("In") || op.equals("NotIn")) {
            if (values.size() != 1) {
                errs.add(FieldError.required(path.child("values"), "must be only one value when `operator` is 'In' or 'NotIn' for node field selector"));
            }
        } else {
            errs.add(FieldError.invalid(path.child("operator"), op, "not a valid selector operator"));
        }
        if (!"metadata.name".equals(req.getKey())) {
            errs.add(FieldError.invalid(path.child("key"), str(req.getKey()), "not a valid field selector key"));
        } else {
            for (int i = 0; i < values.size(); i++) {
                for (String msg : NameValidation.nameIsDNSSubdomain(values.get(i), false)) {
                    errs.add(FieldError.invalid(path.child("values").index(i), values.get(i), msg));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validatePodAffinityTerms(List<PodAffinityTerm> terms, PodValidationOptions opts, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < terms.size(); i++) {
            errs.addAll(validatePodAffinityTerm(terms.get(i), opts, path.index(i)));
        }
        return errs;
    }

    private static List<FieldError> validateWeightedPodAffinityTerms(List<WeightedPodAffinityTerm> terms, PodValidationOptions opts,
                                                                     FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (int j = 0; j < terms.size(); j++) {
            int w = ContainerValidation.intv(terms.get(j).getWeight());
            if (w <= 0 || w > 100) {
                errs.add(FieldError.invalid(path.index(j).child("weight"), w, "must be in the range 1-100"));
            }
            PodAffinityTerm t = terms.get(j).getPodAffinityTerm() == null ? new PodAffinityTerm() : terms.get(j).getPodAffinityTerm();
            errs.addAll(validatePodAffinityTerm(t, opts, path.index(j).child("podAffinityTerm")));
        }
        return errs;
    }

    private static List<FieldError> validatePodAffinityTerm(PodAffinityTerm term, PodValidationOptions opts, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        errs.addAll(validateLabelSelector(term.getLabelSelector(), opts.allowInvalidLabelValueInSelector(), path.child("labelSelector")));
        errs.addAll(validateLabelSelector(term.getNamespaceSelector(), opts.allowInvalidLabelValueInSelector(), path.child("namespaceSelector")));
        for (String ns : nonNull(term.getNamespaces())) {
            for (String msg : NameValidation.nameIsDNSLabel(ns, false)) {
                // upstream reports these on the singular "namespace" child
                errs.add(FieldError.invalid(path.child("namespace"), ns, msg));
            }
        }
        if (str(term.getTopologyKey()).isEmpty()) {
            errs.add(FieldError.required(path.child("topologyKey"), "can not be empty"));
        }
        errs.addAll(ObjectMetaValidation.validateLabelName(str(term.getTopologyKey()), path.child("topologyKey")));
        return errs;
    }

    /** metav1 {@code ValidateLabelSelector}. */
    static List<FieldError> validateLabelSelector(LabelSelector ps, boolean allowInvalidLabelValue, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (ps == null) {
            return errs;
        }
        errs.addAll(ObjectMetaValidation.validateLabels(ps.getMatchLabels(), path.child("matchLabels")));
        List<LabelSelectorRequirement> exprs = nonNull(ps.getMatchExpressions());
        for (int i = 0; i < exprs.size(); i++) {
            LabelSelectorRequirement sr = exprs.get(i);
            FieldPath p = path.child("matchExpressions").index(i);
            List<String> values = nonNull(sr.getValues());
            String op = str(sr.getOperator());
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.add(FieldError.required(p.child("values"), "must be specified when `operator` is 'In' or 'NotIn'"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.add(FieldError.forbidden(p.child("values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'"));
                    }
                }
                default -> errs.add(FieldError.invalid(p.child("operator"), op, "not a valid selector operator"));
            }
            errs.addAll(ObjectMetaValidation.validateLabelName(str(sr.getKey()), p.child("key")));
            if (!allowInvalidLabelValue) {
                for (int v = 0; v < values.size(); v++) {
                    for (String msg : NameValidation.isValidLabelValue(values.get(v))) {
                        errs.add(FieldError.invalid(p.child("values").index(v), values.get(v), msg));
                    }
                }
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ tolerations

    /** {@code ValidateTolerations}. */
    public static List<FieldError> validateTolerations(List<Toleration> tolerations, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < tolerations.size(); i++) {
            Toleration t = tolerations.get(i);
            FieldPath idx = path.index(i);
            String key = str(t.getKey());
            String op = str(t.getOperator());
            String effect = str(t.getEffect());
            String value = str(t.getValue());
            if (!key.isEmpty()) {
                errs.addAll(ObjectMetaValidation.validateLabelName(key, idx.child("key")));
            }
            if (key.isEmpty() && !op.equals("Exists")) {
                errs.add(FieldError.invalid(idx.child("operator"), op,
                        "operator must be Exists when `key` is empty, which means \"match all values and all keys\""));
            }
            if (t.getTolerationSeconds() != null && !effect.equals("NoExecute")) {
                errs.add(FieldError.invalid(idx.child("effect"), effect, "effect must be 'NoExecute' when `tolerationSeconds` is set"));
            }
            switch (op) {
                case "Equal", "" -> {
                    List<String> msgs = NameValidation.isValidLabelValue(value);
                    if (!msgs.isEmpty()) {
                        errs.add(FieldError.invalid(idx.child("operator"), value, String.join(";", msgs)));
                    }
                }
                case "Exists" -> {
                    if (!value.isEmpty()) {
                        errs.add(FieldError.invalid(idx.child("operator"), value, "value must be empty when `operator` is 'Exists'"));
                    }
                }
                default -> errs.add(FieldError.notSupported(idx.child("operator"), op, TOLERATION_OPERATORS));
            }
            if (!effect.isEmpty() && !TAINT_EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(idx.child("effect"), effect, TAINT_EFFECTS));
            }
        }
        return errs;
    }

    private static List<FieldError> validateOnlyAddedTolerations(List<Toleration> newTolerations, List<Toleration> oldTolerations,
                                                                 FieldPath path) {
        for (Toleration old : oldTolerations) {
            boolean found = false;
            for (Toleration n : newTolerations) {
                if (str(old.getKey()).equals(str(n.getKey())) && str(old.getOperator()).equals(str(n.getOperator()))
                        && str(old.getValue()).equals(str(n.getValue())) && str(old.getEffect()).equals(str(n.getEffect()))) {
                    found = true;
                    break;
                }
            }
            if (!found) {
                return List.of(FieldError.forbidden(path, "existing toleration can not be modified except its tolerationSeconds"));
            }
        }
        return validateTolerations(newTolerations, path);
    }

    private static List<FieldError> validateOnlyDeletedSchedulingGates(List<PodSchedulingGate> newGates, List<PodSchedulingGate> oldGates,
                                                                       FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (newGates.isEmpty()) {
            return errs;
        }
        Map<String, Integer> additional = new LinkedHashMap<>();
        for (int i = 0; i < newGates.size(); i++) {
            additional.put(str(newGates.get(i).getName()), i);
        }
        for (PodSchedulingGate g : oldGates) {
            additional.remove(str(g.getName()));
        }
        for (Map.Entry<String, Integer> e : additional.entrySet()) {
            errs.add(FieldError.forbidden(path.index(e.getValue()).child("name"),
                    "only deletion is allowed, but found new scheduling gate '" + e.getKey() + "'"));
        }
        return errs;
    }

    // returns true to stop (container count changed)
    private static boolean validateContainerUpdates(List<Container> newContainers, List<Container> oldContainers, FieldPath path,
                                                    List<FieldError> errs) {
        List<Container> n = nonNull(newContainers);
        List<Container> o = nonNull(oldContainers);
        if (n.size() != o.size()) {
            errs.add(FieldError.forbidden(path, "pod updates may not add or remove containers"));
            return true;
        }
        for (int i = 0; i < n.size(); i++) {
            String image = str(n.get(i).getImage());
            if (image.isEmpty()) {
                errs.add(FieldError.required(path.index(i).child("image"), ""));
            }
            if (!image.strip().equals(image)) {
                errs.add(FieldError.invalid(path.index(i).child("image"), image, "must not have leading or trailing whitespace"));
            }
        }
        return false;
    }

    // ------------------------------------------------------------------ status

    private static final Set<String> SYSTEM_CONDITIONS = Set.of("PodScheduled", "Ready", "Initialized");

    private static List<FieldError> validatePodConditions(List<PodCondition> conditions, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (int i = 0; i < conditions.size(); i++) {
            String type = str(conditions.get(i).getType());
            if (SYSTEM_CONDITIONS.contains(type)) {
                continue;
            }
            errs.addAll(NameValidation.validateQualifiedName(type, path.index(i).child("Type")));
        }
        return errs;
    }

    private static List<FieldError> validateContainerStateTransition(List<ContainerStatus> newStatuses, List<ContainerStatus> oldStatuses,
                                                                     FieldPath path, String restartPolicy,
                                                                     List<Container> initContainers) {
        List<FieldError> errs = new ArrayList<>();
        if (restartPolicy.equals("Always")) {
            return errs;
        }
        for (int i = 0; i < oldStatuses.size(); i++) {
            ContainerStatus old = oldStatuses.get(i);
            if (old.getState() == null || old.getState().getTerminated() == null) {
                continue;
            }
            int exit = ContainerValidation.intv(old.getState().getTerminated().getExitCode());
            if (exit != 0 && restartPolicy.equals("OnFailure")) {
                continue;
            }
            if (initContainers != null) {
                boolean restartable = false;
                for (Container c : initContainers) {
                    if (str(old.getName()).equals(str(c.getName()))) {
                        restartable = "Always".equals(c.getRestartPolicy());
                        break;
                    }
                }
                if (restartable) {
                    continue;
                }
            }
            for (ContainerStatus n : newStatuses) {
                if (str(old.getName()).equals(str(n.getName())) && (n.getState() == null || n.getState().getTerminated() == null)) {
                    errs.add(FieldError.forbidden(path.index(i).child("state"), "may not be transitioned to non-terminated state"));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validatePodIPs(PodStatus status) {
        List<FieldError> errs = new ArrayList<>();
        FieldPath f = FieldPath.root("status", "podIPs");
        List<PodIP> ips = nonNull(status.getPodIPs());
        for (int i = 0; i < ips.size(); i++) {
            errs.addAll(NameValidation.isValidIP(f.index(i), str(ips.get(i).getIp())));
        }
        if (ips.size() > 1) {
            List<String> strs = ips.stream().map(p -> str(p.getIp())).toList();
            Boolean dual = NetParse.isDualStack(strs, false);
            if (dual == null) {
                errs.add(FieldError.internal(f, "failed to check for dual stack with error:" + firstBadIP(strs)));
            }
            if (dual == null || !dual || ips.size() > 2) {
                errs.add(FieldError.invalid(f, GoFormat.raw(ipListGoSyntax("core.PodIP", strs)), "may specify no more than one IP for each IP family"));
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < strs.size(); i++) {
                if (!seen.add(strs.get(i))) {
                    errs.add(FieldError.duplicate(f.index(i), GoFormat.raw("core.PodIP{IP:" + GoFormat.quote(strs.get(i)) + "}")));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validateHostIPs(PodStatus status) {
        List<FieldError> errs = new ArrayList<>();
        List<HostIP> ips = nonNull(status.getHostIPs());
        if (ips.isEmpty()) {
            return errs;
        }
        FieldPath f = FieldPath.root("status", "hostIPs");
        if (!str(status.getHostIP()).equals(str(ips.get(0).getIp()))) {
            errs.add(FieldError.invalid(f.index(0).child("ip"), str(ips.get(0).getIp()), "must be equal to `hostIP`"));
        }
        for (int i = 0; i < ips.size(); i++) {
            errs.addAll(NameValidation.isValidIP(f.index(i), str(ips.get(i).getIp())));
        }
        if (ips.size() > 1) {
            List<String> strs = ips.stream().map(p -> str(p.getIp())).toList();
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < strs.size(); i++) {
                if (!seen.add(strs.get(i))) {
                    errs.add(FieldError.duplicate(f.index(i), GoFormat.raw("core.HostIP{IP:" + GoFormat.quote(strs.get(i)) + "}")));
                }
            }
            Boolean dual = NetParse.isDualStack(strs, false);
            if (dual == null) {
                errs.add(FieldError.internal(f, "failed to check for dual stack with error:" + firstBadIP(strs)));
            }
            if (dual == null || !dual || ips.size() > 2) {
                errs.add(FieldError.invalid(f, GoFormat.raw(ipListGoSyntax("core.HostIP", strs)), "may specify no more than one IP for each IP family"));
            }
        }
        return errs;
    }

    private static String firstBadIP(List<String> ips) {
        for (String ip : ips) {
            if (NetParse.parseIP(ip) == null) {
                return "ip " + ip + " is invalid";
            }
        }
        return "";
    }

    private static String ipListGoSyntax(String type, List<String> ips) {
        return ips.stream().map(ip -> type + "{IP:" + GoFormat.quote(ip) + "}")
                .collect(Collectors.joining(", ", "[]" + type + "{", "}"));
    }

    // ------------------------------------------------------------------ QoS

    /**
     * {@code qos.ComputePodQOS} (without pod-level resources, which are off in 1.32): BestEffort, Burstable or
     * Guaranteed, from the cpu/memory requests and limits of regular and init containers.
     */
    public static String computePodQOS(PodSpec spec) {
        Map<String, GoQuantity> requests = new LinkedHashMap<>();
        Map<String, GoQuantity> limits = new LinkedHashMap<>();
        boolean guaranteed = true;
        List<Container> all = new ArrayList<>(nonNull(spec.getContainers()));
        all.addAll(nonNull(spec.getInitContainers()));
        for (Container c : all) {
            Map<String, Quantity> req = c.getResources() == null || c.getResources().getRequests() == null
                    ? Map.of() : c.getResources().getRequests();
            Map<String, Quantity> lim = c.getResources() == null || c.getResources().getLimits() == null
                    ? Map.of() : c.getResources().getLimits();
            for (Map.Entry<String, Quantity> e : req.entrySet()) {
                if (!e.getKey().equals("cpu") && !e.getKey().equals("memory")) {
                    continue;
                }
                GoQuantity q = GoQuantity.tryParse(GoQuantity.text(e.getValue()));
                if (q != null && q.value().signum() > 0) {
                    requests.merge(e.getKey(), q, GoQuantity::add);
                }
            }
            Set<String> found = new HashSet<>();
            for (Map.Entry<String, Quantity> e : lim.entrySet()) {
                if (!e.getKey().equals("cpu") && !e.getKey().equals("memory")) {
                    continue;
                }
                GoQuantity q = GoQuantity.tryParse(GoQuantity.text(e.getValue()));
                if (q != null && q.value().signum() > 0) {
                    found.add(e.getKey());
                    limits.merge(e.getKey(), q, GoQuantity::add);
                }
            }
            if (!found.contains("memory") || !found.contains("cpu")) {
                guaranteed = false;
            }
        }
        if (requests.isEmpty() && limits.isEmpty()) {
            return "BestEffort";
        }
        if (guaranteed) {
            for (Map.Entry<String, GoQuantity> e : requests.entrySet()) {
                GoQuantity l = limits.get(e.getKey());
                if (l == null || l.compareTo(e.getValue()) != 0) {
                    guaranteed = false;
                    break;
                }
            }
        }
        if (guaranteed && requests.size() == limits.size()) {
            return "Guaranteed";
        }
        return "Burstable";
    }

    // ------------------------------------------------------------------ helpers

    static PodSpec spec(Pod pod) {
        return pod.getSpec() == null ? new PodSpec() : pod.getSpec();
    }

    private static Map<String, String> annotations(Pod pod) {
        if (pod.getMetadata() == null || pod.getMetadata().getAnnotations() == null) {
            return Map.of();
        }
        return pod.getMetadata().getAnnotations();
    }
}
