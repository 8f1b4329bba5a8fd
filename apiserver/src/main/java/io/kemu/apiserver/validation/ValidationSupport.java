package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;

import io.fabric8.kubernetes.api.model.Condition;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Helpers shared by the workload and networking validations: pod templates ({@code ValidatePodTemplateSpec}),
 * label selectors as {@code metav1.LabelSelectorAsSelector} sees them, int-or-percent values
 * (apps/validation), metav1 conditions ({@code ValidateConditions}), and the Go {@code %#v} renderings of the few
 * structs that error values carry.
 */
final class ValidationSupport {
    private ValidationSupport() {
    }

    static final FieldPath METADATA = FieldPath.root("metadata");
    static final FieldPath SPEC = FieldPath.root("spec");
    static final FieldPath STATUS = FieldPath.root("status");

    /** Pod validation options for a template (GetValidationOptionsFromPodTemplate on create). */
    static PodValidationOptions templateOptions() {
        PodValidationOptions d = PodValidationOptions.defaults();
        return new PodValidationOptions(d.allowRelaxedEnvironmentVariableValidation(), d.allowRelaxedDNSSearchValidation(),
                d.allowPodLifecycleSleepActionZeroValue(), d.allowInvalidPodDeletionCost(),
                d.allowInvalidLabelValueInSelector(), d.allowPrivileged(), false);
    }

    /**
     * Core {@code ValidatePodTemplateSpec}: labels, annotations, pod-specific annotations, the pod spec, and no
     * ephemeral containers. (validateSeccompAnnotationsAndFields and the AppArmor annotation/field match are not
     * ported, as for pods.)
     */
    static List<FieldError> validatePodTemplateSpec(PodTemplateSpec template, FieldPath path, PodValidationOptions opts) {
        PodTemplateSpec t = template == null ? new PodTemplateSpec() : template;
        ObjectMeta meta = t.getMetadata() == null ? new ObjectMeta() : t.getMetadata();
        PodSpec spec = t.getSpec() == null ? new PodSpec() : t.getSpec();
        List<FieldError> errs = new ArrayList<>();
        errs.addAll(ObjectMetaValidation.validateLabels(meta.getLabels(), path.child("labels")));
        errs.addAll(ObjectMetaValidation.validateAnnotations(meta.getAnnotations(), path.child("annotations")));
        errs.addAll(PodValidation.validatePodSpecificAnnotations(meta.getAnnotations(), spec, path.child("annotations"), opts));
        errs.addAll(PodValidation.validatePodSpec(spec, null, path.child("spec"), opts));
        if (!nonNull(spec.getEphemeralContainers()).isEmpty()) {
            errs.add(FieldError.forbidden(path.child("spec", "ephemeralContainers"), "ephemeral containers not allowed in pod template"));
        }
        return errs;
    }

    static Map<String, String> templateLabels(PodTemplateSpec t) {
        return t == null || t.getMetadata() == null ? null : t.getMetadata().getLabels();
    }

    static PodSpec templateSpec(PodTemplateSpec t) {
        return t == null || t.getSpec() == null ? new PodSpec() : t.getSpec();
    }

    // ------------------------------------------------------------------ label selectors

    private static final Set<String> OPERATORS = Set.of("In", "NotIn", "Exists", "DoesNotExist");

    /** Whether {@code metav1.LabelSelectorAsSelector} fails (bad operator, key, value or value count). */
    static boolean selectorInvalid(LabelSelector s) {
        if (s == null) {
            return false;
        }
        if (s.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
                if (!NameValidation.isQualifiedName(e.getKey()).isEmpty()
                        || !NameValidation.isValidLabelValue(str(e.getValue())).isEmpty()) {
                    return true;
                }
            }
        }
        for (LabelSelectorRequirement r : nonNull(s.getMatchExpressions())) {
            String op = str(r.getOperator());
            List<String> values = nonNull(r.getValues());
            if (!OPERATORS.contains(op) || !NameValidation.isQualifiedName(str(r.getKey())).isEmpty()) {
                return true;
            }
            if ((op.equals("In") || op.equals("NotIn")) && values.isEmpty()) {
                return true;
            }
            if ((op.equals("Exists") || op.equals("DoesNotExist")) && !values.isEmpty()) {
                return true;
            }
            for (String v : values) {
                if (!NameValidation.isValidLabelValue(v).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }

    /** {@code Selector.Empty()} of a valid selector: nil converts to Nothing (not empty), {} to Everything. */
    static boolean selectorEmpty(LabelSelector s) {
        return s != null && (s.getMatchLabels() == null || s.getMatchLabels().isEmpty())
                && nonNull(s.getMatchExpressions()).isEmpty();
    }

    /** {@code Selector.Matches(labels.Set(labels))}; a nil selector matches nothing. */
    static boolean selectorMatches(LabelSelector s, Map<String, String> labels) {
        if (s == null) {
            return false;
        }
        Map<String, String> l = labels == null ? Map.of() : labels;
        if (s.getMatchLabels() != null) {
            for (Map.Entry<String, String> e : s.getMatchLabels().entrySet()) {
                if (!Objects.equals(l.get(e.getKey()), str(e.getValue()))) {
                    return false;
                }
            }
        }
        for (LabelSelectorRequirement r : nonNull(s.getMatchExpressions())) {
            String key = str(r.getKey());
            List<String> values = nonNull(r.getValues());
            boolean has = l.containsKey(key);
            switch (str(r.getOperator())) {
                case "In" -> {
                    if (!has || !values.contains(l.get(key))) {
                        return false;
                    }
                }
                case "NotIn" -> {
                    if (has && values.contains(l.get(key))) {
                        return false;
                    }
                }
                case "Exists" -> {
                    if (!has) {
                        return false;
                    }
                }
                case "DoesNotExist" -> {
                    if (has) {
                        return false;
                    }
                }
                default -> {
                    return false;
                }
            }
        }
        return true;
    }

    // ------------------------------------------------------------------ Go renderings

    /** {@code %#v} of a {@code map[string]string}; nil prints as {@code map[string]string(nil)}. */
    static String goStringMap(Map<String, String> m) {
        if (m == null) {
            return "map[string]string(nil)";
        }
        return new TreeMap<>(m).entrySet().stream()
                .map(e -> GoFormat.quote(e.getKey()) + ":" + GoFormat.quote(str(e.getValue())))
                .collect(Collectors.joining(", ", "map[string]string{", "}"));
    }

    /** The bad value upstream passes for a {@code map[string]string} (printed with {@code %#v}). */
    static GoFormat.Raw mapValue(Map<String, String> m) {
        return GoFormat.raw(goStringMap(m));
    }

    static String goStringSlice(List<String> l) {
        if (l == null) {
            return "[]string(nil)";
        }
        return l.stream().map(GoFormat::quote).collect(Collectors.joining(", ", "[]string{", "}"));
    }

    /** {@code %#v} of a (dereferenced) {@code metav1.LabelSelector}; a nil pointer prints "null". */
    static Object selectorValue(LabelSelector s) {
        if (s == null) {
            return null;
        }
        String exprs;
        // fabric8 cannot tell an absent list or map from an empty one; absent (nil) is by far the usual case
        if (s.getMatchExpressions() == null || s.getMatchExpressions().isEmpty()) {
            exprs = "[]v1.LabelSelectorRequirement(nil)";
        } else {
            exprs = s.getMatchExpressions().stream()
                    .map(r -> "v1.LabelSelectorRequirement{Key:" + GoFormat.quote(str(r.getKey())) + ", Operator:"
                            + GoFormat.quote(str(r.getOperator())) + ", Values:" + goStringSlice(r.getValues()) + "}")
                    .collect(Collectors.joining(", ", "[]v1.LabelSelectorRequirement{", "}"));
        }
        Map<String, String> labels = s.getMatchLabels() == null || s.getMatchLabels().isEmpty() ? null : s.getMatchLabels();
        return GoFormat.raw("v1.LabelSelector{MatchLabels:" + goStringMap(labels) + ", MatchExpressions:" + exprs + "}");
    }

    /** {@code %#v} of an {@code intstr.IntOrString} value. */
    static GoFormat.Raw intOrStringValue(IntOrString v) {
        boolean isString = v.getStrVal() != null || v.getIntVal() == null;
        return GoFormat.raw("intstr.IntOrString{Type:" + (isString ? 1 : 0) + ", IntVal:" + (isString ? 0 : v.getIntVal())
                + ", StrVal:" + GoFormat.quote(isString ? str(v.getStrVal()) : "") + "}");
    }

    /** {@code ValidateImmutableField}: Invalid(path, newVal, "field is immutable") when not semantically equal. */
    static List<FieldError> validateImmutableField(Object newVal, Object oldVal, Object badValue, FieldPath path) {
        if (!Objects.equals(newVal, oldVal)) {
            return List.of(FieldError.invalid(path, badValue, ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        return List.of();
    }

    // ------------------------------------------------------------------ int or percent (apps/validation)

    private static final Pattern PERCENT = Pattern.compile("[0-9]+%");

    /** {@code ValidatePositiveIntOrPercent}. */
    static List<FieldError> validatePositiveIntOrPercent(IntOrString v, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (v.getStrVal() != null || v.getIntVal() == null) {
            for (String msg : NameValidation.isValidPercent(str(v.getStrVal()))) {
                errs.add(FieldError.invalid(path, intOrStringValue(v), msg));
            }
        } else {
            errs.addAll(ObjectMetaValidation.validateNonnegativeField(v.getIntVal(), path));
        }
        return errs;
    }

    /** {@code getPercentValue}: the number of a valid percent string, or null. */
    static Integer percentValue(IntOrString v) {
        if (v.getStrVal() == null || !PERCENT.matcher(v.getStrVal()).matches()) {
            return null;
        }
        try {
            return Integer.parseInt(v.getStrVal().substring(0, v.getStrVal().length() - 1));
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    /** {@code getIntOrPercentValue}: percent number, the int, or 0 for an unparsable string (IntValue()). */
    static int intOrPercentValue(IntOrString v) {
        Integer p = percentValue(v);
        if (p != null) {
            return p;
        }
        if (v.getStrVal() != null) {
            try {
                return Integer.parseInt(v.getStrVal());
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return v.getIntVal() == null ? 0 : v.getIntVal();
    }

    /** {@code IsNotMoreThan100Percent}. */
    static List<FieldError> isNotMoreThan100Percent(IntOrString v, FieldPath path) {
        Integer p = percentValue(v);
        if (p == null || p <= 100) {
            return List.of();
        }
        return List.of(FieldError.invalid(path, intOrStringValue(v), "must not be greater than 100%"));
    }

    // ------------------------------------------------------------------ metav1 conditions

    private static final Pattern CONDITION_REASON = Pattern.compile("[A-Za-z]([A-Za-z0-9_,:]*[A-Za-z0-9_])?");
    private static final List<String> CONDITION_STATUSES = List.of("False", "True", "Unknown");

    /** metav1 {@code ValidateConditions}. */
    static List<FieldError> validateConditions(List<Condition> conditions, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Condition> list = nonNull(conditions);
        for (int i = 0; i < list.size(); i++) {
            Condition c = list.get(i);
            FieldPath p = path.index(i);
            if (!seen.add(str(c.getType()))) {
                errs.add(FieldError.duplicate(p.child("type"), str(c.getType())));
            }
            errs.addAll(ObjectMetaValidation.validateLabelName(str(c.getType()), p.child("type")));
            if (!CONDITION_STATUSES.contains(str(c.getStatus()))) {
                errs.add(FieldError.notSupported(p.child("status"), str(c.getStatus()), CONDITION_STATUSES));
            }
            if (c.getObservedGeneration() != null && c.getObservedGeneration() < 0) {
                errs.add(FieldError.invalid(p.child("observedGeneration"), c.getObservedGeneration(),
                        "must be greater than or equal to zero"));
            }
            if (str(c.getLastTransitionTime()).isEmpty()) {
                errs.add(FieldError.required(p.child("lastTransitionTime"), "must be set"));
            }
            String reason = str(c.getReason());
            if (reason.isEmpty()) {
                errs.add(FieldError.required(p.child("reason"), "must be set"));
            } else {
                if (!CONDITION_REASON.matcher(reason).matches()) {
                    errs.add(FieldError.invalid(p.child("reason"), reason, NameValidation.regexError(
                            "a condition reason must start with alphabetic character, optionally followed by a string of "
                                    + "alphanumeric characters or '_,:', and must end with an alphanumeric character or '_'",
                            CONDITION_REASON.pattern(), "my_name", "MY_NAME", "MyName", "ReasonA,ReasonB", "ReasonA:ReasonB")));
                }
                if (NameValidation.byteLen(reason) > 1024) {
                    errs.add(FieldError.tooLong(p.child("reason"), 1024));
                }
            }
            if (NameValidation.byteLen(str(c.getMessage())) > 32 * 1024) {
                errs.add(FieldError.tooLong(p.child("message"), 32 * 1024));
            }
        }
        return errs;
    }

    // ------------------------------------------------------------------ addresses

    /** {@code ValidateEndpointIP} (1.32 name of ValidateNonSpecialIP). */
    static List<FieldError> validateEndpointIP(String ip, FieldPath path) {
        byte[] b = NetParse.parseIP(ip);
        if (b == null) {
            return List.of(FieldError.invalid(path, ip, "must be a valid IP address"));
        }
        List<FieldError> errs = new ArrayList<>();
        boolean v4 = NetParse.isIPv4(b);
        byte[] a = v4 && b.length == 16 ? java.util.Arrays.copyOfRange(b, 12, 16) : b;
        boolean unspecified = allZero(a);
        boolean loopback = v4 ? (a[0] & 0xff) == 127 : isV6Loopback(a);
        boolean linkLocalUnicast = v4 ? (a[0] & 0xff) == 169 && (a[1] & 0xff) == 254
                : (a[0] & 0xff) == 0xfe && (a[1] & 0xc0) == 0x80;
        boolean linkLocalMulticast = v4 ? (a[0] & 0xff) == 224 && a[1] == 0 && a[2] == 0
                : (a[0] & 0xff) == 0xff && (a[1] & 0x0f) == 0x02;
        if (unspecified) {
            errs.add(FieldError.invalid(path, ip, "may not be unspecified (" + ip + ")"));
        }
        if (loopback) {
            errs.add(FieldError.invalid(path, ip, "may not be in the loopback range (127.0.0.0/8, ::1/128)"));
        }
        if (linkLocalUnicast) {
            errs.add(FieldError.invalid(path, ip, "may not be in the link-local range (169.254.0.0/16, fe80::/10)"));
        }
        if (linkLocalMulticast) {
            errs.add(FieldError.invalid(path, ip, "may not be in the link-local multicast range (224.0.0.0/24, ff02::/10)"));
        }
        return errs;
    }

    private static boolean allZero(byte[] a) {
        for (byte x : a) {
            if (x != 0) {
                return false;
            }
        }
        return true;
    }

    private static boolean isV6Loopback(byte[] a) {
        for (int i = 0; i < 15; i++) {
            if (a[i] != 0) {
                return false;
            }
        }
        return a[15] == 1;
    }

    static boolean isIPv6String(String ip) {
        byte[] b = NetParse.parseIP(ip);
        return b != null && !NetParse.isIPv4(b);
    }
}
