package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;
import static io.kemu.apiserver.validation.ValidationSupport.SPEC;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentSpec;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.DeploymentStrategy;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Deployment validation of kube-apiserver 1.32: {@code ValidateDeployment}, {@code ValidateDeploymentUpdate} plus the
 * apps/v1 registry's selector immutability, and {@code ValidateDeploymentStatusUpdate}
 * (pkg/apis/apps/validation/validation.go, pkg/registry/apps/deployment/strategy.go).
 */
public final class DeploymentValidation {
    private DeploymentValidation() {
    }

    public static List<FieldError> validateCreate(Deployment d) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(d.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
        errs.addAll(validateSpec(spec(d), SPEC));
        return errs;
    }

    public static List<FieldError> validateUpdate(Deployment newD, Deployment oldD) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newD.getMetadata(), oldD.getMetadata(), METADATA);
        errs.addAll(validateSpec(spec(newD), SPEC));
        errs.addAll(ValidationSupport.validateImmutableField(spec(newD).getSelector(), spec(oldD).getSelector(),
                ValidationSupport.selectorValue(spec(newD).getSelector()), SPEC.child("selector")));
        return errs;
    }

    public static List<FieldError> validateStatusUpdate(Deployment newD, Deployment oldD) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newD.getMetadata(), oldD.getMetadata(), METADATA);
        DeploymentStatus s = newD.getStatus() == null ? new DeploymentStatus() : newD.getStatus();
        FieldPath p = FieldPath.root("status");
        errs.addAll(nonneg(s.getObservedGeneration(), p.child("observedGeneration")));
        errs.addAll(nonneg(s.getReplicas(), p.child("replicas")));
        errs.addAll(nonneg(s.getUpdatedReplicas(), p.child("updatedReplicas")));
        errs.addAll(nonneg(s.getReadyReplicas(), p.child("readyReplicas")));
        errs.addAll(nonneg(s.getAvailableReplicas(), p.child("availableReplicas")));
        errs.addAll(nonneg(s.getUnavailableReplicas(), p.child("unavailableReplicas")));
        if (s.getCollisionCount() != null) {
            errs.addAll(nonneg(s.getCollisionCount(), p.child("collisionCount")));
        }
        String msg = "cannot be greater than status.replicas";
        int replicas = intv(s.getReplicas());
        if (intv(s.getUpdatedReplicas()) > replicas) {
            errs.add(FieldError.invalid(p.child("updatedReplicas"), intv(s.getUpdatedReplicas()), msg));
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
        Integer oldCount = oldD.getStatus() == null ? null : oldD.getStatus().getCollisionCount();
        if (isDecremented(s.getCollisionCount(), oldCount)) {
            errs.add(FieldError.invalid(p.child("collisionCount"), intv(s.getCollisionCount()), "cannot be decremented"));
        }
        return errs;
    }

    /** {@code ValidateDeploymentSpec}. */
    static List<FieldError> validateSpec(DeploymentSpec spec, FieldPath path) {
        List<FieldError> errs = new ArrayList<>(nonneg(spec.getReplicas(), path.child("replicas")));
        errs.addAll(validateSelectorAndTemplate(spec.getSelector(), spec.getTemplate(), path, "deployment", "ReplicaSet"));
        errs.addAll(validateStrategy(spec.getStrategy(), path.child("strategy")));
        errs.addAll(nonneg(spec.getMinReadySeconds(), path.child("minReadySeconds")));
        if (spec.getRevisionHistoryLimit() != null) {
            errs.addAll(nonneg(spec.getRevisionHistoryLimit(), path.child("revisionHistoryLimit")));
        }
        if (spec.getProgressDeadlineSeconds() != null) {
            errs.addAll(nonneg(spec.getProgressDeadlineSeconds(), path.child("progressDeadlineSeconds")));
            if (spec.getProgressDeadlineSeconds() <= intv(spec.getMinReadySeconds())) {
                errs.add(FieldError.invalid(path.child("progressDeadlineSeconds"), spec.getProgressDeadlineSeconds(),
                        "must be greater than minReadySeconds"));
            }
        }
        return errs;
    }

    /**
     * The selector checks of ValidateDeploymentSpec/ValidateReplicaSetSpec followed by
     * {@code ValidatePodTemplateSpecForReplicaSet} ({@code kind} names the controller in the activeDeadlineSeconds error).
     */
    static List<FieldError> validateSelectorAndTemplate(LabelSelector selector, PodTemplateSpec template, FieldPath path,
                                                        String emptyKind, String kind) {
        List<FieldError> errs = new ArrayList<>();
        if (selector == null) {
            errs.add(FieldError.required(path.child("selector"), ""));
        } else {
            errs.addAll(PodValidation.validateLabelSelector(selector, false, path.child("selector")));
            if (ValidationSupport.selectorEmpty(selector)) {
                errs.add(FieldError.invalid(path.child("selector"), ValidationSupport.selectorValue(selector),
                        "empty selector is invalid for " + emptyKind));
            }
        }
        if (ValidationSupport.selectorInvalid(selector)) {
            errs.add(FieldError.invalid(path.child("selector"), ValidationSupport.selectorValue(selector), "invalid label selector"));
            return errs;
        }
        FieldPath tp = path.child("template");
        if (!ValidationSupport.selectorEmpty(selector)
                && !ValidationSupport.selectorMatches(selector, ValidationSupport.templateLabels(template))) {
            errs.add(FieldError.invalid(tp.child("metadata", "labels"),
                    ValidationSupport.mapValue(ValidationSupport.templateLabels(template)), "`selector` does not match template `labels`"));
        }
        errs.addAll(ValidationSupport.validatePodTemplateSpec(template, tp, ValidationSupport.templateOptions()));
        String restart = str(ValidationSupport.templateSpec(template).getRestartPolicy());
        if (!restart.equals("Always")) {
            errs.add(FieldError.notSupported(tp.child("spec", "restartPolicy"), restart, List.of("Always")));
        }
        if (ValidationSupport.templateSpec(template).getActiveDeadlineSeconds() != null) {
            errs.add(FieldError.forbidden(tp.child("spec", "activeDeadlineSeconds"), "activeDeadlineSeconds in " + kind + " is not Supported"));
        }
        return errs;
    }

    /** {@code ValidateDeploymentStrategy}. */
    static List<FieldError> validateStrategy(DeploymentStrategy strategy, FieldPath path) {
        DeploymentStrategy s = strategy == null ? new DeploymentStrategy() : strategy;
        String type = str(s.getType());
        List<FieldError> errs = new ArrayList<>();
        switch (type) {
            case "Recreate" -> {
                if (s.getRollingUpdate() != null) {
                    errs.add(FieldError.forbidden(path.child("rollingUpdate"), "may not be specified when strategy `type` is 'Recreate'"));
                }
            }
            case "RollingUpdate" -> {
                if (s.getRollingUpdate() == null) {
                    errs.add(FieldError.required(path.child("rollingUpdate"), "this should be defaulted and never be nil"));
                } else {
                    FieldPath ru = path.child("rollingUpdate");
                    IntOrString maxUnavailable = orZero(s.getRollingUpdate().getMaxUnavailable());
                    IntOrString maxSurge = orZero(s.getRollingUpdate().getMaxSurge());
                    errs.addAll(ValidationSupport.validatePositiveIntOrPercent(maxUnavailable, ru.child("maxUnavailable")));
                    errs.addAll(ValidationSupport.validatePositiveIntOrPercent(maxSurge, ru.child("maxSurge")));
                    if (ValidationSupport.intOrPercentValue(maxUnavailable) == 0 && ValidationSupport.intOrPercentValue(maxSurge) == 0) {
                        errs.add(FieldError.invalid(ru.child("maxUnavailable"), ValidationSupport.intOrStringValue(maxUnavailable),
                                "may not be 0 when `maxSurge` is 0"));
                    }
                    errs.addAll(ValidationSupport.isNotMoreThan100Percent(maxUnavailable, ru.child("maxUnavailable")));
                }
            }
            default -> errs.add(FieldError.notSupported(path, GoFormat.raw("apps.DeploymentStrategy{Type:" + GoFormat.quote(type)
                    + ", RollingUpdate:" + (s.getRollingUpdate() == null ? "(*apps.RollingUpdateDeployment)(nil)"
                    : "(*apps.RollingUpdateDeployment)(0xc000000000)") + "}"), List.of("Recreate", "RollingUpdate")));
        }
        return errs;
    }

    private static IntOrString orZero(IntOrString v) {
        return v == null ? new IntOrString(0) : v;
    }

    static List<FieldError> nonneg(Number v, FieldPath path) {
        return ObjectMetaValidation.validateNonnegativeField(v == null ? 0 : v.longValue(), path);
    }

    /** {@code IsDecremented}. */
    static boolean isDecremented(Integer update, Integer old) {
        if (update == null && old != null) {
            return true;
        }
        if (update == null || old == null) {
            return false;
        }
        return update < old;
    }

    static int intv(Integer i) {
        return i == null ? 0 : i;
    }

    private static DeploymentSpec spec(Deployment d) {
        return d.getSpec() == null ? new DeploymentSpec() : d.getSpec();
    }

    static boolean same(Object a, Object b) {
        return Objects.equals(a, b);
    }
}
