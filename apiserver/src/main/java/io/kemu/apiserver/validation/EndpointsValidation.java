package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.EndpointAddress;
import io.fabric8.kubernetes.api.model.EndpointPort;
import io.fabric8.kubernetes.api.model.EndpointSubset;
import io.fabric8.kubernetes.api.model.Endpoints;
import java.util.ArrayList;
import java.util.List;

/** {@code ValidateEndpoints} / {@code ValidateEndpointsUpdate} (core/validation/validation.go, 1.32). */
public final class EndpointsValidation {
    private EndpointsValidation() {
    }

    /** {@code ValidateEndpointsCreate}. */
    public static List<FieldError> validateCreate(Endpoints endpoints) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(endpoints.getMetadata(), true,
                NameValidation::nameIsDNSSubdomain, METADATA);
        FieldPath subsetsPath = FieldPath.root("subsets");
        List<EndpointSubset> subsets = nonNull(endpoints.getSubsets());
        for (int i = 0; i < subsets.size(); i++) {
            EndpointSubset ss = subsets.get(i);
            FieldPath idx = subsetsPath.index(i);
            List<EndpointAddress> addrs = nonNull(ss.getAddresses());
            List<EndpointAddress> notReady = nonNull(ss.getNotReadyAddresses());
            if (addrs.isEmpty() && notReady.isEmpty()) {
                errs.add(FieldError.required(idx, "must specify `addresses` or `notReadyAddresses`"));
            }
            for (int a = 0; a < addrs.size(); a++) {
                errs.addAll(validateEndpointAddress(addrs.get(a), idx.child("addresses").index(a)));
            }
            for (int a = 0; a < notReady.size(); a++) {
                errs.addAll(validateEndpointAddress(notReady.get(a), idx.child("notReadyAddresses").index(a)));
            }
            List<EndpointPort> ports = nonNull(ss.getPorts());
            for (int p = 0; p < ports.size(); p++) {
                errs.addAll(validateEndpointPort(ports.get(p), ports.size() > 1, idx.child("ports").index(p)));
            }
        }
        return errs;
    }

    /** {@code ValidateEndpointsUpdate}: metadata update rules, then full validation. */
    public static List<FieldError> validateUpdate(Endpoints newE, Endpoints oldE) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newE.getMetadata(), oldE.getMetadata(), METADATA);
        errs.addAll(validateCreate(newE));
        return errs;
    }

    private static List<FieldError> validateEndpointAddress(EndpointAddress address, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String ip = str(address.getIp());
        errs.addAll(NameValidation.isValidIP(path.child("ip"), ip));
        if (!str(address.getHostname()).isEmpty()) {
            errs.addAll(NameValidation.validateDNS1123Label(address.getHostname(), path.child("hostname")));
        }
        if (address.getNodeName() != null) {
            for (String msg : NameValidation.nameIsDNSSubdomain(address.getNodeName(), false)) {
                errs.add(FieldError.invalid(path.child("nodeName"), address.getNodeName(), msg));
            }
        }
        errs.addAll(ValidationSupport.validateEndpointIP(ip, path.child("ip")));
        return errs;
    }

    private static List<FieldError> validateEndpointPort(EndpointPort port, boolean requireName, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String name = str(port.getName());
        if (requireName && name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), ""));
        } else if (!name.isEmpty()) {
            errs.addAll(NameValidation.validateDNS1123Label(name, path.child("name")));
        }
        int p = port.getPort() == null ? 0 : port.getPort();
        for (String msg : NameValidation.isValidPortNum(p)) {
            errs.add(FieldError.invalid(path.child("port"), p, msg));
        }
        String protocol = str(port.getProtocol());
        if (protocol.isEmpty()) {
            errs.add(FieldError.required(path.child("protocol"), ""));
        } else if (!ServiceValidation.PORT_PROTOCOLS.contains(protocol)) {
            errs.add(FieldError.notSupported(path.child("protocol"), protocol, ServiceValidation.PORT_PROTOCOLS));
        }
        if (port.getAppProtocol() != null) {
            errs.addAll(NameValidation.validateQualifiedName(port.getAppProtocol(), path.child("appProtocol")));
        }
        return errs;
    }
}
