package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import io.fabric8.kubernetes.api.model.ConfigMap;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/** {@code ValidateConfigMap} / {@code ValidateConfigMapUpdate} (core/validation/validation.go, 1.32). */
public final class ConfigMapValidation {
    private ConfigMapValidation() {
    }

    /** {@code core.MaxSecretSize}: 1 MiB, also the ConfigMap limit. */
    public static final int MAX_SIZE = 1024 * 1024;

    /** {@code ValidateConfigMap}. */
    public static List<FieldError> validateCreate(ConfigMap cfg) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(cfg.getMetadata(), true,
                NameValidation::nameIsDNSSubdomain, METADATA);
        Map<String, String> data = cfg.getData() == null ? Map.of() : cfg.getData();
        Map<String, String> binary = cfg.getBinaryData() == null ? Map.of() : cfg.getBinaryData();
        long total = 0;
        for (Map.Entry<String, String> e : data.entrySet()) {
            FieldPath p = FieldPath.root("data").key(e.getKey());
            for (String msg : NameValidation.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid(p, e.getKey(), msg));
            }
            if (binary.containsKey(e.getKey())) {
                errs.add(FieldError.invalid(p, e.getKey(), "duplicate of key present in binaryData"));
            }
            total += NameValidation.byteLen(e.getValue() == null ? "" : e.getValue());
        }
        for (Map.Entry<String, String> e : binary.entrySet()) {
            for (String msg : NameValidation.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid(FieldPath.root("binaryData").key(e.getKey()), e.getKey(), msg));
            }
            total += decodedLength(e.getValue());
        }
        if (total > MAX_SIZE) {
            // upstream passes field.NewPath(""), which renders as "[]"
            errs.add(FieldError.tooLong(FieldPath.root(""), MAX_SIZE));
        }
        return errs;
    }

    /** {@code ValidateConfigMapUpdate}. */
    public static List<FieldError> validateUpdate(ConfigMap newCfg, ConfigMap oldCfg) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newCfg.getMetadata(), oldCfg.getMetadata(), METADATA);
        if (Boolean.TRUE.equals(oldCfg.getImmutable())) {
            String msg = "field is immutable when `immutable` is set";
            if (!Boolean.TRUE.equals(newCfg.getImmutable())) {
                errs.add(FieldError.forbidden(FieldPath.root("immutable"), msg));
            }
            if (!Objects.equals(emptyToNull(newCfg.getData()), emptyToNull(oldCfg.getData()))) {
                errs.add(FieldError.forbidden(FieldPath.root("data"), msg));
            }
            if (!Objects.equals(emptyToNull(newCfg.getBinaryData()), emptyToNull(oldCfg.getBinaryData()))) {
                errs.add(FieldError.forbidden(FieldPath.root("binaryData"), msg));
            }
        }
        errs.addAll(validateCreate(newCfg));
        return errs;
    }

    static <K, V> Map<K, V> emptyToNull(Map<K, V> m) {
        return m == null || m.isEmpty() ? null : m;
    }

    /** Bytes of a base64 value (as decoded from JSON into []byte); undecodable text counts as its own length. */
    static long decodedLength(String b64) {
        if (b64 == null) {
            return 0;
        }
        try {
            return Base64.getDecoder().decode(b64).length;
        } catch (IllegalArgumentException e) {
            return NameValidation.byteLen(b64);
        }
    }
}
