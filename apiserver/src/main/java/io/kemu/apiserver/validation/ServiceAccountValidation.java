package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.ServiceAccount;
import java.util.List;

/** {@code ValidateServiceAccount} / {@code ValidateServiceAccountUpdate}: metadata only, DNS-subdomain names. */
public final class ServiceAccountValidation {
    private ServiceAccountValidation() {
    }

    public static List<FieldError> validateCreate(ServiceAccount sa) {
        return ObjectMetaValidation.validateObjectMeta(sa.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
    }

    public static List<FieldError> validateUpdate(ServiceAccount newSa, ServiceAccount oldSa) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newSa.getMetadata(), oldSa.getMetadata(), METADATA);
        errs.addAll(validateCreate(newSa));
        return errs;
    }
}
