package io.kemu.apiserver.validation;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Name and format checks with upstream's messages and regexes. Each {@code is*} method returns the list of
 * problems ({@code []string}) exactly like its namesake in apimachinery pkg/util/validation/validation.go;
 * the {@code nameIs*} functions mirror the {@code ValidateNameFunc}s of apimachinery pkg/api/validation/generic.go,
 * and {@code isValidPathSegment*} mirror pkg/api/validation/path/name.go.
 *
 * <p>Lengths are counted in UTF-8 bytes, as Go's {@code len(string)} does.
 */
public final class NameValidation {
    private NameValidation() {
    }

    /** A {@code ValidateNameFunc}: prefix is true when the name is a generateName prefix. */
    @FunctionalInterface
    public interface NameValidator {
        List<String> validate(String name, boolean prefix);
    }

    // ---- formats and messages (validation.go) ----
    static final String QNAME_CHAR_FMT = "[A-Za-z0-9]";
    static final String QNAME_EXT_CHAR_FMT = "[-A-Za-z0-9_.]";
    public static final String QUALIFIED_NAME_FMT = "(" + QNAME_CHAR_FMT + QNAME_EXT_CHAR_FMT + "*)?" + QNAME_CHAR_FMT;
    static final String QUALIFIED_NAME_ERR_MSG =
            "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    public static final int QUALIFIED_NAME_MAX_LENGTH = 63;

    public static final String LABEL_VALUE_FMT = "(" + QUALIFIED_NAME_FMT + ")?";
    static final String LABEL_VALUE_ERR_MSG =
            "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";
    public static final int LABEL_VALUE_MAX_LENGTH = 63;

    public static final String DNS1123_LABEL_FMT = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1123_LABEL_ERR_MSG =
            "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character";
    public static final int DNS1123_LABEL_MAX_LENGTH = 63;

    public static final String DNS1123_SUBDOMAIN_FMT = DNS1123_LABEL_FMT + "(\\." + DNS1123_LABEL_FMT + ")*";
    static final String DNS1123_SUBDOMAIN_ERR_MSG =
            "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character";
    public static final int DNS1123_SUBDOMAIN_MAX_LENGTH = 253;

    public static final String DNS1035_LABEL_FMT = "[a-z]([-a-z0-9]*[a-z0-9])?";
    static final String DNS1035_LABEL_ERR_MSG =
            "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character";
    public static final int DNS1035_LABEL_MAX_LENGTH = 63;

    public static final String C_IDENTIFIER_FMT = "[A-Za-z_][A-Za-z0-9_]*";
    static final String IDENTIFIER_ERR_MSG =
            "a valid C identifier must start with alphabetic character or '_', followed by a string of alphanumeric characters or '_'";

    public static final String ENV_VAR_NAME_FMT = "[-._a-zA-Z][-._a-zA-Z0-9]*";
    static final String ENV_VAR_NAME_FMT_ERR_MSG =
            "a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit";
    static final String RELAXED_ENV_VAR_NAME_FMT_ERR_MSG =
            "a valid environment variable name must consist only of printable ASCII characters other than '='";

    public static final String CONFIG_MAP_KEY_FMT = "[-._a-zA-Z0-9]+";
    static final String CONFIG_MAP_KEY_ERR_MSG = "a valid config key must consist of alphanumeric characters, '-', '_' or '.'";

    public static final String HTTP_HEADER_NAME_FMT = "[-A-Za-z0-9]+";
    static final String HTTP_HEADER_NAME_ERR_MSG = "a valid HTTP header must consist of alphanumeric characters or '-'";

    public static final String PERCENT_FMT = "[0-9]+%";
    static final String PERCENT_ERR_MSG = "a valid percent string must be a numeric string followed by an ending '%'";

    private static final Pattern QUALIFIED_NAME = Pattern.compile(QUALIFIED_NAME_FMT);
    private static final Pattern LABEL_VALUE = Pattern.compile(LABEL_VALUE_FMT);
    private static final Pattern DNS1123_LABEL = Pattern.compile(DNS1123_LABEL_FMT);
    private static final Pattern DNS1123_SUBDOMAIN = Pattern.compile(DNS1123_SUBDOMAIN_FMT);
    private static final Pattern DNS1035_LABEL = Pattern.compile(DNS1035_LABEL_FMT);
    private static final Pattern C_IDENTIFIER = Pattern.compile(C_IDENTIFIER_FMT);
    private static final Pattern ENV_VAR_NAME = Pattern.compile(ENV_VAR_NAME_FMT);
    private static final Pattern CONFIG_MAP_KEY = Pattern.compile(CONFIG_MAP_KEY_FMT);
    private static final Pattern HTTP_HEADER_NAME = Pattern.compile(HTTP_HEADER_NAME_FMT);
    private static final Pattern PERCENT = Pattern.compile(PERCENT_FMT);
    private static final Pattern PORT_NAME_CHARSET = Pattern.compile("[-a-z0-9]+");
    private static final Pattern PORT_NAME_ONE_LETTER = Pattern.compile("[a-z]");

    /** Go's {@code len(s)}: the UTF-8 byte length. */
    public static int byteLen(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    // ---- message helpers ----

    /** {@code MaxLenError}. */
    public static String maxLenError(int length) {
        return "must be no more than " + length + " characters";
    }

    /** {@code RegexError}. */
    public static String regexError(String msg, String fmt, String... examples) {
        if (examples.length == 0) {
            return msg + " (regex used for validation is '" + fmt + "')";
        }
        StringBuilder sb = new StringBuilder(msg).append(" (e.g. ");
        for (int i = 0; i < examples.length; i++) {
            if (i > 0) {
                sb.append(" or ");
            }
            sb.append('\'').append(examples[i]).append("', ");
        }
        sb.append("regex used for validation is '").append(fmt).append("')");
        return sb.toString();
    }

    /** {@code EmptyError}. */
    public static String emptyError() {
        return "must be non-empty";
    }

    /** {@code InclusiveRangeError}. */
    public static String inclusiveRangeError(long lo, long hi) {
        return "must be between " + lo + " and " + hi + ", inclusive";
    }

    // ---- validators ----

    /** {@code IsQualifiedName}: label keys, annotation keys (lower-cased), finalizers, ... */
    public static List<String> isQualifiedName(String value) {
        List<String> errs = new ArrayList<>();
        String[] parts = value.split("/", -1);
        String name;
        switch (parts.length) {
            case 1 -> name = parts[0];
            case 2 -> {
                String prefix = parts[0];
                name = parts[1];
                if (prefix.isEmpty()) {
                    errs.add("prefix part " + emptyError());
                } else {
                    for (String msg : isDNS1123Subdomain(prefix)) {
                        errs.add("prefix part " + msg);
                    }
                }
            }
            default -> {
                errs.add("a qualified name " + regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT,
                        "MyName", "my.name", "123-abc")
                        + " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
                return errs;
            }
        }
        if (name.isEmpty()) {
            errs.add("name part " + emptyError());
        } else if (byteLen(name) > QUALIFIED_NAME_MAX_LENGTH) {
            errs.add("name part " + maxLenError(QUALIFIED_NAME_MAX_LENGTH));
        }
        if (!QUALIFIED_NAME.matcher(name).matches()) {
            errs.add("name part " + regexError(QUALIFIED_NAME_ERR_MSG, QUALIFIED_NAME_FMT, "MyName", "my.name", "123-abc"));
        }
        return errs;
    }

    /** {@code IsValidLabelValue}. */
    public static List<String> isValidLabelValue(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLen(value) > LABEL_VALUE_MAX_LENGTH) {
            errs.add(maxLenError(LABEL_VALUE_MAX_LENGTH));
        }
        if (!LABEL_VALUE.matcher(value).matches()) {
            errs.add(regexError(LABEL_VALUE_ERR_MSG, LABEL_VALUE_FMT, "MyValue", "my_value", "12345"));
        }
        return errs;
    }

    /** {@code IsDNS1123Label}. */
    public static List<String> isDNS1123Label(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLen(value) > DNS1123_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_LABEL_MAX_LENGTH));
        }
        if (!DNS1123_LABEL.matcher(value).matches()) {
            if (DNS1123_SUBDOMAIN.matcher(value).matches()) {
                // It was a valid subdomain and not a valid label. Since we already checked length, it must be dots.
                errs.add("must not contain dots");
            } else {
                errs.add(regexError(DNS1123_LABEL_ERR_MSG, DNS1123_LABEL_FMT, "my-name", "123-abc"));
            }
        }
        return errs;
    }

    /** {@code IsDNS1123Subdomain}. */
    public static List<String> isDNS1123Subdomain(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!DNS1123_SUBDOMAIN.matcher(value).matches()) {
            errs.add(regexError(DNS1123_SUBDOMAIN_ERR_MSG, DNS1123_SUBDOMAIN_FMT, "example.com"));
        }
        return errs;
    }

    /** {@code IsDNS1035Label}. */
    public static List<String> isDNS1035Label(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLen(value) > DNS1035_LABEL_MAX_LENGTH) {
            errs.add(maxLenError(DNS1035_LABEL_MAX_LENGTH));
        }
        if (!DNS1035_LABEL.matcher(value).matches()) {
            errs.add(regexError(DNS1035_LABEL_ERR_MSG, DNS1035_LABEL_FMT, "my-name", "abc-123"));
        }
        return errs;
    }

    /** {@code IsCIdentifier}. */
    public static List<String> isCIdentifier(String value) {
        if (!C_IDENTIFIER.matcher(value).matches()) {
            return List.of(regexError(IDENTIFIER_ERR_MSG, C_IDENTIFIER_FMT, "my_name", "MY_NAME", "MyName"));
        }
        return List.of();
    }

    /** {@code IsEnvVarName} (the strict rule, used when RelaxedEnvironmentVariableValidation is off). */
    public static List<String> isEnvVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (!ENV_VAR_NAME.matcher(value).matches()) {
            errs.add(regexError(ENV_VAR_NAME_FMT_ERR_MSG, ENV_VAR_NAME_FMT, "my.env-name", "MY_ENV.NAME", "MyEnvName1"));
        }
        errs.addAll(hasChDirPrefix(value));
        return errs;
    }

    /** {@code IsRelaxedEnvVarName} (the 1.32 default: RelaxedEnvironmentVariableValidation is beta and on). */
    public static List<String> isRelaxedEnvVarName(String value) {
        List<String> errs = new ArrayList<>();
        if (value.isEmpty()) {
            errs.add("environment variable name " + emptyError());
        }
        for (int i = 0; i < value.length(); ) {
            int r = value.codePointAt(i);
            i += Character.charCount(r);
            if (r > 127 || !GoFormat.isPrint(r) || r == '=') {
                errs.add(RELAXED_ENV_VAR_NAME_FMT_ERR_MSG);
                break;
            }
        }
        return errs;
    }

    /** {@code IsConfigMapKey}. */
    public static List<String> isConfigMapKey(String value) {
        List<String> errs = new ArrayList<>();
        if (byteLen(value) > DNS1123_SUBDOMAIN_MAX_LENGTH) {
            errs.add(maxLenError(DNS1123_SUBDOMAIN_MAX_LENGTH));
        }
        if (!CONFIG_MAP_KEY.matcher(value).matches()) {
            errs.add(regexError(CONFIG_MAP_KEY_ERR_MSG, CONFIG_MAP_KEY_FMT, "key.name", "KEY_NAME", "key-name"));
        }
        errs.addAll(hasChDirPrefix(value));
        return errs;
    }

    /** {@code IsHTTPHeaderName}. */
    public static List<String> isHTTPHeaderName(String value) {
        if (!HTTP_HEADER_NAME.matcher(value).matches()) {
            return List.of(regexError(HTTP_HEADER_NAME_ERR_MSG, HTTP_HEADER_NAME_FMT, "X-Header-Name"));
        }
        return List.of();
    }

    /** {@code IsValidPercent}. */
    public static List<String> isValidPercent(String value) {
        if (!PERCENT.matcher(value).matches()) {
            return List.of(regexError(PERCENT_ERR_MSG, PERCENT_FMT, "1%", "93%"));
        }
        return List.of();
    }

    /** {@code IsValidPortNum}: 1..65535. */
    public static List<String> isValidPortNum(long port) {
        if (1 <= port && port <= 65535) {
            return List.of();
        }
        return List.of(inclusiveRangeError(1, 65535));
    }

    /** {@code IsInRange}. */
    public static List<String> isInRange(long value, long min, long max) {
        if (value >= min && value <= max) {
            return List.of();
        }
        return List.of(inclusiveRangeError(min, max));
    }

    /** {@code IsValidUserID}: 0..MaxInt32. */
    public static List<String> isValidUserID(long uid) {
        return isInRange(uid, 0, Integer.MAX_VALUE);
    }

    /** {@code IsValidGroupID}: 0..MaxInt32. */
    public static List<String> isValidGroupID(long gid) {
        return isInRange(gid, 0, Integer.MAX_VALUE);
    }

    /** {@code IsValidPortName}: an IANA_SVC_NAME (RFC 6335), lower case only. */
    public static List<String> isValidPortName(String port) {
        List<String> errs = new ArrayList<>();
        if (byteLen(port) > 15) {
            errs.add(maxLenError(15));
        }
        if (!PORT_NAME_CHARSET.matcher(port).matches()) {
            errs.add("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
        }
        if (!PORT_NAME_ONE_LETTER.matcher(port).find()) {
            errs.add("must contain at least one letter (a-z)");
        }
        if (port.contains("--")) {
            errs.add("must not contain consecutive hyphens");
        }
        if (!port.isEmpty() && (port.charAt(0) == '-' || port.charAt(port.length() - 1) == '-')) {
            errs.add("must not begin or end with a hyphen");
        }
        return errs;
    }

    private static List<String> hasChDirPrefix(String value) {
        if (value.equals(".")) {
            return List.of("must not be '.'");
        } else if (value.equals("..")) {
            return List.of("must not be '..'");
        } else if (value.startsWith("..")) {
            return List.of("must not start with '..'");
        }
        return List.of();
    }

    /** {@code IsValidIP}: {@code must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)}. */
    public static List<FieldError> isValidIP(FieldPath path, String value) {
        if (NetParse.parseIP(value) == null) {
            return List.of(FieldError.invalid(path, value, "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"));
        }
        return List.of();
    }

    /** {@code IsValidCIDR}. */
    public static List<FieldError> isValidCIDR(FieldPath path, String value) {
        if (NetParse.parseCIDR(value) == null) {
            return List.of(FieldError.invalid(path, value, "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)"));
        }
        return List.of();
    }

    // ---- ValidateNameFuncs (api/validation/generic.go) ----

    /**
     * {@code maskTrailingDash}: for generateName prefixes of length > 1 ending in '-', upstream replaces the last
     * <em>two</em> characters with "a" ({@code name[:len(name)-2] + "a"}); reproduced as is.
     */
    static String maskTrailingDash(String name) {
        if (byteLen(name) > 1 && name.endsWith("-")) {
            return name.substring(0, name.length() - 2) + "a";
        }
        return name;
    }

    /** {@code NameIsDNSSubdomain}: pods, secrets, config maps, nodes, ... */
    public static List<String> nameIsDNSSubdomain(String name, boolean prefix) {
        return isDNS1123Subdomain(prefix ? maskTrailingDash(name) : name);
    }

    /** {@code NameIsDNSLabel}: namespaces. */
    public static List<String> nameIsDNSLabel(String name, boolean prefix) {
        return isDNS1123Label(prefix ? maskTrailingDash(name) : name);
    }

    /** {@code NameIsDNS1035Label}: services. */
    public static List<String> nameIsDNS1035Label(String name, boolean prefix) {
        return isDNS1035Label(prefix ? maskTrailingDash(name) : name);
    }

    // ---- path segments (api/validation/path/name.go) ----

    /** {@code IsValidPathSegmentName}: not "." or "..", no "/" or "%". */
    public static List<String> isValidPathSegmentName(String name) {
        if (name.equals(".") || name.equals("..")) {
            return List.of("may not be '" + name + "'");
        }
        return isValidPathSegmentPrefix(name);
    }

    /** {@code IsValidPathSegmentPrefix}: no "/" or "%". */
    public static List<String> isValidPathSegmentPrefix(String name) {
        List<String> errs = new ArrayList<>();
        for (String illegal : new String[] {"/", "%"}) {
            if (name.contains(illegal)) {
                errs.add("may not contain '" + illegal + "'");
            }
        }
        return errs;
    }

    /** {@code ValidatePathSegmentName}: the name rule BeforeCreate applies to every object. */
    public static List<String> validatePathSegmentName(String name, boolean prefix) {
        return prefix ? isValidPathSegmentPrefix(name) : isValidPathSegmentName(name);
    }

    // ---- field-level wrappers (core/validation/validation.go) ----

    /** {@code ValidateDNS1123Label(value, fldPath)}. */
    public static List<FieldError> validateDNS1123Label(String value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : isDNS1123Label(value)) {
            errs.add(FieldError.invalid(path, value, msg));
        }
        return errs;
    }

    /** {@code ValidateDNS1123Subdomain(value, fldPath)}. */
    public static List<FieldError> validateDNS1123Subdomain(String value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : isDNS1123Subdomain(value)) {
            errs.add(FieldError.invalid(path, value, msg));
        }
        return errs;
    }

    /** {@code ValidateQualifiedName(value, fldPath)}. */
    public static List<FieldError> validateQualifiedName(String value, FieldPath path) {
        List<FieldError> errs = new ArrayList<>();
        for (String msg : isQualifiedName(value)) {
            errs.add(FieldError.invalid(path, value, msg));
        }
        return errs;
    }
}
