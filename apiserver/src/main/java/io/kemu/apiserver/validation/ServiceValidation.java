package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;
import static io.kemu.apiserver.validation.ValidationSupport.SPEC;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LoadBalancerIngress;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServiceSpec;
import io.fabric8.kubernetes.api.model.SessionAffinityConfig;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Service validation of kube-apiserver 1.32 (pkg/apis/core/validation/validation.go): {@code ValidateService},
 * {@code ValidateServiceUpdate}, {@code ValidateServiceStatusUpdate} and their helpers
 * ({@code validateServicePort}, {@code ValidateServiceClusterIPsRelatedFields}, traffic policies,
 * {@code validateLoadBalancerClassField}, {@code ValidateLoadBalancerStatus}). Errors come out in upstream's order.
 */
public final class ServiceValidation {
    private ServiceValidation() {
    }

    static final List<String> PORT_PROTOCOLS = List.of("SCTP", "TCP", "UDP");
    static final List<String> SESSION_AFFINITIES = List.of("ClientIP", "None");
    static final List<String> SERVICE_TYPES = List.of("ClusterIP", "ExternalName", "LoadBalancer", "NodePort");
    static final List<String> TRAFFIC_POLICIES = List.of("Cluster", "Local");
    static final List<String> IP_FAMILIES = List.of("IPv4", "IPv6");
    static final List<String> IP_FAMILY_POLICIES = List.of("PreferDualStack", "RequireDualStack", "SingleStack");
    static final List<String> LB_IP_MODES = List.of("Proxy", "VIP");
    /** {@code core.MaxClientIPServiceAffinitySeconds}. */
    public static final int MAX_CLIENT_IP_AFFINITY_SECONDS = 86400;
    static final String TOPOLOGY_HINTS = "service.kubernetes.io/topology-aware-hints";
    static final String TOPOLOGY_MODE = "service.kubernetes.io/topology-mode";
    static final String LB_SOURCE_RANGES = "service.beta.kubernetes.io/load-balancer-source-ranges";

    /** {@code ValidateServiceCreate} = {@code ValidateService}. */
    public static List<FieldError> validateCreate(Service service) {
        ObjectMeta meta = meta(service);
        ServiceSpec spec = spec(service);
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(meta, true, NameValidation::nameIsDNS1035Label, METADATA);
        Map<String, String> ann = meta.getAnnotations() == null ? Map.of() : meta.getAnnotations();
        if (ann.containsKey(TOPOLOGY_MODE) && ann.containsKey(TOPOLOGY_HINTS)
                && !Objects.equals(ann.get(TOPOLOGY_MODE), ann.get(TOPOLOGY_HINTS))) {
            errs.add(FieldError.invalid(METADATA.child("annotations").key(TOPOLOGY_MODE), ann.get(TOPOLOGY_MODE),
                    "must match annotations[" + TOPOLOGY_HINTS + "] when both are specified"));
        }
        String type = str(spec.getType());
        List<ServicePort> ports = nonNull(spec.getPorts());
        boolean headless = isHeadless(spec);
        if (ports.isEmpty() && !headless && !type.equals("ExternalName")) {
            errs.add(FieldError.required(SPEC.child("ports"), ""));
        }
        List<String> clusterIPs = nonNull(spec.getClusterIPs());
        switch (type) {
            case "LoadBalancer" -> {
                if (headless) {
                    errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), clusterIPs.get(0),
                            "may not be set to 'None' for LoadBalancer services"));
                }
            }
            case "NodePort" -> {
                if (headless) {
                    errs.add(FieldError.invalid(SPEC.child("clusterIPs").index(0), clusterIPs.get(0),
                            "may not be set to 'None' for NodePort services"));
                }
            }
            case "ExternalName" -> {
                if (!clusterIPs.isEmpty()) {
                    errs.add(FieldError.forbidden(SPEC.child("clusterIPs"), "may not be set for ExternalName services"));
                }
                if (!nonNull(spec.getIpFamilies()).isEmpty()) {
                    errs.add(FieldError.forbidden(SPEC.child("ipFamilies"), "may not be set for ExternalName services"));
                }
                if (spec.getIpFamilyPolicy() != null) {
                    errs.add(FieldError.forbidden(SPEC.child("ipFamilyPolicy"), "may not be set for ExternalName services"));
                }
                String cname = str(spec.getExternalName());
                if (cname.endsWith(".")) {
                    cname = cname.substring(0, cname.length() - 1);
                }
                if (!cname.isEmpty()) {
                    errs.addAll(NameValidation.validateDNS1123Subdomain(cname, SPEC.child("externalName")));
                } else {
                    errs.add(FieldError.required(SPEC.child("externalName"), ""));
                }
            }
            default -> {
            }
        }
        Set<String> portNames = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            errs.addAll(validateServicePort(ports.get(i), ports.size() > 1, portNames, SPEC.child("ports").index(i)));
        }
        if (spec.getSelector() != null) {
            errs.addAll(ObjectMetaValidation.validateLabels(spec.getSelector(), SPEC.child("selector")));
        }
        String affinity = str(spec.getSessionAffinity());
        if (affinity.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("sessionAffinity"), ""));
        } else if (!SESSION_AFFINITIES.contains(affinity)) {
            errs.add(FieldError.notSupported(SPEC.child("sessionAffinity"), affinity, SESSION_AFFINITIES));
        }
        if (affinity.equals("ClientIP")) {
            errs.addAll(validateClientIPAffinityConfig(spec.getSessionAffinityConfig(), SPEC.child("sessionAffinityConfig")));
        } else if (affinity.equals("None") && spec.getSessionAffinityConfig() != null) {
            errs.add(FieldError.forbidden(SPEC.child("sessionAffinityConfig"), "must not be set when session affinity is None"));
        }
        errs.addAll(validateClusterIPsRelatedFields(spec));
        List<String> externalIPs = nonNull(spec.getExternalIPs());
        for (int i = 0; i < externalIPs.size(); i++) {
            FieldPath p = SPEC.child("externalIPs").index(i);
            List<FieldError> ipErrs = NameValidation.isValidIP(p, externalIPs.get(i));
            if (!ipErrs.isEmpty()) {
                errs.addAll(ipErrs);
            } else {
                errs.addAll(ValidationSupport.validateEndpointIP(externalIPs.get(i), p));
            }
        }
        if (type.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("type"), ""));
        } else if (!SERVICE_TYPES.contains(type)) {
            errs.add(FieldError.notSupported(SPEC.child("type"), type, SERVICE_TYPES));
        }
        if (type.equals("ClusterIP")) {
            for (int i = 0; i < ports.size(); i++) {
                if (intv(ports.get(i).getNodePort()) != 0) {
                    errs.add(FieldError.forbidden(SPEC.child("ports").index(i).child("nodePort"), "may not be used when `type` is 'ClusterIP'"));
                }
            }
        }
        Set<String> nodePorts = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            if (intv(p.getNodePort()) == 0) {
                continue;
            }
            if (!nodePorts.add(str(p.getProtocol()) + "/" + p.getNodePort())) {
                errs.add(FieldError.duplicate(SPEC.child("ports").index(i).child("nodePort"), intv(p.getNodePort())));
            }
        }
        Set<String> portKeys = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            ServicePort p = ports.get(i);
            if (!portKeys.add(str(p.getProtocol()) + "/" + intv(p.getPort()))) {
                errs.add(FieldError.duplicate(SPEC.child("ports").index(i), GoFormat.raw("core.ServicePort{Name:\"\", Protocol:"
                        + GoFormat.quote(str(p.getProtocol())) + ", AppProtocol:(*string)(nil), Port:" + intv(p.getPort())
                        + ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}")));
            }
        }
        List<String> ranges = nonNull(spec.getLoadBalancerSourceRanges());
        if (!ranges.isEmpty()) {
            FieldPath p = SPEC.child("LoadBalancerSourceRanges");
            if (!type.equals("LoadBalancer")) {
                errs.add(FieldError.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
            }
            for (int i = 0; i < ranges.size(); i++) {
                errs.addAll(NameValidation.isValidCIDR(p.index(i), ranges.get(i).strip()));
            }
        } else if (ann.containsKey(LB_SOURCE_RANGES)) {
            FieldPath p = FieldPath.root("metadata", "annotations").key(LB_SOURCE_RANGES);
            if (!type.equals("LoadBalancer")) {
                errs.add(FieldError.forbidden(p, "may only be used when `type` is 'LoadBalancer'"));
            }
            String val = str(ann.get(LB_SOURCE_RANGES)).strip();
            if (!val.isEmpty()) {
                for (String cidr : val.split(",", -1)) {
                    errs.addAll(NameValidation.isValidCIDR(p, cidr.strip()));
                }
            }
        }
        if (spec.getAllocateLoadBalancerNodePorts() != null && !type.equals("LoadBalancer")) {
            errs.add(FieldError.forbidden(SPEC.child("allocateLoadBalancerNodePorts"), "may only be used when `type` is 'LoadBalancer'"));
        }
        if (type.equals("LoadBalancer") && spec.getAllocateLoadBalancerNodePorts() == null) {
            // upstream builds this path without the spec prefix
            errs.add(FieldError.required(FieldPath.root("allocateLoadBalancerNodePorts"), ""));
        }
        errs.addAll(validateLoadBalancerClassField(null, spec));
        errs.addAll(validateExternalTrafficPolicy(spec));
        errs.addAll(validateInternalTrafficPolicy(spec));
        if (spec.getTrafficDistribution() != null && !spec.getTrafficDistribution().equals("PreferClose")) {
            errs.add(FieldError.notSupported(SPEC.child("trafficDistribution"), spec.getTrafficDistribution(), List.of("PreferClose")));
        }
        return errs;
    }

    /** {@code ValidateServiceUpdate}. */
    public static List<FieldError> validateUpdate(Service newS, Service oldS) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(meta(newS), meta(oldS), METADATA);
        ServiceSpec n = spec(newS);
        ServiceSpec o = spec(oldS);
        errs.addAll(validateUpgradeDowngradeClusterIPs(o, n));
        errs.addAll(validateUpgradeDowngradeIPFamilies(o, n));
        errs.addAll(validateLoadBalancerClassField(o, n));
        if (needsHealthCheck(o) && needsHealthCheck(n) && intv(n.getHealthCheckNodePort()) != intv(o.getHealthCheckNodePort())) {
            errs.add(FieldError.forbidden(SPEC.child("healthCheckNodePort"), "field is immutable"));
        }
        errs.addAll(validateCreate(newS));
        return errs;
    }

    /** {@code ValidateServiceStatusUpdate}: metadata rules plus {@code ValidateLoadBalancerStatus}. */
    public static List<FieldError> validateStatusUpdate(Service newS, Service oldS) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(meta(newS), meta(oldS), METADATA);
        FieldPath ingPath = FieldPath.root("status", "loadBalancer", "ingress");
        List<LoadBalancerIngress> ingress = newS.getStatus() == null || newS.getStatus().getLoadBalancer() == null
                ? List.of() : nonNull(newS.getStatus().getLoadBalancer().getIngress());
        // AllowServiceLBStatusOnNonLB is alpha (off) and LoadBalancerIPMode GA in 1.32
        if (!str(spec(newS).getType()).equals("LoadBalancer") && !ingress.isEmpty()) {
            errs.add(FieldError.forbidden(ingPath, "may only be used when `spec.type` is 'LoadBalancer'"));
            return errs;
        }
        for (int i = 0; i < ingress.size(); i++) {
            LoadBalancerIngress ing = ingress.get(i);
            FieldPath p = ingPath.index(i);
            String ip = str(ing.getIp());
            if (!ip.isEmpty()) {
                errs.addAll(NameValidation.isValidIP(p.child("ip"), ip));
            }
            if (ing.getIpMode() == null) {
                if (!ip.isEmpty()) {
                    errs.add(FieldError.required(p.child("ipMode"), "must be specified when `ip` is set"));
                }
            } else if (ip.isEmpty()) {
                errs.add(FieldError.forbidden(p.child("ipMode"), "may not be specified when `ip` is not set"));
            } else if (!LB_IP_MODES.contains(ing.getIpMode())) {
                errs.add(FieldError.notSupported(p.child("ipMode"), ing.getIpMode(), LB_IP_MODES));
            }
            String host = str(ing.getHostname());
            if (!host.isEmpty()) {
                errs.addAll(NameValidation.validateDNS1123Subdomain(host, p.child("hostname")));
                if (NetParse.parseIP(host) != null) {
                    errs.add(FieldError.invalid(p.child("hostname"), host, "must be a DNS name, not an IP address"));
                }
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ helpers

    private static List<FieldError> validateServicePort(ServicePort sp, boolean requireName, Set<String> names, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String name = str(sp.getName());
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), ""));
        } else if (!name.isEmpty()) {
            errs.addAll(NameValidation.validateDNS1123Label(name, path.child("name")));
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(path.child("name"), name));
            }
        }
        for (String msg : NameValidation.isValidPortNum(intv(sp.getPort()))) {
            errs.add(FieldError.invalid(path.child("port"), intv(sp.getPort()), msg));
        }
        String protocol = str(sp.getProtocol());
        if (protocol.isEmpty()) {
            errs.add(FieldError.required(path.child("protocol"), ""));
        } else if (!PORT_PROTOCOLS.contains(protocol)) {
            errs.add(FieldError.notSupported(path.child("protocol"), protocol, PORT_PROTOCOLS));
        }
        errs.addAll(ContainerValidation.validatePortNumOrName(sp.getTargetPort() == null ? new IntOrString(0) : sp.getTargetPort(),
                path.child("targetPort")));
        if (sp.getAppProtocol() != null) {
            errs.addAll(NameValidation.validateQualifiedName(sp.getAppProtocol(), path.child("appProtocol")));
        }
        return errs;
    }

    private static List<FieldError> validateClientIPAffinityConfig(SessionAffinityConfig config, FieldPath path) {
        String detail = "when session affinity type is ClientIP";
        if (config == null) {
            return List.of(FieldError.required(path, detail));
        }
        if (config.getClientIP() == null) {
            return List.of(FieldError.required(path.child("clientIP"), detail));
        }
        Integer timeout = config.getClientIP().getTimeoutSeconds();
        if (timeout == null) {
            return List.of(FieldError.required(path.child("clientIP", "timeoutSeconds"), detail));
        }
        if (timeout <= 0 || timeout > MAX_CLIENT_IP_AFFINITY_SECONDS) {
            return List.of(FieldError.invalid(path.child("clientIP", "timeoutSeconds"), timeout,
                    "must be greater than 0 and less than " + MAX_CLIENT_IP_AFFINITY_SECONDS));
        }
        return List.of();
    }

    /** {@code ValidateServiceClusterIPsRelatedFields} (also what the registry pre-validates during allocation). */
    public static List<FieldError> validateClusterIPsRelatedFields(ServiceSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        if (str(spec.getType()).equals("ExternalName")) {
            return errs;
        }
        FieldPath clusterIPsField = SPEC.child("clusterIPs");
        List<String> ips = nonNull(spec.getClusterIPs());
        Object ipsValue = GoFormat.raw(ValidationSupport.goStringSlice(spec.getClusterIPs()));
        if (!str(spec.getClusterIP()).isEmpty()) {
            if (ips.isEmpty()) {
                errs.add(FieldError.required(clusterIPsField, ""));
            } else if (!ips.get(0).equals(spec.getClusterIP())) {
                errs.add(FieldError.invalid(clusterIPsField, ipsValue, "first value must match `clusterIP`"));
            }
        } else if (!ips.isEmpty()) {
            errs.add(FieldError.invalid(clusterIPsField, ipsValue, "must be empty when `clusterIP` is not specified"));
        }
        List<String> families = nonNull(spec.getIpFamilies());
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < families.size(); i++) {
            String f = str(families.get(i));
            if (!IP_FAMILIES.contains(f)) {
                errs.add(FieldError.notSupported(SPEC.child("ipFamilies").index(i), f, IP_FAMILIES));
            }
            if (!seen.add(f)) {
                errs.add(FieldError.duplicate(SPEC.child("ipFamilies").index(i), f));
            }
        }
        if (spec.getIpFamilyPolicy() != null && !IP_FAMILY_POLICIES.contains(spec.getIpFamilyPolicy())) {
            errs.add(FieldError.notSupported(SPEC.child("ipFamilyPolicy"), spec.getIpFamilyPolicy(), IP_FAMILY_POLICIES));
        }
        boolean invalidIPs = false;
        for (int i = 0; i < ips.size(); i++) {
            String ip = ips.get(i);
            if (i == 0 && ip.equals("None")) {
                if (ips.size() > 1) {
                    invalidIPs = true;
                    errs.add(FieldError.invalid(clusterIPsField, ipsValue, "'None' must be the first and only value"));
                }
                continue;
            }
            List<FieldError> ipErrs = NameValidation.isValidIP(clusterIPsField.index(i), ip);
            invalidIPs |= !ipErrs.isEmpty();
            errs.addAll(ipErrs);
        }
        if (ips.size() > 2) {
            errs.add(FieldError.invalid(clusterIPsField, ipsValue, "may only hold up to 2 values"));
        }
        if (invalidIPs) {
            return errs;
        }
        if (ips.size() > 1 && !Boolean.TRUE.equals(NetParse.isDualStack(ips, false))) {
            errs.add(FieldError.invalid(clusterIPsField, ipsValue, "may specify no more than one IP for each IP family"));
        }
        if (!isHeadless(spec) && !ips.isEmpty() && !families.isEmpty()) {
            for (int i = 0; i < ips.size() && i < families.size(); i++) {
                boolean v6 = ValidationSupport.isIPv6String(ips.get(i));
                if (families.get(i).equals("IPv4") && v6) {
                    errs.add(FieldError.invalid(clusterIPsField.index(i), ips.get(i),
                            "expected an IPv4 value as indicated by `ipFamilies[" + i + "]`"));
                }
                if (families.get(i).equals("IPv6") && !v6) {
                    errs.add(FieldError.invalid(clusterIPsField.index(i), ips.get(i),
                            "expected an IPv6 value as indicated by `ipFamilies[" + i + "]`"));
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validateUpgradeDowngradeClusterIPs(ServiceSpec o, ServiceSpec n) {
        List<FieldError> errs = new ArrayList<>();
        if (str(n.getType()).equals("ExternalName") || str(o.getType()).equals("ExternalName")) {
            return errs;
        }
        if (isHeadless(o) && isHeadless(n)) {
            return errs;
        }
        List<String> oi = nonNull(o.getClusterIPs());
        List<String> ni = nonNull(n.getClusterIPs());
        Object value = GoFormat.raw(ValidationSupport.goStringSlice(n.getClusterIPs()));
        FieldPath p = SPEC.child("clusterIPs");
        if (oi.size() == ni.size()) {
            for (int i = 0; i < oi.size(); i++) {
                if (!oi.get(i).equals(ni.get(i))) {
                    errs.add(FieldError.invalid(p.index(i), value, "may not change once set"));
                }
            }
        } else if (oi.size() > ni.size()) {
            if (ni.isEmpty()) {
                errs.add(FieldError.invalid(p.index(0), value, "primary clusterIP can not be unset"));
            }
            if (!oi.isEmpty() && !ni.isEmpty() && !ni.get(0).equals(oi.get(0))) {
                errs.add(FieldError.invalid(p.index(0), value, "may not change once set"));
            }
            if (ni.size() == 1 && !"SingleStack".equals(n.getIpFamilyPolicy())) {
                errs.add(FieldError.invalid(SPEC.child("ipFamilyPolicy"), n.getIpFamilyPolicy(),
                        "must be set to 'SingleStack' when releasing the secondary clusterIP"));
            }
        } else if (!oi.isEmpty() && !ni.get(0).equals(oi.get(0))) {
            errs.add(FieldError.invalid(p.index(0), value, "may not change once set"));
        }
        return errs;
    }

    private static List<FieldError> validateUpgradeDowngradeIPFamilies(ServiceSpec o, ServiceSpec n) {
        List<FieldError> errs = new ArrayList<>();
        if (str(n.getType()).equals("ExternalName") || str(o.getType()).equals("ExternalName")) {
            return errs;
        }
        if (isHeadless(o) != isHeadless(n) || isHeadless(n)) {
            return errs;
        }
        List<String> of = nonNull(o.getIpFamilies());
        List<String> nf = nonNull(n.getIpFamilies());
        Object famValue = GoFormat.raw(familiesGoSyntax(n.getIpFamilies()));
        // upstream reports the clusterIPs as the bad value of some of these ipFamilies errors
        Object ipsValue = GoFormat.raw(ValidationSupport.goStringSlice(n.getClusterIPs()));
        FieldPath p = SPEC.child("ipFamilies").index(0);
        if (of.size() == nf.size()) {
            for (int i = 0; i < of.size(); i++) {
                if (!of.get(i).equals(nf.get(i))) {
                    errs.add(FieldError.invalid(p, famValue, "may not change once set"));
                }
            }
        } else if (of.size() > nf.size()) {
            if (nonNull(n.getClusterIPs()).isEmpty()) {
                errs.add(FieldError.invalid(p, famValue, "primary ipFamily can not be unset"));
            }
            if (!nf.isEmpty() && !nf.get(0).equals(of.get(0))) {
                errs.add(FieldError.invalid(p, ipsValue, "may not change once set"));
            }
            if (nf.size() == 1 && !"SingleStack".equals(n.getIpFamilyPolicy())) {
                errs.add(FieldError.invalid(SPEC.child("ipFamilyPolicy"), n.getIpFamilyPolicy(),
                        "must be set to 'SingleStack' when releasing the secondary ipFamily"));
            }
        } else if (!of.isEmpty() && !nf.isEmpty() && !nf.get(0).equals(of.get(0))) {
            errs.add(FieldError.invalid(p, ipsValue, "may not change once set"));
        }
        return errs;
    }

    private static String familiesGoSyntax(List<String> families) {
        if (families == null) {
            return "[]core.IPFamily(nil)";
        }
        return families.stream().map(GoFormat::quote)
                .collect(java.util.stream.Collectors.joining(", ", "[]core.IPFamily{", "}"));
    }

    private static List<FieldError> validateLoadBalancerClassField(ServiceSpec o, ServiceSpec n) {
        List<FieldError> errs = new ArrayList<>();
        boolean newLB = str(n.getType()).equals("LoadBalancer");
        if (o != null && str(o.getType()).equals("LoadBalancer") && newLB
                && !Objects.equals(o.getLoadBalancerClass(), n.getLoadBalancerClass())) {
            errs.add(FieldError.invalid(SPEC.child("loadBalancerClass"), n.getLoadBalancerClass(), "may not change once set"));
        }
        if (newLB) {
            if (n.getLoadBalancerClass() != null) {
                errs.addAll(NameValidation.validateQualifiedName(n.getLoadBalancerClass(), SPEC.child("loadBalancerClass")));
            }
        } else if (n.getLoadBalancerClass() != null) {
            errs.add(FieldError.forbidden(SPEC.child("loadBalancerClass"), "may only be used when `type` is 'LoadBalancer'"));
        }
        return errs;
    }

    private static List<FieldError> validateExternalTrafficPolicy(ServiceSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        String etp = str(spec.getExternalTrafficPolicy());
        if (!externallyAccessible(spec)) {
            if (!etp.isEmpty()) {
                errs.add(FieldError.invalid(SPEC.child("externalTrafficPolicy"), etp, "may only be set for externally-accessible services"));
            }
        } else if (etp.isEmpty()) {
            errs.add(FieldError.required(SPEC.child("externalTrafficPolicy"), ""));
        } else if (!TRAFFIC_POLICIES.contains(etp)) {
            errs.add(FieldError.notSupported(SPEC.child("externalTrafficPolicy"), etp, TRAFFIC_POLICIES));
        }
        int hc = intv(spec.getHealthCheckNodePort());
        if (!needsHealthCheck(spec)) {
            if (hc != 0) {
                errs.add(FieldError.invalid(SPEC.child("healthCheckNodePort"), hc,
                        "may only be set when `type` is 'LoadBalancer' and `externalTrafficPolicy` is 'Local'"));
            }
        } else if (hc == 0) {
            errs.add(FieldError.required(SPEC.child("healthCheckNodePort"), ""));
        } else {
            for (String msg : NameValidation.isValidPortNum(hc)) {
                errs.add(FieldError.invalid(SPEC.child("healthCheckNodePort"), hc, msg));
            }
        }
        return errs;
    }

    private static List<FieldError> validateInternalTrafficPolicy(ServiceSpec spec) {
        String type = str(spec.getType());
        if (spec.getInternalTrafficPolicy() == null) {
            if (type.equals("NodePort") || type.equals("LoadBalancer") || type.equals("ClusterIP")) {
                return List.of(FieldError.required(SPEC.child("internalTrafficPolicy"), ""));
            }
            return List.of();
        }
        if (!TRAFFIC_POLICIES.contains(spec.getInternalTrafficPolicy())) {
            return List.of(FieldError.notSupported(SPEC.child("internalTrafficPolicy"), spec.getInternalTrafficPolicy(), TRAFFIC_POLICIES));
        }
        return List.of();
    }

    /** {@code apiservice.ExternallyAccessible}. */
    static boolean externallyAccessible(ServiceSpec spec) {
        String type = str(spec.getType());
        return type.equals("LoadBalancer") || type.equals("NodePort")
                || (type.equals("ClusterIP") && !nonNull(spec.getExternalIPs()).isEmpty());
    }

    /** {@code apiservice.NeedsHealthCheck}. */
    static boolean needsHealthCheck(ServiceSpec spec) {
        return str(spec.getType()).equals("LoadBalancer") && str(spec.getExternalTrafficPolicy()).equals("Local");
    }

    static boolean isHeadless(ServiceSpec spec) {
        List<String> ips = nonNull(spec.getClusterIPs());
        return ips.size() == 1 && "None".equals(ips.get(0));
    }

    private static int intv(Integer i) {
        return i == null ? 0 : i;
    }

    private static ObjectMeta meta(Service s) {
        return s.getMetadata() == null ? new ObjectMeta() : s.getMetadata();
    }

    private static ServiceSpec spec(Service s) {
        return s.getSpec() == null ? new ServiceSpec() : s.getSpec();
    }
}
