package io.kemu.apiserver.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestSetDefaultPodSpec*, TestSetDefaultProbe, TestSetDefaultSecret/ConfigMap/... in core/v1/defaults_test.go. */
class PodDefaultsTest {

    static PodBuilder base() {
        return new PodBuilder().withNewMetadata().withName("x").withNamespace("ns").endMetadata()
                .withNewSpec().addNewContainer().withName("app").withImage("nginx").endContainer().endSpec();
    }

    @Test
    void podSpecDefaults() {
        PodSpec spec = PodDefaults.apply(base().build()).getSpec();
        assertEquals("Always", spec.getRestartPolicy());
        assertEquals("ClusterFirst", spec.getDnsPolicy());
        assertEquals("default-scheduler", spec.getSchedulerName());
        assertEquals(30L, spec.getTerminationGracePeriodSeconds());
        assertNotNull(spec.getSecurityContext());
        assertEquals(true, spec.getEnableServiceLinks());
        Container c = spec.getContainers().get(0);
        assertEquals("Always", c.getImagePullPolicy());
        assertEquals("/dev/termination-log", c.getTerminationMessagePath());
        assertEquals("File", c.getTerminationMessagePolicy());
    }

    @Test
    void explicitValuesAreKept() {
        PodSpec spec = PodDefaults.apply(base().editSpec().withRestartPolicy("Never").withDnsPolicy("Default")
                .withSchedulerName("custom").withTerminationGracePeriodSeconds(5L).withEnableServiceLinks(false)
                .editFirstContainer().withImage("nginx:1.25").withTerminationMessagePolicy("FallbackToLogsOnError")
                .endContainer().endSpec().build()).getSpec();
        assertEquals("Never", spec.getRestartPolicy());
        assertEquals("Default", spec.getDnsPolicy());
        assertEquals("custom", spec.getSchedulerName());
        assertEquals(5L, spec.getTerminationGracePeriodSeconds());
        assertEquals(false, spec.getEnableServiceLinks());
        assertEquals("IfNotPresent", spec.getContainers().get(0).getImagePullPolicy());
        assertEquals("FallbackToLogsOnError", spec.getContainers().get(0).getTerminationMessagePolicy());
    }

    @Test
    void portsProbesAndHandlers() {
        Pod pod = PodDefaults.apply(base().editSpec().editFirstContainer()
                .addNewPort().withContainerPort(80).endPort()
                .addNewPort().withContainerPort(53).withProtocol("UDP").endPort()
                .withNewLivenessProbe().withNewHttpGet().withPort(new IntOrString(80)).endHttpGet().endLivenessProbe()
                .withNewReadinessProbe().withNewGrpc().withPort(9000).endGrpc().withPeriodSeconds(5).endReadinessProbe()
                .withNewLifecycle().withNewPreStop().withNewHttpGet().withPort(new IntOrString(80)).withScheme("HTTPS")
                .endHttpGet().endPreStop().endLifecycle()
                .endContainer().endSpec().build());
        Container c = pod.getSpec().getContainers().get(0);
        assertEquals("TCP", c.getPorts().get(0).getProtocol());
        assertEquals("UDP", c.getPorts().get(1).getProtocol());
        Probe live = c.getLivenessProbe();
        assertEquals(1, live.getTimeoutSeconds());
        assertEquals(10, live.getPeriodSeconds());
        assertEquals(1, live.getSuccessThreshold());
        assertEquals(3, live.getFailureThreshold());
        assertNull(live.getInitialDelaySeconds());
        assertEquals("/", live.getHttpGet().getPath());
        assertEquals("HTTP", live.getHttpGet().getScheme());
        assertEquals(5, c.getReadinessProbe().getPeriodSeconds());
        assertEquals("", c.getReadinessProbe().getGrpc().getService());
        assertEquals("/", c.getLifecycle().getPreStop().getHttpGet().getPath());
        assertEquals("HTTPS", c.getLifecycle().getPreStop().getHttpGet().getScheme());
    }

    @Test
    void volumeSources() {
        Pod pod = PodDefaults.apply(base().editSpec()
                .addNewVolume().withName("none").endVolume()
                .addNewVolume().withName("cm").withNewConfigMap().withName("c").endConfigMap().endVolume()
                .addNewVolume().withName("sec").withNewSecret().withSecretName("s").withDefaultMode(0400).endSecret().endVolume()
                .addNewVolume().withName("dapi").withNewDownwardAPI().addNewItem().withPath("n").withNewFieldRef()
                .withFieldPath("metadata.name").endFieldRef().endItem().endDownwardAPI().endVolume()
                .addNewVolume().withName("proj").withNewProjected().addNewSource().withNewServiceAccountToken().withPath("t")
                .endServiceAccountToken().endSource().endProjected().endVolume()
                .addNewVolume().withName("hp").withNewHostPath().withPath("/var").endHostPath().endVolume()
                .addNewVolume().withName("ed").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("rbd").withNewRbd().withImage("i").withMonitors("m").endRbd().endVolume()
                .endSpec().build());
        Map<String, Volume> v = new java.util.HashMap<>();
        pod.getSpec().getVolumes().forEach(vol -> v.put(vol.getName(), vol));
        assertNotNull(v.get("none").getEmptyDir());
        assertEquals(420, v.get("cm").getConfigMap().getDefaultMode());
        assertEquals(0400, v.get("sec").getSecret().getDefaultMode());
        assertEquals(420, v.get("dapi").getDownwardAPI().getDefaultMode());
        assertEquals("v1", v.get("dapi").getDownwardAPI().getItems().get(0).getFieldRef().getApiVersion());
        assertEquals(420, v.get("proj").getProjected().getDefaultMode());
        assertEquals(3600L, v.get("proj").getProjected().getSources().get(0).getServiceAccountToken().getExpirationSeconds());
        assertEquals("", v.get("hp").getHostPath().getType());
        assertNull(v.get("ed").getEmptyDir().getMedium());
        assertEquals("rbd", v.get("rbd").getRbd().getPool());
        assertEquals("admin", v.get("rbd").getRbd().getUser());
        assertEquals("/etc/ceph/keyring", v.get("rbd").getRbd().getKeyring());
    }

    @Test
    void requestsDefaultToLimitsAndQuantitiesAreRounded() {
        Pod pod = PodDefaults.apply(base().editSpec().editFirstContainer().withNewResources()
                .withLimits(Map.of("cpu", new Quantity("1000m"), "memory", new Quantity("128Mi")))
                .withRequests(Map.of("memory", new Quantity("64Mi")))
                .endResources().endContainer()
                .addNewInitContainer().withName("init").withImage("busybox").withNewResources()
                .withRequests(Map.of("cpu", new Quantity("0.0001"))).endResources().endInitContainer()
                .endSpec().build());
        Map<String, Quantity> req = pod.getSpec().getContainers().get(0).getResources().getRequests();
        assertEquals("1", req.get("cpu").toString());
        assertEquals("64Mi", req.get("memory").toString());
        assertEquals("1", pod.getSpec().getContainers().get(0).getResources().getLimits().get("cpu").toString());
        assertEquals("1m", pod.getSpec().getInitContainers().get(0).getResources().getRequests().get("cpu").toString());
        assertNull(pod.getSpec().getInitContainers().get(0).getResources().getLimits() == null
                || pod.getSpec().getInitContainers().get(0).getResources().getLimits().isEmpty() ? null : "limits");
    }

    @Test
    void hostNetworkDefaultsHostPorts() {
        Pod pod = PodDefaults.apply(base().editSpec().withHostNetwork(true).editFirstContainer()
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec().build());
        assertEquals(8080, pod.getSpec().getContainers().get(0).getPorts().get(0).getHostPort());
        Pod noHostNet = PodDefaults.apply(base().editSpec().editFirstContainer()
                .addNewPort().withContainerPort(8080).endPort().endContainer().endSpec().build());
        assertNull(noHostNet.getSpec().getContainers().get(0).getPorts().get(0).getHostPort());
    }

    @Test
    void envFieldRefsGetApiVersion() {
        Pod pod = PodDefaults.apply(base().editSpec().editFirstContainer().addNewEnv().withName("N").withNewValueFrom()
                .withNewFieldRef().withFieldPath("metadata.name").endFieldRef().endValueFrom().endEnv().endContainer().endSpec().build());
        assertEquals("v1", pod.getSpec().getContainers().get(0).getEnv().get(0).getValueFrom().getFieldRef().getApiVersion());
    }

    @Test
    void defaultedPodIsIdempotent() {
        Pod once = PodDefaults.apply(base().build());
        Pod twice = PodDefaults.apply(new PodBuilder(once).build());
        assertEquals(once, twice);
        assertTrue(once.getSpec().getContainers().get(0).getImagePullPolicy().equals("Always"));
    }
}
