package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceQuota;
import io.fabric8.kubernetes.api.model.ResourceQuotaSpec;
import io.fabric8.kubernetes.api.model.ResourceQuotaStatus;
import io.fabric8.kubernetes.api.model.ScopedResourceSelectorRequirement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * {@code ValidateResourceQuota}, {@code ValidateResourceQuotaUpdate} and {@code ValidateResourceQuotaStatusUpdate}
 * (core/validation/validation.go, 1.32) with the quota helpers of pkg/apis/core/helper. The VolumeAttributesClass
 * scope is not accepted (its gate is off by default in 1.32).
 */
public final class ResourceQuotaValidation {
    private ResourceQuotaValidation() {
    }

    private static final Set<String> STANDARD_QUOTA_RESOURCES = Set.of(
            "cpu", "memory", "ephemeral-storage", "requests.cpu", "requests.memory", "requests.storage",
            "requests.ephemeral-storage", "limits.cpu", "limits.memory", "limits.ephemeral-storage", "pods",
            "resourcequotas", "services", "replicationcontrollers", "secrets", "persistentvolumeclaims", "configmaps",
            "services.nodeports", "services.loadbalancers");
    private static final Set<String> STANDARD_SCOPES = Set.of(
            "Terminating", "NotTerminating", "BestEffort", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity");
    private static final Set<String> POD_COMPUTE = Set.of(
            "cpu", "memory", "limits.cpu", "limits.memory", "requests.cpu", "requests.memory");
    private static final FieldPath SPEC = FieldPath.root("spec");

    public static List<FieldError> validateCreate(ResourceQuota rq) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(rq.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
        errs.addAll(validateSpec(spec(rq)));
        errs.addAll(validateStatus(rq.getStatus()));
        return errs;
    }

    public static List<FieldError> validateUpdate(ResourceQuota newRq, ResourceQuota oldRq) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newRq.getMetadata(), oldRq.getMetadata(), METADATA);
        errs.addAll(validateSpec(spec(newRq)));
        Set<String> newScopes = new TreeSet<>(nonNull(spec(newRq).getScopes()));
        Set<String> oldScopes = new TreeSet<>(nonNull(spec(oldRq).getScopes()));
        if (!newScopes.equals(oldScopes)) {
            errs.add(FieldError.invalid(SPEC.child("scopes"), scopesValue(spec(newRq).getScopes()), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return errs;
    }

    public static List<FieldError> validateStatusUpdate(ResourceQuota newRq, ResourceQuota oldRq) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newRq.getMetadata(), oldRq.getMetadata(), METADATA);
        if (newRq.getMetadata() == null || str(newRq.getMetadata().getResourceVersion()).isEmpty()) {
            errs.add(FieldError.required(FieldPath.root("resourceVersion"), ""));
        }
        errs.addAll(validateStatus(newRq.getStatus()));
        return errs;
    }

    private static List<FieldError> validateSpec(ResourceQuotaSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        errs.addAll(validateList(spec.getHard(), SPEC.child("hard")));
        errs.addAll(validateScopes(spec));
        if (spec.getScopeSelector() != null) {
            errs.addAll(validateScopeSelector(spec));
        }
        return errs;
    }

    private static List<FieldError> validateStatus(ResourceQuotaStatus status) {
        if (status == null) {
            return List.of();
        }
        List<FieldError> errs = new ArrayList<>(validateList(status.getHard(), FieldPath.root("status", "hard")));
        errs.addAll(validateList(status.getUsed(), FieldPath.root("status", "used")));
        return errs;
    }

    private static List<FieldError> validateList(Map<String, Quantity> list, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (list == null) {
            return errs;
        }
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            FieldPath p = path.key(e.getKey());
            errs.addAll(validateResourceQuotaResourceName(e.getKey(), p));
            GoQuantity q = ResourceValidation.parse(e.getValue(), p, errs);
            if (q != null) {
                errs.addAll(ResourceValidation.validateResourceQuantityValue(e.getKey(), q, p));
            }
        }
        return errs;
    }

    /** {@code ValidateResourceQuotaResourceName}. */
    static List<FieldError> validateResourceQuotaResourceName(String value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>(ResourceValidation.validateResourceName(value, path));
        if (value.split("/", -1).length == 1 && !isStandardQuotaResourceName(value)) {
            errs.add(FieldError.invalid(path, value, "must be a standard resource for quota"));
        }
        return errs;
    }

    static boolean isStandardQuotaResourceName(String name) {
        return STANDARD_QUOTA_RESOURCES.contains(name) || ResourceValidation.isQuotaHugePageResourceName(name);
    }

    /** {@code IsResourceQuotaScopeValidForResource}. */
    static boolean scopeValidForResource(String scope, String resource) {
        return switch (scope) {
            case "Terminating", "NotTerminating", "NotBestEffort", "PriorityClass", "CrossNamespacePodAffinity" ->
                    resource.equals("pods") || POD_COMPUTE.contains(resource);
            case "BestEffort" -> resource.equals("pods");
            default -> true;
        };
    }

    private static List<FieldError> validateScopes(ResourceQuotaSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        List<String> scopes = nonNull(spec.getScopes());
        if (scopes.isEmpty()) {
            return errs;
        }
        Set<String> hard = spec.getHard() == null ? Set.of() : new TreeSet<>(spec.getHard().keySet());
        FieldPath p = SPEC.child("scopes");
        Object value = scopesValue(spec.getScopes());
        for (String scope : scopes) {
            if (!STANDARD_SCOPES.contains(scope)) {
                errs.add(FieldError.invalid(p, value, "unsupported scope"));
            }
            for (String k : hard) {
                if (isStandardQuotaResourceName(k) && !scopeValidForResource(scope, k)) {
                    errs.add(FieldError.invalid(p, value, "unsupported scope applied to resource"));
                }
            }
        }
        if ((scopes.contains("BestEffort") && scopes.contains("NotBestEffort"))) {
            errs.add(FieldError.invalid(p, value, "conflicting scopes"));
        }
        if ((scopes.contains("Terminating") && scopes.contains("NotTerminating"))) {
            errs.add(FieldError.invalid(p, value, "conflicting scopes"));
        }
        return errs;
    }

    private static List<FieldError> validateScopeSelector(ResourceQuotaSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> hard = spec.getHard() == null ? Set.of() : new TreeSet<>(spec.getHard().keySet());
        FieldPath p = SPEC.child("scopeSelector", "matchExpressions");
        List<ScopedResourceSelectorRequirement> reqs = nonNull(spec.getScopeSelector().getMatchExpressions());
        Set<String> scopes = new TreeSet<>();
        for (ScopedResourceSelectorRequirement req : reqs) {
            String scope = str(req.getScopeName());
            String op = str(req.getOperator());
            List<String> values = nonNull(req.getValues());
            if (!STANDARD_SCOPES.contains(scope)) {
                errs.add(FieldError.invalid(p.child("scopeName"), scope, "unsupported scope"));
            }
            for (String k : hard) {
                if (isStandardQuotaResourceName(k) && !scopeValidForResource(scope, k)) {
                    errs.add(FieldError.invalid(p, scopeSelectorValue(reqs), "unsupported scope applied to resource"));
                }
            }
            switch (scope) {
                case "BestEffort", "NotBestEffort", "Terminating", "NotTerminating", "CrossNamespacePodAffinity" -> {
                    if (!op.equals("Exists")) {
                        errs.add(FieldError.invalid(p.child("operator"), op,
                                "must be 'Exists' when scope is any of ResourceQuotaScopeTerminating, ResourceQuotaScopeNotTerminating, "
                                        + "ResourceQuotaScopeBestEffort, ResourceQuotaScopeNotBestEffort or "
                                        + "ResourceQuotaScopeCrossNamespacePodAffinity"));
                    }
                }
                default -> {
                }
            }
            switch (op) {
                case "In", "NotIn" -> {
                    if (values.isEmpty()) {
                        errs.add(FieldError.required(p.child("values"),
                                "must be at least one value when `operator` is 'In' or 'NotIn' for scope selector"));
                    }
                }
                case "Exists", "DoesNotExist" -> {
                    if (!values.isEmpty()) {
                        errs.add(FieldError.invalid(p.child("values"), GoFormat.raw(ValidationSupport.goStringSlice(req.getValues())),
                                "must be no value when `operator` is 'Exist' or 'DoesNotExist' for scope selector"));
                    }
                }
                default -> errs.add(FieldError.invalid(p.child("operator"), op, "not a valid selector operator"));
            }
            scopes.add(scope);
        }
        Object scopesValue = scopesValue(spec.getScopes());
        if (scopes.contains("BestEffort") && scopes.contains("NotBestEffort")) {
            errs.add(FieldError.invalid(p, scopesValue, "conflicting scopes"));
        }
        if (scopes.contains("Terminating") && scopes.contains("NotTerminating")) {
            errs.add(FieldError.invalid(p, scopesValue, "conflicting scopes"));
        }
        return errs;
    }

    private static GoFormat.Raw scopesValue(List<String> scopes) {
        if (scopes == null) {
            return GoFormat.raw("[]core.ResourceQuotaScope(nil)");
        }
        return GoFormat.raw(scopes.stream().map(GoFormat::quote).collect(Collectors.joining(", ", "[]core.ResourceQuotaScope{", "}")));
    }

    private static GoFormat.Raw scopeSelectorValue(List<ScopedResourceSelectorRequirement> reqs) {
        String inner = reqs.stream().map(r -> "core.ScopedResourceSelectorRequirement{ScopeName:" + GoFormat.quote(str(r.getScopeName()))
                + ", Operator:" + GoFormat.quote(str(r.getOperator())) + ", Values:" + ValidationSupport.goStringSlice(r.getValues()) + "}")
                .collect(Collectors.joining(", ", "[]core.ScopedResourceSelectorRequirement{", "}"));
        return GoFormat.raw("core.ScopeSelector{MatchExpressions:" + inner + "}");
    }

    private static ResourceQuotaSpec spec(ResourceQuota rq) {
        return rq.getSpec() == null ? new ResourceQuotaSpec() : rq.getSpec();
    }
}
