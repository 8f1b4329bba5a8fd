package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.api.model.coordination.v1.LeaseSpec;
import java.util.ArrayList;
import java.util.List;

/**
 * {@code ValidateLease} / {@code ValidateLeaseUpdate} (pkg/apis/coordination/validation, 1.32). Upstream uses the
 * generic apimachinery ObjectMeta validation here (no kube finalizer-name check). holderIdentity is not validated.
 */
public final class LeaseValidation {
    private LeaseValidation() {
    }

    public static List<FieldError> validateCreate(Lease lease) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaAccessor(lease.getMetadata(), true,
                NameValidation::nameIsDNSSubdomain, METADATA);
        errs.addAll(validateSpec(lease.getSpec()));
        return errs;
    }

    public static List<FieldError> validateUpdate(Lease lease, Lease oldLease) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaAccessorUpdate(lease.getMetadata(), oldLease.getMetadata(), METADATA);
        errs.addAll(validateSpec(lease.getSpec()));
        return errs;
    }

    private static List<FieldError> validateSpec(LeaseSpec spec) {
        List<FieldError> errs = new ArrayList<>();
        if (spec == null) {
            return errs;
        }
        FieldPath p = FieldPath.root("spec");
        if (spec.getLeaseDurationSeconds() != null && spec.getLeaseDurationSeconds() <= 0) {
            errs.add(FieldError.invalid(p.child("leaseDurationSeconds"), spec.getLeaseDurationSeconds(), "must be greater than 0"));
        }
        if (spec.getLeaseTransitions() != null && spec.getLeaseTransitions() < 0) {
            errs.add(FieldError.invalid(p.child("leaseTransitions"), spec.getLeaseTransitions(), "must be greater than or equal to 0"));
        }
        if (spec.getStrategy() != null) {
            // ValidateCoordinatedLeaseStrategy appends "strategy" to a path that already ends in it, as upstream does
            FieldPath sp = p.child("strategy").child("strategy");
            String strategy = spec.getStrategy();
            if (strategy.split("/", -1).length == 1) {
                if (!strategy.equals("OldestEmulationVersion")) {
                    errs.add(FieldError.notSupported(sp, strategy, List.of("OldestEmulationVersion")));
                }
            } else {
                for (String msg : NameValidation.isQualifiedName(strategy)) {
                    errs.add(FieldError.invalid(sp, strategy, msg));
                }
            }
        }
        if (spec.getPreferredHolder() != null && !spec.getPreferredHolder().isEmpty()
                && (spec.getStrategy() == null || spec.getStrategy().isEmpty())) {
            errs.add(FieldError.forbidden(p.child("preferredHolder"), "may only be specified if `strategy` is defined"));
        }
        return errs;
    }
}
