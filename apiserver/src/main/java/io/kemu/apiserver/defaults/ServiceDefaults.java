package io.kemu.apiserver.defaults;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import io.kemu.apiserver.validation.FieldError;
import io.kemu.apiserver.validation.FieldPath;
import io.kemu.apiserver.validation.NetParse;
import io.kemu.apiserver.validation.ServiceValidation;
import java.util.ArrayList;
import java.util.List;

/**
 * Service defaulting. {@link #apply} is {@code SetDefaults_Service} (pkg/apis/core/v1/defaults.go, 1.32).
 * ipFamilyPolicy/ipFamilies are <em>not</em> defaults upstream: the service registry sets them while allocating
 * (pkg/registry/core/service/storage/alloc.go {@code initIPFamilyFields}); {@link #initIPFamilyFields} reproduces that
 * for a single-stack IPv4 cluster and {@link #normalizeClusterIPs} the strategy's clusterIP/clusterIPs sync. The registry
 * calls those two; {@link ObjectDefaults#apply} does not.
 */
public final class ServiceDefaults {
    private ServiceDefaults() {
    }

    /** {@code v1.DefaultClientIPServiceAffinitySeconds}. */
    public static final int DEFAULT_CLIENT_IP_AFFINITY_SECONDS = 10800;

    /** {@code SetDefaults_Service} plus the declarative port protocol default. Mutates and returns the service. */
    public static Service apply(Service svc) {
        if (svc.getSpec() == null) {
            svc.setSpec(new ServiceSpec());
        }
        ServiceSpec spec = svc.getSpec();
        if (PodDefaults.isEmpty(spec.getSessionAffinity())) {
            spec.setSessionAffinity("None");
        }
        if (spec.getSessionAffinity().equals("None")) {
            spec.setSessionAffinityConfig(null);
        }
        if (spec.getSessionAffinity().equals("ClientIP")) {
            SessionAffinityConfig c = spec.getSessionAffinityConfig();
            if (c == null || c.getClientIP() == null || c.getClientIP().getTimeoutSeconds() == null) {
                spec.setSessionAffinityConfig(new io.fabric8.kubernetes.api.model.SessionAffinityConfigBuilder()
                        .withNewClientIP().withTimeoutSeconds(DEFAULT_CLIENT_IP_AFFINITY_SECONDS).endClientIP().build());
            }
        }
        if (PodDefaults.isEmpty(spec.getType())) {
            spec.setType("ClusterIP");
        }
        for (ServicePort sp : PodDefaults.nn(spec.getPorts())) {
            if (PodDefaults.isEmpty(sp.getProtocol())) {
                sp.setProtocol("TCP");
            }
            IntOrString tp = sp.getTargetPort();
            boolean unset = tp == null || (tp.getStrVal() == null && (tp.getIntVal() == null || tp.getIntVal() == 0))
                    || (tp.getStrVal() != null && tp.getStrVal().isEmpty());
            if (unset) {
                sp.setTargetPort(new IntOrString(sp.getPort() == null ? 0 : sp.getPort()));
            }
        }
        String type = spec.getType();
        boolean externallyAccessible = type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && !PodDefaults.nn(spec.getExternalIPs()).isEmpty());
        if (externallyAccessible && PodDefaults.isEmpty(spec.getExternalTrafficPolicy())) {
            spec.setExternalTrafficPolicy("Cluster");
        }
        if (spec.getInternalTrafficPolicy() == null
                && (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP"))) {
            spec.setInternalTrafficPolicy("Cluster");
        }
        if (type.equals("LoadBalancer") && spec.getAllocateLoadBalancerNodePorts() == null) {
            spec.setAllocateLoadBalancerNodePorts(true);
        }
        if (type.equals("LoadBalancer") && svc.getStatus() != null && svc.getStatus().getLoadBalancer() != null) {
            for (LoadBalancerIngress ing : PodDefaults.nn(svc.getStatus().getLoadBalancer().getIngress())) {
                if (!PodDefaults.isEmpty(ing.getIp()) && ing.getIpMode() == null) {
                    ing.setIpMode("VIP");
                }
            }
        }
        return svc;
    }

    /**
     * The create half of the strategy's {@code NormalizeClusterIPs}: a lone {@code clusterIP} initialises
     * {@code clusterIPs}. On update ({@code old != null}) a changed clusterIP with untouched clusterIPs is carried over.
     */
    public static void normalizeClusterIPs(Service svc, Service old) {
        ServiceSpec spec = svc.getSpec();
        if (spec == null) {
            return;
        }
        String ip = spec.getClusterIP();
        List<String> ips = spec.getClusterIPs();
        if (old == null || old.getSpec() == null) {
            if (!PodDefaults.isEmpty(ip) && (ips == null || ips.isEmpty())) {
                spec.setClusterIPs(new ArrayList<>(List.of(ip)));
            }
            return;
        }
        ServiceSpec o = old.getSpec();
        boolean ipChanged = !java.util.Objects.equals(PodDefaults.isEmpty(ip) ? "" : ip, PodDefaults.isEmpty(o.getClusterIP()) ? "" : o.getClusterIP());
        boolean ipsChanged = !java.util.Objects.equals(ips == null ? List.of() : ips, o.getClusterIPs() == null ? List.of() : o.getClusterIPs());
        if (ipChanged && !ipsChanged) {
            if (PodDefaults.isEmpty(ip)) {
                spec.setClusterIPs(null);
            } else if (ips != null && ips.size() == 1 && ip != null) {
                spec.setClusterIPs(new ArrayList<>(List.of(ip)));
            }
        }
    }

    /**
     * {@code initIPFamilyFields} for a single-stack IPv4 cluster: infers ipFamilyPolicy (the old one on update,
     * RequireDualStack for headless selector-less services, else SingleStack) and ipFamilies ([IPv4]; headless
     * selector-less services that are not SingleStack get [IPv4, IPv6]). Returns the errors the registry reports.
     */
    public static List<FieldError> initIPFamilyFields(Service svc, Service old) {
        ServiceSpec spec = svc.getSpec();
        List<FieldError> errs = new ArrayList<>();
        if (spec == null || "ExternalName".equals(spec.getType())) {
            return errs;
        }
        if (old != null && old.getSpec() != null && "PreferDualStack".equals(old.getSpec().getIpFamilyPolicy())
                && "PreferDualStack".equals(spec.getIpFamilyPolicy())
                && java.util.Objects.equals(old.getSpec().getClusterIPs(), spec.getClusterIPs())
                && java.util.Objects.equals(old.getSpec().getIpFamilies(), spec.getIpFamilies())) {
            return errs;
        }
        boolean headlessSelectorless = "None".equals(spec.getClusterIP())
                && (spec.getSelector() == null || spec.getSelector().isEmpty());
        if (spec.getIpFamilyPolicy() == null) {
            if (old != null && old.getSpec() != null && old.getSpec().getIpFamilyPolicy() != null) {
                spec.setIpFamilyPolicy(old.getSpec().getIpFamilyPolicy());
            } else if (headlessSelectorless) {
                spec.setIpFamilyPolicy("RequireDualStack");
            } else {
                spec.setIpFamilyPolicy("SingleStack");
            }
        }
        List<FieldError> pre = ServiceValidation.validateClusterIPsRelatedFields(spec);
        if (!pre.isEmpty()) {
            return pre;
        }
        FieldPath policyPath = FieldPath.root("spec", "ipFamilyPolicy");
        List<String> ips = PodDefaults.nn(spec.getClusterIPs());
        List<String> families = new ArrayList<>(PodDefaults.nn(spec.getIpFamilies()));
        if ("SingleStack".equals(spec.getIpFamilyPolicy())) {
            if (ips.size() == 2) {
                errs.add(FieldError.invalid(policyPath, spec.getIpFamilyPolicy(),
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple cluster IPs are specified"));
            }
            if (families.size() == 2) {
                errs.add(FieldError.invalid(policyPath, spec.getIpFamilyPolicy(),
                        "must be 'RequireDualStack' or 'PreferDualStack' when multiple IP families are specified"));
            }
        }
        for (int i = 0; i < ips.size(); i++) {
            if (ips.get(i).equals("None")) {
                break;
            }
            byte[] ip = NetParse.parseIP(ips.get(i));
            String fam = ip != null && NetParse.isIPv4(ip) ? "IPv4" : "IPv6";
            if (i >= families.size()) {
                if (!fam.equals("IPv4")) {
                    errs.add(FieldError.invalid(FieldPath.root("spec", "clusterIPs").index(i),
                            io.kemu.apiserver.validation.GoFormat.raw(goStrings(ips)), fam + " is not configured on this cluster"));
                } else {
                    families.add(fam);
                }
            }
        }
        if (!errs.isEmpty()) {
            return errs;
        }
        if (headlessSelectorless) {
            if (families.isEmpty()) {
                families.add("IPv4");
            }
            if (families.size() < 2 && !"SingleStack".equals(spec.getIpFamilyPolicy())) {
                families.add(families.get(0).equals("IPv4") ? "IPv6" : "IPv4");
            }
            spec.setIpFamilies(families);
            return errs;
        }
        if ("RequireDualStack".equals(spec.getIpFamilyPolicy())) {
            errs.add(FieldError.invalid(policyPath, spec.getIpFamilyPolicy(), "this cluster is not configured for dual-stack services"));
        }
        for (int i = 0; i < families.size(); i++) {
            if (!families.get(i).equals("IPv4")) {
                errs.add(FieldError.invalid(FieldPath.root("spec", "ipFamilies").index(i), families.get(i), "not configured on this cluster"));
            }
        }
        if (!errs.isEmpty()) {
            return errs;
        }
        if (families.isEmpty()) {
            families.add("IPv4");
        }
        spec.setIpFamilies(families);
        return errs;
    }

    private static String goStrings(List<String> l) {
        StringBuilder sb = new StringBuilder("[]string{");
        for (int i = 0; i < l.size(); i++) {
            sb.append(i > 0 ? ", " : "").append(io.kemu.apiserver.validation.GoFormat.quote(l.get(i)));
        }
        return sb.append('}').toString();
    }
}
