package io.kemu.apiserver.validation;

import static io.kemu.apiserver.validation.ObjectMetaValidation.str;
import static io.kemu.apiserver.validation.ValidationSupport.METADATA;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.Secret;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * {@code ValidateSecret} / {@code ValidateSecretUpdate} (core/validation/validation.go, 1.32), including the per-type
 * rules. Upstream validates the internal object, whose {@code data} already holds {@code stringData} (merged during
 * conversion); {@link #effectiveData} reproduces that merge.
 */
public final class SecretValidation {
    private SecretValidation() {
    }

    public static final String TYPE_OPAQUE = "Opaque";
    public static final String TYPE_SERVICE_ACCOUNT_TOKEN = "kubernetes.io/service-account-token";
    public static final String TYPE_DOCKERCFG = "kubernetes.io/dockercfg";
    public static final String TYPE_DOCKER_CONFIG_JSON = "kubernetes.io/dockerconfigjson";
    public static final String TYPE_BASIC_AUTH = "kubernetes.io/basic-auth";
    public static final String TYPE_SSH_AUTH = "kubernetes.io/ssh-auth";
    public static final String TYPE_TLS = "kubernetes.io/tls";
    public static final String SERVICE_ACCOUNT_NAME_KEY = "kubernetes.io/service-account.name";

    private static final ObjectMapper JSON = new ObjectMapper();

    /** {@code ValidateSecret}. */
    public static List<FieldError> validateCreate(Secret secret) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMeta(secret.getMetadata(), true,
                NameValidation::nameIsDNSSubdomain, METADATA);
        FieldPath dataPath = FieldPath.root("data");
        Map<String, byte[]> data = effectiveData(secret);
        long total = 0;
        for (Map.Entry<String, byte[]> e : data.entrySet()) {
            for (String msg : NameValidation.isConfigMapKey(e.getKey())) {
                errs.add(FieldError.invalid(dataPath.key(e.getKey()), e.getKey(), msg));
            }
            total += e.getValue().length;
        }
        if (total > ConfigMapValidation.MAX_SIZE) {
            errs.add(FieldError.tooLong(dataPath, ConfigMapValidation.MAX_SIZE));
        }
        String type = str(secret.getType());
        switch (type) {
            case TYPE_SERVICE_ACCOUNT_TOKEN -> {
                Map<String, String> ann = secret.getMetadata() == null || secret.getMetadata().getAnnotations() == null
                        ? Map.of() : secret.getMetadata().getAnnotations();
                if (str(ann.get(SERVICE_ACCOUNT_NAME_KEY)).isEmpty()) {
                    errs.add(FieldError.required(FieldPath.root("metadata", "annotations").key(SERVICE_ACCOUNT_NAME_KEY), ""));
                }
            }
            case TYPE_DOCKERCFG -> errs.addAll(validateJsonKey(data, ".dockercfg", dataPath));
            case TYPE_DOCKER_CONFIG_JSON -> errs.addAll(validateJsonKey(data, ".dockerconfigjson", dataPath));
            case TYPE_BASIC_AUTH -> {
                if (!data.containsKey("username") && !data.containsKey("password")) {
                    errs.add(FieldError.required(dataPath.key("username"), ""));
                    errs.add(FieldError.required(dataPath.key("password"), ""));
                }
            }
            case TYPE_SSH_AUTH -> {
                byte[] key = data.get("ssh-privatekey");
                if (key == null || key.length == 0) {
                    errs.add(FieldError.required(dataPath.key("ssh-privatekey"), ""));
                }
            }
            case TYPE_TLS -> {
                if (!data.containsKey("tls.crt")) {
                    errs.add(FieldError.required(dataPath.key("tls.crt"), ""));
                }
                if (!data.containsKey("tls.key")) {
                    errs.add(FieldError.required(dataPath.key("tls.key"), ""));
                }
            }
            default -> {
                // Opaque, "" and custom types: no further checks
            }
        }
        return errs;
    }

    /** {@code ValidateSecretUpdate}. */
    public static List<FieldError> validateUpdate(Secret newSecret, Secret oldSecret) {
        List<FieldError> errs = ObjectMetaValidation.validateObjectMetaUpdate(newSecret.getMetadata(), oldSecret.getMetadata(), METADATA);
        if (!str(newSecret.getType()).equals(str(oldSecret.getType()))) {
            errs.add(FieldError.invalid(FieldPath.root("type"), str(newSecret.getType()), ObjectMetaValidation.FIELD_IMMUTABLE));
        }
        if (Boolean.TRUE.equals(oldSecret.getImmutable())) {
            String msg = "field is immutable when `immutable` is set";
            if (!Boolean.TRUE.equals(newSecret.getImmutable())) {
                errs.add(FieldError.forbidden(FieldPath.root("immutable"), msg));
            }
            if (!sameData(effectiveData(newSecret), effectiveData(oldSecret))) {
                errs.add(FieldError.forbidden(FieldPath.root("data"), msg));
            }
        }
        errs.addAll(validateCreate(newSecret));
        return errs;
    }

    /** {@code data} decoded from base64, with {@code stringData} entries overriding it (v1 to internal conversion). */
    public static Map<String, byte[]> effectiveData(Secret secret) {
        Map<String, byte[]> out = new LinkedHashMap<>();
        if (secret.getData() != null) {
            for (Map.Entry<String, String> e : secret.getData().entrySet()) {
                out.put(e.getKey(), decode(e.getValue()));
            }
        }
        if (secret.getStringData() != null) {
            for (Map.Entry<String, String> e : secret.getStringData().entrySet()) {
                out.put(e.getKey(), str(e.getValue()).getBytes(StandardCharsets.UTF_8));
            }
        }
        return out;
    }

    private static boolean sameData(Map<String, byte[]> a, Map<String, byte[]> b) {
        if (!a.keySet().equals(b.keySet())) {
            return false;
        }
        for (Map.Entry<String, byte[]> e : a.entrySet()) {
            if (!java.util.Arrays.equals(e.getValue(), b.get(e.getKey()))) {
                return false;
            }
        }
        return true;
    }

    private static byte[] decode(String b64) {
        if (b64 == null) {
            return new byte[0];
        }
        try {
            return Base64.getDecoder().decode(b64);
        } catch (IllegalArgumentException e) {
            return b64.getBytes(StandardCharsets.UTF_8);
        }
    }

    private static List<FieldError> validateJsonKey(Map<String, byte[]> data, String key, FieldPath dataPath) {
        byte[] value = data.get(key);
        if (value == null) {
            return List.of(FieldError.required(dataPath.key(key), ""));
        }
        String err = goJsonObjectError(new String(value, StandardCharsets.UTF_8));
        if (err != null) {
            return List.of(FieldError.invalid(dataPath.key(key), "<secret contents redacted>", err));
        }
        return List.of();
    }

    /**
     * The error {@code json.Unmarshal(b, &map[string]interface{}{})} returns, approximated: Go's exact texts for empty
     * input, a bad first character and a non-object document; other syntax errors name the offending character.
     */
    static String goJsonObjectError(String text) {
        String t = text.strip();
        if (t.isEmpty()) {
            return "unexpected end of JSON input";
        }
        char c = t.charAt(0);
        if ("{[\"-0123456789tfn".indexOf(c) < 0) {
            return "invalid character " + goQuoteRune(c) + " looking for beginning of value";
        }
        JsonNode node;
        try {
            node = JSON.readTree(t);
        } catch (JsonProcessingException e) {
            long offset = e.getLocation() == null ? -1 : e.getLocation().getCharOffset();
            if (offset >= 0 && offset < t.length()) {
                return "invalid character " + goQuoteRune(t.charAt((int) offset)) + " after top-level value";
            }
            return "unexpected end of JSON input";
        }
        if (node == null || node.isMissingNode()) {
            return "unexpected end of JSON input";
        }
        if (!node.isObject() && !node.isNull()) {
            String kind = node.isArray() ? "array" : node.isTextual() ? "string" : node.isBoolean() ? "bool" : "number";
            return "json: cannot unmarshal " + kind + " into Go value of type map[string]interface {}";
        }
        return null;
    }

    private static String goQuoteRune(char c) {
        return c == '\'' ? "'\\''" : "'" + c + "'";
    }

    static boolean sameMaps(Map<String, String> a, Map<String, String> b) {
        return Objects.equals(ConfigMapValidation.emptyToNull(a), ConfigMapValidation.emptyToNull(b));
    }
}
