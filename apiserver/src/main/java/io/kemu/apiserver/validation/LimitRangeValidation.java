package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.LimitRange;
import io.fabric8.kubernetes.api.model.LimitRangeItem;
import io.fabric8.kubernetes.api.model.Quantity;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ValidateLimitRange} (core/validation/validation.go, 1.32); updates run the same checks after the metadata
 * update rules (the registry's ValidateUpdate calls ValidateLimitRange). Quantities in bad values are printed as
 * their canonical text (upstream prints the Quantity struct).
 */
public final class LimitRangeValidation {
    private LimitRangeValidation() {
    }

    private static final Set<String> STANDARD_LIMIT_TYPES = Set.of("Pod", "Container", "PersistentVolumeClaim");
    private static final BigInteger MAX_MILLI_VALUE = BigInteger.valueOf(Long.MAX_VALUE / 1000);

    public static List<FieldError> validateCreate(LimitRange lr) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(lr.getMetadata(), true, NameValidation::nameIsDNSSubdomain, METADATA);
        FieldPath limitsPath = FieldPath.root("spec", "limits");
        List<LimitRangeItem> limits = lr.getSpec() == null ? List.of() : nonNull(lr.getSpec().getLimits());
        Set<String> types = new HashSet<>();
        for (int i = 0; i < limits.size(); i++) {
            LimitRangeItem limit = limits.get(i);
            FieldPath idx = limitsPath.index(i);
            String type = str(limit.getType());
            errs.addAll(validateLimitRangeTypeName(type, idx.child("type")));
            if (!types.add(type)) {
                errs.add(FieldError.duplicate(idx.child("type"), type));
            }
            Set<String> keys = new LinkedHashSet<>();
            Map<String, GoQuantity> min = new LinkedHashMap<>();
            Map<String, GoQuantity> max = new LinkedHashMap<>();
            Map<String, GoQuantity> defaults = new LinkedHashMap<>();
            Map<String, GoQuantity> defaultRequests = new LinkedHashMap<>();
            Map<String, GoQuantity> ratios = new LinkedHashMap<>();
            collect(limit.getMax(), type, idx.child("max"), keys, max, errs);
            collect(limit.getMin(), type, idx.child("min"), keys, min, errs);
            if (type.equals("Pod")) {
                if (limit.getDefault() != null && !limit.getDefault().isEmpty()) {
                    errs.add(FieldError.forbidden(idx.child("default"), "may not be specified when `type` is 'Pod'"));
                }
                if (limit.getDefaultRequest() != null && !limit.getDefaultRequest().isEmpty()) {
                    errs.add(FieldError.forbidden(idx.child("defaultRequest"), "may not be specified when `type` is 'Pod'"));
                }
            } else {
                collect(limit.getDefault(), type, idx.child("default"), keys, defaults, errs);
                collect(limit.getDefaultRequest(), type, idx.child("defaultRequest"), keys, defaultRequests, errs);
            }
            if (type.equals("PersistentVolumeClaim") && !has(limit.getMin(), "storage") && !has(limit.getMax(), "storage")) {
                errs.add(FieldError.required(idx.child("limits"), "either minimum or maximum storage value is required, but neither was provided"));
            }
            collect(limit.getMaxLimitRequestRatio(), type, idx.child("maxLimitRequestRatio"), keys, ratios, errs);
            for (String k : keys) {
                GoQuantity mn = min.get(k);
                GoQuantity mx = max.get(k);
                GoQuantity def = defaults.get(k);
                GoQuantity defReq = defaultRequests.get(k);
                GoQuantity ratio = ratios.get(k);
                if (mn != null && mx != null && mn.compareTo(mx) > 0) {
                    errs.add(FieldError.invalid(idx.child("min").key(k), raw(mn), "min value " + mn + " is greater than max value " + mx));
                }
                if (defReq != null && mn != null && mn.compareTo(defReq) > 0) {
                    errs.add(FieldError.invalid(idx.child("defaultRequest").key(k), raw(defReq),
                            "min value " + mn + " is greater than default request value " + defReq));
                }
                if (defReq != null && mx != null && defReq.compareTo(mx) > 0) {
                    errs.add(FieldError.invalid(idx.child("defaultRequest").key(k), raw(defReq),
                            "default request value " + defReq + " is greater than max value " + mx));
                }
                if (defReq != null && def != null && defReq.compareTo(def) > 0) {
                    errs.add(FieldError.invalid(idx.child("defaultRequest").key(k), raw(defReq),
                            "default request value " + defReq + " is greater than default limit value " + def));
                }
                if (def != null && mn != null && mn.compareTo(def) > 0) {
                    errs.add(FieldError.invalid(idx.child("default").key(k), raw(mn), "min value " + mn + " is greater than default value " + def));
                }
                if (def != null && mx != null && def.compareTo(mx) > 0) {
                    errs.add(FieldError.invalid(idx.child("default").key(k), raw(mx), "default value " + def + " is greater than max value " + mx));
                }
                if (ratio != null && ratio.value().compareTo(BigDecimal.ONE) < 0) {
                    errs.add(FieldError.invalid(idx.child("maxLimitRequestRatio").key(k), raw(ratio), "ratio " + ratio + " is less than 1"));
                }
                if (ratio != null && mn != null && mx != null) {
                    double ratioValue = value(ratio).doubleValue();
                    BigInteger minValue = value(mn);
                    BigInteger maxValue = value(mx);
                    if (value(ratio).compareTo(MAX_MILLI_VALUE) < 0 && minValue.compareTo(MAX_MILLI_VALUE) < 0
                            && maxValue.compareTo(MAX_MILLI_VALUE) < 0) {
                        ratioValue = ratio.milliValue().doubleValue() / 1000;
                        minValue = mn.milliValue();
                        maxValue = mx.milliValue();
                    }
                    double limit2 = maxValue.doubleValue() / minValue.doubleValue();
                    if (ratioValue > limit2) {
                        errs.add(FieldError.invalid(idx.child("maxLimitRequestRatio").key(k), raw(ratio),
                                "ratio " + ratio + " is greater than max/min = " + String.format(Locale.ROOT, "%f", limit2)));
                    }
                }
                if (!ResourceValidation.isOvercommitAllowed(k) && def != null && defReq != null && def.compareTo(defReq) != 0) {
                    errs.add(FieldError.invalid(idx.child("defaultRequest").key(k), raw(defReq),
                            "default value " + def + " must equal to defaultRequest value " + defReq + " in " + k));
                }
            }
        }
        return errs;
    }

    public static List<FieldError> validateUpdate(LimitRange newLr, LimitRange oldLr) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newLr.getMetadata(), oldLr.getMetadata(), METADATA);
        errs.addAll(validateCreate(newLr));
        return errs;
    }

    private static void collect(Map<String, Quantity> list, String type, FieldPath path, Set<String> keys,
                                Map<String, GoQuantity> into, List<FieldError> errs) {
        if (list == null) {
            return;
        }
        for (Map.Entry<String, Quantity> e : list.entrySet()) {
            FieldPath p = path.key(e.getKey());
            if (type.equals("Pod") || type.equals("Container")) {
                errs.addAll(ResourceValidation.validateContainerResourceName(e.getKey(), p));
            } else {
                errs.addAll(ResourceValidation.validateResourceName(e.getKey(), p));
            }
            keys.add(e.getKey());
            GoQuantity q = ResourceValidation.parse(e.getValue(), p, errs);
            if (q != null) {
                into.put(e.getKey(), q);
            }
        }
    }

    private static boolean has(Map<String, Quantity> m, String k) {
        return m != null && m.containsKey(k);
    }

    private static List<FieldError> validateLimitRangeTypeName(String value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : NameValidation.isQualifiedName(value)) {
            errs.add(FieldError.invalid(path, value, msg));
        }
        if (!errs.isEmpty()) {
            return errs;
        }
        if (value.split("/", -1).length == 1 && !STANDARD_LIMIT_TYPES.contains(value)) {
            errs.add(FieldError.invalid(path, value, "must be a standard limit type or fully qualified"));
        }
        return errs;
    }

    /** {@code Quantity.Value()}: rounded up to an integer. */
    private static BigInteger value(GoQuantity q) {
        return q.value().setScale(0, RoundingMode.CEILING).toBigInteger();
    }

    private static GoFormat.Raw raw(GoQuantity q) {
        return GoFormat.raw(q.toString());
    }
}
