package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.Namespace;
import java.util.ArrayList;
import java.util.List;

/**
 * Namespace validation ({@code ValidateNamespace}, {@code ValidateNamespaceUpdate},
 * {@code ValidateNamespaceStatusUpdate}, {@code ValidateNamespaceFinalizeUpdate} in core/validation/validation.go),
 * combined the way the namespace registry strategy combines them.
 */
public final class NamespaceValidation {
    private NamespaceValidation() {
    }

    private static final FieldPath METADATA = FieldPath.root("metadata");

    /** {@code ValidateNamespace}: cluster-scoped DNS-1123 label name, spec.finalizers names. */
    public static List<FieldError> validateCreate(Namespace ns) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(ns.getMetadata(), false,
                NameValidation::nameIsDNSLabel, METADATA);
        List<String> finalizers = ns.getSpec() == null ? List.of() : nonNull(ns.getSpec().getFinalizers());
        for (String f : finalizers) {
            // upstream passes spec.finalizers without an index here
            FieldPath p = FieldPath.root("spec", "finalizers");
            errs.addAll(ObjectMetaValidation.validateFinalizerName(f, p));
            errs.addAll(ObjectMetaValidation.validateKubeFinalizerName(f, p));
        }
        return errs;
    }

    /** Strategy {@code ValidateUpdate}: {@code ValidateNamespace(new)} + {@code ValidateNamespaceUpdate}. */
    public static List<FieldError> validateUpdate(Namespace newNs, Namespace oldNs) {
        List<FieldError> errs = validateCreate(newNs);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(newNs.getMetadata(), oldNs.getMetadata(), METADATA));
        return errs;
    }

    /** {@code ValidateNamespaceStatusUpdate}: phase Active unless deleting, then Terminating. */
    public static List<FieldError> validateStatusUpdate(Namespace newNs, Namespace oldNs) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newNs.getMetadata(), oldNs.getMetadata(), METADATA);
        String phase = newNs.getStatus() == null ? "" : str(newNs.getStatus().getPhase());
        boolean deleting = newNs.getMetadata() != null && !str(newNs.getMetadata().getDeletionTimestamp()).isEmpty();
        if (!deleting) {
            if (!phase.equals("Active")) {
                errs.add(FieldError.invalid(FieldPath.root("status", "Phase"), phase,
                        "may only be 'Active' if `deletionTimestamp` is empty"));
            }
        } else if (!phase.equals("Terminating")) {
            errs.add(FieldError.invalid(FieldPath.root("status", "Phase"), phase,
                    "may only be 'Terminating' if `deletionTimestamp` is not empty"));
        }
        return errs;
    }

    /** {@code ValidateNamespaceFinalizeUpdate}. */
    public static List<FieldError> validateFinalizeUpdate(Namespace newNs, Namespace oldNs) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newNs.getMetadata(), oldNs.getMetadata(), METADATA);
        List<String> finalizers = newNs.getSpec() == null ? List.of() : nonNull(newNs.getSpec().getFinalizers());
        for (int i = 0; i < finalizers.size(); i++) {
            FieldPath p = FieldPath.root("spec", "finalizers").index(i);
            errs.addAll(ObjectMetaValidation.validateFinalizerName(finalizers.get(i), p));
            errs.addAll(ObjectMetaValidation.validateKubeFinalizerName(finalizers.get(i), p));
        }
        return new ArrayList<>(errs);
    }
}
