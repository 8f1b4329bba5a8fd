package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeSpec;
import io.fabric8.kubernetes.api.model.NodeStatus;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Taint;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Node validation: {@code ValidateNode} and {@code ValidateNodeUpdate} (core/validation/validation.go), combined as
 * the node registry strategy does ({@code ValidateUpdate} = ValidateNode(new) + ValidateNodeUpdate).
 */
public final class NodeValidation {
    private NodeValidation() {
    }

    private static final FieldPath METADATA = FieldPath.root("metadata");

    /** {@code ValidateNode}. */
    public static List<FieldError> validateCreate(Node node) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(node.getMetadata(), false,
                NameValidation::nameIsDNSSubdomain, METADATA);
        NodeSpec spec = node.getSpec() == null ? new NodeSpec() : node.getSpec();
        if (!nonNull(spec.getTaints()).isEmpty()) {
            // upstream hands the metadata path to validateNodeTaints, hence metadata.taints[i]
            errs.addAll(validateNodeTaints(spec.getTaints(), METADATA.child("taints")));
        }
        errs.addAll(validateNodeResources(node));
        List<String> cidrs = nonNull(spec.getPodCIDRs());
        if (!cidrs.isEmpty()) {
            FieldPath p = FieldPath.root("spec", "podCIDRs");
            for (int i = 0; i < cidrs.size(); i++) {
                errs.addAll(NameValidation.isValidCIDR(p.index(i), cidrs.get(i)));
            }
            if (cidrs.size() > 1) {
                Boolean dual = NetParse.isDualStack(cidrs, true);
                if (dual == null) {
                    errs.add(FieldError.internal(p, "invalid PodCIDRs. failed to check with dual stack with error:"
                            + firstBadCIDR(cidrs)));
                }
                if (dual == null || !dual || cidrs.size() > 2) {
                    errs.add(FieldError.invalid(p, cidrs, "may specify no more than one CIDR for each IP family"));
                }
                Set<String> seen = new HashSet<>();
                for (int i = 0; i < cidrs.size(); i++) {
                    if (!seen.add(cidrs.get(i))) {
                        errs.add(FieldError.duplicate(p.index(i), cidrs.get(i)));
                    }
                }
            }
        }
        return errs;
    }

    private static String firstBadCIDR(List<String> cidrs) {
        for (String c : cidrs) {
            if (NetParse.parseCIDR(c) == null) {
                return "invalid CIDR address: " + c;
            }
        }
        return "";
    }

    /** Strategy {@code ValidateUpdate}: {@code ValidateNode(new)} followed by {@code ValidateNodeUpdate(new, old)}. */
    public static List<FieldError> validateUpdate(Node node, Node oldNode) {
        List<FieldError> errs = validateCreate(node);
        errs.addAll(validateNodeUpdate(node, oldNode));
        return errs;
    }

    /** {@code ValidateNodeUpdate}. */
    public static List<FieldError> validateNodeUpdate(Node node, Node oldNode) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(node.getMetadata(), oldNode.getMetadata(), METADATA);
        errs.addAll(validateNodeResources(node));
        NodeStatus status = node.getStatus() == null ? new NodeStatus() : node.getStatus();
        Set<String> addresses = new HashSet<>();
        List<NodeAddress> addrs = nonNull(status.getAddresses());
        for (int i = 0; i < addrs.size(); i++) {
            NodeAddress a = addrs.get(i);
            String key = str(a.getType()) + "\u0000" + str(a.getAddress());
            if (!addresses.add(key)) {
                errs.add(FieldError.duplicate(FieldPath.root("status", "addresses").index(i),
                        GoFormat.raw("core.NodeAddress{Type:" + GoFormat.quote(str(a.getType()))
                                + ", Address:" + GoFormat.quote(str(a.getAddress())) + "}")));
            }
        }
        NodeSpec spec = node.getSpec() == null ? new NodeSpec() : node.getSpec();
        NodeSpec oldSpec = oldNode.getSpec() == null ? new NodeSpec() : oldNode.getSpec();
        List<String> oldCidrs = nonNull(oldSpec.getPodCIDRs());
        List<String> newCidrs = nonNull(spec.getPodCIDRs());
        if (!oldCidrs.isEmpty()) {
            String msg = "node updates may not change podCIDR except from \"\" to valid";
            if (oldCidrs.size() != newCidrs.size()) {
                errs.add(FieldError.forbidden(FieldPath.root("spec", "podCIDRs"), msg));
            } else {
                for (int i = 0; i < oldCidrs.size(); i++) {
                    if (!oldCidrs.get(i).equals(newCidrs.get(i))) {
                        errs.add(FieldError.forbidden(FieldPath.root("spec", "podCIDRs"), msg));
                    }
                }
            }
        }
        String oldProvider = str(oldSpec.getProviderID());
        if (!oldProvider.isEmpty() && !oldProvider.equals(str(spec.getProviderID()))) {
            errs.add(FieldError.forbidden(FieldPath.root("spec", "providerID"),
                    "node updates may not change providerID except from \"\" to valid"));
        }
        if (!nonNull(spec.getTaints()).isEmpty()) {
            errs.addAll(validateNodeTaints(spec.getTaints(), METADATA.child("taints")));
        }
        if (!str(spec.getExternalID()).equals(str(oldSpec.getExternalID()))) {
            errs.add(FieldError.forbidden(FieldPath.root("spec", "externalID"), "may not be updated"));
        }
        return errs;
    }

    /** {@code ValidateNodeResources}: capacity and allocatable quantities (paths use Child, not Key). */
    static List<FieldError> validateNodeResources(Node node) {
        List<FieldError> errs = new ArrayList<>();
        NodeStatus status = node.getStatus();
        if (status == null) {
            return errs;
        }
        errs.addAll(validateResourceList(status.getCapacity(), "capacity"));
        errs.addAll(validateResourceList(status.getAllocatable(), "allocatable"));
        return errs;
    }

    private static List<FieldError> validateResourceList(Map<String, Quantity> list, String field) {
        List<FieldError> errs = new ArrayList<>();
        if (list == null) {
            return errs;
        }
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            FieldPath p = FieldPath.root("status", field, e.getKey());
            GoQuantity q = ResourceValidation.parse(e.getValue(), p, errs);
            if (q != null) {
                errs.addAll(ResourceValidation.validateResourceQuantityValue(e.getKey(), q, p));
            }
        }
        return errs;
    }

    /** {@code validateNodeTaints}: key a qualified name, value a label value, effect required, unique key+effect. */
    public static List<FieldError> validateNodeTaints(List<Taint> taints, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Map<String, Set<String>> unique = new HashMap<>();
        for (int i = 0; i < taints.size(); i++) {
            Taint t = taints.get(i);
            FieldPath idx = path.index(i);
            String key = str(t.getKey());
            String value = str(t.getValue());
            String effect = str(t.getEffect());
            errs.addAll(ObjectMetaValidation.validateLabelName(key, idx.child("key")));
            List<String> msgs = NameValidation.isValidLabelValue(value);
            if (!msgs.isEmpty()) {
                errs.add(FieldError.invalid(idx.child("value"), value, String.join(";", msgs)));
            }
            if (effect.isEmpty()) {
                errs.add(FieldError.required(idx.child("effect"), ""));
            } else if (!PodValidation.TAINT_EFFECTS.contains(effect)) {
                errs.add(FieldError.notSupported(idx.child("effect"), effect, PodValidation.TAINT_EFFECTS));
            }
            Set<String> keys = unique.computeIfAbsent(effect, k -> new HashSet<>());
            if (keys.contains(key)) {
                errs.add(FieldError.duplicate(idx, GoFormat.raw("core.Taint{Key:" + GoFormat.quote(key) + ", Value:"
                        + GoFormat.quote(value) + ", Effect:" + GoFormat.quote(effect) + ", TimeAdded:(*v1.Time)(nil)}"))
                        .withDetail("taints must be unique by key and effect pair"));
                continue;
            }
            keys.add(key);
        }
        return errs;
    }
}
