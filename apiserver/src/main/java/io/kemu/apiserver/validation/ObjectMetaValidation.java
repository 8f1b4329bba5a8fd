package io.kemu.apiserver.validation;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.OwnerReference;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * ObjectMeta validation: {@code ValidateObjectMetaAccessor} / {@code ValidateObjectMetaAccessorUpdate} and their
 * helpers from apimachinery pkg/api/validation/objectmeta.go, the label checks of pkg/apis/meta/v1/validation,
 * and the core wrappers {@code ValidateObjectMeta}/{@code ValidateObjectMetaUpdate} of
 * pkg/apis/core/validation/validation.go (which add the "standard finalizer name" check).
 */
public final class ObjectMetaValidation {
    private ObjectMetaValidation() {
    }

    /** {@code FieldImmutableErrorMsg}. */
    public static final String FIELD_IMMUTABLE = "field is immutable";
    /** {@code IsNegativeErrorMsg}. */
    public static final String IS_NEGATIVE = "must be greater than or equal to 0";
    /** {@code TotalAnnotationSizeLimitB}: 256 KiB. */
    public static final int TOTAL_ANNOTATION_SIZE_LIMIT_B = 256 * (1 << 10);
    /** {@code FieldManagerMaxLength}. */
    public static final int FIELD_MANAGER_MAX_LENGTH = 128;
    /** {@code MaxSubresourceNameLength}. */
    public static final int MAX_SUBRESOURCE_NAME_LENGTH = 256;

    private static final Set<String> STANDARD_FINALIZERS = Set.of("kubernetes", "orphan", "foregroundDeletion");

    /**
     * Core {@code ValidateObjectMeta(meta, requiresNamespace, nameFn, fldPath)}: the generic checks plus
     * {@code validateKubeFinalizerName} for every finalizer.
     */
    public static List<FieldError> validateObjectMeta(ObjectMeta meta, boolean requiresNamespace,
                                                      NameValidation.NameValidator nameFn, FieldPath path) {
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        List<FieldError> errs = validateObjectMetaAccessor(m, requiresNamespace, nameFn, path);
        List<String> finalizers = nonNull(m.getFinalizers());
        for (int i = 0; i < finalizers.size(); i++) {
            errs.addAll(validateKubeFinalizerName(finalizers.get(i), path.child("finalizers").index(i)));
        }
        return errs;
    }

    /**
     * Generic {@code ValidateObjectMetaAccessor}: also what {@code rest.BeforeCreate} runs for every object with
     * {@link NameValidation#validatePathSegmentName} as nameFn.
     */
    public static List<FieldError> validateObjectMetaAccessor(ObjectMeta meta, boolean requiresNamespace,
                                                              NameValidation.NameValidator nameFn, FieldPath path) {
        ObjectMeta m = meta == null ? new ObjectMeta() : meta;
        List<FieldError> errs = new ArrayList<>();
        String generateName = str(m.getGenerateName());
        if (!generateName.isEmpty()) {
            for (String msg : nameFn.validate(generateName, true)) {
                errs.add(FieldError.invalid(path.child("generateName"), generateName, msg));
            }
        }
        String name = str(m.getName());
        if (name.isEmpty()) {
            errs.add(FieldError.required(path.child("name"), "name or generateName is required"));
        } else {
            for (String msg : nameFn.validate(name, false)) {
                errs.add(FieldError.invalid(path.child("name"), name, msg));
            }
        }
        String namespace = str(m.getNamespace());
        if (requiresNamespace) {
            if (namespace.isEmpty()) {
                errs.add(FieldError.required(path.child("namespace"), ""));
            } else {
                for (String msg : NameValidation.nameIsDNSLabel(namespace, false)) {
                    errs.add(FieldError.invalid(path.child("namespace"), namespace, msg));
                }
            }
        } else if (!namespace.isEmpty()) {
            errs.add(FieldError.forbidden(path.child("namespace"), "not allowed on this type"));
        }
        errs.addAll(validateNonnegativeField(m.getGeneration() == null ? 0 : m.getGeneration(), path.child("generation")));
        errs.addAll(validateLabels(m.getLabels(), path.child("labels")));
        errs.addAll(validateAnnotations(m.getAnnotations(), path.child("annotations")));
        errs.addAll(validateOwnerReferences(m.getOwnerReferences(), path.child("ownerReferences")));
        errs.addAll(validateFinalizers(m.getFinalizers(), path.child("finalizers")));
        errs.addAll(validateManagedFields(m.getManagedFields(), path.child("managedFields")));
        return errs;
    }

    /** Core {@code ValidateObjectMetaUpdate}: generic update rules plus kube finalizer names. */
    public static List<FieldError> validateObjectMetaUpdate(ObjectMeta newMeta, ObjectMeta oldMeta, FieldPath path) {
        ObjectMeta n = newMeta == null ? new ObjectMeta() : newMeta;
        List<FieldError> errs = validateObjectMetaAccessorUpdate(n, oldMeta, path);
        List<String> finalizers = nonNull(n.getFinalizers());
        for (int i = 0; i < finalizers.size(); i++) {
            errs.addAll(validateKubeFinalizerName(finalizers.get(i), path.child("finalizers").index(i)));
        }
        return errs;
    }

    /** Generic {@code ValidateObjectMetaAccessorUpdate}. */
    public static List<FieldError> validateObjectMetaAccessorUpdate(ObjectMeta newMeta, ObjectMeta oldMeta, FieldPath path) {
        ObjectMeta n = newMeta == null ? new ObjectMeta() : newMeta;
        ObjectMeta o = oldMeta == null ? new ObjectMeta() : oldMeta;
        List<FieldError> errs = new ArrayList<>();
        if (!str(o.getDeletionTimestamp()).isEmpty()) {
            errs.addAll(validateNoNewFinalizers(n.getFinalizers(), o.getFinalizers(), path.child("finalizers")));
        }
        if (str(n.getResourceVersion()).isEmpty()) {
            errs.add(FieldError.invalid(path.child("resourceVersion"), str(n.getResourceVersion()),
                    "must be specified for an update"));
        }
        long newGen = n.getGeneration() == null ? 0 : n.getGeneration();
        long oldGen = o.getGeneration() == null ? 0 : o.getGeneration();
        if (newGen < oldGen) {
            errs.add(FieldError.invalid(path.child("generation"), newGen, "must not be decremented"));
        }
        if (!str(n.getName()).equals(str(o.getName()))) {
            errs.add(FieldError.invalid(path.child("name"), str(n.getName()), FIELD_IMMUTABLE));
        }
        if (!str(n.getNamespace()).equals(str(o.getNamespace()))) {
            errs.add(FieldError.invalid(path.child("namespace"), str(n.getNamespace()), FIELD_IMMUTABLE));
        }
        if (!str(n.getUid()).equals(str(o.getUid()))) {
            errs.add(FieldError.invalid(path.child("uid"), str(n.getUid()), FIELD_IMMUTABLE));
        }
        if (!sameTime(n.getCreationTimestamp(), o.getCreationTimestamp())) {
            String t = str(n.getCreationTimestamp());
            errs.add(FieldError.invalid(path.child("creationTimestamp"),
                    t.isEmpty() ? GoFormat.raw("0001-01-01 00:00:00 +0000 UTC") : GoFormat.goTime(t), FIELD_IMMUTABLE));
        }
        if (!sameTime(n.getDeletionTimestamp(), o.getDeletionTimestamp())) {
            String t = str(n.getDeletionTimestamp());
            errs.add(FieldError.invalid(path.child("deletionTimestamp"), t.isEmpty() ? null : GoFormat.goTime(t),
                    FIELD_IMMUTABLE));
        }
        if (!Objects.equals(n.getDeletionGracePeriodSeconds(), o.getDeletionGracePeriodSeconds())) {
            errs.add(FieldError.invalid(path.child("deletionGracePeriodSeconds"), n.getDeletionGracePeriodSeconds(),
                    FIELD_IMMUTABLE));
        }
        errs.addAll(validateLabels(n.getLabels(), path.child("labels")));
        errs.addAll(validateAnnotations(n.getAnnotations(), path.child("annotations")));
        errs.addAll(validateOwnerReferences(n.getOwnerReferences(), path.child("ownerReferences")));
        errs.addAll(validateManagedFields(n.getManagedFields(), path.child("managedFields")));
        return errs;
    }

    /** {@code ValidateNonnegativeField}. */
    public static List<FieldError> validateNonnegativeField(long value, FieldPath path) {
        if (value < 0) {
            return List.of(FieldError.invalid(path, value, IS_NEGATIVE));
        }
        return List.of();
    }

    /** {@code ValidateLabelName}. */
    public static List<FieldError> validateLabelName(String labelName, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : NameValidation.isQualifiedName(labelName)) {
            errs.add(FieldError.invalid(path, labelName, msg));
        }
        return errs;
    }

    /** {@code ValidateLabels}: errors are reported on the map path itself (no key subscript), as upstream. */
    public static List<FieldError> validateLabels(Map<String, String> labels, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (labels == null) {
            return errs;
        }
        for (Map.Entry<String, String> e : labels.entrySet()) {
            errs.addAll(validateLabelName(e.getKey(), path));
            String v = e.getValue() == null ? "" : e.getValue();
            for (String msg : NameValidation.isValidLabelValue(v)) {
                errs.add(FieldError.invalid(path, v, msg));
            }
        }
        return errs;
    }

    /** {@code ValidateAnnotations}: keys are qualified names (checked lower-cased); total size ≤ 256 KiB. */
    public static List<FieldError> validateAnnotations(Map<String, String> annotations, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (annotations == null) {
            return errs;
        }
        long total = 0;
        for (Map.Entry<String, String> e : annotations.entrySet()) {
            for (String msg : NameValidation.isQualifiedName(e.getKey().toLowerCase(Locale.ROOT))) {
                errs.add(FieldError.invalid(path, e.getKey(), msg));
            }
            total += NameValidation.byteLen(e.getKey()) + NameValidation.byteLen(e.getValue() == null ? "" : e.getValue());
        }
        if (total > TOTAL_ANNOTATION_SIZE_LIMIT_B) {
            errs.add(FieldError.tooLong(path, TOTAL_ANNOTATION_SIZE_LIMIT_B));
        }
        return errs;
    }

    /** {@code ValidateOwnerReferences}. */
    public static List<FieldError> validateOwnerReferences(List<OwnerReference> refs, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (refs == null) {
            return errs;
        }
        String firstController = "";
        for (OwnerReference ref : refs) {
            errs.addAll(validateOwnerReference(ref, path));
            if (Boolean.TRUE.equals(ref.getController())) {
                String cur = str(ref.getKind()) + "/" + str(ref.getName());
                if (!firstController.isEmpty()) {
                    errs.add(FieldError.invalid(path, GoFormat.raw(ownerRefsGoSyntax(refs)),
                            "Only one reference can have Controller set to true. Found \"true\" in references for "
                                    + firstController + " and " + cur));
                } else {
                    firstController = cur;
                }
            }
        }
        return errs;
    }

    private static List<FieldError> validateOwnerReference(OwnerReference ref, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        String apiVersion = str(ref.getApiVersion());
        String group = "";
        String version = "";
        // schema.FromAPIVersionAndKind -> ParseGroupVersion; on error the group/version stay empty
        if (!apiVersion.isEmpty()) {
            String[] parts = apiVersion.split("/", -1);
            if (parts.length == 1) {
                version = apiVersion;
            } else if (parts.length == 2) {
                group = parts[0];
                version = parts[1];
            }
        }
        String kind = str(ref.getKind());
        if (version.isEmpty()) {
            errs.add(FieldError.invalid(path.child("apiVersion"), apiVersion, "version must not be empty"));
        }
        if (kind.isEmpty()) {
            errs.add(FieldError.invalid(path.child("kind"), kind, "kind must not be empty"));
        }
        if (str(ref.getName()).isEmpty()) {
            errs.add(FieldError.invalid(path.child("name"), str(ref.getName()), "name must not be empty"));
        }
        if (str(ref.getUid()).isEmpty()) {
            errs.add(FieldError.invalid(path.child("uid"), str(ref.getUid()), "uid must not be empty"));
        }
        if (group.isEmpty() && version.equals("v1") && kind.equals("Event")) {
            errs.add(FieldError.invalid(path, GoFormat.raw(ownerRefGoSyntax(ref)),
                    group + "/" + version + ", Kind=" + kind + " is disallowed from being an owner"));
        }
        return errs;
    }

    private static String ownerRefGoSyntax(OwnerReference r) {
        return "v1.OwnerReference{APIVersion:" + GoFormat.quote(str(r.getApiVersion()))
                + ", Kind:" + GoFormat.quote(str(r.getKind()))
                + ", Name:" + GoFormat.quote(str(r.getName()))
                + ", UID:" + GoFormat.quote(str(r.getUid()))
                + ", Controller:" + boolPtr(r.getController())
                + ", BlockOwnerDeletion:" + boolPtr(r.getBlockOwnerDeletion()) + "}";
    }

    private static String ownerRefsGoSyntax(List<OwnerReference> refs) {
        return refs.stream().map(ObjectMetaValidation::ownerRefGoSyntax)
                .collect(Collectors.joining(", ", "[]v1.OwnerReference{", "}"));
    }

    private static String boolPtr(Boolean b) {
        // %#v of a *bool prints the pointer, not the value; only nil is stable
        return b == null ? "(*bool)(nil)" : "(*bool)(0x0)";
    }

    /** {@code ValidateFinalizers}: each name a qualified name; orphan and foregroundDeletion exclusive. */
    public static List<FieldError> validateFinalizers(List<String> finalizers, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (finalizers == null) {
            return errs;
        }
        boolean orphan = false;
        boolean foreground = false;
        for (String f : finalizers) {
            errs.addAll(validateFinalizerName(f, path));
            orphan |= "orphan".equals(f);
            foreground |= "foregroundDeletion".equals(f);
        }
        if (orphan && foreground) {
            errs.add(FieldError.invalid(path, finalizers, "finalizer orphan and foregroundDeletion cannot be both set"));
        }
        return errs;
    }

    /** Generic {@code ValidateFinalizerName}: a qualified name. */
    public static List<FieldError> validateFinalizerName(String name, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : NameValidation.isQualifiedName(name)) {
            errs.add(FieldError.invalid(path, name, msg));
        }
        return errs;
    }

    /** Core {@code validateKubeFinalizerName}: an unqualified finalizer must be a standard one. */
    public static List<FieldError> validateKubeFinalizerName(String name, FieldPath path) {
        if (name.split("/", -1).length == 1 && !STANDARD_FINALIZERS.contains(name)) {
            return List.of(FieldError.invalid(path, name,
                    "name is neither a standard finalizer name nor is it fully qualified"));
        }
        return List.of();
    }

    /** {@code ValidateNoNewFinalizers}. */
    public static List<FieldError> validateNoNewFinalizers(List<String> newFinalizers, List<String> oldFinalizers,
                                                           FieldPath path) {
        Set<String> extra = new TreeSet<>(nonNull(newFinalizers));
        extra.removeAll(nonNull(oldFinalizers));
        if (!extra.isEmpty()) {
            return List.of(FieldError.forbidden(path,
                    "no new finalizers can be added if the object is being deleted, found new finalizers "
                            + GoFormat.goSyntax(new ArrayList<>(extra))));
        }
        return List.of();
    }

    /** {@code ValidateManagedFields}. */
    public static List<FieldError> validateManagedFields(List<ManagedFieldsEntry> entries, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (entries == null) {
            return errs;
        }
        for (int i = 0; i < entries.size(); i++) {
            ManagedFieldsEntry e = entries.get(i);
            FieldPath p = path.index(i);
            String op = str(e.getOperation());
            if (!op.equals("Apply") && !op.equals("Update")) {
                errs.add(FieldError.invalid(p.child("operation"), op, "must be `Apply` or `Update`"));
            }
            String ft = str(e.getFieldsType());
            if (!ft.isEmpty() && !ft.equals("FieldsV1")) {
                errs.add(FieldError.invalid(p.child("fieldsType"), ft, "must be `FieldsV1`"));
            }
            errs.addAll(validateFieldManager(str(e.getManager()), p.child("manager")));
            if (NameValidation.byteLen(str(e.getSubresource())) > MAX_SUBRESOURCE_NAME_LENGTH) {
                errs.add(FieldError.tooLong(p.child("subresource"), MAX_SUBRESOURCE_NAME_LENGTH));
            }
        }
        return errs;
    }

    /** {@code ValidateFieldManager}. */
    public static List<FieldError> validateFieldManager(String manager, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        if (NameValidation.byteLen(manager) > FIELD_MANAGER_MAX_LENGTH) {
            errs.add(FieldError.tooLong(path, FIELD_MANAGER_MAX_LENGTH));
        }
        int bytePos = 0;
        for (int i = 0; i < manager.length(); ) {
            int r = manager.codePointAt(i);
            if (!GoFormat.isPrint(r)) {
                // Go's %#U prints only "U+XXXX" for a non-printable rune
                errs.add(FieldError.invalid(path, manager,
                        String.format("invalid character U+%04X (at position %d)", r, bytePos)));
            }
            int len = Character.charCount(r);
            bytePos += NameValidation.byteLen(manager.substring(i, i + len));
            i += len;
        }
        return errs;
    }

    static String str(String s) {
        return s == null ? "" : s;
    }

    static <T> List<T> nonNull(List<T> l) {
        return l == null ? List.of() : l;
    }

    /** Semantic equality of two RFC3339 timestamps (null/empty is the zero time). */
    static boolean sameTime(String a, String b) {
        String x = str(a);
        String y = str(b);
        if (x.equals(y)) {
            return true;
        }
        if (x.isEmpty() || y.isEmpty()) {
            return false;
        }
        try {
            return OffsetDateTime.parse(x).toInstant().equals(OffsetDateTime.parse(y).toInstant());
        } catch (DateTimeParseException e) {
            return false;
        }
    }
}
