package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.discovery.v1.Endpoint;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointPort;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.discovery.v1.ForZone;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code ValidateEndpointSlice} / {@code ValidateEndpointSliceUpdate} (pkg/apis/discovery/validation, 1.32).
 * Hints {@code forNodes} (alpha gate in later releases) is not validated.
 */
public final class EndpointSliceValidation {
    private EndpointSliceValidation() {
    }

    static final List<String> ADDRESS_TYPES = List.of("FQDN", "IPv4", "IPv6");
    static final int MAX_TOPOLOGY_LABELS = 16;
    static final int MAX_ADDRESSES = 100;
    static final int MAX_PORTS = 20000;
    static final int MAX_ENDPOINTS = 1000;
    static final int MAX_ZONE_HINTS = 8;

    public static List<FieldError> validateCreate(EndpointSlice slice) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(slice.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
        String addressType = str(slice.getAddressType());
        if (addressType.isEmpty()) {
            errs.add(FieldError.required(FieldPath.root("addressType"), ""));
        } else if (!ADDRESS_TYPES.contains(addressType)) {
            errs.add(FieldError.notSupported(FieldPath.root("addressType"), addressType, ADDRESS_TYPES));
        }
        errs.addAll(validateEndpoints(nonNull(slice.getEndpoints()), addressType, FieldPath.root("endpoints")));
        errs.addAll(validatePorts(nonNull(slice.getPorts()), FieldPath.root("ports")));
        return errs;
    }

    public static List<FieldError> validateUpdate(EndpointSlice newSlice, EndpointSlice oldSlice) {
        List<FieldError> errs = validateCreate(newSlice);
        if (!str(newSlice.getAddressType()).equals(str(oldSlice.getAddressType()))) {
            errs.add(FieldError.invalid(FieldPath.root("addressType"), str(newSlice.getAddressType()), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return errs;
    }

    private static List<FieldError> validateEndpoints(List<Endpoint> endpoints, String addrType, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (endpoints.size() > MAX_ENDPOINTS) {
            errs.add(FieldError.tooMany(path, endpoints.size(), MAX_ENDPOINTS));
            return errs;
        }
        for (int i = 0; i < endpoints.size(); i++) {
            Endpoint ep = endpoints.get(i);
            FieldPath idx = path.index(i);
            FieldPath ap = idx.child("addresses");
            List<String> addrs = nonNull(ep.getAddresses());
            if (addrs.isEmpty()) {
                errs.add(FieldError.required(ap, "must contain at least 1 address"));
            } else if (addrs.size() > MAX_ADDRESSES) {
                errs.add(FieldError.tooMany(ap, addrs.size(), MAX_ADDRESSES));
            }
            for (int a = 0; a < addrs.size(); a++) {
                String addr = str(addrs.get(a));
                FieldPath p = ap.index(a);
                switch (addrType) {
                    case "IPv4" -> {
                        byte[] ip = NetParse.parseIP(addr);
                        if (ip == null || !NetParse.isIPv4(ip)) {
                            errs.add(FieldError.invalid(p, addr, "must be a valid IPv4 address"));
                        }
                        errs.addAll(ValidationSupport.validateEndpointIP(addr, p));
                    }
                    case "IPv6" -> {
                        byte[] ip = NetParse.parseIP(addr);
                        if (ip == null || ip.length != 16 || NetParse.isIPv4(ip)) {
                            errs.add(FieldError.invalid(p, addr, "must be a valid IPv6 address"));
                        }
                        errs.addAll(ValidationSupport.validateEndpointIP(addr, p));
                    }
                    case "FQDN" -> errs.addAll(isFullyQualifiedDomainName(p, addr));
                    default -> {
                    }
                }
            }
            if (ep.getNodeName() != null) {
                for (String msg : NameValidation.nameIsDNSSubdomain(ep.getNodeName(), false)) {
                    errs.add(FieldError.invalid(idx.child("nodeName"), ep.getNodeName(), msg));
                }
            }
            FieldPath tp = idx.child("deprecatedTopology");
            if (ep.getDeprecatedTopology() != null) {
                if (ep.getDeprecatedTopology().size() > MAX_TOPOLOGY_LABELS) {
                    errs.add(FieldError.tooMany(tp, ep.getDeprecatedTopology().size(), MAX_TOPOLOGY_LABELS));
                }
                errs.addAll(ObjectMetaValidation.validateLabels(ep.getDeprecatedTopology(), tp));
            }
            if (ep.getHostname() != null) {
                errs.addAll(NameValidation.validateDNS1123Label(ep.getHostname(), idx.child("hostname")));
            }
            if (ep.getHints() != null) {
                FieldPath fz = idx.child("hints", "forZones");
                List<ForZone> zones = nonNull(ep.getHints().getForZones());
                if (zones.size() > MAX_ZONE_HINTS) {
                    errs.add(FieldError.tooMany(fz, zones.size(), MAX_ZONE_HINTS));
                    continue;
                }
                Set<String> names = new HashSet<>();
                for (int z = 0; z < zones.size(); z++) {
                    String zone = str(zones.get(z).getName());
                    FieldPath zp = fz.index(z).child("name");
                    if (!names.add(zone)) {
                        errs.add(FieldError.duplicate(zp, zone));
                    }
                    for (String msg : NameValidation.isValidLabelValue(zone)) {
                        errs.add(FieldError.invalid(zp, zone, msg));
                    }
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validatePorts(List<EndpointPort> ports, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (ports.size() > MAX_PORTS) {
            errs.add(FieldError.tooMany(path, ports.size(), MAX_PORTS));
            return errs;
        }
        Set<String> names = new HashSet<>();
        for (int i = 0; i < ports.size(); i++) {
            EndpointPort port = ports.get(i);
            FieldPath idx = path.index(i);
            String name = str(port.getName());
            if (!name.isEmpty()) {
                errs.addAll(NameValidation.validateDNS1123Label(name, idx.child("name")));
            }
            if (!names.add(name)) {
                errs.add(FieldError.duplicate(idx.child("name"), name));
            }
            if (port.getProtocol() == null) {
                errs.add(FieldError.required(idx.child("protocol"), ""));
            } else if (!ServiceValidation.PORT_PROTOCOLS.contains(port.getProtocol())) {
                errs.add(FieldError.notSupported(idx.child("protocol"), port.getProtocol(), ServiceValidation.PORT_PROTOCOLS));
            }
            if (port.getAppProtocol() != null) {
                errs.addAll(NameValidation.validateQualifiedName(port.getAppProtocol(), idx.child("appProtocol")));
            }
        }
        return errs;
    }

    /** {@code IsFullyQualifiedDomainName}. */
    static List<FieldError> isFullyQualifiedDomainName(FieldPath path, String name) {
        if (name.isEmpty()) {
            return List.of(FieldError.required(path, ""));
        }
        String n = name.endsWith(".") ? name.substring(0, name.length() - 1) : name;
        List<String> errs = NameValidation.isDNS1123Subdomain(n);
        if (!errs.isEmpty()) {
            return List.of(FieldError.invalid(path, n, String.join(",", errs)));
        }
        String[] labels = n.split("\\.", -1);
        if (labels.length < 2) {
            return List.of(FieldError.invalid(path, n, "should be a domain with at least two segments separated by dots"));
        }
        for (String label : labels) {
            List<String> le = NameValidation.isDNS1123Label(label);
            if (!le.isEmpty()) {
                return List.of(FieldError.invalid(path, label, String.join(",", le)));
            }
        }
        return List.of();
    }
}
