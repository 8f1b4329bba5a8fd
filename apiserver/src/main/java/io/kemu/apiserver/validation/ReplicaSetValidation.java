package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.DeploymentValidation.intv;
import static io.kemu.apiserver.validation.DeploymentValidation.nonneg;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;
import static io.kemu.apiserver.validation.ValidationSupport.SPEC;

import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetStatus;
import java.util.ArrayList;
import java.util.List;

/**
 * ReplicaSet validation of kube-apiserver 1.32: {@code ValidateReplicaSet}; on update the registry runs
 * {@code ValidateReplicaSet} and {@code ValidateReplicaSetUpdate} (so spec errors appear twice, as upstream) plus apps/v1
 * selector immutability; {@code ValidateReplicaSetStatusUpdate}.
 */
public final class ReplicaSetValidation {
    private ReplicaSetValidation() {
    }

    public static List<FieldError> validateCreate(ReplicaSet rs) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(rs.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
        errs.addAll(validateSpec(spec(rs)));
        return errs;
    }

    public static List<FieldError> validateUpdate(ReplicaSet newRs, ReplicaSet oldRs) {
        List<FieldError> errs = validateCreate(newRs);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(newRs.getMetadata(), oldRs.getMetadata(), METADATA));
        errs.addAll(validateSpec(spec(newRs)));
        errs.addAll(ValidationSupport.validateImmutableField(spec(newRs).getSelector(), spec(oldRs).getSelector(),
                ValidationSupport.selectorValue(spec(newRs).getSelector()), SPEC.child("selector")));
        return errs;
    }

    public static List<FieldError> validateStatusUpdate(ReplicaSet newRs, ReplicaSet oldRs) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newRs.getMetadata(), oldRs.getMetadata(), METADATA);
        ReplicaSetStatus s = newRs.getStatus() == null ? new ReplicaSetStatus() : newRs.getStatus();
        FieldPath p = FieldPath.root("status");
        errs.addAll(nonneg(s.getReplicas(), p.child("replicas")));
        errs.addAll(nonneg(s.getFullyLabeledReplicas(), p.child("fullyLabeledReplicas")));
        errs.addAll(nonneg(s.getReadyReplicas(), p.child("readyReplicas")));
        errs.addAll(nonneg(s.getAvailableReplicas(), p.child("availableReplicas")));
        errs.addAll(nonneg(s.getObservedGeneration(), p.child("observedGeneration")));
        String msg = "cannot be greater than status.replicas";
        int replicas = intv(s.getReplicas());
        if (intv(s.getFullyLabeledReplicas()) > replicas) {
            errs.add(FieldError.invalid(p.child("fullyLabeledReplicas"), intv(s.getFullyLabeledReplicas()), msg));
        }
        if (intv(s.getReadyReplicas()) > replicas) {
            errs.add(FieldError.invalid(p.child("readyReplicas"), intv(s.getReadyReplicas()), msg));
        }
        if (intv(s.getAvailableReplicas()) > replicas) {
            errs.add(FieldError.invalid(p.child("availableReplicas"), intv(s.getAvailableReplicas()), msg));
        }
        if (intv(s.getAvailableReplicas()) > intv(s.getReadyReplicas())) {
            errs.add(FieldError.invalid(p.child("availableReplicas"), intv(s.getAvailableReplicas()), "cannot be greater than readyReplicas"));
        }
        return errs;
    }

    /** {@code ValidateReplicaSetSpec} (its empty-selector message says "deployment", as upstream). */
    static List<FieldError> validateSpec(ReplicaSetSpec spec) {
        List<FieldError> errs = new ArrayList<>(nonneg(spec.getReplicas(), SPEC.child("replicas")));
        errs.addAll(nonneg(spec.getMinReadySeconds(), SPEC.child("minReadySeconds")));
        errs.addAll(DeploymentValidation.validateSelectorAndTemplate(spec.getSelector(), spec.getTemplate(), SPEC, "deployment", "ReplicaSet"));
        return errs;
    }

    private static ReplicaSetSpec spec(ReplicaSet rs) {
        return rs.getSpec() == null ? new ReplicaSetSpec() : rs.getSpec();
    }
}
