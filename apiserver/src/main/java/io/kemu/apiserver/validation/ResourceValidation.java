package io.kemu.apiserver.validation;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceClaim;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * Resource names and quantities: {@code ValidateResourceRequirements} (1.32 name; later
 * {@code ValidateContainerResourceRequirements}), {@code ValidateResourceQuantityValue},
 * {@code validateContainerResourceName} from core/validation/validation.go, and the predicates of
 * pkg/apis/core/helper/helpers.go they rely on.
 */
public final class ResourceValidation {
    private ResourceValidation() {
    }

    private static final Set<String> STANDARD_CONTAINER_RESOURCES = Set.of("cpu", "memory", "ephemeral-storage");
    private static final Set<String> STANDARD_RESOURCES = Set.of(
            "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.ephemeral-storage",
            "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods", "resourcequotas", "services",
            "replicationcontrollers", "secrets", "configmaps", "persistentvolumeclaims", "storage",
            "requests.storage", "services.nodeports", "services.loadbalancers");
    private static final Set<String> INTEGER_RESOURCES = Set.of(
            "pods", "resourcequotas", "services", "replicationcontrollers", "secrets", "configmaps",
            "persistentvolumeclaims", "services.nodeports", "services.loadbalancers");

    public static boolean isHugePageResourceName(String name) {
        return name.startsWith("hugepages-");
    }

    static boolean isQuotaHugePageResourceName(String name) {
        return name.startsWith("hugepages-") || name.startsWith("requests.hugepages-");
    }

    public static boolean isStandardContainerResourceName(String name) {
        return STANDARD_CONTAINER_RESOURCES.contains(name) || isHugePageResourceName(name);
    }

    public static boolean isStandardResourceName(String name) {
        return STANDARD_RESOURCES.contains(name) || isQuotaHugePageResourceName(name);
    }

    /** {@code IsNativeResource}: unprefixed, or in the kubernetes.io/ namespace. */
    public static boolean isNativeResource(String name) {
        return !name.contains("/") || name.contains("kubernetes.io/");
    }

    /** {@code IsExtendedResourceName}. */
    public static boolean isExtendedResourceName(String name) {
        if (isNativeResource(name) || name.startsWith("requests.")) {
            return false;
        }
        return NameValidation.isQualifiedName("requests." + name).isEmpty();
    }

    /** {@code IsOvercommitAllowed}: native and not hugepages. */
    public static boolean isOvercommitAllowed(String name) {
        return isNativeResource(name) && !isHugePageResourceName(name);
    }

    public static boolean isIntegerResourceName(String name) {
        return INTEGER_RESOURCES.contains(name) || isExtendedResourceName(name);
    }

    /** {@code validateResourceName}. */
    static List<FieldError> validateResourceName(String value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : NameValidation.isQualifiedName(value)) {
            errs.add(FieldError.invalid(path, value, msg));
        }
        if (!errs.isEmpty()) {
            return errs;
        }
        if (value.split("/", -1).length == 1 && !isStandardResourceName(value)) {
            errs.add(FieldError.invalid(path, value, "must be a standard resource type or fully qualified"));
        }
        return errs;
    }

    /** {@code validateContainerResourceName}. */
    static List<FieldError> validateContainerResourceName(String value, FieldPath path) {
        List<FieldError> errs = validateResourceName(value, path);
        if (value.split("/", -1).length == 1) {
            if (!isStandardContainerResourceName(value)) {
                errs.add(FieldError.invalid(path, value, "must be a standard resource for containers"));
            }
        } else if (!isNativeResource(value) && !isExtendedResourceName(value)) {
            errs.add(FieldError.invalid(path, value, "doesn't follow extended resource name standard"));
        }
        return errs;
    }

    /**
     * Parses a quantity for validation; a malformed one (which upstream rejects while decoding JSON) is reported
     * as an Invalid error carrying the decoder's message.
     */
    static GoQuantity parse(Quantity q, FieldPath path, List<FieldError> errs) {
        String text = GoQuantity.text(q);
        GoQuantity g = GoQuantity.tryParse(text);
        if (g == null) {
            errs.add(FieldError.invalid(path, text, GoQuantity.FORMAT_ERROR));
        }
        return g;
    }

    /** {@code ValidateResourceQuantityValue}: non-negative, and integral for integer resources. */
    public static List<FieldError> validateResourceQuantityValue(String resource, GoQuantity value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (value.value().signum() < 0) {
            errs.add(FieldError.invalid(path, value.toString(), ObjectMetaValidation.IS_NEGATIVE));
        }
        if (isIntegerResourceName(resource)
                && !value.milliValue().mod(BigInteger.valueOf(1000)).equals(BigInteger.ZERO)) {
            // upstream passes the Quantity struct itself (printed with %#v); its text is used here
            errs.add(FieldError.invalid(path, GoFormat.raw(value.toString()), "must be an integer"));
        }
        return errs;
    }

    /** {@code ValidateResourceRequirements} for a container (claims checked against the pod's claim names). */
    public static List<FieldError> validateResourceRequirements(ResourceRequirements req, Collection<String> podClaimNames,
                                                                FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (req == null) {
            return errs;
        }
        FieldPath limPath = path.child("limits");
        FieldPath reqPath = path.child("requests");
        boolean limCpuMem = false;
        boolean reqCpuMem = false;
        boolean limHuge = false;
        boolean reqHuge = false;
        Map<String, Quantity> limits = req.getLimits() == null ? Map.of() : req.getLimits();
        Map<String, Quantity> requests = req.getRequests() == null ? Map.of() : req.getRequests();
        for (Map.Entry<String, Quantity> e : limits.entrySet()) {
            String name = e.getKey();
            FieldPath p = limPath.key(name);
            errs.addAll(validateContainerResourceName(name, p));
            GoQuantity q = parse(e.getValue(), p, errs);
            if (q != null) {
                errs.addAll(validateResourceQuantityValue(name, q, p));
            }
            if (isHugePageResourceName(name)) {
                limHuge = true;
                if (q != null) {
                    String err = hugePageValueError(name, q);
                    if (err != null) {
                        errs.add(FieldError.invalid(p, q.toString(), err));
                    }
                }
            }
            if (name.equals("cpu") || name.equals("memory")) {
                limCpuMem = true;
            }
        }
        for (Map.Entry<String, Quantity> e : requests.entrySet()) {
            String name = e.getKey();
            FieldPath p = reqPath.key(name);
            errs.addAll(validateContainerResourceName(name, p));
            GoQuantity q = parse(e.getValue(), p, errs);
            if (q != null) {
                errs.addAll(validateResourceQuantityValue(name, q, p));
                Quantity limit = limits.get(name);
                if (limit != null) {
                    GoQuantity l = GoQuantity.tryParse(GoQuantity.text(limit));
                    if (l != null) {
                        if (q.compareTo(l) != 0 && !isOvercommitAllowed(name)) {
                            errs.add(FieldError.invalid(reqPath, q.toString(),
                                    "must be equal to " + name + " limit of " + l));
                        } else if (q.compareTo(l) > 0) {
                            errs.add(FieldError.invalid(reqPath, q.toString(),
                                    "must be less than or equal to " + name + " limit of " + l));
                        }
                    }
                } else if (!isOvercommitAllowed(name)) {
                    errs.add(FieldError.required(limPath, "Limit must be set for non overcommitable resources"));
                }
            }
            if (isHugePageResourceName(name)) {
                reqHuge = true;
                if (q != null) {
                    String err = hugePageValueError(name, q);
                    if (err != null) {
                        errs.add(FieldError.invalid(p, q.toString(), err));
                    }
                }
            }
            if (name.equals("cpu") || name.equals("memory")) {
                reqCpuMem = true;
            }
        }
        if (!limCpuMem && !reqCpuMem && (reqHuge || limHuge)) {
            errs.add(FieldError.forbidden(path, "HugePages require cpu or memory"));
        }
        errs.addAll(validateResourceClaimNames(req.getClaims(), podClaimNames, path.child("claims")));
        return errs;
    }

    // validateResourceQuantityHugePageValue with AllowIndivisibleHugePagesValues=false
    private static String hugePageValueError(String name, GoQuantity q) {
        GoQuantity pageSize = GoQuantity.tryParse(name.substring("hugepages-".length()));
        boolean divisible = false;
        if (pageSize != null && pageSize.value().signum() > 0 && q.value().signum() >= 0) {
            divisible = q.value().remainder(pageSize.value()).signum() == 0;
        }
        return divisible ? null : q + " is not positive integer multiple of " + name;
    }

    /** {@code validateResourceClaimNames}. */
    static List<FieldError> validateResourceClaimNames(List<ResourceClaim> claims, Collection<String> podClaimNames,
                                                       FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (claims == null) {
            return errs;
        }
        Set<String> names = new TreeSet<>();
        for (int i = 0; i < claims.size(); i++) {
            ResourceClaim claim = claims.get(i);
            String name = claim.getName() == null ? "" : claim.getName();
            String request = claim.getRequest() == null ? "" : claim.getRequest();
            if (name.isEmpty()) {
                errs.add(FieldError.required(path.index(i), ""));
                continue;
            }
            if (names.contains(name)) {
                errs.add(FieldError.duplicate(path.index(i), name));
            } else {
                String key = name;
                if (!request.isEmpty()) {
                    errs.addAll(NameValidation.validateDNS1123Label(request, path.index(i).child("request")));
                    key += "/" + request;
                }
                if (names.contains(key)) {
                    errs.add(FieldError.duplicate(path.index(i), key));
                } else if (request.isEmpty()) {
                    for (String existing : names) {
                        int idx = existing.indexOf('/');
                        if (idx >= 0 && existing.substring(0, idx).equals(name)) {
                            errs.add(FieldError.duplicate(path.index(i), name));
                        }
                    }
                }
                names.add(key);
            }
            if (!podClaimNames.contains(name)) {
                String detail = "must be one of the names in pod.spec.resourceClaims";
                detail += podClaimNames.isEmpty() ? " which is empty" : ": " + String.join(", ", new TreeSet<>(podClaimNames));
                errs.add(FieldError.notFound(path.index(i), name).withDetail(detail));
            }
        }
        return errs;
    }
}
