package io.kemu.apiserver.validation;

import io.fabric8.kubernetes.api.model.Status;
import io.fabric8.kubernetes.api.model.StatusBuilder;
import io.fabric8.kubernetes.api.model.StatusCause;
import io.fabric8.kubernetes.api.model.StatusCauseBuilder;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * Turns a list of {@link FieldError}s into what clients see: the {@code Status} built by
 * {@code errors.NewInvalid} (apimachinery pkg/api/errors/errors.go) and the text kubectl prints for it
 * ({@code checkErr} in kubectl pkg/cmd/util/helpers.go).
 */
public final class FieldErrors {
    private FieldErrors() {
    }

    /**
     * {@code ErrorList.ToAggregate().Error()}: duplicates (by message) are dropped; one error prints bare,
     * several print as {@code [a, b]}. Returns null for an empty list.
     */
    public static String aggregate(List<FieldError> errors) {
        Set<String> msgs = new LinkedHashSet<>();
        for (FieldError e : errors) {
            msgs.add(e.message());
        }
        if (msgs.isEmpty()) {
            return null;
        }
        if (msgs.size() == 1) {
            return msgs.iterator().next();
        }
        return "[" + String.join(", ", msgs) + "]";
    }

    /**
     * {@code Status.message} of {@code errors.NewInvalid(qualifiedKind, name, errs)}:
     * {@code <Kind> "<name>" is invalid: <aggregate>}. {@code qualifiedKind} is {@code GroupKind.String()},
     * i.e. {@code Pod} for the core group or {@code Deployment.apps} otherwise.
     */
    public static String invalidMessage(String qualifiedKind, String name, List<FieldError> errors) {
        String agg = aggregate(errors);
        String head = qualifiedKind + " " + GoFormat.quote(name == null ? "" : name) + " is invalid";
        return agg == null ? head : head + ": " + agg;
    }

    /** {@code StatusCause}s of {@code NewInvalid}: one per error, not de-duplicated, message = ErrorBody(). */
    public static List<StatusCause> causes(List<FieldError> errors) {
        List<StatusCause> causes = new ArrayList<>(errors.size());
        for (FieldError e : errors) {
            causes.add(new StatusCauseBuilder()
                    .withReason(e.type().causeType())
                    .withMessage(e.body())
                    .withField(e.field())
                    .build());
        }
        return causes;
    }

    /**
     * The full 422 {@code Status} of {@code errors.NewInvalid}. {@code group} is empty for the core API group.
     */
    public static Status invalidStatus(String group, String kind, String name, List<FieldError> errors) {
        String qualified = group == null || group.isEmpty() ? kind : kind + "." + group;
        return new StatusBuilder()
                .withApiVersion("v1")
                .withKind("Status")
                .withStatus("Failure")
                .withCode(422)
                .withReason("Invalid")
                .withMessage(invalidMessage(qualified, name, errors))
                .withNewDetails()
                .withGroup(group == null ? "" : group)
                .withKind(kind)
                .withName(name)
                .withCauses(causes(errors))
                .endDetails()
                .build();
    }

    /**
     * What kubectl prints (to stderr, before exiting 1) for such a Status: {@code The <Kind> "<name>" is invalid: }
     * followed by the single cause, or by a newline and one {@code * field: message} line per distinct cause.
     * The returned text ends with a newline, like {@code MultilineError}.
     */
    public static String kubectlMessage(String kind, String name, List<FieldError> errors) {
        String prefix = "The " + kind + " " + GoFormat.quote(name == null ? "" : name) + " is invalid: ";
        Set<String> msgs = new LinkedHashSet<>();
        for (FieldError e : errors) {
            msgs.add(e.field() + ": " + e.body());
        }
        if (msgs.isEmpty()) {
            return "The " + kind + " " + GoFormat.quote(name == null ? "" : name) + " is invalid";
        }
        if (msgs.size() == 1) {
            return prefix + msgs.iterator().next() + "\n";
        }
        StringBuilder sb = new StringBuilder(prefix).append('\n');
        for (String m : msgs) {
            sb.append("* ").append(m).append('\n');
        }
        return sb.toString();
    }
}
