package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.nonNull;
import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.rbac.ClusterRole;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.PolicyRule;
import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleRef;
import io.fabric8.kubernetes.api.model.rbac.Subject;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * rbac.authorization.k8s.io validation of kube-apiserver 1.32 (pkg/apis/rbac/validation/validation.go): path-segment
 * names, policy rules, aggregation rules, role refs (immutable on update) and subjects. Updates validate the new
 * object first, then the metadata update rules, as upstream.
 */
public final class RbacValidation {
    private RbacValidation() {
    }

    public static final String GROUP = "rbac.authorization.k8s.io";

    public static List<FieldError> validateRole(Role role) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(role.getMetadata(), true, RbacValidation::rbacName, METADATA);
        List<PolicyRule> rules = nonNull(role.getRules());
        for (int i = 0; i < rules.size(); i++) {
            errs.addAll(validatePolicyRule(rules.get(i), true, FieldPath.root("rules").index(i)));
        }
        return errs;
    }

    public static List<FieldError> validateRoleUpdate(Role role, Role oldRole) {
        List<FieldError> errs = validateRole(role);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(role.getMetadata(), oldRole.getMetadata(), METADATA));
        return errs;
    }

    public static List<FieldError> validateClusterRole(ClusterRole role) {
        return validateClusterRole(role, false);
    }

    static List<FieldError> validateClusterRole(ClusterRole role, boolean allowInvalidLabelValue) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(role.getMetadata(), false, RbacValidation::rbacName, METADATA);
        List<PolicyRule> rules = nonNull(role.getRules());
        for (int i = 0; i < rules.size(); i++) {
            errs.addAll(validatePolicyRule(rules.get(i), false, FieldPath.root("rules").index(i)));
        }
        if (role.getAggregationRule() != null) {
            FieldPath p = FieldPath.root("aggregationRule", "clusterRoleSelectors");
            List<LabelSelector> selectors = nonNull(role.getAggregationRule().getClusterRoleSelectors());
            if (selectors.isEmpty()) {
                errs.add(FieldError.required(p, "at least one clusterRoleSelector required if aggregationRule is non-nil"));
            }
            for (int i = 0; i < selectors.size(); i++) {
                errs.addAll(PodValidation.validateLabelSelector(selectors.get(i), allowInvalidLabelValue, p.index(i)));
                if (ValidationSupport.selectorInvalid(selectors.get(i))) {
                    // upstream shadows the selector with the (nil) converted one before printing it
                    errs.add(FieldError.invalid(p.index(i), null, "invalid label selector."));
                }
            }
        }
        return errs;
    }

    public static List<FieldError> validateClusterRoleUpdate(ClusterRole role, ClusterRole oldRole) {
        boolean allowInvalid = false;
        if (oldRole.getAggregationRule() != null) {
            for (LabelSelector s : nonNull(oldRole.getAggregationRule().getClusterRoleSelectors())) {
                allowInvalid |= hasInvalidLabelValue(s);
            }
        }
        List<FieldError> errs = validateClusterRole(role, allowInvalid);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(role.getMetadata(), oldRole.getMetadata(), METADATA));
        return errs;
    }

    public static List<FieldError> validateRoleBinding(RoleBinding rb) {
        return validateBinding(rb.getMetadata(), rb.getRoleRef(), rb.getSubjects(), true);
    }

    public static List<FieldError> validateRoleBindingUpdate(RoleBinding rb, RoleBinding oldRb) {
        List<FieldError> errs = validateRoleBinding(rb);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(rb.getMetadata(), oldRb.getMetadata(), METADATA));
        errs.addAll(roleRefUnchanged(rb.getRoleRef(), oldRb.getRoleRef()));
        return errs;
    }

    public static List<FieldError> validateClusterRoleBinding(ClusterRoleBinding rb) {
        return validateBinding(rb.getMetadata(), rb.getRoleRef(), rb.getSubjects(), false);
    }

    public static List<FieldError> validateClusterRoleBindingUpdate(ClusterRoleBinding rb, ClusterRoleBinding oldRb) {
        List<FieldError> errs = validateClusterRoleBinding(rb);
        errs.addAll(ObjectMetaValidation.validateObjectMetaUpdate(rb.getMetadata(), oldRb.getMetadata(), METADATA));
        errs.addAll(roleRefUnchanged(rb.getRoleRef(), oldRb.getRoleRef()));
        return errs;
    }

    /** {@code ValidateRBACName}: {@code path.IsValidPathSegmentName}. */
    static List<String> rbacName(String name, boolean prefix) {
        return NameValidation.isValidPathSegmentName(name);
    }

    /** {@code ValidatePolicyRule}. */
    static List<FieldError> validatePolicyRule(PolicyRule rule, boolean namespaced, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (nonNull(rule.getVerbs()).isEmpty()) {
            errs.add(FieldError.required(path.child("verbs"), "verbs must contain at least one value"));
        }
        List<String> urls = nonNull(rule.getNonResourceURLs());
        if (!urls.isEmpty()) {
            Object value = GoFormat.raw(ValidationSupport.goStringSlice(urls));
            if (namespaced) {
                errs.add(FieldError.invalid(path.child("nonResourceURLs"), value, "namespaced rules cannot apply to non-resource URLs"));
            }
            if (!nonNull(rule.getApiGroups()).isEmpty() || !nonNull(rule.getResources()).isEmpty()
                    || !nonNull(rule.getResourceNames()).isEmpty()) {
                errs.add(FieldError.invalid(path.child("nonResourceURLs"), value,
                        "rules cannot apply to both regular resources and non-resource URLs"));
            }
            return errs;
        }
        if (nonNull(rule.getApiGroups()).isEmpty()) {
            errs.add(FieldError.required(path.child("apiGroups"), "resource rules must supply at least one api group"));
        }
        if (nonNull(rule.getResources()).isEmpty()) {
            errs.add(FieldError.required(path.child("resources"), "resource rules must supply at least one resource"));
        }
        return errs;
    }

    private static List<FieldError> validateBinding(ObjectMeta meta, RoleRef ref, List<Subject> subjects, boolean namespaced) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(meta, namespaced, RbacValidation::rbacName, METADATA);
        RoleRef r = ref == null ? new RoleRef() : ref;
        if (!str(r.getApiGroup()).equals(GROUP)) {
            errs.add(FieldError.notSupported(FieldPath.root("roleRef", "apiGroup"), str(r.getApiGroup()), List.of(GROUP)));
        }
        List<String> kinds = namespaced ? List.of("Role", "ClusterRole") : List.of("ClusterRole");
        if (!kinds.contains(str(r.getKind()))) {
            errs.add(FieldError.notSupported(FieldPath.root("roleRef", "kind"), str(r.getKind()), kinds));
        }
        if (str(r.getName()).isEmpty()) {
            errs.add(FieldError.required(FieldPath.root("roleRef", "name"), ""));
        } else {
            for (String msg : rbacName(r.getName(), false)) {
                errs.add(FieldError.invalid(FieldPath.root("roleRef", "name"), r.getName(), msg));
            }
        }
        List<Subject> list = nonNull(subjects);
        for (int i = 0; i < list.size(); i++) {
            errs.addAll(validateSubject(list.get(i), namespaced, FieldPath.root("subjects").index(i)));
        }
        return errs;
    }

    /** {@code ValidateRoleBindingSubject}. */
    static List<FieldError> validateSubject(Subject s, boolean namespaced, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String name = str(s.getName());
        String apiGroup = str(s.getApiGroup());
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), ""));
        }
        switch (str(s.getKind())) {
            case "ServiceAccount" -> {
                if (!name.isEmpty()) {
                    for (String msg : NameValidation.nameIsDNSSubdomain(name, false)) {
                        errs.add(FieldError.invalid(path.child("name"), name, msg));
                    }
                }
                if (!apiGroup.isEmpty()) {
                    errs.add(FieldError.notSupported(path.child("apiGroup"), apiGroup, List.of("")));
                }
                if (!namespaced && str(s.getNamespace()).isEmpty()) {
                    errs.add(FieldError.required(path.child("namespace"), ""));
                }
            }
            case "User", "Group" -> {
                if (!apiGroup.equals(GROUP)) {
                    errs.add(FieldError.notSupported(path.child("apiGroup"), apiGroup, List.of(GROUP)));
                }
            }
            default -> errs.add(FieldError.notSupported(path.child("kind"), str(s.getKind()), List.of("ServiceAccount", "User", "Group")));
        }
        return errs;
    }

    private static List<FieldError> roleRefUnchanged(RoleRef n, RoleRef o) {
        RoleRef a = n == null ? new RoleRef() : n;
        RoleRef b = o == null ? new RoleRef() : o;
        if (Objects.equals(str(a.getApiGroup()), str(b.getApiGroup())) && Objects.equals(str(a.getKind()), str(b.getKind()))
                && Objects.equals(str(a.getName()), str(b.getName()))) {
            return List.of();
        }
        return List.of(FieldError.invalid(FieldPath.root("roleRef"), GoFormat.raw("rbac.RoleRef{APIGroup:" + GoFormat.quote(str(a.getApiGroup()))
                + ", Kind:" + GoFormat.quote(str(a.getKind())) + ", Name:" + GoFormat.quote(str(a.getName())) + "}"), "cannot change roleRef"));
    }

    private static boolean hasInvalidLabelValue(LabelSelector s) {
        if (s == null) {
            return false;
        }
        for (var r : nonNull(s.getMatchExpressions())) {
            for (String v : nonNull(r.getValues())) {
                if (!NameValidation.isValidLabelValue(v).isEmpty()) {
                    return true;
                }
            }
        }
        return false;
    }
}
