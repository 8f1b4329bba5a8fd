package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.Errors.assertMessages;
import static io.kemu.apiserver.validation.Errors.assertNone;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngressBuilder;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;
import io.kemu.apiserver.defaults.ServiceDefaults;
import org.junit.jupiter.api.Test;

/** Mirrors TestValidateServiceCreate / TestValidateServiceUpdate / TestValidateLoadBalancerStatus cases. */
class ServiceValidationTest {

    static ServiceBuilder svc() {
        return new ServiceBuilder().withNewMetadata().withName("web").withNamespace("default").endMetadata()
                .withNewSpec().withSelector(java.util.Map.of("app", "web"))
                .withPorts(new ServicePortBuilder().withPort(80).build()).endSpec();
    }

    static Service defaulted(ServiceBuilder b) {
        Service s = ServiceDefaults.apply(b.build());
        ServiceDefaults.initIPFamilyFields(s, null);
        return s;
    }

    @Test
    void defaultedClusterIPServiceIsValid() {
        assertNone(ServiceValidation.validateCreate(defaulted(svc())));
    }

    @Test
    void nameMustBeDNS1035Label() {
        assertMessages(ServiceValidation.validateCreate(defaulted(svc().editMetadata().withName("1web").endMetadata())),
                "metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', "
                        + "start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', "
                        + "regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')");
    }

    @Test
    void portsRequiredUnlessHeadlessOrExternalName() {
        assertMessages(ServiceValidation.validateCreate(defaulted(svc().editSpec().withPorts().endSpec())),
                "spec.ports: Required value");
        assertNone(ServiceValidation.validateCreate(defaulted(svc().editSpec().withPorts().withClusterIP("None")
                .withClusterIPs("None").endSpec())));
    }

    @Test
    void portRules() {
        Service s = defaulted(svc().editSpec().withPorts(
                new ServicePortBuilder().withName("http").withPort(80).build(),
                new ServicePortBuilder().withName("http").withPort(80).withProtocol("HTTP").build(),
                new ServicePortBuilder().withPort(0).build()).endSpec());
        assertMessages(ServiceValidation.validateCreate(s),
                "spec.ports[1].name: Duplicate value: \"http\"",
                "spec.ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
                "spec.ports[2].name: Required value",
                "spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive",
                "spec.ports[2].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive");
    }

    @Test
    void duplicatePortKey() {
        Service s = defaulted(svc().editSpec().withPorts(
                new ServicePortBuilder().withName("a").withPort(80).build(),
                new ServicePortBuilder().withName("b").withPort(80).withTargetPort(new IntOrString(8080)).build()).endSpec());
        assertMessages(ServiceValidation.validateCreate(s),
                "spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, "
                        + "TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}");
    }

    @Test
    void typeAndNodePort() {
        Service bad = svc().editSpec().withType("Foo").withSessionAffinity("None").withInternalTrafficPolicy("Cluster").endSpec().build();
        ServiceDefaults.apply(bad);
        assertMessages(ServiceValidation.validateCreate(bad),
                "spec.type: Unsupported value: \"Foo\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"");
        Service s = defaulted(svc());
        s.getSpec().getPorts().get(0).setNodePort(30080);
        assertMessages(ServiceValidation.validateCreate(s), "spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'");
    }

    @Test
    void sessionAffinity() {
        Service s = defaulted(svc().editSpec().withSessionAffinity("ClientIP").withNewSessionAffinityConfig().withNewClientIP()
                .withTimeoutSeconds(0).endClientIP().endSessionAffinityConfig().endSpec());
        assertMessages(ServiceValidation.validateCreate(s),
                "spec.sessionAffinityConfig.clientIP.timeoutSeconds: Invalid value: 0: must be greater than 0 and less than 86400");
        Service d = defaulted(svc().editSpec().withSessionAffinity("ClientIP").endSpec());
        assertNone(ServiceValidation.validateCreate(d));
        Service bad = defaulted(svc().editSpec().withSessionAffinity("Sticky").endSpec());
        assertMessages(ServiceValidation.validateCreate(bad),
                "spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"");
    }

    @Test
    void clusterIPs() {
        Service s = defaulted(svc().editSpec().withClusterIP("10.0.0.10").withClusterIPs("10.0.0.11").endSpec());
        assertMessages(ServiceValidation.validateCreate(s),
                "spec.clusterIPs: Invalid value: []string{\"10.0.0.11\"}: first value must match `clusterIP`");
        Service ok = defaulted(svc().editSpec().withClusterIP("10.0.0.10").withClusterIPs("10.0.0.10").endSpec());
        assertNone(ServiceValidation.validateCreate(ok));
        Service badIp = defaulted(svc().editSpec().withClusterIP("10.0.0.300").withClusterIPs("10.0.0.300").endSpec());
        assertMessages(ServiceValidation.validateCreate(badIp),
                "spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }

    @Test
    void loadBalancerAndTrafficPolicies() {
        Service lb = defaulted(svc().editSpec().withType("LoadBalancer").endSpec());
        assertNone(ServiceValidation.validateCreate(lb));
        lb.getSpec().setAllocateLoadBalancerNodePorts(null);
        assertMessages(ServiceValidation.validateCreate(lb), "allocateLoadBalancerNodePorts: Required value");
        Service cip = defaulted(svc().editSpec().withExternalTrafficPolicy("Local").endSpec());
        assertMessages(ServiceValidation.validateCreate(cip),
                "spec.externalTrafficPolicy: Invalid value: \"Local\": may only be set for externally-accessible services");
        Service local = defaulted(svc().editSpec().withType("LoadBalancer").withExternalTrafficPolicy("Local").endSpec());
        assertMessages(ServiceValidation.validateCreate(local), "spec.healthCheckNodePort: Required value");
        Service noItp = defaulted(svc());
        noItp.getSpec().setInternalTrafficPolicy(null);
        assertMessages(ServiceValidation.validateCreate(noItp), "spec.internalTrafficPolicy: Required value");
    }

    @Test
    void externalName() {
        Service en = ServiceDefaults.apply(svc().editSpec().withType("ExternalName").withPorts().endSpec().build());
        assertMessages(ServiceValidation.validateCreate(en), "spec.externalName: Required value");
        en.getSpec().setExternalName("db.example.com.");
        assertNone(ServiceValidation.validateCreate(en));
        en.getSpec().setIpFamilyPolicy("SingleStack");
        assertMessages(ServiceValidation.validateCreate(en), "spec.ipFamilyPolicy: Forbidden: may not be set for ExternalName services");
    }

    @Test
    void externalIPs() {
        Service s = defaulted(svc().editSpec().withExternalIPs("127.0.0.1").endSpec());
        assertMessages(ServiceValidation.validateCreate(s),
                "spec.externalIPs[0]: Invalid value: \"127.0.0.1\": may not be in the loopback range (127.0.0.0/8, ::1/128)");
    }

    @Test
    void updateMayNotChangeClusterIP() {
        Service old = defaulted(svc().editMetadata().withResourceVersion("1").endMetadata()
                .editSpec().withClusterIP("10.0.0.10").withClusterIPs("10.0.0.10").endSpec());
        Service moved = new ServiceBuilder(old).editSpec().withClusterIP("10.0.0.11").withClusterIPs("10.0.0.11").endSpec().build();
        assertMessages(ServiceValidation.validateUpdate(moved, old),
                "spec.clusterIPs[0]: Invalid value: []string{\"10.0.0.11\"}: may not change once set");
        assertNone(ServiceValidation.validateUpdate(new ServiceBuilder(old).build(), old));
    }

    @Test
    void statusUpdate() {
        Service old = defaulted(svc().editMetadata().withResourceVersion("1").endMetadata().editSpec().withType("LoadBalancer").endSpec());
        Service withIngress = new ServiceBuilder(old).withNewStatus().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp("1.2.3.4").build()).endLoadBalancer().endStatus().build();
        assertMessages(ServiceValidation.validateStatusUpdate(withIngress, old),
                "status.loadBalancer.ingress[0].ipMode: Required value: must be specified when `ip` is set");
        withIngress.getStatus().getLoadBalancer().getIngress().get(0).setIpMode("VIP");
        assertNone(ServiceValidation.validateStatusUpdate(withIngress, old));
        Service cip = defaulted(svc().editMetadata().withResourceVersion("1").endMetadata());
        Service cipIngress = new ServiceBuilder(cip).withNewStatus().withNewLoadBalancer()
                .withIngress(new LoadBalancerIngressBuilder().withIp("1.2.3.4").withIpMode("VIP").build()).endLoadBalancer().endStatus().build();
        assertMessages(ServiceValidation.validateStatusUpdate(cipIngress, cip),
                "status.loadBalancer.ingress: Forbidden: may only be used when `spec.type` is 'LoadBalancer'");
    }
}
