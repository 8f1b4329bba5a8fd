package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.DeploymentValidation.nonneg;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudget;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetSpec;
import io.fabric8.kubernetes.api.model.policy.v1.PodDisruptionBudgetStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * policy/v1 PodDisruptionBudget validation as kube-apiserver 1.32 applies it. The PDB strategy validates only the spec
 * ({@code ValidatePodDisruptionBudget}); metadata is checked by the generic registry: on create
 * ({@code rest.BeforeCreate}) only when the spec passed, with path-segment names; on update
 * ({@code validateCommonFields}) before the spec. Both are reproduced here since the registry calls nothing else.
 */
public final class PodDisruptionBudgetValidation {
    private PodDisruptionBudgetValidation() {
    }

    static final List<String> UNHEALTHY_POD_EVICTION_POLICIES = List.of("AlwaysAllow", "IfHealthyBudget");

    public static List<FieldError> validateCreate(PodDisruptionBudget pdb) {
        List<FieldError> errs = validateSpec(spec(pdb), false);
        if (!errs.isEmpty()) {
            return errs;
        }
        return ObjectMetaValidation.validateObjectMetaAccessor(pdb.getMetadata(), true, NameValidation::validatePathSegmentName, METADATA);
    }

    public static List<FieldError> validateUpdate(PodDisruptionBudget pdb, PodDisruptionBudget oldPdb) {
        List<FieldError> errs = commonFields(pdb, oldPdb);
        boolean allowInvalid = oldPdb.getSpec() != null && hasInvalidLabelValue(oldPdb.getSpec());
        errs.addAll(validateSpec(spec(pdb), allowInvalid));
        return errs;
    }

    /** Status strategy: {@code ValidatePodDisruptionBudgetStatusUpdate} for policy/v1. */
    public static List<FieldError> validateStatusUpdate(PodDisruptionBudget pdb, PodDisruptionBudget oldPdb) {
        List<FieldError> errs = commonFields(pdb, oldPdb);
        PodDisruptionBudgetStatus s = pdb.getStatus() == null ? new PodDisruptionBudgetStatus() : pdb.getStatus();
        FieldPath p = FieldPath.root("status");
        errs.addAll(ValidationSupport.validateConditions(s.getConditions(), p.child("conditions")));
        errs.addAll(nonneg(s.getDisruptionsAllowed(), p.child("disruptionsAllowed")));
        errs.addAll(nonneg(s.getCurrentHealthy(), p.child("currentHealthy")));
        errs.addAll(nonneg(s.getDesiredHealthy(), p.child("desiredHealthy")));
        errs.addAll(nonneg(s.getExpectedPods(), p.child("expectedPods")));
        return errs;
    }

    private static List<FieldError> commonFields(PodDisruptionBudget pdb, PodDisruptionBudget oldPdb) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaAccessor(pdb.getMetadata(), true,
                NameValidation::validatePathSegmentName, METADATA);
        errs.addAll(ObjectMetaValidation.validateObjectMetaAccessorUpdate(pdb.getMetadata(), oldPdb.getMetadata(), METADATA));
        return errs;
    }

    /** {@code ValidatePodDisruptionBudgetSpec}. */
    static List<FieldError> validateSpec(PodDisruptionBudgetSpec spec, boolean allowInvalidLabelValue) {
        List<FieldError> errs = new ArrayList<>();
        FieldPath p = FieldPath.root("spec");
        if (spec.getMinAvailable() != null && spec.getMaxUnavailable() != null) {
            // upstream prints the whole spec struct (with pointer addresses) via %#v
            errs.add(FieldError.invalid(p, GoFormat.raw("policy.PodDisruptionBudgetSpec{MinAvailable:(*intstr.IntOrString)(0xc000000000), "
                    + "Selector:(*v1.LabelSelector)(0xc000000000), MaxUnavailable:(*intstr.IntOrString)(0xc000000000), "
                    + "UnhealthyPodEvictionPolicy:(*policy.UnhealthyPodEvictionPolicyType)(nil)}"),
                    "minAvailable and maxUnavailable cannot be both set"));
        }
        for (String field : List.of("minAvailable", "maxUnavailable")) {
            IntOrString v = field.equals("minAvailable") ? spec.getMinAvailable() : spec.getMaxUnavailable();
            if (v != null) {
                errs.addAll(ValidationSupport.validatePositiveIntOrPercent(v, p.child(field)));
                errs.addAll(ValidationSupport.isNotMoreThan100Percent(v, p.child(field)));
            }
        }
        errs.addAll(PodValidation.validateLabelSelector(spec.getSelector(), allowInvalidLabelValue, p.child("selector")));
        if (spec.getUnhealthyPodEvictionPolicy() != null && !UNHEALTHY_POD_EVICTION_POLICIES.contains(spec.getUnhealthyPodEvictionPolicy())) {
            errs.add(FieldError.notSupported(p.child("unhealthyPodEvictionPolicy"), spec.getUnhealthyPodEvictionPolicy(),
                    UNHEALTHY_POD_EVICTION_POLICIES));
        }
        return errs;
    }

    private static boolean hasInvalidLabelValue(PodDisruptionBudgetSpec spec) {
        if (spec.getSelector() == null) {
            return false;
        }
        for (var r : ObjectMetaValidation.nonNull(spec.getSelector().getMatchExpressions())) {
            for (String v : ObjectMetaValidation.nonNull(r.getValues())) {
                if (!NameValidation.isValidLabelValue(v).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    private static PodDisruptionBudgetSpec spec(PodDisruptionBudget pdb) {
        return pdb.getSpec() == null ? new PodDisruptionBudgetSpec() : pdb.getSpec();
    }
}
