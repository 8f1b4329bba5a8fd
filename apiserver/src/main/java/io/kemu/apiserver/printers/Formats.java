package io.kemu.apiserver.printers;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.LabelSelectorRequirement;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * Go helpers the printers rely on: zero values for absent fields, {@code labels.FormatLabels},
 * {@code metav1.LabelSelectorAsSelector(...).String()}, {@code metav1.FormatLabelSelector},
 * {@code layoutContainerCells} and {@code strings.TrimSpace}.
 */
final class Formats {

    static final String NONE = "<none>";

    private Formats() {
    }

    // ---- Go zero values for absent fabric8 fields ----

    static String str(String s) {
        return s == null ? "" : s;
    }

    static int i32(Integer i) {
        return i == null ? 0 : i;
    }

    static boolean bool(Boolean b) {
        return b != null && b;
    }

    static <T> List<T> list(List<T> l) {
        return l == null ? List.of() : l;
    }

    static <K, V> Map<K, V> map(Map<K, V> m) {
        return m == null ? Map.of() : m;
    }

    static String orNone(String s) {
        return s == null || s.isEmpty() ? NONE : s;
    }

    // ---- object metadata ----

    /** {@code obj.Name}. */
    static String name(HasMetadata obj) {
        ObjectMeta meta = obj.getMetadata();
        return meta == null ? "" : str(meta.getName());
    }

    /** The AGE cell: {@code translateTimestampSince(obj.CreationTimestamp)}. */
    static String age(HasMetadata obj, Instant now) {
        ObjectMeta meta = obj.getMetadata();
        return HumanDuration.translateTimestampSince(meta == null ? null : meta.getCreationTimestamp(), now);
    }

    // ---- labels ----

    /** {@code labels.FormatLabels}: {@code k=v} pairs sorted by key, comma separated; {@code <none>} when empty. */
    static String formatLabels(Map<String, String> labels) {
        if (labels == null || labels.isEmpty()) {
            return NONE;
        }
        StringBuilder sb = new StringBuilder();
        for (Map.Entry<String, String> e : new TreeMap<>(labels).entrySet()) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(e.getKey()).append('=').append(str(e.getValue()));
        }
        return sb.toString();
    }

    /** {@code metav1.FormatLabelSelector}: the selector string, {@code <none>} when empty, {@code <error>} when invalid. */
    static String formatLabelSelector(LabelSelector selector) {
        String s;
        try {
            s = selectorString(selector);
        } catch (IllegalArgumentException invalid) {
            return "<error>";
        }
        return s.isEmpty() ? NONE : s;
    }

    /**
     * {@code metav1.LabelSelectorAsSelector(selector).String()}: nil and empty selectors print as the empty
     * string; otherwise one requirement per label and expression, sorted by key (stable for equal keys),
     * values of multi-valued requirements sorted. Throws {@link IllegalArgumentException} where Go returns
     * an error (unknown operator, wrong number of values, invalid label key or value).
     */
    static String selectorString(LabelSelector selector) {
        if (selector == null) {
            return ""; // labels.Nothing()
        }
        Map<String, String> matchLabels = map(selector.getMatchLabels());
        List<LabelSelectorRequirement> exprs = list(selector.getMatchExpressions());
        if (matchLabels.isEmpty() && exprs.isEmpty()) {
            return ""; // labels.Everything()
        }
        List<String[]> reqs = new ArrayList<>(); // {key, rendered}
        for (Map.Entry<String, String> e : new TreeMap<>(matchLabels).entrySet()) {
            String v = str(e.getValue());
            validateKey(e.getKey());
            validateValue(v);
            reqs.add(new String[] {e.getKey(), e.getKey() + "=" + v});
        }
        for (LabelSelectorRequirement expr : exprs) {
            String key = str(expr.getKey());
            List<String> values = list(expr.getValues());
            validateKey(key);
            String op = str(expr.getOperator());
            String rendered;
            switch (op) {
                case "In":
                case "NotIn":
                    if (values.isEmpty()) {
                        throw new IllegalArgumentException("for 'in', 'notin' operators, values set can't be empty");
                    }
                    values.forEach(Formats::validateValue);
                    rendered = key + ("In".equals(op) ? " in (" : " notin (") + joinValues(values) + ")";
                    break;
                case "Exists":
                case "DoesNotExist":
                    if (!values.isEmpty()) {
                        throw new IllegalArgumentException("values set must be empty for exists and does not exist");
                    }
                    rendered = ("DoesNotExist".equals(op) ? "!" : "") + key;
                    break;
                default:
                    throw new IllegalArgumentException("\"" + op + "\" is not a valid label selector operator");
            }
            reqs.add(new String[] {key, rendered});
        }
        reqs.sort(Comparator.comparing(r -> r[0])); // internalSelector.Add sorts ByKey
        StringBuilder sb = new StringBuilder();
        for (String[] r : reqs) {
            if (sb.length() > 0) {
                sb.append(',');
            }
            sb.append(r[1]);
        }
        return sb.toString();
    }

    private static String joinValues(List<String> values) {
        if (values.size() == 1) {
            return values.get(0);
        }
        List<String> sorted = new ArrayList<>(values);
        sorted.sort(null);
        return String.join(",", sorted);
    }

    private static final String QNAME = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
    private static final Pattern QUALIFIED_NAME = Pattern.compile("^" + QNAME + "$");
    private static final Pattern LABEL_VALUE = Pattern.compile("^(" + QNAME + ")?$");
    private static final Pattern DNS1123_SUBDOMAIN =
            Pattern.compile("^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$");

    /** {@code validation.IsQualifiedName}. */
    private static void validateKey(String key) {
        String[] parts = key.split("/", -1);
        String name;
        if (parts.length == 1) {
            name = parts[0];
        } else if (parts.length == 2) {
            String prefix = parts[0];
            name = parts[1];
            if (prefix.isEmpty() || prefix.length() > 253 || !DNS1123_SUBDOMAIN.matcher(prefix).matches()) {
                throw new IllegalArgumentException("invalid label key prefix: " + key);
            }
        } else {
            throw new IllegalArgumentException("invalid label key: " + key);
        }
        if (name.isEmpty() || name.length() > 63 || !QUALIFIED_NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("invalid label key: " + key);
        }
    }

    /** {@code validation.IsValidLabelValue}. */
    private static void validateValue(String value) {
        if (value.length() > 63 || !LABEL_VALUE.matcher(value).matches()) {
            throw new IllegalArgumentException("invalid label value: " + value);
        }
    }

    // ---- containers ----

    /** {@code layoutContainerCells}: container names and images, each comma separated. */
    static String[] layoutContainerCells(List<Container> containers) {
        StringBuilder names = new StringBuilder();
        StringBuilder images = new StringBuilder();
        List<Container> cs = list(containers);
        for (int i = 0; i < cs.size(); i++) {
            Container c = cs.get(i);
            names.append(str(c == null ? null : c.getName()));
            images.append(str(c == null ? null : c.getImage()));
            if (i != cs.size() - 1) {
                names.append(',');
                images.append(',');
            }
        }
        return new String[] {names.toString(), images.toString()};
    }

    // ---- strings ----

    /** Go's {@code strings.TrimSpace}: trims characters for which {@code unicode.IsSpace} holds. */
    static String trimSpace(String s) {
        if (s == null) {
            return "";
        }
        int start = 0;
        int end = s.length();
        while (start < end && isGoSpace(s.charAt(start))) {
            start++;
        }
        while (end > start && isGoSpace(s.charAt(end - 1))) {
            end--;
        }
        return s.substring(start, end);
    }

    /** {@code unicode.IsSpace}: Latin-1 whitespace plus the Unicode White_Space property (all in the BMP). */
    static boolean isGoSpace(char c) {
        switch (c) {
            case '\t': case '\n': case '\u000B': case '\f': case '\r': case ' ': case '\u0085': case '\u00A0':
            case '\u1680': case '\u2028': case '\u2029': case '\u202F': case '\u205F': case '\u3000':
                return true;
            default:
                return c >= '\u2000' && c <= '\u200A';
        }
    }

    static String join(Collection<String> parts, String sep) {
        return String.join(sep, parts);
    }
}
