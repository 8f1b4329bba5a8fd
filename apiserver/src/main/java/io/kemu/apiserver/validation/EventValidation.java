package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.Event;
import java.util.ArrayList;
import java.util.List;

/**
 * core/v1 Event validation: {@code legacyValidateEvent} from core/validation/events.go, which is all that
 * {@code ValidateEventCreate}/{@code ValidateEventUpdate} apply to requests made through the core v1 API (the strict
 * rules are reserved for events.k8s.io/v1). The generic ObjectMeta check that {@code rest.BeforeCreate} runs
 * afterwards is available as {@link #validateGenericMeta(Event)}.
 */
public final class EventValidation {
    private EventValidation() {
    }

    public static final int REPORTING_INSTANCE_LENGTH_LIMIT = 128;
    public static final int ACTION_LENGTH_LIMIT = 128;
    public static final int REASON_LENGTH_LIMIT = 128;
    public static final int NOTE_LENGTH_LIMIT = 1024;

    /** {@code ValidateEventCreate} for a core/v1 request. */
    public static List<FieldError> validateCreate(Event event) {
        return legacyValidateEvent(event);
    }

    /** {@code ValidateEventUpdate} for a core/v1 request: only the new event's legacy validation. */
    public static List<FieldError> validateUpdate(Event newEvent, Event oldEvent) {
        return legacyValidateEvent(newEvent);
    }

    /**
     * The check {@code rest.BeforeCreate} runs after the strategy: generic ObjectMeta validation with path-segment
     * names (name required, no "/" or "%", not "." or "..").
     */
    public static List<FieldError> validateGenericMeta(Event event) {
        return ObjectMetaValidation.validateObjectMetaAccessor(event.getMetadata(), true,
                NameValidation::validatePathSegmentName, FieldPath.root("metadata"));
    }

    /** {@code legacyValidateEvent}. */
    public static List<FieldError> legacyValidateEvent(Event event) {
        List<FieldError> errs = new ArrayList<>();
        String namespace = event.getMetadata() == null ? "" : str(event.getMetadata().getNamespace());
        String involvedNs = event.getInvolvedObject() == null ? "" : str(event.getInvolvedObject().getNamespace());
        boolean hasEventTime = event.getEventTime() != null && !str(event.getEventTime().getTime()).isEmpty();
        FieldPath involvedNsPath = FieldPath.root("involvedObject", "namespace");
        if (!hasEventTime) {
            if (involvedNs.isEmpty()) {
                // event.namespace must also be empty (or "default", for compatibility with old clients)
                if (!namespace.isEmpty() && !namespace.equals("default")) {
                    errs.add(FieldError.invalid(involvedNsPath, involvedNs, "does not match event.namespace"));
                }
            } else if (!namespace.equals(involvedNs)) {
                errs.add(FieldError.invalid(involvedNsPath, involvedNs, "does not match event.namespace"));
            }
        } else {
            if (involvedNs.isEmpty() && !namespace.equals("default") && !namespace.equals("kube-system")) {
                errs.add(FieldError.invalid(involvedNsPath, involvedNs, "does not match event.namespace"));
            }
            String controller = str(event.getReportingComponent());
            if (controller.isEmpty()) {
                errs.add(FieldError.required(FieldPath.root("reportingController"), ""));
            }
            for (String msg : NameValidation.isQualifiedName(controller)) {
                errs.add(FieldError.invalid(FieldPath.root("reportingController"), controller, msg));
            }
            String instance = str(event.getReportingInstance());
            if (instance.isEmpty()) {
                errs.add(FieldError.required(FieldPath.root("reportingInstance"), ""));
            }
            if (NameValidation.byteLen(instance) > REPORTING_INSTANCE_LENGTH_LIMIT) {
                errs.add(FieldError.invalid(FieldPath.root("reportingInstance"), "",
                        "can have at most " + REPORTING_INSTANCE_LENGTH_LIMIT + " characters"));
            }
            String action = str(event.getAction());
            if (action.isEmpty()) {
                errs.add(FieldError.required(FieldPath.root("action"), ""));
            }
            if (NameValidation.byteLen(action) > ACTION_LENGTH_LIMIT) {
                errs.add(FieldError.invalid(FieldPath.root("action"), "", "can have at most " + ACTION_LENGTH_LIMIT + " characters"));
            }
            String reason = str(event.getReason());
            if (reason.isEmpty()) {
                errs.add(FieldError.required(FieldPath.root("reason"), ""));
            }
            if (NameValidation.byteLen(reason) > REASON_LENGTH_LIMIT) {
                errs.add(FieldError.invalid(FieldPath.root("reason"), "", "can have at most " + REASON_LENGTH_LIMIT + " characters"));
            }
            if (NameValidation.byteLen(str(event.getMessage())) > NOTE_LENGTH_LIMIT) {
                errs.add(FieldError.invalid(FieldPath.root("message"), "", "can have at most " + NOTE_LENGTH_LIMIT + " characters"));
            }
        }
        for (String msg : NameValidation.isDNS1123Subdomain(namespace)) {
            errs.add(FieldError.invalid(FieldPath.root("namespace"), namespace, msg));
        }
        return errs;
    }
}
