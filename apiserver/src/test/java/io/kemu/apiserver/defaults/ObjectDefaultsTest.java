package io.kemu.apiserver.defaults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointPortBuilder;
import io.fabric8.kubernetes.api.model.EndpointSubsetBuilder;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeBuilder;
import io.fabric8.kubernetes.api.model.LimitRangeItemBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.SubjectBuilder;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClassBuilder;
import io.kemu.apiserver.validation.FieldError;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Mirrors TestSetDefaultService*, TestSetDefaultDeployment, TestSetDefaultReplicaSet, TestSetDefaultJob* and friends. */
class ObjectDefaultsTest {

    @Test
    void service() {
        Service s = ObjectDefaults.apply(new ServiceBuilder().withNewMetadata().withName("web").endMetadata().withNewSpec()
                .withPorts(new ServicePortBuilder().withPort(80).build()).endSpec().build());
        assertEquals("ClusterIP", s.getSpec().getType());
        assertEquals("None", s.getSpec().getSessionAffinity());
        assertEquals("TCP", s.getSpec().getPorts().get(0).getProtocol());
        assertEquals(80, s.getSpec().getPorts().get(0).getTargetPort().getIntVal());
        assertEquals("Cluster", s.getSpec().getInternalTrafficPolicy());
        assertNull(s.getSpec().getExternalTrafficPolicy());
        assertNull(s.getSpec().getAllocateLoadBalancerNodePorts());
        assertNull(s.getSpec().getIpFamilyPolicy(), "ip families are the registry's, not defaults");

        Service lb = ObjectDefaults.apply(new ServiceBuilder().withNewSpec().withType("LoadBalancer").withSessionAffinity("ClientIP")
                .withPorts(new ServicePortBuilder().withPort(443).withTargetPort(new IntOrString("https")).build()).endSpec().build());
        assertEquals("Cluster", lb.getSpec().getExternalTrafficPolicy());
        assertEquals(true, lb.getSpec().getAllocateLoadBalancerNodePorts());
        assertEquals(10800, lb.getSpec().getSessionAffinityConfig().getClientIP().getTimeoutSeconds());
        assertEquals("https", lb.getSpec().getPorts().get(0).getTargetPort().getStrVal());
    }

    @Test
    void serviceIPFamiliesAsTheRegistrySetsThem() {
        Service s = ServiceDefaults.apply(new ServiceBuilder().withNewSpec().withSelector(Map.of("a", "b"))
                .withPorts(new ServicePortBuilder().withPort(80).build()).endSpec().build());
        assertEquals(List.of(), ServiceDefaults.initIPFamilyFields(s, null));
        assertEquals("SingleStack", s.getSpec().getIpFamilyPolicy());
        assertEquals(List.of("IPv4"), s.getSpec().getIpFamilies());

        Service headless = ServiceDefaults.apply(new ServiceBuilder().withNewSpec().withClusterIP("None").endSpec().build());
        ServiceDefaults.normalizeClusterIPs(headless, null);
        assertEquals(List.of("None"), headless.getSpec().getClusterIPs());
        assertEquals(List.of(), ServiceDefaults.initIPFamilyFields(headless, null));
        assertEquals("RequireDualStack", headless.getSpec().getIpFamilyPolicy());
        assertEquals(List.of("IPv4", "IPv6"), headless.getSpec().getIpFamilies());

        Service dual = ServiceDefaults.apply(new ServiceBuilder().withNewSpec().withSelector(Map.of("a", "b"))
                .withIpFamilyPolicy("RequireDualStack").withPorts(new ServicePortBuilder().withPort(80).build()).endSpec().build());
        assertEquals(List.of("spec.ipFamilyPolicy: Invalid value: \"RequireDualStack\": this cluster is not configured for dual-stack services"),
                ServiceDefaults.initIPFamilyFields(dual, null).stream().map(FieldError::message).toList());
    }

    @Test
    void coreKinds() {
        Endpoints ep = ObjectDefaults.apply(new EndpointsBuilder().withSubsets(new EndpointSubsetBuilder()
                .withPorts(new EndpointPortBuilder().withPort(80).build()).build()).build());
        assertEquals("TCP", ep.getSubsets().get(0).getPorts().get(0).getProtocol());
        Secret s = ObjectDefaults.apply(new SecretBuilder().withStringData(Map.of("k", "v")).build());
        assertEquals("Opaque", s.getType());
        assertEquals("dg==", s.getData().get("k"));
        assertNull(s.getStringData());
        LimitRange lr = ObjectDefaults.apply(new LimitRangeBuilder().withNewSpec().withLimits(new LimitRangeItemBuilder()
                .withType("Container").withMax(Map.of("cpu", new Quantity("2"))).withMin(Map.of("memory", new Quantity("1.0001m")))
                .build()).endSpec().build());
        assertEquals("2", lr.getSpec().getLimits().get(0).getDefault().get("cpu").toString());
        assertEquals("2", lr.getSpec().getLimits().get(0).getDefaultRequest().get("cpu").toString());
        assertEquals("2m", lr.getSpec().getLimits().get(0).getDefaultRequest().get("memory").toString());
        ConfigMap cm = new ConfigMapBuilder().build();
        assertEquals(cm, ObjectDefaults.apply(cm));
    }

    @Test
    void deploymentAndReplicaSet() {
        Deployment d = ObjectDefaults.apply(new DeploymentBuilder().withNewSpec().withNewTemplate().withNewSpec()
                .withContainers(new ContainerBuilder().withName("c").withImage("nginx")
                        .withPorts(new ContainerPortBuilder().withContainerPort(80).build()).build())
                .withHostNetwork(true).endSpec().endTemplate().endSpec().build());
        assertEquals(1, d.getSpec().getReplicas());
        assertEquals("RollingUpdate", d.getSpec().getStrategy().getType());
        assertEquals("25%", d.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getStrVal());
        assertEquals("25%", d.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getStrVal());
        assertEquals(10, d.getSpec().getRevisionHistoryLimit());
        assertEquals(600, d.getSpec().getProgressDeadlineSeconds());
        var pod = d.getSpec().getTemplate().getSpec();
        assertEquals("Always", pod.getRestartPolicy());
        assertEquals(30L, pod.getTerminationGracePeriodSeconds());
        assertEquals("Always", pod.getContainers().get(0).getImagePullPolicy());
        assertNull(pod.getEnableServiceLinks(), "SetDefaults_Pod is not applied to templates");
        assertNull(pod.getContainers().get(0).getPorts().get(0).getHostPort());
        Deployment recreate = ObjectDefaults.apply(new DeploymentBuilder().withNewSpec().withReplicas(0).withNewStrategy()
                .withType("Recreate").endStrategy().endSpec().build());
        assertNull(recreate.getSpec().getStrategy().getRollingUpdate());
        assertEquals(0, recreate.getSpec().getReplicas());
        ReplicaSet rs = ObjectDefaults.apply(new ReplicaSetBuilder().withNewSpec().endSpec().build());
        assertEquals(1, rs.getSpec().getReplicas());
    }

    @Test
    void job() {
        Job j = ObjectDefaults.apply(new JobBuilder().withNewSpec().withNewTemplate().withNewMetadata().withLabels(Map.of("a", "b"))
                .endMetadata().endTemplate().endSpec().build());
        assertEquals(1, j.getSpec().getCompletions());
        assertEquals(1, j.getSpec().getParallelism());
        assertEquals(6, j.getSpec().getBackoffLimit());
        assertEquals("NonIndexed", j.getSpec().getCompletionMode());
        assertEquals(false, j.getSpec().getSuspend());
        assertEquals("TerminatingOrFailed", j.getSpec().getPodReplacementPolicy());
        assertNull(j.getSpec().getManualSelector());
        assertEquals(Map.of("a", "b"), j.getMetadata().getLabels());
        Job parallel = ObjectDefaults.apply(new JobBuilder().withNewSpec().withCompletions(5).withBackoffLimitPerIndex(1)
                .withNewPodFailurePolicy().endPodFailurePolicy().endSpec().build());
        assertEquals(1, parallel.getSpec().getParallelism());
        assertEquals(Integer.MAX_VALUE, parallel.getSpec().getBackoffLimit());
        assertEquals("Failed", parallel.getSpec().getPodReplacementPolicy());
    }

    @Test
    void smallGroups() {
        RoleBinding rb = ObjectDefaults.apply(new RoleBindingBuilder().withNewRoleRef().withKind("Role").withName("r").endRoleRef()
                .withSubjects(new SubjectBuilder().withKind("User").withName("u").build(),
                        new SubjectBuilder().withKind("ServiceAccount").withName("sa").build()).build());
        assertEquals("rbac.authorization.k8s.io", rb.getRoleRef().getApiGroup());
        assertEquals("rbac.authorization.k8s.io", rb.getSubjects().get(0).getApiGroup());
        assertEquals("", rb.getSubjects().get(1).getApiGroup());
        PriorityClass pc = ObjectDefaults.apply(new PriorityClassBuilder().withValue(1).build());
        assertEquals("PreemptLowerPriority", pc.getPreemptionPolicy());
        EndpointSlice es = ObjectDefaults.apply(new EndpointSliceBuilder().withPorts(
                new io.fabric8.kubernetes.api.model.discovery.v1.EndpointPortBuilder().withPort(80).build()).build());
        assertEquals("", es.getPorts().get(0).getName());
        assertEquals("TCP", es.getPorts().get(0).getProtocol());
    }
}
