package io.kemu.apiserver.validation;

import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small part of Go's {@code fmt} that error messages depend on: {@code %q} (strconv.Quote), and the way
 * {@code field.Error.ErrorBody()} prints a bad value ({@code %v} for numbers and booleans, {@code %q} for strings,
 * {@code String()} for Stringers, {@code %#v} otherwise).
 */
public final class GoFormat {
    private GoFormat() {
    }

    /** A value printed verbatim, standing for a Go Stringer or a {@code %#v} rendering of a struct. */
    public record Raw(String text) {
        @Override
        public String toString() {
            return text;
        }
    }

    /** Wraps text that must be printed as-is in place of a bad value. */
    public static Raw raw(String text) {
        return new Raw(text);
    }

    /** {@code strconv.Quote}: double-quoted Go string literal, with Go escapes for non-printable runes. */
    public static String quote(String s) {
        StringBuilder sb = new StringBuilder(s.length() + 2);
        sb.append('"');
        s.codePoints().forEach(r -> {
            switch (r) {
                case 0x07 -> sb.append("\\a");
                case '\b' -> sb.append("\\b");
                case '\f' -> sb.append("\\f");
                case '\n' -> sb.append("\\n");
                case '\r' -> sb.append("\\r");
                case '\t' -> sb.append("\\t");
                case 0x0b -> sb.append("\\v");
                case '\\' -> sb.append("\\\\");
                case '"' -> sb.append("\\\"");
                default -> {
                    if (isPrint(r)) {
                        sb.appendCodePoint(r);
                    } else if (r < ' ' || r == 0x7f) {
                        sb.append(String.format("\\x%02x", r));
                    } else if (r < 0x10000) {
                        sb.append(String.format("\\u%04x", r));
                    } else {
                        sb.append(String.format("\\U%08x", r));
                    }
                }
            }
        });
        sb.append('"');
        return sb.toString();
    }

    /** Approximates {@code unicode.IsPrint}: letters, marks, numbers, punctuation, symbols and ASCII space. */
    public static boolean isPrint(int r) {
        if (r == ' ') {
            return true;
        }
        switch (Character.getType(r)) {
            case Character.UNASSIGNED, Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE,
                 Character.SURROGATE, Character.SPACE_SEPARATOR, Character.LINE_SEPARATOR,
                 Character.PARAGRAPH_SEPARATOR:
                return false;
            default:
                return true;
        }
    }

    /**
     * Renders a bad value the way {@code ErrorBody()} does after the type text: returns the text that follows
     * {@code "Invalid value: "}.
     */
    public static String formatBadValue(Object value) {
        if (value == null) {
            // upstream: value = "null", which then takes the string branch
            return quote("null");
        }
        if (value instanceof Raw r) {
            return r.text();
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte
                || value instanceof Boolean) {
            return value.toString();
        }
        if (value instanceof Double || value instanceof Float) {
            return formatFloat(((Number) value).doubleValue());
        }
        return goSyntax(value);
    }

    /** {@code %#v} for the few container shapes used in error values. */
    public static String goSyntax(Object value) {
        if (value == null) {
            return "<nil>";
        }
        if (value instanceof Raw r) {
            return r.text();
        }
        if (value instanceof String s) {
            return quote(s);
        }
        if (value instanceof Collection<?> c) {
            StringBuilder sb = new StringBuilder(sliceType(c)).append('{');
            boolean first = true;
            for (Object o : c) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(goSyntax(o));
            }
            return sb.append('}').toString();
        }
        if (value instanceof Map<?, ?> m) {
            StringBuilder sb = new StringBuilder("map[string]string{");
            boolean first = true;
            for (Map.Entry<?, ?> e : new TreeMap<>(m).entrySet()) {
                if (!first) {
                    sb.append(", ");
                }
                first = false;
                sb.append(goSyntax(e.getKey())).append(':').append(goSyntax(e.getValue()));
            }
            return sb.append('}').toString();
        }
        if (value instanceof Double || value instanceof Float) {
            return formatFloat(((Number) value).doubleValue());
        }
        return String.valueOf(value);
    }

    private static String sliceType(Collection<?> c) {
        for (Object o : c) {
            if (o instanceof Long) {
                return "[]int64";
            }
            if (o instanceof Integer) {
                return "[]int32";
            }
            break;
        }
        return "[]string";
    }

    private static String formatFloat(double d) {
        if (d == Math.rint(d) && Math.abs(d) < 1e21) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    private static final DateTimeFormatter GO_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss Z");

    /**
     * Renders an RFC3339 timestamp as Go's {@code time.Time.String()} does for a UTC time
     * ({@code 2006-01-02 15:04:05 +0000 UTC}); metav1.Time is a Stringer, so this is how immutable-timestamp
     * errors print their value.
     */
    public static Raw goTime(String rfc3339) {
        try {
            Instant instant = OffsetDateTime.parse(rfc3339).toInstant();
            String s = GO_TIME.format(instant.atOffset(ZoneOffset.UTC)) + " UTC";
            return raw(s);
        } catch (DateTimeParseException e) {
            return raw(rfc3339);
        }
    }
}
