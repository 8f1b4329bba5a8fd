package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import java.util.List;

/** {@code ValidateScale} (pkg/apis/autoscaling/validation): metadata and {@code spec.replicas >= 0}. */
public final class ScaleValidation {
    private ScaleValidation() {
    }

    public static List<FieldError> validate(Scale scale) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(scale.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
        Integer replicas = scale.getSpec() == null ? null : scale.getSpec().getReplicas();
        if (replicas != null && replicas < 0) {
            errs.add(FieldError.invalid(FieldPath.root("spec", "replicas"), replicas, "must be greater than or equal to 0"));
        }
        return errs;
    }
}
