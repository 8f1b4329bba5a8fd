package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.DownwardAPIVolumeFile;
import io.fabric8.kubernetes.api.model.EmptyDirVolumeSource;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.EphemeralContainer;
import io.fabric8.kubernetes.api.model.HTTPGetAction;
import io.fabric8.kubernetes.api.model.Lifecycle;
import io.fabric8.kubernetes.api.model.ObjectFieldSelector;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.kemu.apiserver.validation.GoQuantity;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pod defaulting as kube-apiserver 1.32 applies it on decode: {@code SetObjectDefaults_Pod}
 * (pkg/apis/core/v1/zz_generated.defaults.go) and the {@code SetDefaults_*} functions it calls
 * (pkg/apis/core/v1/defaults.go), including the declarative {@code +default} markers (port protocol TCP, gRPC probe
 * service "", iSCSI interface and RBD pool/user/keyring). Feature-gated branches that are off in 1.32
 * (PodLevelResources, ImageVolume pull policy, InPlacePodVerticalScaling resize policy) are not applied.
 */
public final class PodDefaults {
    private PodDefaults() {
    }

    public static final long DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS = 30;
    public static final String DEFAULT_SCHEDULER_NAME = "default-scheduler";
    public static final String TERMINATION_MESSAGE_PATH_DEFAULT = "/dev/termination-log";
    /** 0644, the default mode of secret, configMap, downwardAPI and projected volumes. */
    public static final int DEFAULT_VOLUME_MODE = 0644;
    public static final long DEFAULT_SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS = 3600;

    /** Mutates {@code pod} in place and returns it. */
    public static Pod apply(Pod pod) {
        if (pod.getSpec() == null) {
            pod.setSpec(new PodSpec());
        }
        PodSpec spec = pod.getSpec();
        setDefaultsPod(spec);
        applyToPodSpec(spec);
        if (pod.getStatus() != null) {
            roundStatuses(pod);
        }
        return pod;
    }

    /**
     * The defaults {@code SetObjectDefaults_*} apply to a pod template's spec (Deployment, ReplicaSet, Job, ...):
     * everything but {@code SetDefaults_Pod} (requests from limits, enableServiceLinks, host-network ports), which upstream
     * keeps for Pods only.
     */
    public static PodTemplateSpec applyToTemplate(PodTemplateSpec template) {
        if (template.getSpec() == null) {
            template.setSpec(new PodSpec());
        }
        applyToPodSpec(template.getSpec());
        return template;
    }

    static void applyToPodSpec(PodSpec spec) {
        setDefaultsPodSpec(spec);
        for (Volume v : nn(spec.getVolumes())) {
            setDefaultsVolume(v);
        }
        for (Container c : nn(spec.getInitContainers())) {
            setDefaultsContainerTree(c);
        }
        for (Container c : nn(spec.getContainers())) {
            setDefaultsContainerTree(c);
        }
        for (EphemeralContainer ec : nn(spec.getEphemeralContainers())) {
            setDefaultsEphemeralContainerTree(ec);
        }
        spec.setOverhead(roundResourceList(spec.getOverhead()));
    }

    private static void roundStatuses(Pod pod) {
        {
            for (List<ContainerStatus> statuses : List.of(nn(pod.getStatus().getInitContainerStatuses()),
                    nn(pod.getStatus().getContainerStatuses()), nn(pod.getStatus().getEphemeralContainerStatuses()))) {
                for (ContainerStatus cs : statuses) {
                    cs.setAllocatedResources(roundResourceList(cs.getAllocatedResources()));
                    if (cs.getResources() != null) {
                        cs.getResources().setLimits(roundResourceList(cs.getResources().getLimits()));
                        cs.getResources().setRequests(roundResourceList(cs.getResources().getRequests()));
                    }
                }
            }
        }
    }

    // SetDefaults_Pod
    private static void setDefaultsPod(PodSpec spec) {
        // requests default to limits when only limits are set (pods only, not templates)
        for (List<Container> list : List.of(nn(spec.getContainers()), nn(spec.getInitContainers()))) {
            for (Container c : list) {
                ResourceRequirements r = c.getResources();
                if (r != null && r.getLimits() != null && !r.getLimits().isEmpty()) {
                    Map<String, Quantity> requests = r.getRequests() == null
                            ? new LinkedHashMap<>() : new LinkedHashMap<>(r.getRequests());
                    for (Map.Entry<String, Quantity> e : r.getLimits().entrySet()) {
                        requests.putIfAbsent(e.getKey(), new Quantity(GoQuantity.text(e.getValue())));
                    }
                    r.setRequests(requests);
                }
            }
        }
        if (spec.getEnableServiceLinks() == null) {
            spec.setEnableServiceLinks(true);
        }
        if (Boolean.TRUE.equals(spec.getHostNetwork())) {
            defaultHostNetworkPorts(nn(spec.getContainers()));
            defaultHostNetworkPorts(nn(spec.getInitContainers()));
        }
    }

    private static void defaultHostNetworkPorts(List<Container> containers) {
        for (Container c : containers) {
            for (ContainerPort p : nn(c.getPorts())) {
                if (p.getHostPort() == null || p.getHostPort() == 0) {
                    p.setHostPort(p.getContainerPort());
                }
            }
        }
    }

    // SetDefaults_PodSpec
    private static void setDefaultsPodSpec(PodSpec spec) {
        if (isEmpty(spec.getDnsPolicy())) {
            spec.setDnsPolicy("ClusterFirst");
        }
        if (isEmpty(spec.getRestartPolicy())) {
            spec.setRestartPolicy("Always");
        }
        if (spec.getSecurityContext() == null) {
            spec.setSecurityContext(new PodSecurityContext());
        }
        if (spec.getTerminationGracePeriodSeconds() == null) {
            spec.setTerminationGracePeriodSeconds(DEFAULT_TERMINATION_GRACE_PERIOD_SECONDS);
        }
        if (isEmpty(spec.getSchedulerName())) {
            spec.setSchedulerName(DEFAULT_SCHEDULER_NAME);
        }
    }

    // SetDefaults_Volume and the per-source defaults of SetObjectDefaults_Pod
    private static void setDefaultsVolume(Volume v) {
        if (hasNoSource(v)) {
            v.setEmptyDir(new EmptyDirVolumeSource());
        }
        if (v.getHostPath() != null && v.getHostPath().getType() == null) {
            v.getHostPath().setType(""); // SetDefaults_HostPathVolumeSource: HostPathUnset
        }
        if (v.getSecret() != null && v.getSecret().getDefaultMode() == null) {
            v.getSecret().setDefaultMode(DEFAULT_VOLUME_MODE);
        }
        if (v.getIscsi() != null && isEmpty(v.getIscsi().getIscsiInterface())) {
            v.getIscsi().setIscsiInterface("default");
        }
        if (v.getRbd() != null) {
            if (isEmpty(v.getRbd().getPool())) {
                v.getRbd().setPool("rbd");
            }
            if (isEmpty(v.getRbd().getUser())) {
                v.getRbd().setUser("admin");
            }
            if (isEmpty(v.getRbd().getKeyring())) {
                v.getRbd().setKeyring("/etc/ceph/keyring");
            }
        }
        if (v.getDownwardAPI() != null) {
            if (v.getDownwardAPI().getDefaultMode() == null) {
                v.getDownwardAPI().setDefaultMode(DEFAULT_VOLUME_MODE);
            }
            for (DownwardAPIVolumeFile f : nn(v.getDownwardAPI().getItems())) {
                setDefaultsObjectFieldSelector(f.getFieldRef());
            }
        }
        if (v.getConfigMap() != null && v.getConfigMap().getDefaultMode() == null) {
            v.getConfigMap().setDefaultMode(DEFAULT_VOLUME_MODE);
        }
        if (v.getProjected() != null) {
            if (v.getProjected().getDefaultMode() == null) {
                v.getProjected().setDefaultMode(DEFAULT_VOLUME_MODE);
            }
            for (VolumeProjection src : nn(v.getProjected().getSources())) {
                if (src.getDownwardAPI() != null) {
                    for (DownwardAPIVolumeFile f : nn(src.getDownwardAPI().getItems())) {
                        setDefaultsObjectFieldSelector(f.getFieldRef());
                    }
                }
                if (src.getServiceAccountToken() != null && src.getServiceAccountToken().getExpirationSeconds() == null) {
                    src.getServiceAccountToken().setExpirationSeconds(DEFAULT_SERVICE_ACCOUNT_TOKEN_EXPIRATION_SECONDS);
                }
            }
        }
        if (v.getEphemeral() != null && v.getEphemeral().getVolumeClaimTemplate() != null
                && v.getEphemeral().getVolumeClaimTemplate().getSpec() != null) {
            var pvcSpec = v.getEphemeral().getVolumeClaimTemplate().getSpec();
            if (pvcSpec.getVolumeMode() == null) {
                pvcSpec.setVolumeMode("Filesystem"); // SetDefaults_PersistentVolumeClaimSpec
            }
            if (pvcSpec.getResources() != null) {
                pvcSpec.getResources().setLimits(roundResourceList(pvcSpec.getResources().getLimits()));
                pvcSpec.getResources().setRequests(roundResourceList(pvcSpec.getResources().getRequests()));
            }
        }
    }

    // ptr.AllPtrFieldsNil(&obj.VolumeSource)
    private static boolean hasNoSource(Volume v) {
        return v.getHostPath() == null && v.getEmptyDir() == null && v.getGcePersistentDisk() == null
                && v.getAwsElasticBlockStore() == null && v.getGitRepo() == null && v.getSecret() == null
                && v.getNfs() == null && v.getIscsi() == null && v.getGlusterfs() == null
                && v.getPersistentVolumeClaim() == null && v.getRbd() == null && v.getFlexVolume() == null
                && v.getCinder() == null && v.getCephfs() == null && v.getFlocker() == null
                && v.getDownwardAPI() == null && v.getFc() == null && v.getAzureFile() == null
                && v.getConfigMap() == null && v.getVsphereVolume() == null && v.getQuobyte() == null
                && v.getAzureDisk() == null && v.getPhotonPersistentDisk() == null && v.getProjected() == null
                && v.getPortworxVolume() == null && v.getScaleIO() == null && v.getStorageos() == null
                && v.getCsi() == null && v.getEphemeral() == null && v.getImage() == null;
    }

    private static void setDefaultsContainerTree(Container c) {
        setDefaultsContainer(c);
        setDefaultsPorts(nn(c.getPorts()));
        setDefaultsEnv(nn(c.getEnv()));
        if (c.getResources() != null) {
            c.getResources().setLimits(roundResourceList(c.getResources().getLimits()));
            c.getResources().setRequests(roundResourceList(c.getResources().getRequests()));
        }
        setDefaultsProbe(c.getLivenessProbe());
        setDefaultsProbe(c.getReadinessProbe());
        setDefaultsProbe(c.getStartupProbe());
        setDefaultsLifecycle(c.getLifecycle());
    }

    private static void setDefaultsEphemeralContainerTree(EphemeralContainer c) {
        // SetDefaults_EphemeralContainer delegates to SetDefaults_Container
        c.setImagePullPolicy(defaultPullPolicy(c.getImagePullPolicy(), c.getImage()));
        if (isEmpty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath(TERMINATION_MESSAGE_PATH_DEFAULT);
        }
        if (isEmpty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy("File");
        }
        setDefaultsPorts(nn(c.getPorts()));
        setDefaultsEnv(nn(c.getEnv()));
        if (c.getResources() != null) {
            c.getResources().setLimits(roundResourceList(c.getResources().getLimits()));
            c.getResources().setRequests(roundResourceList(c.getResources().getRequests()));
        }
        setDefaultsProbe(c.getLivenessProbe());
        setDefaultsProbe(c.getReadinessProbe());
        setDefaultsProbe(c.getStartupProbe());
        setDefaultsLifecycle(c.getLifecycle());
    }

    // SetDefaults_Container
    private static void setDefaultsContainer(Container c) {
        c.setImagePullPolicy(defaultPullPolicy(c.getImagePullPolicy(), c.getImage()));
        if (isEmpty(c.getTerminationMessagePath())) {
            c.setTerminationMessagePath(TERMINATION_MESSAGE_PATH_DEFAULT);
        }
        if (isEmpty(c.getTerminationMessagePolicy())) {
            c.setTerminationMessagePolicy("File");
        }
    }

    /**
     * The pull policy SetDefaults_Container picks: Always when the parsed tag is {@code latest} (which includes "no
     * tag and no digest"), IfNotPresent otherwise, including digests and references that do not parse.
     */
    public static String defaultPullPolicy(String current, String image) {
        if (!isEmpty(current)) {
            return current;
        }
        ImageReference ref = ImageReference.tryParse(image);
        return ref != null && ref.tag().equals("latest") ? "Always" : "IfNotPresent";
    }

    private static void setDefaultsPorts(List<ContainerPort> ports) {
        for (ContainerPort p : ports) {
            if (isEmpty(p.getProtocol())) {
                p.setProtocol("TCP");
            }
        }
    }

    private static void setDefaultsEnv(List<EnvVar> env) {
        for (EnvVar e : env) {
            if (e.getValueFrom() != null) {
                setDefaultsObjectFieldSelector(e.getValueFrom().getFieldRef());
            }
        }
    }

    // SetDefaults_ObjectFieldSelector
    private static void setDefaultsObjectFieldSelector(ObjectFieldSelector s) {
        if (s != null && isEmpty(s.getApiVersion())) {
            s.setApiVersion("v1");
        }
    }

    // SetDefaults_Probe + SetDefaults_HTTPGetAction + gRPC service ""
    private static void setDefaultsProbe(Probe p) {
        if (p == null) {
            return;
        }
        if (p.getTimeoutSeconds() == null || p.getTimeoutSeconds() == 0) {
            p.setTimeoutSeconds(1);
        }
        if (p.getPeriodSeconds() == null || p.getPeriodSeconds() == 0) {
            p.setPeriodSeconds(10);
        }
        if (p.getSuccessThreshold() == null || p.getSuccessThreshold() == 0) {
            p.setSuccessThreshold(1);
        }
        if (p.getFailureThreshold() == null || p.getFailureThreshold() == 0) {
            p.setFailureThreshold(3);
        }
        setDefaultsHTTPGetAction(p.getHttpGet());
        if (p.getGrpc() != null && p.getGrpc().getService() == null) {
            p.getGrpc().setService("");
        }
    }

    private static void setDefaultsLifecycle(Lifecycle l) {
        if (l == null) {
            return;
        }
        if (l.getPostStart() != null) {
            setDefaultsHTTPGetAction(l.getPostStart().getHttpGet());
        }
        if (l.getPreStop() != null) {
            setDefaultsHTTPGetAction(l.getPreStop().getHttpGet());
        }
    }

    private static void setDefaultsHTTPGetAction(HTTPGetAction a) {
        if (a == null) {
            return;
        }
        if (isEmpty(a.getPath())) {
            a.setPath("/");
        }
        if (isEmpty(a.getScheme())) {
            a.setScheme("HTTP");
        }
    }

    /**
     * SetDefaults_ResourceList: every quantity rounded up to milli precision; the stored text is the quantity's
     * {@code String()}, i.e. the canonical form the apiserver serializes back.
     */
    static Map<String, Quantity> roundResourceList(Map<String, Quantity> list) {
        if (list == null || list.isEmpty()) {
            return list;
        }
        Map<String, Quantity> out = new LinkedHashMap<>();
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            GoQuantity q = GoQuantity.tryParse(GoQuantity.text(e.getValue()));
            out.put(e.getKey(), q == null ? e.getValue() : new Quantity(q.roundUpMilli().toString()));
        }
        return out;
    }

    static boolean isEmpty(String s) {
        return s == null || s.isEmpty();
    }

    static <T> List<T> nn(List<T> l) {
        return l == null ? List.of() : l;
    }
}
