package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.scheduling.v1.PriorityClass;
import java.util.List;
import java.util.Objects;

/**
 * {@code ValidatePriorityClass} / {@code ValidatePriorityClassUpdate} (pkg/apis/scheduling/validation, 1.32) with
 * {@code IsKnownSystemPriorityClass} from pkg/apis/scheduling/v1. The single-globalDefault rule lives in the Priority
 * admission plugin, not here.
 */
public final class PriorityClassValidation {
    private PriorityClassValidation() {
    }

    public static final String SYSTEM_PREFIX = "system-";
    public static final int HIGHEST_USER_DEFINABLE_PRIORITY = 1_000_000_000;
    public static final int SYSTEM_CRITICAL_PRIORITY = 2 * HIGHEST_USER_DEFINABLE_PRIORITY;
    public static final String SYSTEM_NODE_CRITICAL = "system-node-critical";
    public static final String SYSTEM_CLUSTER_CRITICAL = "system-cluster-critical";

    public static List<FieldError> validateCreate(PriorityClass pc) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(pc.getMetadata(), false, NameValidation::nameIsDNSSubdomain, METADATA);
        String name = pc.getMetadata() == null ? "" : str(pc.getMetadata().getName());
        int value = pc.getValue() == null ? 0 : pc.getValue();
        boolean globalDefault = Boolean.TRUE.equals(pc.getGlobalDefault());
        if (name.startsWith(SYSTEM_PREFIX)) {
            String err = knownSystemPriorityClassError(name, value, globalDefault);
            if (err != null) {
                errs.add(FieldError.forbidden(FieldPath.root("metadata", "name"),
                        "priority class names with '" + SYSTEM_PREFIX + "' prefix are reserved for system use only. error: " + err));
            }
        } else if (value > HIGHEST_USER_DEFINABLE_PRIORITY) {
            errs.add(FieldError.forbidden(FieldPath.root("value"),
                    "maximum allowed value of a user defined priority is " + HIGHEST_USER_DEFINABLE_PRIORITY));
        }
        if (pc.getPreemptionPolicy() != null) {
            String pp = pc.getPreemptionPolicy();
            if (pp.isEmpty()) {
                errs.add(FieldError.required(FieldPath.root("preemptionPolicy"), ""));
            } else if (!pp.equals("PreemptLowerPriority") && !pp.equals("Never")) {
                errs.add(FieldError.notSupported(FieldPath.root("preemptionPolicy"), pp, List.of("PreemptLowerPriority", "Never")));
            }
        }
        return errs;
    }

    public static List<FieldError> validateUpdate(PriorityClass pc, PriorityClass oldPc) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(pc.getMetadata(), oldPc.getMetadata(), METADATA);
        if (!Objects.equals(pc.getValue(), oldPc.getValue())) {
            errs.add(FieldError.forbidden(FieldPath.root("value"), "may not be changed in an update."));
        }
        if (!Objects.equals(pc.getPreemptionPolicy(), oldPc.getPreemptionPolicy())) {
            errs.add(FieldError.invalid(FieldPath.root("preemptionPolicy"), pc.getPreemptionPolicy(), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return errs;
    }

    /** {@code IsKnownSystemPriorityClass}: null when known and consistent, else the error text. */
    static String knownSystemPriorityClassError(String name, int value, boolean globalDefault) {
        int expected;
        if (name.equals(SYSTEM_NODE_CRITICAL)) {
            expected = SYSTEM_CRITICAL_PRIORITY + 1000;
        } else if (name.equals(SYSTEM_CLUSTER_CRITICAL)) {
            expected = SYSTEM_CRITICAL_PRIORITY;
        } else {
            return name + " is not a known system priority class";
        }
        if (value != expected) {
            return "value of " + name + " PriorityClass must be " + expected;
        }
        if (globalDefault) {
            return "globalDefault of " + name + " PriorityClass must be false";
        }
        return null;
    }
}
